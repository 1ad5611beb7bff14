"""Run the hidden pytest cases in this (trusted) process and collect one outcome per test.

Only the `Mismatch` raised by the checks becomes student feedback; any other
exception inside a test is the grader's own failure and is reported as such,
never with its traceback (which could show hidden inputs or reference code).
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import traceback
from dataclasses import dataclass

import pytest

from autograder.checking.calls import Student
from autograder.checking.feedback import Mismatch
from autograder.intake.extraction import Extraction
from autograder.report.results import REGRADED, Outcome
from autograder.spec import Assignment

_AUTOLOAD = "PYTEST_DISABLE_PLUGIN_AUTOLOAD"


@dataclass(frozen=True)
class Grading:
    """What the hidden tests' fixtures hand out (see fixtures.py)."""

    student: Student
    extraction: Extraction
    assignment: Assignment


GRADING = pytest.StashKey[Grading]()


class _Collector:
    """A pytest plugin: hands `Grading` to the fixtures, keeps each test's outcome."""

    def __init__(self, grading: Grading) -> None:
        self.grading = grading
        self.outcomes: dict[str, Outcome] = {}

    def pytest_configure(self, config: pytest.Config) -> None:
        config.stash[GRADING] = self.grading

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        report = (yield).get_result()
        if report.when == "call" or report.failed:
            self.outcomes[item.name] = _outcome(item, call, report.duration)


def _outcome(item: pytest.Item, call: pytest.CallInfo, seconds: float) -> Outcome:
    checked = (getattr(item, "obj", None).__doc__ or "").strip()
    if call.excinfo is None:
        return Outcome(True, f"Passed. {checked}".strip(), False, seconds)
    error = call.excinfo.value
    if isinstance(error, Mismatch):
        return Outcome(False, str(error), False, seconds, error.mistakes)
    print(f"grader error in {item.name}:", "".join(traceback.format_exception(
        type(error), error, error.__traceback__)), file=sys.stderr)
    return Outcome(False, f"The grader failed on this test, {REGRADED} "
                   f"({type(error).__name__}).", True, seconds)


def run_hidden_tests(grading: Grading) -> dict[str, Outcome]:
    """Run every hidden test of the assignment once; returns {test function name: Outcome}."""
    from autograder.checking import fixtures

    tests = grading.assignment.hidden
    collector = _Collector(grading)
    grading.student.why_missing = grading.extraction.why_missing
    # The tests raise Mismatch, never bare asserts: no assertion rewriting (0.04 s of parsing).
    # The unraisable-exception plugin's gc.collect() calls cost 0.03 s; the grader's own
    # output needs no per-test capture (runner redirects stdout as a whole).
    args = [str(tests), "-q", "-o", "addopts=", "--rootdir", str(tests), "-W", "ignore",
            "--assert=plain", "--capture=no", "-p", "no:cacheprovider",
            "-p", "no:unraisableexception", "-p", "no:threadexception"]
    # Only our plugin: scanning every installed package for pytest plugins cost ~0.5 s a grade
    # here, and a plugin installed beside the grader has no business in grading.
    autoload = os.environ.get(_AUTOLOAD)
    os.environ[_AUTOLOAD] = "1"
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            pytest.main(args, plugins=[collector, fixtures])
    finally:
        if autoload is None:
            del os.environ[_AUTOLOAD]
        else:
            os.environ[_AUTOLOAD] = autoload
    return collector.outcomes
