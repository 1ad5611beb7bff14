"""Grade a whole class: a Gradescope export, an nbgrader tree or a folder of notebooks.

Each submission becomes a `Job` (jobs.py), graded by a local pool of processes or, with
a scheduler's address, by the workers of a Dask cluster (cluster.py); each grade has its
own isolated worker and time limits, so one broken or hostile submission costs only its
own time. As each grade comes back, this process alone files it (store.py). Writes, under
the output folder:
    gradebook.csv                 one row per student (name, email, SID, as Gradescope's own
                                  exports): per-test scores, total
    <id>/results.json, <id>/feedback.txt
    summary.txt, class_report.*   the scores, pass rates and known mistakes (class_report.py)
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import multiprocessing
import sys
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder import spec
from autograder.batch import class_report, store
from autograder.batch.discovery import Entry, entries, unzip
from autograder.batch.gradebook import write_gradebook
from autograder.batch.jobs import Job, grade_here, pack
from autograder.errors import SubmissionError
from autograder.grade import failed
from autograder.spec import Assignment

Submit = Callable[[Job], Future]


@dataclass(frozen=True)
class Executor:
    submit: Submit
    window: int     # jobs in flight at once: each holds its notebooks in memory


@dataclass(frozen=True)
class Batch:
    out: Path
    assignment: Assignment
    strict: bool
    progress: bool


def grade_all(source: Path, out: Path, jobs: int = 2, progress: bool = True,
              strict: bool = False, assignment: str | None = None, *,
              scheduler: str | None = None, regrade: bool = False) -> list[dict[str, Any]]:
    """Grade every submission under `source` (a folder or a zip); write the outputs.
    Submissions graded by an earlier run into `out` are kept unless `regrade`."""
    batch = Batch(out, spec.load(assignment or spec.default_name()), strict, progress)
    with contextlib.ExitStack() as stack:
        # The executor first: an unreachable scheduler stops us before any work.
        executor = stack.enter_context(_executor(jobs, scheduler, batch))
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="batch-")))
        todo = _discover(source, scratch)
        out.mkdir(parents=True, exist_ok=True)
        documents = {} if regrade else _kept(out, todo)
        documents |= _grade([e for e in todo if e.key not in documents], executor, batch)
    rows = [store.row(entry, documents[entry.key]) for entry in todo]
    write_gradebook(out / "gradebook.csv", rows, batch.assignment)
    class_report.write(out, [row["document"] for row in rows], batch.assignment.labels)
    return rows


def _executor(jobs: int, scheduler: str | None, batch: Batch
              ) -> contextlib.AbstractContextManager[Executor]:
    if scheduler is None:
        return _local(jobs)
    from autograder.batch import cluster  # dask is a TA's extra: imported only here

    return cluster.connect(scheduler, batch.assignment.name, batch.strict)


@contextlib.contextmanager
def _local(jobs: int) -> Iterator[Executor]:
    # fork: each process keeps the grader's imports warm from one grade to the next.
    fork = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=fork) as pool:
        yield Executor(functools.partial(pool.submit, grade_here), 2 * jobs)


def _discover(source: Path, scratch: Path) -> list[Entry]:
    if source.is_file():
        source = unzip(source, scratch)
    todo = entries(source)
    if not todo:
        raise SubmissionError(f"No submissions found in {source}.")
    return todo


def _kept(out: Path, todo: list[Entry]) -> dict[str, dict[str, Any]]:
    kept = {e.key: document for e in todo if (document := store.graded(out, e)) is not None}
    if kept:
        print(f"{len(kept)} of {len(todo)} submissions already graded in {out}: kept "
              "(--regrade grades them again)", file=sys.stderr)
    return kept


def _grade(todo: list[Entry], executor: Executor, batch: Batch) -> dict[str, dict[str, Any]]:
    from tqdm import tqdm

    documents = {}
    with tqdm(total=len(todo), unit="submission", disable=not (batch.progress and todo)) as bar:
        for entry, future in _stream(todo, executor, batch):
            documents[entry.key] = _document(entry, future, batch.assignment)
            store.save(batch.out, entry, documents[entry.key])
            bar.update()
    return documents


def _stream(todo: list[Entry], executor: Executor, batch: Batch
            ) -> Iterator[tuple[Entry, Future]]:
    """Each entry with its finished future, as they finish, at most `window` in flight."""
    waiting, running = iter(todo), {}
    while True:
        for entry in itertools.islice(waiting, executor.window - len(running)):
            job = pack(entry, batch.assignment.name, batch.strict)
            running[executor.submit(job)] = entry
        if not running:
            return
        done, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in done:
            yield running.pop(future), future


def _document(entry: Entry, future: Future, assignment: Assignment) -> dict[str, Any]:
    """The grade's results; a grade the batch lost (its process or machine died) is the
    grader's failure, never the student's, and is graded again by the next run."""
    try:
        return future.result()
    except Exception as problem:  # noqa: BLE001 - whatever it was, the batch goes on
        print(f"grader error: {entry.key}: {type(problem).__name__}: {problem}",
              file=sys.stderr)
        return failed(assignment, f"{type(problem).__name__} while grading")
