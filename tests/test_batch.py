"""Batch grading of a class: every input layout, a gradebook, one bad submission never stops it."""

from __future__ import annotations

import csv
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from assignments.linear_classifiers import ASSIGNMENT
from assignments.linear_classifiers.rubric import ITEMS
from autograder.batch.discovery import Person, entries
from autograder.batch.gradebook import write_gradebook
from autograder.batch.pool import grade_all
from autograder.report import results
from autograder.report.results import Outcome

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "solutions" / "linear_classifiers.ipynb"
BLANK = ROOT / "assignment" / "linear_classifiers.ipynb"
METADATA = """\
submission_1:
  :submitters:
  - :name: Ada Lovelace
    :sid: '001'
    :email: ada@example.edu
submission_2:
  :submitters:
  - :name: Alan Turing
    :sid: '002'
  - :name: Grace Hopper
    :sid: '003'
submission_3:
  :submitters: []
"""


def gradescope_export(folder: Path) -> Path:
    for key, notebook in [("submission_1", REFERENCE), ("submission_2", BLANK)]:
        (folder / key).mkdir(parents=True)
        shutil.copy(notebook, folder / key / "linear_classifiers (3).ipynb")
    (folder / "submission_3").mkdir()
    (folder / "submission_3" / "linear_classifiers.ipynb").write_text("{broken")
    (folder / "submission_metadata.yml").write_text(METADATA)
    return folder


def test_gradescope_export_identities(tmp_path: Path) -> None:
    found = entries(gradescope_export(tmp_path))
    assert [e.identity for e in found] == [
        "Ada Lovelace ada@example.edu 001", "Alan Turing 002; Grace Hopper 003", "submission_3"]
    assert found[1].people == (Person("Alan Turing", "", "002"), Person("Grace Hopper", "", "003"))


def test_nbgrader_tree(tmp_path: Path) -> None:
    for student in ("alice", "bob"):
        folder = tmp_path / "submitted" / student / "linear_classifiers"
        folder.mkdir(parents=True)
        shutil.copy(BLANK, folder / "linear_classifiers.ipynb")
    assert [(e.key, e.identity) for e in entries(tmp_path)] == [
        ("alice-linear_classifiers", "alice"), ("bob-linear_classifiers", "bob")]


def test_plain_folder_of_notebooks(tmp_path: Path) -> None:
    shutil.copy(BLANK, tmp_path / "jane doe.ipynb")
    (tmp_path / "notes.txt").write_text("not a submission")
    assert [(e.key, e.identity) for e in entries(tmp_path)] == [("jane_doe", "jane doe.ipynb")]


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = gradescope_export(tmp_path_factory.mktemp("export") / "export")
    archive = source.parent / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in source.rglob("*"):
            zf.write(path, path.relative_to(source.parent).as_posix())
    out = tmp_path_factory.mktemp("graded")
    grade_all(archive, out, jobs=2, progress=False)
    return out


def test_gradebook_has_a_row_per_student_with_every_test(graded: Path) -> None:
    """Separate name, email and SID columns; a group's members each get the group's row."""
    with (graded / "gradebook.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert [(r["id"], r["name"], r["email"], r["sid"], r["total"]) for r in rows] == [
        ("submission_1", "Ada Lovelace", "ada@example.edu", "001", "100"),
        ("submission_2", "Alan Turing", "", "002", "0"),
        ("submission_2", "Grace Hopper", "", "003", "0"),
        ("submission_3", "submission_3", "", "", "0")]
    assert all(r[item.test] != "" for r in rows for item in ITEMS)
    assert all(r["grading_errors"] == "" for r in rows)


def test_each_submission_gets_results_and_feedback(graded: Path) -> None:
    for key in ("submission_1", "submission_2", "submission_3"):
        results = json.loads((graded / key / "results.json").read_text())
        assert len(results["tests"]) == len(ITEMS)
        assert (graded / key / "feedback.txt").read_text().count("/ 100") >= 1
    broken = (graded / "submission_3" / "feedback.txt").read_text()
    assert "not a readable notebook" in broken


def test_summary_and_class_report(graded: Path) -> None:
    summary = (graded / "summary.txt").read_text()
    assert summary.startswith("3 submissions, mean score 33.3")
    assert "Most often failed tests:" in summary
    # The blank notebook's stubs: one submission shows the "unfinished" mistake.
    assert "   1 submission: function left unfinished" in summary
    assert (graded / "class_report.png").read_bytes()[:4] == b"\x89PNG"
    assert "data:image/png;base64," in (graded / "class_report.html").read_text()


def test_gradebook_names_grader_failures_from_extra_data(tmp_path: Path) -> None:
    """The machine-readable field decides, never the wording of a test's output."""
    outcomes = {item.test: Outcome(False, "The grader failed", False, 0.0) for item in ITEMS}
    lost = ITEMS[0].test
    outcomes[lost] = Outcome(False, "anything", True, 0.0)
    document = results.build(ASSIGNMENT, outcomes, summary="", seconds=0.0)
    write_gradebook(tmp_path / "g.csv", [{"key": "k", "identity": "i", "people": (Person("i"),),
                                          "document": document}], ASSIGNMENT)
    with (tmp_path / "g.csv").open() as f:
        row = next(csv.DictReader(f))
    assert row["grading_errors"] == ITEMS[0].title


def test_a_grade_the_batch_lost_is_the_graders_failure() -> None:
    """A grade whose process or machine died (a Dask KilledWorker, a broken pool): every
    test a grader failure, never the student's, so the next run grades it again."""
    from concurrent.futures import Future

    from autograder.batch.discovery import Entry
    from autograder.batch.pool import _document

    lost: Future = Future()
    lost.set_exception(RuntimeError("all 4 workers died while running it"))
    document = _document(Entry("k", "i", Path("x")), lost, ASSIGNMENT)
    assert document["score"] == 0
    assert all(results.is_grader_error(t) for t in document["tests"])
    assert "RuntimeError while grading" in document["tests"][0]["output"]
