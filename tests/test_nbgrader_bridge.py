"""The bridge from nbgrader's hidden tests to the autograder, and the feedback filter."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys
import sysconfig
from pathlib import Path
from types import ModuleType

import nbformat
import pytest
from traitlets.config.loader import PyFileConfigLoader

from assignments.linear_classifiers import ASSIGNMENT
from assignments.linear_classifiers.rubric import ITEMS
from autograder.integrations import nbgrader as bridge
from autograder.report import results
from autograder.report.results import Outcome
from autograder.sandbox import runtime

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "solutions" / "linear_classifiers.ipynb"
RELEASE = ROOT / "assignment" / "linear_classifiers.ipynb"
COURSE = ROOT / "nbgrader_course"


def check_cells(path: Path = SOURCE) -> dict[str, dict]:
    """The autograded tests cells, by the grade_id of the answer cell they grade."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return {c["metadata"]["nbgrader"]["grade_id"].removeprefix("check_"): c for c in cells
            if c["metadata"].get("nbgrader", {}).get("grade_id", "").startswith("check_")}


def document(failed: set[str]) -> dict:
    """A results.json in which the tests named in `failed` failed."""
    outcomes = {item.test: Outcome(item.test not in failed, f"message of {item.test}", False, 0.0)
                for item in ITEMS}
    return results.build(ASSIGNMENT, outcomes, summary="", seconds=0.0)


@pytest.fixture(autouse=True)
def fresh_cache():
    bridge._graded.clear()
    yield
    bridge._graded.clear()


def test_each_tests_cell_is_worth_its_functions_points() -> None:
    cells = check_cells()
    assert len(cells) == 8
    for grade_id, cell in cells.items():
        assert cell["metadata"]["nbgrader"]["points"] == sum(
            item.points for item in bridge.items_of(grade_id))
    graded = [item for grade_id in cells for item in bridge.items_of(grade_id)]
    assert sorted(i.test for i in graded) == sorted(i.test for i in ITEMS)  # each test once


def test_each_tests_cell_reports_its_own_score_first() -> None:
    for grade_id, cell in check_cells().items():
        lines = "".join(cell["source"]).split("\n")
        assert lines[0] == "### BEGIN HIDDEN TESTS"
        end = lines.index("### END HIDDEN TESTS")
        assert f'report_score("{grade_id}")' in lines[:end]
        # IPython's displayhook stays quiet when a cell's last line ends with ";".
        assert not lines[-1].rstrip().endswith(";")


def test_the_release_has_no_hidden_tests() -> None:
    text = RELEASE.read_text(encoding="utf-8")
    assert "HIDDEN TESTS" not in text and "integrations.nbgrader" not in text
    for grade_id, cell in check_cells(RELEASE).items():
        hidden = "".join(check_cells()[grade_id]["source"]).split("### END HIDDEN TESTS\n")
        assert "".join(cell["source"]) == hidden[1]


def test_the_course_source_is_the_solutions_notebook() -> None:
    linked = COURSE / "source" / "linear_classifiers" / "linear_classifiers.ipynb"
    assert linked.is_symlink() and linked.resolve() == SOURCE


def test_unknown_answer_cell() -> None:
    with pytest.raises(KeyError):
        bridge.items_of("setup")


def test_score_and_feedback_of_one_function() -> None:
    doc = document({"test_svm_naive_gradient", "test_train_history"})
    assert bridge.score(doc, "svm_loss_naive") == 8
    assert bridge.score(doc, "linear_classifier") == 19
    assert bridge.score(doc, "rel_error") == 4
    text = bridge.feedback(doc, "svm_loss_naive")
    assert text.splitlines()[0] == "Autograder: 8 / 15 points for svm_loss_naive"
    assert "FAIL 0 / 7  SVM loss (naive): gradient" in text
    assert "message of test_svm_naive_gradient" in text
    assert "message of test_svm_naive_loss" not in text  # passed: no message
    assert "predict" not in text


def test_find_notebook(tmp_path: Path) -> None:
    with pytest.raises(bridge.GraderFailure):
        bridge.find_notebook(tmp_path)
    (tmp_path / "mine.ipynb").write_text("{}")
    assert bridge.find_notebook(tmp_path).name == "mine.ipynb"
    (tmp_path / "other.ipynb").write_text("{}")
    with pytest.raises(bridge.GraderFailure):
        bridge.find_notebook(tmp_path)
    (tmp_path / "linear_classifiers.ipynb").write_text("{}")
    assert bridge.find_notebook(tmp_path).name == "linear_classifiers.ipynb"


def test_grades_once_per_kernel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    monkeypatch.setattr(bridge, "run_grader", lambda path: calls.append(path) or document(set()))
    (tmp_path / "linear_classifiers.ipynb").write_text("{}")
    assert [bridge.autograder_score(g, tmp_path) for g in check_cells()] == [
        15, 15, 15, 15, 8, 6, 4, 22]
    assert len(calls) == 1


