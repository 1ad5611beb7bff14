"""Fixtures of the hidden tests: the student's worker, the reference, the source.

The engine puts a `Grading` into the pytest config's stash before the session
starts; the tests see the student's code only through `student` (calls into the
isolated worker) and `source` (the parsed definitions, for syntax checks).
"""

from __future__ import annotations

import types

import pytest

from assignments.linear_classifiers.hidden.cases import LossAnswers
from autograder.checking.calls import Student
from autograder.checking.reference import load_reference
from autograder.checking.runner import GRADING
from autograder.intake.extraction import Extraction


@pytest.fixture(scope="session")
def student(request: pytest.FixtureRequest) -> Student:
    return request.config.stash[GRADING].student


@pytest.fixture(scope="session")
def source(request: pytest.FixtureRequest) -> Extraction:
    return request.config.stash[GRADING].extraction


@pytest.fixture(scope="session")
def ref() -> types.ModuleType:
    return load_reference()


@pytest.fixture(scope="session")
def answers(student: Student) -> LossAnswers:
    return LossAnswers(student)
