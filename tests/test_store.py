"""batch/store.py: each submission's files, and which earlier grades a second run keeps."""

from __future__ import annotations

import json
from pathlib import Path

from assignments.linear_classifiers import ASSIGNMENT
from autograder.batch import store
from autograder.batch.discovery import Entry, Person
from autograder.grade import failed
from autograder.report import results
from autograder.report.results import Outcome

ENTRY = Entry("submission_7", "Ada Lovelace 001", Path("/nowhere"), (Person("Ada Lovelace"),))


def document(passed: bool = True) -> dict:
    outcomes = {item.test: Outcome(passed, "" if passed else "wrong", False, 0.0)
                for item in ASSIGNMENT.items}
    return results.build(ASSIGNMENT, outcomes, summary="", seconds=1.0)


def test_save_writes_results_and_feedback(tmp_path: Path) -> None:
    store.save(tmp_path, ENTRY, document(passed=False))
    folder = tmp_path / "submission_7"
    assert json.loads((folder / "results.json").read_text()) == document(passed=False)
    feedback = (folder / "feedback.txt").read_text()
    assert feedback.startswith("Ada Lovelace 001: 0 / 100")
    assert feedback.count("\nwrong") == len(ASSIGNMENT.items)
    assert sorted(p.name for p in folder.iterdir()) == ["feedback.txt", "results.json"]


def test_a_whole_earlier_grade_is_kept(tmp_path: Path) -> None:
    store.save(tmp_path, ENTRY, document())
    assert store.graded(tmp_path, ENTRY) == document()


def test_missing_corrupt_or_grader_failed_results_are_graded_again(tmp_path: Path) -> None:
    assert store.graded(tmp_path, ENTRY) is None
    path = tmp_path / "submission_7" / "results.json"
    path.parent.mkdir()
    for text in ("{half", "[]", '{"tests": []}', '{"tests": 3}'):
        path.write_text(text)
        assert store.graded(tmp_path, ENTRY) is None, text
    store.save(tmp_path, ENTRY, failed(ASSIGNMENT, "a Dask worker died"))
    assert store.graded(tmp_path, ENTRY) is None


def test_row_is_what_the_gradebook_reads() -> None:
    row = store.row(ENTRY, document())
    assert (row["key"], row["identity"], row["people"]) == (
        "submission_7", "Ada Lovelace 001", (Person("Ada Lovelace"),))
    assert row["document"]["score"] == 100
