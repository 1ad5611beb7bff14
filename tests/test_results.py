"""results.json follows Gradescope's spec, whatever was submitted."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from assignments.linear_classifiers import ASSIGNMENT
from assignments.linear_classifiers.rubric import ITEMS
from autograder.grade import grade
from autograder.report import results
from autograder.report.results import Outcome

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((Path(__file__).parent / "gradescope_results.schema.json").read_text())


def outcomes(passed: bool) -> dict[str, Outcome]:
    return {item.test: Outcome(passed, "msg", False, 0.1) for item in ITEMS}


@pytest.mark.parametrize("passed", [True, False])
def test_built_documents_validate(passed: bool) -> None:
    document = results.build(ASSIGNMENT, outcomes(passed), summary="s", seconds=1.5)
    jsonschema.validate(document, SCHEMA)
    assert document["score"] == (100 if passed else 0)
    assert [t["number"] for t in document["tests"]] == [str(i) for i in range(1, len(ITEMS) + 1)]


def test_missing_outcome_is_a_failed_test_not_a_missing_one() -> None:
    document = results.build(ASSIGNMENT, {}, summary="", seconds=0.0)
    assert len(document["tests"]) == len(ITEMS)
    assert all(t["status"] == "failed" and "grader failed" in t["output"]
               for t in document["tests"])


def test_hidden_visibility_is_not_the_default() -> None:
    document = results.build(ASSIGNMENT, outcomes(True), summary="", seconds=0.0)
    assert {t["visibility"] for t in document["tests"]} == {"visible"}
    assert document["stdout_visibility"] == "hidden"


@pytest.mark.parametrize("submission", ["solutions/linear_classifiers.ipynb",
                                        "assignment/linear_classifiers.ipynb", "README.md"])
def test_real_grades_validate_and_are_written(tmp_path: Path, submission: str) -> None:
    target = tmp_path / "results" / "results.json"
    document = grade(ROOT / submission, target)
    jsonschema.validate(document, SCHEMA)
    assert json.loads(target.read_text()) == document
    assert [p.name for p in target.parent.iterdir()] == ["results.json"]  # no temp file left


def test_table_lists_every_test_and_the_total() -> None:
    text = results.table(results.build(ASSIGNMENT, outcomes(True), summary="", seconds=0.0))
    assert text.count("ok  ") == len(ITEMS) and text.rstrip().endswith("100 / 100  total")


def test_grader_error_is_machine_readable_per_test() -> None:
    mixed = outcomes(True)
    first = ITEMS[0].test
    mixed[first] = Outcome(False, "x", True, 0.0)
    tests = results.build(ASSIGNMENT, mixed, summary="", seconds=0.0)["tests"]
    assert [t["extra_data"]["grader_error"] for t in tests[:2]] == [True, False]
    assert [results.is_grader_error(t) for t in tests[:2]] == [True, False]
