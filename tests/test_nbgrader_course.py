"""The real nbgrader workflow on the kit's course: the same scores as the autograder, and
feedback that shows neither the hidden tests nor the reference.

Runs the nbgrader command line (generate_assignment, autograde, generate_feedback) in a
temporary course laid out like nbgrader_course/, on the reference and on one wrong
submission, the way a TA runs it: .venv/bin/nbgrader without activation (PATH does not hold
the environment's bin folder) and neither LINCLASS_ROOT nor PYTHONPATH set. About 40 s.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from assignments.linear_classifiers.rubric import ITEMS
from autograder.grade import grade
from autograder.integrations import nbgrader as bridge
from autograder.sandbox import runtime
from release import handout
from tests import standalone

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "solutions" / "linear_classifiers.ipynb"
RELEASE = ROOT / "assignment" / "linear_classifiers.ipynb"
ASSIGNMENT = "linear_classifiers"
NOTEBOOK = "linear_classifiers.ipynb"
NBGRADER = Path(sysconfig.get_path("scripts")) / "nbgrader"
IS_ROOT = os.name == "posix" and os.geteuid() == 0
ANSWER_CELLS = ("svm_loss_naive", "svm_loss_vectorized", "softmax_loss_naive",
                "softmax_loss_vectorized", "eval_numerical_gradient", "grad_check_sparse",
                "rel_error", "linear_classifier")
HIDDEN_MARKS = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "report_score", "integrations.nbgrader")

# The wrong student's answers, in their own words: an SVM loss without regularization, a
# correct vectorized SVM (whose visible check tests it alone, and passes), a softmax that
# overflows on large scores, a correct rel_error; every other cell a stub.
WRONG_ANSWERS = {
    "svm_loss_naive": '''\
def svm_loss_naive(W, X, y, reg):
    dW = np.zeros_like(W)
    total = 0.0
    for i in range(X.shape[0]):
        s = X[i].dot(W)
        for j in range(W.shape[1]):
            if j != y[i] and s[j] - s[y[i]] + 1 > 0:
                total += s[j] - s[y[i]] + 1
                dW[:, j] += X[i]
                dW[:, y[i]] -= X[i]
    return total / X.shape[0], dW / X.shape[0]''',
    "svm_loss_vectorized": '''\
def svm_loss_vectorized(W, X, y, reg):
    n = X.shape[0]
    s = X.dot(W)
    m = s - s[np.arange(n), y][:, None] + 1
    m[np.arange(n), y] = 0
    pos = (m > 0).astype(X.dtype)
    pos[np.arange(n), y] = -pos.sum(axis=1)
    return m.clip(min=0).sum() / n + reg * (W ** 2).sum(), X.T.dot(pos) / n + 2 * reg * W''',
    "softmax_loss_naive": '''\
def softmax_loss_naive(W, X, y, reg):
    dW = np.zeros_like(W)
    total = 0.0
    for i in range(X.shape[0]):
        e = np.exp(X[i].dot(W))
        p = e / e.sum()
        total -= np.log(p[y[i]])
        for j in range(W.shape[1]):
            dW[:, j] += (p[j] - (j == y[i])) * X[i]
    n = X.shape[0]
    return total / n + reg * (W ** 2).sum(), dW / n + 2 * reg * W''',
    "rel_error": '''\
def rel_error(a, b):
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))''',
}


def wrong_submission() -> dict:
    """The student release with WRONG_ANSWERS written into its answer cells."""
    notebook = json.loads(RELEASE.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        answer = WRONG_ANSWERS.get(cell["metadata"].get("nbgrader", {}).get("grade_id"))
        if answer is not None:
            cell["source"] = answer.splitlines(keepends=True)
    return notebook


def nbgrader_env() -> dict[str, str]:
    """A TA's shell: the kit's environment not activated, nothing kit-specific exported."""
    env = {key: value for key, value in os.environ.items()
           if key not in {"LINCLASS_ROOT", "PYTHONPATH", "VIRTUAL_ENV",
                          bridge.WORKER_PYTHON_ENV, bridge.EXECUTION_ENV}}
    env["PATH"] = os.pathsep.join(p for p in ("/usr/local/bin", "/usr/bin", "/bin")
                                  if Path(p) != NBGRADER.parent)
    env["LINCLASS_DATASET"] = "digits"  # the experiments' data; scores do not depend on it
    return env


def nbgrader(course: Path, *args: str) -> None:
    done = subprocess.run([str(NBGRADER), *args, ASSIGNMENT], cwd=course, env=nbgrader_env(),
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, f"nbgrader {args[0]} failed:\n{done.stderr[-4000:]}"


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A course like nbgrader_course/, after generate_assignment, autograde, generate_feedback."""
    root = tmp_path_factory.mktemp("course")
    (root / "nbgrader_config.py").symlink_to(ROOT / "nbgrader_course" / "nbgrader_config.py")
    (root / "source" / ASSIGNMENT).mkdir(parents=True)
    (root / "source" / ASSIGNMENT / NOTEBOOK).symlink_to(SOURCE)
    handout.carry_student_files(root / "source" / ASSIGNMENT)  # as `python -m release` does
    nbgrader(root, "generate_assignment")
    for student, notebook in (("ref", json.loads(SOURCE.read_text())), ("wrong",
                                                                        wrong_submission())):
        folder = root / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        (folder / NOTEBOOK).write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    nbgrader(root, "autograde")
    nbgrader(root, "generate_feedback")
    return root


