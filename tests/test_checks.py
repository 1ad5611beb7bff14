"""The visible checks' messages (linclass/verdict.py) and what a real kernel shows of them.

tests/test_visible_coverage.py runs the whole corpus of mistakes through the notebook.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

from linclass import checks
from linclass.run import execute
from linclass.verdict import CheckFailed, call, describe, how_far, ratio, where

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_a_clean_factor_is_named() -> None:
    expected = np.array([[1.0, -2.0], [0.5, 3.0]])
    assert how_far(2 * expected, expected) == "it is 2.0x the expected value (too large)"
    assert how_far(0.5 * expected, expected) == "it is 0.5x the expected value (too small)"
    assert how_far(-expected, expected) == "it has the opposite sign"
    assert ratio(1.37 * expected, expected) is None and ratio(expected, 0 * expected) is None


def test_otherwise_the_largest_difference_and_where() -> None:
    expected = np.zeros((3, 4))
    got = expected.copy()
    got[2, 1], got[0, 3] = 0.5, 0.25
    assert how_far(got, expected) == ("2 of 12 entries differ, the largest by 0.5 at [2, 1] "
                                      "(yours 0.5, expected 0)")
    assert where(np.array([np.nan, 1.0]), np.array([1.0, 1.0])).startswith(
        "1 of 2 entries differ, the largest by inf at [0]")


def test_no_whole_array_is_printed() -> None:
    big = np.arange(1000.0).reshape(10, 100)
    assert describe(big) == "an array of shape (10, 100) and dtype float64"
    assert describe(None) == "None" and describe([1, 2]) == "a list of length 2"
    message = how_far(big + 1, big)
    assert "1000 of 1000 entries differ" in message and len(message) < 120


def test_a_changed_input_is_blamed_on_the_function_that_changed_it() -> None:
    def scale(W: np.ndarray, X: np.ndarray) -> np.ndarray:
        W *= 2
        return X @ W

    W, X = np.ones((2, 2)), np.eye(2)
    with pytest.raises(CheckFailed, match=r"^scale: its input W \(shape \(2, 2\)\) must be left "
                       r"unchanged: your function changed it \(4 of 4 entries differ"):
        call(scale, W, X)
    assert np.array_equal(W, np.ones((2, 2)))  # the check passed a copy


def test_the_message_names_function_check_and_likely_mistake() -> None:
    with pytest.raises(CheckFailed) as failed:
        checks.check_rel_error(lambda a, b: float(np.mean(np.abs(a - b) / (np.abs(a) + np.abs(b)))
                                                 if np.any(a) else 0.0))
    assert str(failed.value) == ("<lambda>: rel_error of [1, 2] and [1, 3] is 0.2: got 0.1. "
                                 "Likely: the entries' errors are averaged: take their maximum.")


def test_checks_of_right_answers_print_ok(capsys: pytest.CaptureFixture) -> None:
    def rel_error(a: np.ndarray, b: np.ndarray) -> float:
        a, b = np.asarray(a, float), np.asarray(b, float)
        return float(np.max(np.abs(a - b) / np.clip(np.abs(a) + np.abs(b), 1e-8, None)))

    checks.check_rel_error(rel_error)
    assert capsys.readouterr().out.startswith("OK   rel_error: 0 for zeros")


def test_what_jupyter_shows(tmp_path: Path) -> None:
    """In a real kernel: a failing check shows its message alone; an error raised by the
    student's code inside a check shows the student's frames, the kit's hidden."""
    cells = ["from linclass import checks",
             "def rel_error(a, b):\n    return 0.1",
             "checks.check_rel_error(rel_error)",
             "def rel_error(a, b):\n    raise ValueError('my own bug')",
             "checks.check_rel_error(rel_error)"]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nbformat.write(notebook, tmp_path / "probe.ipynb")
    executed = execute(tmp_path / "probe.ipynb", tmp_path, allow_errors=True)
    failed, raised = (next(o for o in executed.cells[i].outputs if o.output_type == "error")
                      for i in (2, 4))
    assert failed.ename == "CheckFailed" and failed.traceback == [
        "CheckFailed: rel_error: rel_error of two zero arrays is 0: got 0.1."]
    shown = ANSI.sub("", "\n".join(raised.traceback))
    assert "[... skipping hidden 1 frame]" in shown and "raise ValueError('my own bug')" in shown
    assert "linclass" not in shown and "step_checks" not in shown
