"""autograder/intake/submission.py: the student's notebook found in what they handed in."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from assignments.linear_classifiers import ASSIGNMENT
from autograder.errors import SubmissionError
from autograder.intake import submission
from autograder.intake.submission import locate
from tests import notebooks


def reference_without(folder: Path, name: str, drop: set[str] = frozenset()) -> Path:
    """The reference under `name`, without the answer cells `drop`."""
    notebook = notebooks.load()
    notebook["cells"] = [c for c in notebook["cells"] if notebooks.grade_id(c) not in drop]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps(notebook))
    return folder / name


def test_a_notebook_is_graded_whatever_its_name(tmp_path: Path) -> None:
    path = reference_without(tmp_path, "linear_classifiers (1).ipynb")
    found = locate(path, tmp_path / "scratch", ASSIGNMENT)
    assert found.path == path and found.notes == ()
    assert {notebooks.grade_id(c) for c in found.notebook["cells"]} >= ASSIGNMENT.answers.keys()


def test_the_notebook_with_the_most_answer_cells_wins_and_the_student_is_told(
        tmp_path: Path) -> None:
    reference_without(tmp_path, ASSIGNMENT.notebook, drop={"rel_error", "linear_classifier"})
    full = reference_without(tmp_path, "copy.ipynb")
    found = locate(tmp_path, tmp_path / "scratch", ASSIGNMENT)
    assert found.path == full
    assert any("Several notebooks were submitted; graded copy.ipynb" in n for n in found.notes)


def test_a_tie_goes_to_the_expected_name(tmp_path: Path) -> None:
    reference_without(tmp_path, "a_copy.ipynb")
    expected = reference_without(tmp_path, ASSIGNMENT.notebook)
    assert locate(tmp_path, tmp_path / "scratch", ASSIGNMENT).path == expected


def test_missing_answer_cells_are_told(tmp_path: Path) -> None:
    path = reference_without(tmp_path, ASSIGNMENT.notebook, drop={"rel_error"})
    (note,) = locate(path, tmp_path / "scratch", ASSIGNMENT).notes
    assert f"has {len(ASSIGNMENT.answers) - 1} of the {len(ASSIGNMENT.answers)} answer cells" in note


def test_checkpoints_and_macos_junk_are_not_candidates(tmp_path: Path) -> None:
    real = reference_without(tmp_path / "hw", ASSIGNMENT.notebook)
    reference_without(tmp_path / "hw" / ".ipynb_checkpoints", "a-checkpoint.ipynb")
    reference_without(tmp_path / "__MACOSX" / "hw", "b.ipynb")
    found = locate(tmp_path, tmp_path / "scratch", ASSIGNMENT)
    assert found.path == real and found.notes == ()


@pytest.mark.parametrize("make, message", [
    (lambda root: root / "nothing.ipynb", "Nothing was submitted"),
    (lambda root: root, ("No Jupyter notebook (.ipynb) was found in the submission: upload "
                         "linear_classifiers.ipynb.")),
], ids=["missing", "no_notebook"])
def test_nothing_to_grade_says_what_to_upload(tmp_path: Path, make, message: str) -> None:
    (tmp_path / "notes.txt").write_text("my answers are in my head")
    with pytest.raises(SubmissionError, match=re.escape(message)):
        locate(make(tmp_path), tmp_path / "scratch", ASSIGNMENT)


def test_no_readable_notebook_says_which_and_what_to_upload(tmp_path: Path) -> None:
    (tmp_path / ASSIGNMENT.notebook).write_text("not json")
    with pytest.raises(SubmissionError, match="Upload the .ipynb file that Jupyter saved"):
        locate(tmp_path, tmp_path / "scratch", ASSIGNMENT)


def test_a_zip_gives_up_only_its_notebooks_inside_scratch(tmp_path: Path) -> None:
    reference = reference_without(tmp_path / "src", ASSIGNMENT.notebook)
    archive = tmp_path / "submission.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(reference, "hw/linear_classifiers.ipynb")
        zf.writestr("../../escaped.ipynb", reference.read_text())
        zf.writestr("hw/run.sh", "rm -rf /")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    found = locate(archive, scratch, ASSIGNMENT)
    assert found.path == scratch / "00" / ASSIGNMENT.notebook   # a tie: the expected name
    written = sorted(p.relative_to(scratch).as_posix() for p in scratch.rglob("*")
                     if p.is_file())
    assert written == ["00/linear_classifiers.ipynb", "01/escaped.ipynb"]
    assert not (tmp_path / "escaped.ipynb").exists()


def test_a_zip_bomb_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(submission, "MAX_UNZIPPED", 10_000)   # the limit, made small
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.ipynb", " " * 20_000)
    with pytest.raises(SubmissionError, match="unpacks to more than"):
        locate(archive, tmp_path, ASSIGNMENT)


def test_a_broken_zip_is_a_clear_submission_error(tmp_path: Path) -> None:
    archive = tmp_path / "broken.zip"
    good = tmp_path / "good.zip"
    with zipfile.ZipFile(good, "w") as zf:
        zf.writestr("a.ipynb", "{}")
    archive.write_bytes(good.read_bytes()[:-10])
    with pytest.raises(SubmissionError, match="broken.zip"):
        locate(archive, tmp_path, ASSIGNMENT)
