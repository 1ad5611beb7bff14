"""Grade a whole class: a Gradescope export, an nbgrader tree or a folder of notebooks.

Each submission is graded by `autograder.grade.grade` in a pool of processes, each with its
own isolated worker and time limits, so one broken or hostile submission costs
only its own time. Writes, under the output folder:
    gradebook.csv                 one row per student (name, email, SID, as Gradescope's own
                                  exports): per-test scores, total
    <id>/results.json, <id>/feedback.txt
    summary.txt, class_report.*   the scores, pass rates and known mistakes (class_report.py)
"""

from __future__ import annotations

import multiprocessing
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from autograder import spec
from autograder.batch import class_report
from autograder.batch.discovery import Entry, entries, unzip
from autograder.batch.gradebook import write_gradebook
from autograder.errors import SubmissionError
from autograder.grade import Options, grade
from autograder.report import results
from autograder.sandbox.isolation import DEFAULT_USER

_slot: int = 0  # which of the pool's processes this is: picks its own sandbox user


def _take_slot(slots: Any) -> None:
    global _slot
    _slot = slots.get()


def _grade_one(entry: Entry, out: Path, strict: bool, assignment: str) -> dict[str, Any]:
    folder = out / entry.key
    folder.mkdir(parents=True, exist_ok=True)
    options = Options(user_name=f"{DEFAULT_USER}{_slot}", strict=strict,
                      assignment=spec.load(assignment))
    document = grade(entry.path, folder / "results.json", options)
    (folder / "feedback.txt").write_text(_feedback(entry, document), encoding="utf-8")
    return {"key": entry.key, "identity": entry.identity, "people": entry.people,
            "document": document}


def _feedback(entry: Entry, document: dict[str, Any]) -> str:
    total = sum(t["max_score"] for t in document["tests"])
    parts = [f"{entry.identity}: {document['score']:g} / {total:g}", results.table(document),
             document.get("output", "")]
    parts += [f"[{t['number']}] {t['name']}\n{t['output']}" for t in document["tests"]
              if t["status"] != "passed"]
    return "\n\n".join(p for p in parts if p) + "\n"


def grade_all(source: Path, out: Path, jobs: int = 2, progress: bool = True,
              strict: bool = False, assignment: str | None = None) -> list[dict[str, Any]]:
    """Grade every submission under `source` (a folder or a zip); write the outputs."""
    name = assignment or spec.default_name()
    with tempfile.TemporaryDirectory(prefix="batch-") as scratch:
        if source.is_file():
            source = unzip(source, Path(scratch))
        todo = entries(source)
        if not todo:
            raise SubmissionError(f"No submissions found in {source}.")
        out.mkdir(parents=True, exist_ok=True)
        rows = _run(todo, out, jobs, progress, (strict, name))
    chosen = spec.load(name)
    write_gradebook(out / "gradebook.csv", rows, chosen)
    class_report.write(out, [row["document"] for row in rows], chosen.labels)
    return rows


def _run(todo: list[Entry], out: Path, jobs: int, progress: bool, how: tuple[bool, str]
         ) -> list[dict[str, Any]]:
    from tqdm import tqdm

    slots = multiprocessing.get_context("fork").Queue()
    for slot in range(jobs):
        slots.put(slot)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"),
                             initializer=_take_slot, initargs=(slots,)) as pool:
        futures = [pool.submit(_grade_one, entry, out, *how) for entry in todo]
        bar = tqdm(total=len(futures), unit="submission", disable=not progress)
        rows = []
        for future in futures:
            rows.append(future.result())
            bar.update()
        bar.close()
    return rows
