"""autograder/errors.py: the grader's failures kept apart from the submission's."""

from __future__ import annotations

from pathlib import Path

from autograder.errors import GraderError, SubmissionError, WorkerLost
from autograder.grade import grade


def test_a_lost_worker_is_the_graders_failure() -> None:
    """grade() reports a GraderError as the grader's failure (regraded), never the student's."""
    assert issubclass(WorkerLost, GraderError)


def test_a_bad_submission_is_not_the_graders_failure_nor_the_other_way() -> None:
    assert not issubclass(SubmissionError, GraderError)
    assert not issubclass(GraderError, SubmissionError)
    assert not issubclass(WorkerLost, SubmissionError)


def test_messages_are_kept_as_written() -> None:
    for error in (GraderError, SubmissionError, WorkerLost):
        assert str(error("what was found; what to do")) == "what was found; what to do"


def test_a_submission_error_reaches_the_student_as_is(tmp_path: Path) -> None:
    """Nothing at the path: SubmissionError's message in every test, no grader failure."""
    document = grade(tmp_path / "nothing.ipynb", tmp_path / "results.json")
    message = f"Nothing was submitted at {tmp_path / 'nothing.ipynb'}."
    assert document["score"] == 0
    assert all(test["output"] == message for test in document["tests"])
    assert message in document["output"]
    assert "grader failed" not in document["output"]
