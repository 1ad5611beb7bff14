"""Grade a whole class: a Gradescope export, an nbgrader tree or a folder of notebooks.

Each submission is graded by `engine.grade` in a pool of processes, each with its
own isolated worker and time limits, so one broken or hostile submission costs
only its own time. Writes, under the output folder:
    gradebook.csv                 one row per student (name, email, SID, as Gradescope's own
                                  exports): per-test scores, total
    <id>/results.json, <id>/feedback.txt
    summary.txt, class_report.*   the scores, pass rates and known mistakes (class_report.py)
"""

from __future__ import annotations

import csv
import io
import multiprocessing
import re
import tempfile
import zipfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assignments.linear_classifiers.rubric import ITEMS
from autograder.batch import class_report
from autograder.errors import SubmissionError
from autograder.grade import Options, grade
from autograder.report import results
from autograder.report.files import write_atomic
from autograder.sandbox.isolation import DEFAULT_USER


@dataclass(frozen=True)
class Person:
    name: str
    email: str = ""
    sid: str = ""


@dataclass(frozen=True)
class Entry:
    key: str            # a folder-safe id, unique in the batch
    identity: str       # who: names, emails and ids, or a file name
    path: Path          # what to grade: a folder or a notebook
    people: tuple[Person, ...] = ()   # the submitters; a group submission has several


def entries(source: Path) -> list[Entry]:
    """The submissions in a Gradescope export, an nbgrader tree or a plain folder."""
    if (source / "submission_metadata.yml").exists():
        return list(_gradescope(source))
    submitted = source if source.name == "submitted" else source / "submitted"
    if submitted.is_dir():
        return list(_nbgrader(submitted))
    return [Entry(_slug(p.stem), p.name, p, (Person(p.name),)) for p in sorted(source.iterdir())
            if p.suffix == ".ipynb" or (p.is_dir() and not p.name.startswith("."))]


def _gradescope(source: Path) -> Iterator[Entry]:
    import yaml  # only TAs' batches need it; the grading path does not

    metadata = yaml.safe_load((source / "submission_metadata.yml").read_text()) or {}
    for folder, meta in sorted(metadata.items()):
        people = [_person(p) for p in (meta or {}).get(":submitters")
                  or (meta or {}).get("submitters") or []]
        who = "; ".join(" ".join(f for f in (p.name, p.email, p.sid) if f) for p in people)
        yield Entry(_slug(folder), who or folder, source / folder, tuple(people))


def _person(person: dict[str, Any]) -> Person:
    name, email, sid = (str(person.get(f":{k}") or person.get(k) or "")
                        for k in ("name", "email", "sid"))
    return Person(name, email, sid)


def _nbgrader(submitted: Path) -> Iterator[Entry]:
    for student in sorted(p for p in submitted.iterdir() if p.is_dir()):
        for assignment in sorted(p for p in student.iterdir() if p.is_dir()):
            yield Entry(_slug(f"{student.name}-{assignment.name}"), student.name, assignment,
                        (Person(student.name, sid=student.name),))


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
    return {"key": entry.key, "identity": entry.identity, "people": entry.people,
            "document": document}


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
    class_report.write(out, [row["document"] for row in rows])
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
    writer.writerow(["id", "name", "email", "sid", *(i.test for i in ITEMS), "total",
                     "grading_errors"])
    for row in rows:
        tests = row["document"]["tests"]
        errors = [t["name"] for t in tests if results.is_grader_error(t)]
        # One row per student, as Gradescope's own exports: a group's members share scores.
        for person in row["people"] or (Person(row["identity"]),):
            writer.writerow([row["key"], person.name, person.email, person.sid,
                             *(t["score"] for t in tests), row["document"]["score"],
                             "; ".join(errors)])
    write_atomic(path, buffer.getvalue())
