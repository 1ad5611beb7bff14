"""A second assignment, assignments/linear_regression/, graded by the same engine: its folder
is all it took (no change to autograder/), and the engine names nothing of either homework."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from autograder import paths, spec
from autograder.grade import Options, grade
from release.pipeline import release

REGRESSION = spec.load("linear_regression")
WRONG_LOSS = '''
def squared_loss(W, X, y, reg):
    residual = X @ W - y
    loss = residual @ residual / X.shape[0] + reg * np.sum(W * W)   # no 1/2
    return float(loss), X.T @ residual / X.shape[0] + 2 * reg * W
'''
ALIASING = '''
def squared_loss(W, X, y, reg):
    residual = X @ W - y
    N = X.shape[0]
    loss = residual @ residual / (2 * N) + reg * np.sum(W * W)
    dW = X.T @ residual / N
    W *= 2 * reg             # changes the caller's W
    dW += W
    return float(loss), dW
'''


def notebook(tmp_path: Path, source: str | None = None, *, blank: bool = False) -> Path:
    """The reference as a submission, its answer cell replaced by `source` or released."""
    nb = json.loads(REGRESSION.reference.read_text())
    if blank:
        import nbformat

        nb = json.loads(nbformat.writes(release(nbformat.from_dict(nb))))
    for cell in nb["cells"]:
        if source and cell["metadata"].get("nbgrader", {}).get("grade_id") == "squared_loss":
            cell["source"] = source
    path = tmp_path / REGRESSION.notebook
    path.write_text(json.dumps(nb))
    return path


def failed(document: dict) -> set[str]:
    titles = {item.title: item.test for item in REGRESSION.items}
    return {titles[t["name"]] for t in document["tests"] if t["status"] != "passed"}


def graded(path: Path) -> dict:
    return grade(path, path.with_suffix(".json"), Options(assignment=REGRESSION))


def test_the_reference_scores_full_marks(tmp_path: Path) -> None:
    document = graded(notebook(tmp_path))
    assert document["score"] == 100, document["tests"]
    assert [t["name"] for t in document["tests"]] == [i.title for i in REGRESSION.items]


def test_the_released_stub_scores_zero_and_says_unfinished(tmp_path: Path) -> None:
    document = graded(notebook(tmp_path, blank=True))
    assert document["score"] == 0
    assert all("not implemented yet" in t["output"] for t in document["tests"]), document


@pytest.mark.parametrize(("source", "fails"), [(WRONG_LOSS, {"test_loss"}),
                                               (ALIASING, {"test_inputs_unchanged"})])
def test_a_mistake_fails_exactly_its_test(tmp_path: Path, source: str, fails: set) -> None:
    document = graded(notebook(tmp_path, source))
    assert failed(document) == fails, document["tests"]


def test_the_engine_names_nothing_of_any_assignment() -> None:
    """No answer name, test name or notebook name of an assignment is in autograder/."""
    words = set()
    for folder in sorted(paths.ASSIGNMENTS.glob("*/__init__.py")):
        assignment = spec.load(folder.parent.name)
        words |= {*assignment.defined, *assignment.by_test, Path(assignment.notebook).stem}
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, words))) + r")\b")
    found = [f"{path.relative_to(paths.KIT)}:{n}: {m.group(1)}"
             for path in sorted(paths.ENGINE.rglob("*.py"))
             for n, line in enumerate(path.read_text().splitlines(), 1)
             for m in [pattern.search(line)] if m]
    assert not found, "\n".join(found)


def test_the_assignments_are_distinct() -> None:
    default = spec.load()
    assert default.name == spec.default_name() != REGRESSION.name
    assert copy.copy(REGRESSION.by_test) != default.by_test
