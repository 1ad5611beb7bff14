"""Grade one submission: the stages in order, and always a results.json at the end.

submission -> extraction -> isolated worker -> hidden tests -> results. STAGES
declares the order; each stage reads and fills one `Run`. The results file is
written last, after every process of the worker is dead, so nothing the student's
code started can touch it afterwards.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autograder import paths, spec
from autograder.checking.calls import Student
from autograder.errors import GraderError, SubmissionError
from autograder.intake.extraction import Extraction, extract, worker_source
from autograder.intake.submission import Found, locate
from autograder.report import results
from autograder.report.results import REGRADED, Outcome
from autograder.sandbox import limits
from autograder.sandbox.client import Ready, Sandbox
from autograder.sandbox.isolation import lease_user
from autograder.spec import Assignment


@dataclass
class Options:
    call_timeout: float = limits.CALL_TIMEOUT
    load_timeout: float = limits.LOAD_TIMEOUT
    # None: assignments.DEFAULT.
    assignment: Assignment | None = None
    # Besides the assignment's folder, its reference and the engine (Run.protected).
    extra_protected: list[Path] = field(default_factory=list)
    python: str | None = None
    # The sandbox user, as root. None: the first one no other grade on this machine holds
    # (isolation/lease.py), since processes of one uid may signal and trace each other.
    user_name: str | None = None
    # Refuse (every test a grader failure) when an isolation layer is missing: see README.
    strict: bool = False
    # False only to measure what the worker's own confinement costs (bench/grading.py).
    confined: bool = True
    # Folders the worker may write besides its own (the tests' witness folder).
    writable: tuple[Path, ...] = ()


def grade(submission: Path, results_path: Path | None, options: Options | None = None
          ) -> dict[str, Any]:
    """Grade `submission` (notebook, folder or zip); write and return results.json's content."""
    options = options or Options()
    assignment = options.assignment or spec.load()
    start = time.perf_counter()
    try:
        outcomes, notes = _grade(submission, options, assignment)
    except SubmissionError as problem:
        outcomes = _all_failed(assignment, str(problem), grader_error=False)
        notes = [str(problem)]
    except GraderError as problem:
        print(f"grader error: {problem}", file=sys.stderr)
        outcomes, notes = _grader_failed(assignment, str(problem)), []
    except Exception as problem:  # noqa: BLE001 - a grader bug: still a results.json
        traceback.print_exc(file=sys.stderr)
        outcomes = _grader_failed(assignment, f"{type(problem).__name__} in the grader")
        notes = []
    document = results.build(assignment, outcomes, summary=_summary(outcomes, notes),
                             seconds=time.perf_counter() - start)
    if results_path is not None:
        results.write(results_path, document)
    return document


@dataclass
class Run:
    """One grade in progress: what each stage needs, filled in as the stages go."""

    submission: Path
    scratch: Path
    options: Options
    assignment: Assignment
    stack: contextlib.ExitStack
    found: Found | None = None
    extraction: Extraction | None = None
    sandbox: Sandbox | None = None
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def protected(self) -> list[Path]:
        """What the worker's user must not read: the tests, the reference, the engine.
        Not the results folder: it may be shared (/tmp), and results.json is written only
        after every process of the worker is dead."""
        return [self.assignment.folder, self.assignment.reference.parent, paths.ENGINE,
                *self.options.extra_protected]


def find_notebook(run: Run) -> None:
    run.found = locate(run.submission, run.scratch, run.assignment)
    run.notes += run.found.notes


def extract_definitions(run: Run) -> None:
    run.extraction = extract(run.found.notebook)
    run.notes += run.extraction.notes


def close_grader_folders(run: Run) -> None:
    """As root, close the grader's folders to other users, so to the worker's user.

    A folder without the others' read and search bits hides everything below it.
    Without root the worker runs as our own user and `Sandbox` warns instead.
    """
    if os.geteuid() != 0:
        return
    for path in run.protected:
        if path.is_dir():
            path.chmod(path.stat().st_mode & ~0o077)


