"""This assignment's own fixture; `student`, `source` and `ref` come from the engine
(autograder/checking/fixtures.py)."""

from __future__ import annotations

import pytest

from assignments.linear_classifiers.hidden.cases import LossAnswers
from autograder.checking.calls import Student


@pytest.fixture(scope="session")
def answers(student: Student) -> LossAnswers:
    return LossAnswers(student)
