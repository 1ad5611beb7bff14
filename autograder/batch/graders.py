"""A Dask worker's grading processes: `python -m autograder.batch.graders`, kept warm.

A Dask worker runs tasks in threads, which must not share one pytest, and is a daemonic
process, which multiprocessing forbids to have children; so each task borrows one of these
plain subprocesses, which keep the grader's imports warm from one grade to the next as the
local pool's processes do. One job at a time: a pickled `Job` in on stdin, results.json's
content out as one line of JSON on the process's original stdout (its own fd 1 is
stderr, so nothing printed can corrupt the reply). A grader whose Dask worker died gets
end-of-file, or a broken pipe for the grade it was finishing, and exits.
"""

from __future__ import annotations

import json
import os
import pickle
import queue
import select
import subprocess
import sys
from typing import IO, Any

from autograder import BLAS_THREADS, paths, spec
from autograder.batch.discovery import Entry
from autograder.batch.jobs import Job, fingerprint, grade_here, pack
from autograder.errors import GraderError
from autograder.report import results

# A whole grade, as Gradescope's default timeout: each call to the student's code has its
# own limit (sandbox/limits.py), so only a grader bug gets here.
GRADE_TIMEOUT = 600.0

_idle: queue.SimpleQueue[Grader] = queue.SimpleQueue()


class Grader:
    """One warm grading process, used by one task at a time."""

    def __init__(self) -> None:
        env = {**os.environ, **dict.fromkeys(BLAS_THREADS, "1")}   # before its numpy loads
        self.process = subprocess.Popen([sys.executable, "-m", __name__], cwd=paths.KIT,
                                        env=env, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE)

    def grade(self, job: Job) -> dict[str, Any]:
        stdin, stdout = self.process.stdin, self.process.stdout
        try:
            pickle.dump(job, stdin)
            stdin.flush()
        except OSError:
            raise GraderError("a grading process died before its grade") from None
        ready, _, _ = select.select([stdout], [], [], GRADE_TIMEOUT)
        line = stdout.readline() if ready else b""
        if not line:
            self.process.kill()
            self.process.wait()
            raise GraderError(f"a grading process died or hung grading {job.key}")
        return json.loads(line)


def grade(job: Job) -> dict[str, Any]:
    """The Dask task: grade `job` in an idle grading process of this machine, started if
    none is idle; one that failed is not reused."""
    if job.grader != fingerprint(job.assignment):
        raise GraderError("this machine runs another version of the grader than the client")
    grader = _idle_or_new()
    document = grader.grade(job)
    _idle.put(grader)
    return document


def _idle_or_new() -> Grader:
    """An idle grading process still alive (one may have died idle: the OOM killer), or a
    new one."""
    while True:
        try:
            grader = _idle.get_nowait()
        except queue.Empty:
            return Grader()
        if grader.process.poll() is None:
            return grader


def check(assignment: str, strict: bool) -> str:
    """A Dask worker's preflight, before the batch: grade the assignment's reference as
    every job will be graded here (grading process, sandbox, users, --strict). Returns this
    machine's grader fingerprint once the reference scores full marks."""
    chosen = spec.load(assignment)
    reference = chosen.reference
    document = grade(pack(Entry("reference", reference.name, reference), assignment, strict))
    failed = [t["name"] for t in document["tests"] if results.is_grader_error(t)]
    if document["score"] != chosen.total or failed:
        raise GraderError(f"this machine grades the reference {document['score']:g} / "
                          f"{chosen.total:g}: {document['output'][:300]}")
    return fingerprint(assignment)


def serve(requests: IO[bytes], replies: IO[bytes]) -> None:
    """The grading process's loop, until its Dask worker closes the pipe."""
    while True:
        try:
            job = pickle.load(requests)
        except EOFError:
            return
        replies.write(json.dumps(grade_here(job)).encode() + b"\n")
        replies.flush()


if __name__ == "__main__":
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)   # whatever the grader prints goes to the Dask worker's log
    serve(sys.stdin.buffer, replies)
