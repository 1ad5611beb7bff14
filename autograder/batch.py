"""Grade a whole class: a Gradescope export, an nbgrader tree or a folder of notebooks.

Each submission is graded by `engine.grade` in a pool of processes, each with its
own isolated worker and time limits, so one broken or hostile submission costs
only its own time. Writes, under the output folder:
    gradebook.csv                 one row per submission: identity, per-test scores, total
    <id>/results.json, <id>/feedback.txt
    summary.txt, histogram.png    the score distribution and the most failed tests
"""

from __future__ import annotations

import csv
import io
import multiprocessing
import re
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder import results
from autograder.engine import Options, grade
from autograder.errors import SubmissionError
from autograder.files import write_atomic
from autograder.isolation import DEFAULT_USER
from autograder.rubric import ITEMS


@dataclass(frozen=True)
class Entry:
    key: str            # a folder-safe id, unique in the batch
    identity: str       # who: names, emails and ids, or a file name
    path: Path          # what to grade: a folder or a notebook


def entries(source: Path) -> list[Entry]:
    """The submissions in a Gradescope export, an nbgrader tree or a plain folder."""
    if (source / "submission_metadata.yml").exists():
        return list(_gradescope(source))
    submitted = source if source.name == "submitted" else source / "submitted"
    if submitted.is_dir():
        return list(_nbgrader(submitted))
    return [Entry(_slug(p.stem), p.name, p) for p in sorted(source.iterdir())
            if p.suffix == ".ipynb" or (p.is_dir() and not p.name.startswith("."))]


def _gradescope(source: Path) -> Iterator[Entry]:
    import yaml  # only TAs' batches need it; the grading path does not

    metadata = yaml.safe_load((source / "submission_metadata.yml").read_text()) or {}
    for folder, meta in sorted(metadata.items()):
        people = (meta or {}).get(":submitters") or (meta or {}).get("submitters") or []
        who = "; ".join(_person(p) for p in people) or folder
        yield Entry(_slug(folder), who, source / folder)


def _person(person: dict[str, Any]) -> str:
    fields = [person.get(f":{k}") or person.get(k) for k in ("name", "email", "sid")]
    return " ".join(str(f) for f in fields if f)


def _nbgrader(submitted: Path) -> Iterator[Entry]:
    for student in sorted(p for p in submitted.iterdir() if p.is_dir()):
        for assignment in sorted(p for p in student.iterdir() if p.is_dir()):
            yield Entry(_slug(f"{student.name}-{assignment.name}"), student.name, assignment)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "submission"


_slot: int = 0  # which of the pool's processes this is: picks its own sandbox user


def _take_slot(slots: Any) -> None:
    global _slot
    _slot = slots.get()


def _grade_one(entry: Entry, out: Path, strict: bool = False) -> dict[str, Any]:
    folder = out / entry.key
    folder.mkdir(parents=True, exist_ok=True)
    options = Options(user_name=f"{DEFAULT_USER}{_slot}", strict=strict)
    document = grade(entry.path, folder / "results.json", options)
    (folder / "feedback.txt").write_text(_feedback(entry, document), encoding="utf-8")
    return {"key": entry.key, "identity": entry.identity, "document": document}


def _feedback(entry: Entry, document: dict[str, Any]) -> str:
    parts = [f"{entry.identity}: {document['score']:g} / 100", results.table(document),
             document.get("output", "")]
    parts += [f"[{t['number']}] {t['name']}\n{t['output']}" for t in document["tests"]
              if t["status"] != "passed"]
    return "\n\n".join(p for p in parts if p) + "\n"


def grade_all(source: Path, out: Path, jobs: int = 2, progress: bool = True,
              strict: bool = False) -> list[dict[str, Any]]:
    """Grade every submission under `source` (a folder or a zip); write the outputs."""
    with tempfile.TemporaryDirectory(prefix="batch-") as scratch:
        if source.is_file():
            source = _unzip(source, Path(scratch))
        todo = entries(source)
        if not todo:
            raise SubmissionError(f"No submissions found in {source}.")
        out.mkdir(parents=True, exist_ok=True)
        rows = _run(todo, out, jobs, progress, strict)
    write_gradebook(out / "gradebook.csv", rows)
    write_summary(out, rows)
    return rows


def _run(todo: list[Entry], out: Path, jobs: int, progress: bool, strict: bool
         ) -> list[dict[str, Any]]:
    from tqdm import tqdm

    slots = multiprocessing.get_context("fork").Queue()
    for slot in range(jobs):
        slots.put(slot)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"),
                             initializer=_take_slot, initargs=(slots,)) as pool:
        futures = [pool.submit(_grade_one, entry, out, strict) for entry in todo]
        bar = tqdm(total=len(futures), unit="submission", disable=not progress)
        rows = []
        for future in futures:
            rows.append(future.result())
            bar.update()
        bar.close()
    return rows


def _unzip(archive: Path, scratch: Path) -> Path:
    with zipfile.ZipFile(archive) as zf:
        for member in zf.infolist():
            target = (scratch / member.filename).resolve()
            if not target.is_relative_to(scratch.resolve()):
                raise SubmissionError(f"{archive.name}: unsafe path {member.filename!r}")
        zf.extractall(scratch)
    tops = [p for p in scratch.iterdir() if not p.name.startswith(("__MACOSX", "."))]
    return tops[0] if len(tops) == 1 and tops[0].is_dir() else scratch


def write_gradebook(path: Path, rows: list[dict[str, Any]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "student", *(i.test for i in ITEMS), "total", "grading_errors"])
    for row in rows:
        tests = row["document"]["tests"]
        errors = [t["name"] for t in tests if results.is_grader_error(t)]
        writer.writerow([row["key"], row["identity"], *(t["score"] for t in tests),
                         row["document"]["score"], "; ".join(errors)])
    write_atomic(path, buffer.getvalue())


def write_summary(out: Path, rows: list[dict[str, Any]]) -> None:
    scores = [row["document"]["score"] for row in rows]
    failed = Counter(t["name"] for row in rows for t in row["document"]["tests"]
                     if t["status"] != "passed")
    lines = [(f"{len(rows)} submissions, mean score {sum(scores) / len(scores):.1f}, "
             f"median {sorted(scores)[len(scores) // 2]:g}"), "", "Most often failed tests:"]
    lines += [f"  {count:4d}  {name}" for name, count in failed.most_common(10)]
    write_atomic(out / "summary.txt", "\n".join(lines) + "\n")
    _histogram(out / "histogram.png", scores)


def _histogram(path: Path, scores: list[float]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.hist(scores, bins=range(0, 105, 5), edgecolor="white")
    ax.set_xlabel("score")
    ax.set_ylabel("submissions")
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)