def nbgrader_scores(course: Path, student: str) -> dict[str, float | None]:
    """Each graded cell's automatic score in the course's gradebook."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        notebook = gradebook.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, student)
        return {g.name: g.auto_score for g in notebook.grades}


def autograder_scores(notebook: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, float]:
    """The pytest autograder's points per tests cell, grading the same file."""
    if IS_ROOT:
        monkeypatch.setenv(bridge.WORKER_PYTHON_ENV, str(runtime.ensure_runtime()))
    document = grade(notebook, None)
    assert len(document["tests"]) == len(ITEMS)
    return {f"check_{c}": bridge.score(document, c) for c in ANSWER_CELLS}


def feedback_text(course: Path, student: str) -> tuple[str, str]:
    """The feedback HTML, and its text as a reader sees it (tags removed)."""
    page = (course / "feedback" / student / ASSIGNMENT / "linear_classifiers.html").read_text()
    return page, html.unescape(re.sub(r"<[^>]+>", "", page))


def reference_fragments(submitted: str) -> list[str]:
    """Distinctive pieces of the reference answers that `submitted` does not hold itself:
    the code lines of every solution region and the plain phrases of the written answers."""
    fragments = []
    for cell in json.loads(SOURCE.read_text(encoding="utf-8"))["cells"]:
        if not cell["metadata"].get("nbgrader", {}).get("solution"):
            continue
        text = "".join(cell["source"])
        if cell["cell_type"] == "code":
            region = text.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
            pieces = [line.strip() for line in region.splitlines()]
        else:
            pieces = [p.strip() for p in re.split(r"[*$`\\]", text.replace("Your answer:", ""))]
        fragments += [p for p in pieces if len(p) >= 16 and p not in submitted]
    return fragments


def test_release_is_the_kits(course: Path) -> None:
    released = course / "release" / ASSIGNMENT / NOTEBOOK
    assert json.loads(released.read_text()) == json.loads(RELEASE.read_text())


def test_release_carries_the_student_files_as_real_files(course: Path) -> None:
    released = course / "release" / ASSIGNMENT
    for name, path in handout.student_files().items():
        assert not (released / name).is_symlink(), name
        assert (released / name).read_bytes() == path.read_bytes(), name


