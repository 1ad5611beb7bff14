"""Exceptions shared across the autograder."""

from __future__ import annotations


class GraderError(Exception):
    """The grader itself failed (setup, isolation, a bug): not the student's fault."""


class SubmissionError(Exception):
    """The submission cannot be graded as handed in (no notebook, not a notebook, ...).

    Its message is shown to the student as is: say what was found and what to do.
    """


class WorkerLost(GraderError):
    """The worker was killed twice by a signal nobody in the grader sent (the OOM killer,
    another process): the tests it took away are the grader's failure, to be regraded."""
