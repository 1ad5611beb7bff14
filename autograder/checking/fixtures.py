"""The fixtures every assignment's hidden tests may ask for (a pytest plugin of the runner).

The runner puts a `Grading` into the pytest config's stash before the session starts;
the tests see the student's code only through `student` (calls into the isolated worker)
and `source` (the parsed definitions, for syntax checks). An assignment's own
hidden/conftest.py adds its fixtures on top of these.
"""

from __future__ import annotations

import types

import pytest

from autograder.checking.calls import Student
from autograder.checking.reference import load_reference
from autograder.checking.runner import GRADING
from autograder.intake.extraction import Extraction
from autograder.spec import Assignment


@pytest.fixture(scope="session")
def student(request: pytest.FixtureRequest) -> Student:
    return request.config.stash[GRADING].student


@pytest.fixture(scope="session")
def source(request: pytest.FixtureRequest) -> Extraction:
    return request.config.stash[GRADING].extraction


@pytest.fixture(scope="session")
def assignment(request: pytest.FixtureRequest) -> Assignment:
    return request.config.stash[GRADING].assignment


@pytest.fixture(scope="session")
def ref(assignment: Assignment) -> types.ModuleType:
    """The reference's definitions, loaded in this trusted process."""
    return load_reference(assignment)
