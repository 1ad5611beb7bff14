"""The student's submission step: checks, warnings, the zip and the PDF/HTML, nothing modified."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from linclass import collect

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
