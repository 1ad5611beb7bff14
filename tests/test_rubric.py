"""The rubric and the hidden tests agree, and the notebook's points match the rubric."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from assignments.linear_classifiers import ASSIGNMENT
from assignments.linear_classifiers.hidden import HIDDEN
from assignments.linear_classifiers.rubric import ITEMS

ROOT = Path(__file__).resolve().parent.parent


def hidden_tests() -> dict[str, ast.FunctionDef]:
    found = {}
    for path in HIDDEN.glob("test_*.py"):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                found[node.name] = node
    return found


def test_every_hidden_test_has_exactly_one_rubric_item() -> None:
    names = [item.test for item in ITEMS]
    assert len(names) == len(set(names))
    assert set(names) == set(hidden_tests())


def test_points_total_100() -> None:
    assert ASSIGNMENT.total == 100 and all(item.points > 0 for item in ITEMS)


def test_every_hidden_test_says_what_it_checks() -> None:
    assert all(ast.get_docstring(node) for node in hidden_tests().values())


def test_notebook_points_match_the_rubric() -> None:
    cells = json.loads(ASSIGNMENT.reference.read_text())["cells"]
    notebook = {c["metadata"]["nbgrader"]["grade_id"].removeprefix("check_"):
                c["metadata"]["nbgrader"]["points"] for c in cells
                if c["metadata"].get("nbgrader", {}).get("grade")
                and c["cell_type"] == "code"}
    rubric = {cell: sum(i.points for i in ASSIGNMENT.items_of(cell)) for cell in ASSIGNMENT.answers}
    assert notebook == rubric


def test_default_visibility_keeps_the_total_visible() -> None:
    # Gradescope hides the total score whenever any test is "hidden".
    assert ASSIGNMENT.visibility in {"visible", "after_published", "after_due_date"}