def start_worker(run: Run) -> None:
    options = run.options
    # Entered before the sandbox, so released only once every process of it is dead.
    user_name = options.user_name or run.stack.enter_context(lease_user())
    run.sandbox = run.stack.enter_context(Sandbox(
        worker_source(run.extraction), call_timeout=options.call_timeout,
        load_timeout=options.load_timeout, protected=run.protected, python=options.python,
        user_name=user_name, strict=options.strict, writable=options.writable,
        confined=options.confined, probes=run.assignment.probes))
    run.sandbox.launch()


def run_hidden_tests(run: Run) -> None:
    # Imported only now: pytest's import and start (~0.2 s) overlap the worker's start on
    # the second core; the first call waits until the submission is loaded.
    from autograder.checking import runner

    grading = runner.Grading(Student(run.sandbox), run.extraction, run.assignment)
    run.outcomes = runner.run_hidden_tests(grading)


def report_load_failures(run: Run) -> None:
    run.notes += _load_notes(run.sandbox.start())


def log_isolation(run: Run) -> None:
    """For the TA running the grader: which layers held, and what did not."""
    print(f"isolation: {', '.join(run.sandbox.layers) or 'none'}", file=sys.stderr)
    for warning in run.sandbox.warnings:
        print(f"isolation warning: {warning}", file=sys.stderr)


STAGES = [
    # Which notebook of a zip or folder to grade; a SubmissionError here scores 0 with
    # the reason, before anything runs.
    find_notebook,
    # Only definitions leave the notebook (no experiments, no magics): parsed here, in the
    # grader, so a syntax error is reported per cell and never reaches the worker.
    extract_definitions,
    # Before the worker starts: its user must find the tests and the reference closed.
    close_grader_folders,
    # Before pytest is imported (run_hidden_tests), so the two start-ups overlap.
    start_worker,
    # Every test asks the worker through `Student`; the reference stays in this process.
    run_hidden_tests,
    # After the tests: the worker has long finished loading, so this never waits.
    report_load_failures,
    log_isolation,
]


def _grade(submission: Path, options: Options, assignment: Assignment
           ) -> tuple[dict[str, Outcome], list[str]]:
    with tempfile.TemporaryDirectory(prefix="grade-") as scratch, \
            contextlib.ExitStack() as stack:
        run = Run(submission, Path(scratch), options, assignment, stack)
        for stage in STAGES:
            stage(run)
    # Here the sandbox is closed: every process of the worker is dead.
    return run.outcomes, run.notes


def _load_notes(ready: Ready) -> list[str]:
    """What went wrong while the student's definitions were loaded, in their words."""
    if ready.error is not None:
        return [f"Loading your notebook's definitions failed: {ready.error.type}: "
                f"{ready.error.message}"[:500]]
    return [f"While loading your notebook's definitions, {f}" for f in ready.failures]


def failed(assignment: Assignment, problem: str) -> dict[str, Any]:
    """results.json's content for a grade the grader lost as a whole (a batch's worker
    machine died, say): every test the grader's failure, to be regraded."""
    outcomes = _grader_failed(assignment, problem)
    return results.build(assignment, outcomes, summary=_summary(outcomes, []), seconds=0.0)


def _grader_failed(assignment: Assignment, problem: str) -> dict[str, Outcome]:
    """Every test the grader's failure, told as such (the details go to the TA's log)."""
    return _all_failed(assignment, f"The grader failed ({problem}): {REGRADED}.",
                       grader_error=True)


def _all_failed(assignment: Assignment, message: str, *, grader_error: bool
                ) -> dict[str, Outcome]:
    return {item.test: Outcome(False, message, grader_error, 0.0) for item in assignment.items}


def _summary(outcomes: dict[str, Outcome], notes: list[str]) -> str:
    passed = sum(o.passed for o in outcomes.values())
    lines = [f"{passed} of {len(outcomes)} tests passed.", *notes]
    if any(o.grader_error for o in outcomes.values()):
        lines.append("Some tests could not run because the grader failed; the course staff "
                     "will regrade them.")
    return "\n".join(lines)
