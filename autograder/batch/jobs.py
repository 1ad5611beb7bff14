"""One submission's grade as a self-contained job: what a pool process or a Dask worker runs.

A `Job` carries the submission's notebooks themselves, not a path, so a worker on another
machine needs no shared file system; it returns results.json's content and writes nothing
the client reads. Only the notebooks travel: for a folder, `locate` grades nothing else.
"""

from __future__ import annotations

import functools
import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder import paths, spec
from autograder.batch.discovery import Entry
from autograder.errors import GraderError
from autograder.grade import Options, grade
from autograder.intake.submission import notebooks_in


@dataclass(frozen=True)
class Job:
    key: str                                # the entry's key: where the client files it
    name: str                               # the submitted file's or folder's name
    folder: bool                            # a folder (files below it) or a single file
    files: tuple[tuple[str, bytes], ...]    # (path relative to the folder, content)
    assignment: str                         # a folder of assignments/
    strict: bool
    grader: str                             # fingerprint() of the client's grader


def pack(entry: Entry, assignment: str, strict: bool) -> Job:
    """The job for `entry`; a missing or unreadable file is left out, and graded as such."""
    if entry.path.is_dir():
        found = [(p.relative_to(entry.path).as_posix(), p) for p in notebooks_in(entry.path)]
    else:
        found = [(entry.path.name, entry.path)] if entry.path.exists() else []
    files = tuple((relative, data) for relative, path in found
                  if (data := _read(path)) is not None)
    return Job(entry.key, entry.path.name, entry.path.is_dir(), files, assignment, strict,
               fingerprint(assignment))


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def unpack(job: Job, scratch: Path) -> Path:
    """Write the job's files under `scratch`; the path to grade, as it was submitted."""
    top = scratch / job.name
    base = top if job.folder else scratch
    base.mkdir(parents=True, exist_ok=True)
    for relative, data in job.files:
        target = (base / relative).resolve()
        if not target.is_relative_to(base.resolve()):
            raise GraderError(f"{job.key}: unsafe path {relative!r} in a job")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return top


def grade_here(job: Job) -> dict[str, Any]:
    """Grade in this process: a local pool's, or a Dask worker's grading process
    (graders.py); either keeps its imports warm from one grade to the next."""
    with tempfile.TemporaryDirectory(prefix="job-") as scratch:
        options = Options(strict=job.strict, assignment=spec.load(job.assignment))
        return grade(unpack(job, Path(scratch)), None, options)


@functools.cache
def fingerprint(assignment: str) -> str:
    """A digest of the engine's code, the assignment's folder (its tests), its reference and
    the kit files it imports: a client and its workers must grade with the same."""
    chosen = spec.load(assignment)
    files = [path for root in (paths.ENGINE, chosen.folder) for path in root.rglob("*")
             if path.is_file() and "__pycache__" not in path.parts]
    digest = hashlib.sha256()
    for path in sorted({*files, chosen.reference, *chosen.uses}):
        digest.update(path.relative_to(paths.KIT).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