def test_released_folder_runs_on_its_own(course: Path, tmp_path: Path) -> None:
    """Students get this folder from nbgrader: outside the kit, in a kernel that cannot see
    it, the notebook finds its own code and fails only at its stubs."""
    folder = Path(shutil.copytree(course / "release" / ASSIGNMENT, tmp_path / ASSIGNMENT))
    python, env = Path(sys.executable), standalone.clean_env()
    _, linclass_file, data_file, path = standalone.probe(python, folder, env)
    assert linclass_file.parent == folder / "linclass" and data_file.parent == folder / "data"
    assert standalone.kit_entries(path, ROOT) == []
    found = standalone.execute(python, folder, NOTEBOOK, env)
    assert found and {ename for _, ename, _ in found} == {"NotImplementedError"}
    assert {gid for gid, _, _ in found if gid and gid.startswith("check_")} == {
        f"check_{answer}" for answer in ANSWER_CELLS}


def test_reference_gets_every_autograded_point(course: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    scores = nbgrader_scores(course, "ref")
    expected = autograder_scores(course / "submitted" / "ref" / ASSIGNMENT / NOTEBOOK,
                                 monkeypatch)
    assert {k: v for k, v in scores.items() if k.startswith("check_")} == expected
    assert sum(expected.values()) == 100
    # The written answers wait for a TA.
    assert [k for k, v in scores.items() if v is None] == [
        "inline_kink", "inline_initial_loss", "inline_templates", "inline_new_point"]


def test_wrong_submission_gets_the_autograders_scores(course: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    scores = nbgrader_scores(course, "wrong")
    expected = autograder_scores(course / "submitted" / "wrong" / ASSIGNMENT / NOTEBOOK,
                                 monkeypatch)
    assert {k: v for k, v in scores.items() if k.startswith("check_")} == expected
    assert expected["check_svm_loss_naive"] == 0
    assert expected["check_svm_loss_vectorized"] == 15
    assert 0 < expected["check_softmax_loss_naive"] < 15
    assert expected["check_rel_error"] == 4


def test_a_failing_visible_check_does_not_change_the_score(course: Path) -> None:
    """The overflowing softmax fails its visible check: nbgrader still records the
    autograder's partial points, shown before the visible checks. The right vectorized SVM
    passes its own check, whatever the naive one does."""
    path = course / "autograded" / "wrong" / ASSIGNMENT / NOTEBOOK
    cells = {c["metadata"].get("nbgrader", {}).get("grade_id"): c
             for c in json.loads(path.read_text())["cells"]}
    kinds = [output["output_type"] for output in cells["check_softmax_loss_naive"]["outputs"]]
    assert "error" in kinds and kinds.index("execute_result") < kinds.index("error")
    assert 0 < nbgrader_scores(course, "wrong")["check_softmax_loss_naive"] < 15
    assert "error" not in [output["output_type"]
                           for output in cells["check_svm_loss_vectorized"]["outputs"]]


@pytest.mark.parametrize("student", ["ref", "wrong"])
def test_feedback_hides_the_hidden_tests(course: Path, student: str) -> None:
    page, text = feedback_text(course, student)
    for mark in HIDDEN_MARKS:
        assert mark not in page and mark not in text
    # What students should read is still there: the visible checks and the autograder's word.
    assert "svm_loss_naive: loss at W = 0 is C - 1 = 2" in text
    assert "points for svm_loss_naive" in text


def test_feedback_shows_no_reference_code(course: Path) -> None:
    submitted = (course / "submitted" / "wrong" / ASSIGNMENT / NOTEBOOK).read_text()
    fragments = reference_fragments(submitted)
    _, text = feedback_text(course, "wrong")
    assert [f for f in fragments if f in text] == []
    assert "Your loss equals the correct one without the regularization term" in text
    # The same search finds the reference in the reference's own feedback: it can see a leak.
    _, own = feedback_text(course, "ref")
    assert len([f for f in fragments if f in own]) > len(fragments) // 2


def test_alembic_is_not_on_the_tas_path() -> None:
    """What makes the course's gradebook creation a real test of nbgrader_config.py."""
    if shutil.which("alembic", path=nbgrader_env()["PATH"]):
        pytest.skip("this system has an alembic of its own")
