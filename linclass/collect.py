"""Check your notebook and package it for Gradescope.

    python submit.py [linear_classifiers.ipynb]      (or: python -m linclass.collect ...)

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
import io
import json
import re
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

from linclass.assignment import (
    GRADED_CELLS,
    NOTEBOOK,
    PLOTS,
    SUBMISSION_ZIP,
    HandinError,
    grade_ids,
)
from linclass.files import write_atomic
from linclass.locate import find_notebook

ANSI = re.compile(r"\x1b\[[0-9;]*m")  # the colours of a traceback as Jupyter stores it
ARROW = re.compile(r"-+> ")             # IPython's mark of the line that raised, "----> 5"


def structure_problems(notebook: dict) -> list[str]:
    """Graded cells the release has and this notebook lost (deleted, or ids edited)."""
    missing = [gid for gid in GRADED_CELLS if gid not in set(grade_ids(notebook))]
    return [f"graded cell '{gid}' is missing (deleted, or its cell metadata edited): copy it "
            f"back from a fresh {NOTEBOOK} of the handout, with the cell's metadata "
            "(copy whole cells in Jupyter, not their text)" for gid in missing]


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
    """Run a copy of the notebook on the embedded dataset; what each failing cell said."""
    from linclass.run import execute  # nbclient: only when the checks run

    with tempfile.TemporaryDirectory(prefix="collect-") as workdir:
        copy = Path(workdir) / NOTEBOOK
        shutil.copy(path, copy)
        executed = execute(copy, Path(workdir), dataset="digits", allow_errors=True)
    return [failure(cell.metadata.get("nbgrader", {}).get("grade_id"), output)
            for cell in executed.cells for output in cell.get("outputs", [])
            if output.get("output_type") == "error"]


def failure(gid: str | None, output: dict) -> str:
    """One line per failing cell: a visible check's message as the notebook shows it, or
    the student's own error and the line of their code it points at."""
    where = gid or "an experiment cell"
    if output["ename"] == "CheckFailed":
        return f"{where}: {output['evalue']}"
    frames = [ANSI.sub("", frame) for frame in output.get("traceback", [])]
    marked = [line for frame in frames if frame.startswith("Cell In[")
              for line in frame.splitlines() if ARROW.match(line)]
    line = f" (at: {marked[-1].split(maxsplit=2)[-1]})" if marked else ""
    return f"{where}: {output['ename']}: {output['evalue']}"[:300] + line[:120]


def write_zip(path: Path, target: Path) -> Path:
    """The notebook (as NOTEBOOK, whatever its file is called) and the plots beside it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(path, NOTEBOOK)
        for plot in PLOTS:
            if (path.parent / plot).exists():
                zf.write(path.parent / plot, plot)
    return write_atomic(target, buffer.getvalue())


def write_pdf_or_html(path: Path, folder: Path) -> tuple[Path, str | None]:
    """A PDF when LaTeX (xelatex) is installed, else HTML and what to do with it."""
    import nbformat
    from nbconvert import HTMLExporter, PDFExporter

    notebook = nbformat.read(path, as_version=4)
    stem = Path(NOTEBOOK).stem
    if shutil.which("xelatex"):
        body, _ = PDFExporter().from_notebook_node(notebook)
        return write_atomic(folder / (stem + ".pdf"), body), None
    body, _ = HTMLExporter().from_notebook_node(notebook)
    target = write_atomic(folder / (stem + ".html"), body)
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


def read(path: Path) -> dict:
    """The notebook as JSON, or a HandinError saying why it cannot be read."""
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise HandinError(f"cannot read {path}: {exc}. Is it the .ipynb file Jupyter "
                          "saved? Re-open it in Jupyter and save it again") from exc
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise HandinError(f"{path} is not a Jupyter notebook (no list of cells)")
    return notebook


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python submit.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebook", type=Path, nargs="?",
                        help=f"default: {NOTEBOOK} in this folder or in the handout folder")
    parser.add_argument("--out", type=Path, help="folder for the zip and the PDF "
                        "(default: the notebook's folder)")
    parser.add_argument("--skip-checks", action="store_true", help="do not run the notebook")
    args = parser.parse_args(argv)
    try:
        path, notes = find_notebook(args.notebook, Path.cwd())
        notebook = read(path.resolve())
    except HandinError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    path = path.resolve()
    print(f"checking {path}")
    for note in notes:
        print(f"NOTE   {note}")
    ok = check(path, notebook, not args.skip_checks)
    out = (args.out or path.parent).resolve()
    out.mkdir(parents=True, exist_ok=True)
    print(f"wrote {write_zip(path, out / SUBMISSION_ZIP)}")
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
