"""Exceptions shared across the autograder."""

from __future__ import annotations


class GraderError(Exception):
    """The grader itself failed (setup, isolation, a bug): not the student's fault."""


class SubmissionError(Exception):
    """The submission cannot be graded as handed in (no notebook, not a notebook, ...).

    Its message is shown to the student as is: say what was found and what to do.
    """