def test_a_grader_failure_is_loud_and_kept(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def broken(path: Path) -> dict:
        calls.append(path)
        raise OSError("no such interpreter")

    monkeypatch.setattr(bridge, "run_grader", broken)
    (tmp_path / "linear_classifiers.ipynb").write_text("{}")
    for grade_id in ("svm_loss_naive", "rel_error"):
        with pytest.raises(bridge.GraderFailure, match="no such interpreter"):
            bridge.autograder_score(grade_id, tmp_path)
    assert len(calls) == 1


def test_nothing_happens_outside_autograde(monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv(bridge.EXECUTION_ENV, raising=False)
    monkeypatch.setattr(bridge, "run_grader", pytest.fail)
    assert bridge.report_score("svm_loss_naive") is None
    monkeypatch.setenv(bridge.EXECUTION_ENV, "validate")
    assert bridge.report_score("svm_loss_naive") is None
    assert capsys.readouterr() == ("", "")


def test_report_under_autograde(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(bridge.EXECUTION_ENV, "autograde")
    monkeypatch.setattr(bridge, "run_grader", lambda path: document({"test_rel_error_values"}))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "linear_classifiers.ipynb").write_text("{}")
    bridge.report_score("rel_error")
    out, err = capsys.readouterr()
    assert out.startswith("Autograder: 2 / 4 points for rel_error\n")
    assert out.endswith("\n2.0\n") and err == ""  # outside a kernel the score is printed


def test_real_grader_on_the_reference(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if os.name == "posix" and os.geteuid() == 0:
        monkeypatch.setenv(bridge.WORKER_PYTHON_ENV, str(runtime.ensure_runtime()))
    shutil.copy(SOURCE, tmp_path / "linear_classifiers.ipynb")
    assert [bridge.autograder_score(g, tmp_path) for g in check_cells()] == [
        15, 15, 15, 15, 8, 6, 4, 22]


def test_grader_environment_finds_the_kit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(bridge.WORKER_PYTHON_ENV, "/somewhere/python")
    monkeypatch.setenv("PYTHONPATH", "/elsewhere")
    env = bridge.grader_env()
    assert env["PYTHONPATH"].split(os.pathsep) == [str(ROOT), "/elsewhere"]
    assert env[bridge.WORKER_PYTHON_ENV] == "/somewhere/python"


def feedback_filters() -> ModuleType:
    spec = importlib.util.spec_from_file_location("feedback_filters",
                                                  COURSE / "feedback_filters.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_feedback_drops_hidden_lines_from_sources_and_tracebacks() -> None:
    filters = feedback_filters()
    source = ("### BEGIN HIDDEN TESTS\nfrom autograder.integrations.nbgrader import report_score\n"
              'report_score("rel_error")\n### END HIDDEN TESTS\nx = 1\ncheck(x)')
    quoted = ("\x1b[36mCell\x1b[39m In[8], line 6\n"
              '\x1b[32m      3\x1b[39m report_score(\x1b[33m"rel_error"\x1b[39m)\n'
              "\x1b[32m      4\x1b[39m \x1b[38;5;66;03m### END HIDDEN TESTS\x1b[39;00m\n"
              "\x1b[32m      5\x1b[39m x = \x1b[32m1\x1b[39m\n"
              "\x1b[32m----> \x1b[39m\x1b[32m6\x1b[39m check(x)\n")
    cell = nbformat.v4.new_code_cell(source, outputs=[nbformat.v4.new_output(
        "error", ename="CheckFailed", evalue="no", traceback=["---", quoted, "CheckFailed: no"])])
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "check_rel_error", "points": 4,
                                 "locked": True, "solution": False, "schema_version": 3}
    cell, _ = filters.ClearHiddenTestsFromFeedback().preprocess_cell(cell, {}, 0)
    assert cell.source == "x = 1\ncheck(x)"
    entry = cell.outputs[0]["traceback"][1]
    assert "report_score" not in entry and "HIDDEN" not in entry
    assert "x = " in entry and "check(x)" in entry and entry.startswith("\x1b[36mCell")
    assert cell.outputs[0]["traceback"][2] == "CheckFailed: no"


def test_config_finds_the_kit_and_alembic_without_activation(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("LINCLASS_ROOT", raising=False)
    monkeypatch.delenv("PYTHONPATH", raising=False)
    monkeypatch.setattr(sys, "path", list(sys.path))
    config = PyFileConfigLoader("nbgrader_config.py", path=str(COURSE)).load_config()
    assert os.environ["LINCLASS_ROOT"] == str(ROOT)
    # The kernels nbgrader starts import the hidden tests' `autograder` from the kit.
    assert os.environ["PYTHONPATH"].split(os.pathsep)[0] == str(ROOT)
    scripts = sysconfig.get_path("scripts")
    assert os.environ["PATH"].split(os.pathsep) == [scripts, "/nonexistent"]
    assert shutil.which("alembic") == os.path.join(scripts, "alembic")
    names = [p.__name__ for p in config.GenerateFeedback.preprocessors]
    assert names == ["GetGrades", "ClearHiddenTestsFromFeedback", "CSSHTMLHeaderPreprocessor"]
    assert config.CourseDirectory.course_id == "linear_classifiers"


def test_real_grader_failure_is_read_from_extra_data(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker interpreter that does not exist: the real grade still writes results.json,
    every test marked a grader failure in extra_data, and the bridge refuses to score."""
    monkeypatch.setenv(bridge.WORKER_PYTHON_ENV, str(tmp_path / "no-such-python"))
    notebook = tmp_path / "linear_classifiers.ipynb"
    shutil.copy(bridge.KIT / "solutions" / "linear_classifiers.ipynb", notebook)
    with pytest.raises(bridge.GraderFailure, match=rf"grader failed on {len(ITEMS)} test\(s\)"):
        bridge.run_grader(notebook)
