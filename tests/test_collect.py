"""The student's submission step: checks, warnings, the zip and the PDF/HTML, nothing modified."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from linclass import collect
from linclass.assignment import GRADED_CELLS, grade_ids
from tests import notebooks
from tests.corpus import by_id, mistakes

ROOT = Path(__file__).resolve().parent.parent
BLANK = ROOT / "assignment" / "linear_classifiers.ipynb"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def blank(tmp_path: Path) -> Path:
    return Path(shutil.copy(BLANK, tmp_path / "linear_classifiers.ipynb"))


def test_blank_notebook_warns_and_still_packages(blank: Path, capsys: pytest.CaptureFixture) -> None:
    before = digest(blank)
    assert collect.main([str(blank), "--skip-checks"]) == 0
    out = capsys.readouterr().out
    assert "code cells were never run" in out
    assert "still a stub (raise NotImplementedError): svm_loss_naive" in out
    assert "plots not found next to the notebook" in out
    names = zipfile.ZipFile(blank.parent / "linear_classifiers_submission.zip").namelist()
    assert names == ["linear_classifiers.ipynb"]
    assert (blank.parent / "linear_classifiers.html").exists() or (
        blank.parent / "linear_classifiers.pdf").exists()
    assert digest(blank) == before


def test_deleted_graded_cell_is_an_error(blank: Path, capsys: pytest.CaptureFixture) -> None:
    notebook = json.loads(blank.read_text())
    notebook["cells"] = [c for c in notebook["cells"] if c["metadata"].get("nbgrader", {}).get(
        "grade_id") != "rel_error"]
    blank.write_text(json.dumps(notebook))
    assert collect.main([str(blank), "--skip-checks"]) == 1
    assert "graded cell 'rel_error' is missing" in capsys.readouterr().out


def test_visible_checks_run_on_a_copy(blank: Path) -> None:
    before = digest(blank)
    failures = collect.visible_check_failures(blank)
    assert any(f.startswith("check_svm_loss_naive: NotImplementedError") for f in failures)
    assert digest(blank) == before and sorted(p.name for p in blank.parent.iterdir()) == [
        "linear_classifiers.ipynb"]


def test_unreadable_notebook(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "linear_classifiers.ipynb"
    path.write_text("{oops")
    assert collect.main([str(path)]) == 1
    assert "cannot read" in capsys.readouterr().err


def test_graded_cells_are_the_releases() -> None:
    assert list(GRADED_CELLS) == grade_ids(json.loads(BLANK.read_text()))


def test_renamed_notebook_is_found_explained_and_zipped_under_its_name(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    renamed = Path(shutil.copy(BLANK, tmp_path / "linear_classifiers (1).ipynb"))
    before = digest(renamed)
    monkeypatch.chdir(tmp_path)
    assert collect.main(["--skip-checks"]) == 0
    out = capsys.readouterr().out
    assert "your notebook is named 'linear_classifiers (1).ipynb'" in out
    assert "rename your file back" in out
    names = zipfile.ZipFile(tmp_path / "linear_classifiers_submission.zip").namelist()
    assert names == ["linear_classifiers.ipynb"] and digest(renamed) == before


def test_two_candidates_ask_which_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture) -> None:
    for name in ("copy.ipynb", "mine.ipynb"):
        shutil.copy(BLANK, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    assert collect.main(["--skip-checks"]) == 1
    err = capsys.readouterr().err
    assert "2 notebooks with this assignment's cells (copy.ipynb, mine.ipynb)" in err
    assert "rename the one you worked in to linear_classifiers.ipynb" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.ipynb", "mine.ipynb"]


def test_outside_the_handout_folder_says_where_to_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    """In the kit there is no notebook beside linclass/ to fall back on (the handout's case,
    where there is, is in tests/test_handout_standalone.py)."""
    (tmp_path / "notes.ipynb").write_text('{"cells": []}')
    monkeypatch.chdir(tmp_path)
    assert collect.main([]) == 1
    err = capsys.readouterr().err
    assert f"no linear_classifiers.ipynb in {tmp_path}" in err
    assert "Run this in the handout folder" in err and "python submit.py path/to/" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.ipynb"]


def test_a_path_that_does_not_exist(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert collect.main([str(tmp_path / "nope.ipynb")]) == 1
    assert "nope.ipynb does not exist" in capsys.readouterr().err


def test_failing_checks_are_reported_as_the_notebook_shows_them(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """A visible check's whole message, and for the student's own error its line."""
    cases = by_id(mistakes.CASES)
    path = notebooks.build(tmp_path, [cases["svm_naive_reg_grad_not_doubled"],
                                      cases["real_svm_vectorized_ten_classes"]],
                           base=notebooks.BLANK)
    failures = collect.visible_check_failures(path)
    naive = next(f for f in failures if f.startswith("check_svm_loss_naive: "))
    assert naive.startswith("check_svm_loss_naive: svm_loss_naive: the regularization part of "
                            "the gradient") and naive.endswith("2 * reg * W, not reg * W.")
    vectorized = next(f for f in failures if f.startswith("check_svm_loss_vectorized: "))
    assert "ValueError: operands could not be broadcast" in vectorized
    assert vectorized.endswith("(at: margins = np.maximum(0.0, scores - scores[rows, y][:, None]"
                               " * np.ones((1, 10)) + 1.0))")
    assert collect.main([str(path), "--out", str(tmp_path / "out")]) == 0
    assert f"FAIL   {naive}\n" in capsys.readouterr().out
