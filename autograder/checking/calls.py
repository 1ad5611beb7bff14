"""The hidden tests' handle on the student's code: calls that succeed or explain.

`Student.call` returns the decoded value of a successful call. Any other outcome
raises `CodeFailed`, an AssertionError whose message names the function and says
what happened in words a student can act on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from autograder.checking.feedback import Mismatch
from autograder.errors import WorkerLost
from autograder.sandbox.client import Reply, Sandbox


class CodeFailed(Mismatch):
    """The student's code raised, hung, crashed or was missing."""

    rank = 1   # tells more than a plain difference, less than a named mistake


class Student:
    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox
        # A function that hung once is not called again: one infinite loop must not
        # cost its timeout once per test and stall a whole batch.
        self._hung: set[str] = set()
        # Why a name may be missing (its cell was skipped: a syntax error): set by the runner.
        self.why_missing: Callable[[str], str | None] = lambda name: None

    def call(self, function: str, *args: Any, timeout: float | None = None) -> Any:
        """Call a top-level function of the submission."""
        return self.probe("call", function, *args, label=function, timeout=timeout)

    def probe(self, probe: str, *args: Any, label: str, timeout: float | None = None,
              **kwargs: Any) -> Any:
        """Run a probe (autograder/worker/probes.py or the assignment's probes.py) against the submission."""
        return self._reply(probe, args, kwargs, label, timeout).value

    def timed(self, probe: str, *args: Any, label: str, **kwargs: Any) -> tuple[float, Any]:
        """(wall time of one probe call as the grader measures it in seconds, its value)."""
        reply = self._reply(probe, args, kwargs, label, None)
        return reply.elapsed, reply.value

    def _reply(self, probe: str, args: tuple, kwargs: dict, label: str,
               timeout: float | None) -> Reply:
        if label in self._hung:
            raise CodeFailed(f"{label} did not finish in an earlier test, so it was not "
                             "called again: is there an infinite loop?")
        reply = self._sandbox.call(probe, *args, timeout=timeout, **kwargs)
        if reply.status == "timeout":
            self._hung.add(label)
        if reply.status == "lost":  # not a Mismatch: the runner marks it the grader's failure
            raise WorkerLost(f"the process running {label} was killed twice by a signal the "
                             f"grader did not send ({reply.error_message})")
        if reply.status != "ok":
            skipped = self.why_missing(label)
            raise CodeFailed(explain(label, reply, timeout or self._sandbox.call_timeout,
                                     skipped), _named(reply, skipped))
        return reply


def _named(reply: Reply, skipped: str | None) -> tuple[str, ...]:
    """The known mistake a failed call shows, if any (ids of mistakes.LABELS)."""
    if reply.error_type == "NotImplementedError":
        return ("unfinished",)
    if reply.error_type == "MissingFunction" and skipped:
        return ("syntax_error",)
    if _python2(reply):
        return ("python2",)
    return ()


def _python2(reply: Reply) -> bool:
    """A NameError for xrange: code written for Python 2."""
    return reply.error_type == "NameError" and "xrange" in (reply.error_message or "")


def explain(label: str, reply: Reply, limit: float, skipped: str | None = None) -> str:
    """One paragraph on why a call failed, naming the student's function; `skipped`: the
    note of the cell that seems to define it, if that cell was not loaded."""
    if reply.status == "error":
        return _raised(label, reply, skipped)
    if reply.status == "timeout":
        # The limit, not the measured time: the same submission gets the same words.
        return f"{label} did not finish within {limit:g} s: is there an infinite loop?"
    if reply.status == "crashed":
        return (f"The process running {label} died ({reply.error_message}): "
                "did it exhaust memory, call sys.exit or os._exit?")
    return f"{label} returned something the grader could not read ({reply.error_message})"


def _raised(label: str, reply: Reply, skipped: str | None) -> str:
    if reply.error_type == "NotImplementedError":
        return (f"{label} looks unfinished: it is not implemented yet (it raised "
                "NotImplementedError)")
    if reply.error_type == "MissingFunction" and skipped:
        return f"{label} could not be loaded. {skipped}; fix that line and {label} is graded"
    if reply.error_type == "MissingFunction":
        return f"Your notebook does not define {label}: {reply.error_message}"
    where = f"\n{reply.traceback.strip()}" if reply.traceback else ""
    python2 = " (xrange is Python 2: use range)" if _python2(reply) else ""
    return f"{label} raised {reply.error_type}: {reply.error_message}{python2}{where}"
