"""Which submissions a batch holds: a Gradescope export, an nbgrader tree or a folder.

Each becomes an `Entry`: a folder-safe key, who handed it in, and the path to grade.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.errors import SubmissionError


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


def unzip(archive: Path, scratch: Path) -> Path:
    with zipfile.ZipFile(archive) as zf:
        for member in zf.infolist():
            target = (scratch / member.filename).resolve()
            if not target.is_relative_to(scratch.resolve()):
                raise SubmissionError(f"{archive.name}: unsafe path {member.filename!r}")
        zf.extractall(scratch)
    tops = [p for p in scratch.iterdir() if not p.name.startswith(("__MACOSX", "."))]
    return tops[0] if len(tops) == 1 and tops[0].is_dir() else scratch
