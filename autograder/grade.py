"""Grade one submission: the stages in order, and always a results.json at the end.

submission -> extraction -> isolated worker -> hidden tests -> results. The
results file is written last, after every process of the worker is dead, so
nothing the student's code started can touch it afterwards.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assignments.linear_classifiers.hidden import HIDDEN
from assignments.linear_classifiers.rubric import ITEMS
from autograder import paths
from autograder.checking.calls import Student
from autograder.errors import GraderError, SubmissionError
from autograder.intake.extraction import extract, worker_source
from autograder.intake.submission import locate
from autograder.report import results
from autograder.report.results import REGRADED, Outcome
from autograder.sandbox import limits
from autograder.sandbox.client import Ready, Sandbox
from autograder.sandbox.isolation import DEFAULT_USER

# What the worker's user must not be able to read: the tests, the reference, this code.
PROTECTED = (HIDDEN, paths.KIT / "solutions", paths.ENGINE)


@dataclass
class Options:
    call_timeout: float = limits.CALL_TIMEOUT
    load_timeout: float = limits.LOAD_TIMEOUT
    protected: tuple[Path, ...] = PROTECTED
    extra_protected: list[Path] = field(default_factory=list)
    python: str | None = None
    # One uid per concurrently graded submission: processes of one uid may signal and
    # trace each other, so two submissions must never share one (see batch.py).
    user_name: str = DEFAULT_USER
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
    start = time.perf_counter()
    try:
        outcomes, notes = _grade(submission, options)
    except SubmissionError as problem:
        outcomes, notes = _all_failed(str(problem), grader_error=False), [str(problem)]
    except GraderError as problem:
        print(f"grader error: {problem}", file=sys.stderr)
        outcomes, notes = _grader_failed(str(problem)), []
    except Exception as problem:  # noqa: BLE001 - a grader bug: still a results.json
        traceback.print_exc(file=sys.stderr)
        outcomes, notes = _grader_failed(f"{type(problem).__name__} in the grader"), []
    document = results.build(outcomes, summary=_summary(outcomes, notes),
                             seconds=time.perf_counter() - start)
    if results_path is not None:
        results.write(results_path, document)
    return document


def _grade(submission: Path, options: Options) -> tuple[dict[str, Outcome], list[str]]:
    with tempfile.TemporaryDirectory(prefix="grade-") as scratch:
        found = locate(submission, Path(scratch))
        extraction = extract(found.notebook)
        # Not the results folder: it may be shared (/tmp), and results.json is written
        # only after every process of the worker is dead.
        protected = [*options.protected, *options.extra_protected]
        _restrict(protected)
        with Sandbox(worker_source(extraction),
                     probes=paths.ASSIGNMENTS / "linear_classifiers" / "probes.py",
                     call_timeout=options.call_timeout,
                     load_timeout=options.load_timeout,
                     protected=protected, python=options.python,
                     user_name=options.user_name, strict=options.strict,
                     writable=options.writable, confined=options.confined) as sandbox:
            sandbox.launch()
            # Imported only now: pytest's import and start (~0.2 s) overlap the worker's
            # start on the second core; the first call waits until the submission is loaded.
            from autograder.checking.runner import Grading, run_hidden_tests

            outcomes = run_hidden_tests(Grading(Student(sandbox), extraction))
            load_notes = _load_notes(sandbox.start())
            _log_isolation(sandbox)
    return outcomes, [*found.notes, *extraction.notes, *load_notes]


def _load_notes(ready: Ready) -> list[str]:
    """What went wrong while the student's definitions were loaded, in their words."""
    if ready.error is not None:
        return [f"Loading your notebook's definitions failed: {ready.error.type}: "
                f"{ready.error.message}"[:500]]
    return [f"While loading your notebook's definitions, {f}" for f in ready.failures]


def _restrict(paths: list[Path]) -> None:
    """As root, close the grader's folders to other users, so to the worker's user.

    A folder without the others' read and search bits hides everything below it.
    Without root the worker runs as our own user and `Sandbox` warns instead.
    """
    if os.geteuid() != 0:
        return
    for path in paths:
        if path.is_dir():
            path.chmod(path.stat().st_mode & ~0o077)


def _log_isolation(sandbox: Sandbox) -> None:
    """For the TA running the grader: which layers held, and what did not."""
    print(f"isolation: {', '.join(sandbox.layers) or 'none'}", file=sys.stderr)
    for warning in sandbox.warnings:
        print(f"isolation warning: {warning}", file=sys.stderr)


def _grader_failed(problem: str) -> dict[str, Outcome]:
    """Every test the grader's failure, told as such (the details go to the TA's log)."""
    return _all_failed(f"The grader failed ({problem}): {REGRADED}.", grader_error=True)


def _all_failed(message: str, *, grader_error: bool) -> dict[str, Outcome]:
    return {item.test: Outcome(False, message, grader_error, 0.0) for item in ITEMS}


def _summary(outcomes: dict[str, Outcome], notes: list[str]) -> str:
    passed = sum(o.passed for o in outcomes.values())
    lines = [f"{passed} of {len(outcomes)} tests passed.", *notes]
    if any(o.grader_error for o in outcomes.values()):
        lines.append("Some tests could not run because the grader failed; the course staff "
                     "will regrade them.")
    return "\n".join(lines)
