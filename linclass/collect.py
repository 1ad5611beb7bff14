"""Check your notebook and package it for Gradescope.

    python -m linclass.collect [assignment/linear_classifiers.ipynb]

Checks that every graded cell is still there with its id, runs the visible checks
on a copy (on the small embedded dataset, so it takes seconds), warns about cells
never run, missing plots and leftover NotImplementedError, then writes
    linear_classifiers_submission.zip   upload this to the programming assignment
    linear_classifiers.pdf              upload this for the inline questions
(an HTML file instead of the PDF when LaTeX is not installed). Your notebook
itself is only read, never changed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RELEASE = ROOT / "assignment" / "linear_classifiers.ipynb"
PLOTS = ("loss_curves.png", "svm_search.png", "softmax_search.png", "svm_templates.png",
         "softmax_templates.png")


def grade_ids(notebook: dict) -> list[str]:
    return [c["metadata"]["nbgrader"]["grade_id"] for c in notebook["cells"]
            if "grade_id" in c.get("metadata", {}).get("nbgrader", {})]


def structure_problems(notebook: dict) -> list[str]:
    """Graded cells the release has and this notebook lost (deleted, or ids edited)."""
    expected = grade_ids(json.loads(RELEASE.read_text(encoding="utf-8")))
    missing = [gid for gid in expected if gid not in set(grade_ids(notebook))]
    return [f"graded cell '{gid}' is missing: copy it back from a fresh "
            "assignment/linear_classifiers.ipynb" for gid in missing]


def saved_state_warnings(notebook: dict, folder: Path) -> list[str]:
    """What the saved notebook shows: cells never run, NotImplementedError, plots."""
    code = [c for c in notebook["cells"] if c.get("cell_type") == "code"]
    warnings = []
    never = sum(1 for c in code if c.get("execution_count") is None)
    if never:
        warnings.append(f"{never} of {len(code)} code cells were never run: run the whole "
                        "notebook (Kernel > Restart & Run All) before submitting")
    stubs = [_gid(c) for c in code if "raise NotImplementedError()" in _source(c)
             and c.get("metadata", {}).get("nbgrader", {}).get("solution")]
    if stubs:
        warnings.append(f"still a stub (raise NotImplementedError): {', '.join(stubs)}")
    missing = [p for p in PLOTS if not (folder / p).exists()]
    if missing:
        warnings.append(f"plots not found next to the notebook: {', '.join(missing)}")
    return warnings


def visible_check_failures(path: Path) -> list[str]:
    """Run a copy of the notebook on the embedded dataset; the check cells that failed."""
    from release.execute import errors, execute

    with tempfile.TemporaryDirectory(prefix="collect-") as workdir:
        copy = Path(workdir) / path.name
        shutil.copy(path, copy)
        executed = execute(copy, Path(workdir), dataset="digits", allow_errors=True)
    return [f"{gid or 'an experiment cell'}: {ename}: {evalue}"[:300] for gid, ename, evalue in errors(executed)]


def write_zip(path: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(path, path.name)
        for plot in PLOTS:
            if (path.parent / plot).exists():
                zf.write(path.parent / plot, plot)
    return target


def write_pdf_or_html(path: Path, folder: Path) -> tuple[Path, str | None]:
    """A PDF when LaTeX (xelatex) is installed, else HTML and what to do with it."""
    import nbformat
    from nbconvert import HTMLExporter, PDFExporter

    notebook = nbformat.read(path, as_version=4)
    if shutil.which("xelatex"):
        body, _ = PDFExporter().from_notebook_node(notebook)
        target = folder / (path.stem + ".pdf")
        target.write_bytes(body)
        return target, None
    body, _ = HTMLExporter().from_notebook_node(notebook)
    target = folder / (path.stem + ".html")
    target.write_text(body, encoding="utf-8")
    return target, ("LaTeX (xelatex) is not installed, so no PDF was made: open "
                    f"{target.name} in a browser and print it to PDF for Gradescope")


def check(path: Path, notebook: dict, run_checks: bool) -> bool:
    """Print every finding; True when the notebook can be submitted as it is."""
    problems = structure_problems(notebook)
    for problem in problems:
        print(f"ERROR  {problem}")
    for warning in saved_state_warnings(notebook, path.parent):
        print(f"WARN   {warning}")
    if not run_checks:
        print("visible checks: skipped")
        return not problems
    failures = visible_check_failures(path)
    for failure in failures:
        print(f"FAIL   {failure}")
    print("visible checks: " + (f"{len(failures)} cells failed" if failures else "all pass"))
    return not problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m linclass.collect", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebook", type=Path, nargs="?", default=RELEASE)
    parser.add_argument("--out", type=Path, help="folder for the zip and the PDF "
                        "(default: the notebook's folder)")
    parser.add_argument("--skip-checks", action="store_true", help="do not run the notebook")
    args = parser.parse_args(argv)
    path = args.notebook.resolve()
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"error: cannot read {path}: {exc}", file=sys.stderr)
        return 1
    ok = check(path, notebook, not args.skip_checks)
    out = (args.out or path.parent).resolve()
    out.mkdir(parents=True, exist_ok=True)
    print(f"wrote {write_zip(path, out / 'linear_classifiers_submission.zip')}")
    document, advice = write_pdf_or_html(path, out)
    print(f"wrote {document}" + (f"\n{advice}" if advice else ""))
    return 0 if ok else 1


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _gid(cell: dict) -> str:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "?")


if __name__ == "__main__":
    sys.exit(main())
