"""Two helper processes ("lanes") that grade the jobs in order; results by job key.

A lane is a one-process pool forked from pytest. The main lane grades most jobs; the
slow lane, at low priority, the hostile cases that are long by design; jobs of lane
"first" (they exhaust the sandbox user's process limit) run alone before it starts.
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
import time
import warnings
from concurrent import futures
from pathlib import Path
from typing import Any

import pytest

from autograder.grade import Options, grade
from tests import notebooks
from tests.engine.jobs import JOB_OF, JOBS, Job
from tests.engine.observe import alive, code, pids, read_json, size
from tests.engine.submissions import build

LINGER = 1.0         # seconds to watch for a process that survived grading
WAIT = 600.0         # the longest a test waits for its grade


def _warm_up(nice: int = 0) -> None:
    """Start one sandbox, so that the lane's first grade pays no cold start.

    Another sandbox of the same uid starting meanwhile may sweep this one away (a grader
    error): retried here, once per lane.
    """
    from autograder.errors import GraderError
    from autograder.sandbox.client import Sandbox

    os.nice(nice)   # the slow lane: its workers spin or wait, the main lane's time things
    for attempt in range(5):
        try:
            with Sandbox("x = 1\n") as sandbox:
                sandbox.start()
            return
        except GraderError:
            time.sleep(0.2 * (attempt + 1))


def _run(job: Job, scratch: str) -> dict[str, Any]:
    """Grade a job in this lane process; what the tests need to know about it."""
    warnings.simplefilter("ignore")   # the grader's own RuntimeWarnings: not the tests'
    work = Path(tempfile.mkdtemp(prefix=f"{job.key}-", dir=scratch))
    work.chmod(0o755)
    if job.submission == "speed_margin":
        return {"ratios": _speed_ratios()}
    results = work / "results" / "results.json"
    shared = work / "shared"
    for folder in (results.parent, shared):   # writable by the worker, if nobody closes them
        folder.mkdir()
        folder.chmod(0o1777)
    submission = build(job, work, results, shared)
    # The witness folder stays writable: the cases leave their pids and heartbeats there.
    options = Options(call_timeout=job.call_timeout or Options.call_timeout,
                      writable=(shared,))
    lingers = any(case.lingers for case in job.cases)
    start = time.perf_counter()
    document = grade(submission, results, options)
    seconds = time.perf_counter() - start
    beat = size(shared / "heartbeat")
    if lingers:
        time.sleep(LINGER)
    return {
        "document": document, "seconds": seconds,
        "results_file": read_json(results),
        "heartbeat": (beat, size(shared / "heartbeat")),
        "started": pids(shared / "pids"),
        "alive": alive(shared / "pids"),
        "code": code(submission),
    }


def _speed_ratios(rounds: int = 5) -> list[float]:
    """loop / vectorized time of the reference's SVM loss, measured as check_faster does."""
    from assignments.linear_classifiers.hidden.speed import measure
    from autograder.checking.calls import Student
    from autograder.checking.reference import load_reference
    from autograder.intake.extraction import extract, read_notebook, worker_source
    from autograder.sandbox.client import Sandbox

    ref = load_reference()
    source = worker_source(extract(read_notebook(notebooks.REFERENCE)))
    with Sandbox(source) as sandbox:
        student = Student(sandbox)
        return [measure(student, ref, "svm_loss_vectorized").ratio for _ in range(rounds)]


class Lanes:
    """Two helper processes grading jobs in order; results by job key."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = str(scratch)
        self.pending: dict[str, futures.Future] = {}
        self.lanes: dict[str, futures.ProcessPoolExecutor] = {}

    def start(self, wanted: list[str]) -> None:
        context = multiprocessing.get_context("fork")
        self.lanes["main"] = futures.ProcessPoolExecutor(1, mp_context=context)
        self.lanes["main"].submit(_warm_up)
        for key in wanted:      # alone on the machine (as far as these tests go)
            if JOBS[key].lane == "first":
                self.submit(key).result(timeout=WAIT)
        self.lanes["slow"] = futures.ProcessPoolExecutor(1, mp_context=context)
        self.lanes["slow"].submit(_warm_up, 19)
        order = [k for k in wanted if JOBS[k].lane == "slow"] + [
            k for k in wanted if JOBS[k].lane == "main"]
        for key in order:
            self.submit(key)

    def submit(self, key: str) -> futures.Future:
        if key not in self.pending:
            job = JOBS[key]
            lane = self.lanes["slow" if job.lane == "slow" and "slow" in self.lanes else "main"]
            self.pending[key] = lane.submit(_run, job, self.scratch)
        return self.pending[key]

    def __call__(self, key: str) -> dict[str, Any]:
        return self.submit(key).result(timeout=WAIT)

    def close(self) -> None:
        for lane in self.lanes.values():
            lane.shutdown(wait=True, cancel_futures=True)


def wanted(session: pytest.Session, fixture: str) -> list[str]:
    """The jobs of the selected tests that use `fixture`, in the order the tests run: a
    test's job is its case's, its special submission's, or those its `jobs` mark names."""
    keys: list[str] = []
    for item in session.items:
        if fixture not in getattr(item, "fixturenames", ()):
            continue
        params = getattr(item, "callspec", None)
        params = params.params if params else {}
        key = (JOB_OF[params["case"].id] if "case" in params
               else f"submission-{params['submission']}" if "submission" in params
               else getattr(item.function, "job", None))
        for one in (key,) if isinstance(key, str) else key or ():
            if one not in keys:
                keys.append(one)
    return keys
