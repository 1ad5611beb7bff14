"""Loops in a submitted function are found on the syntax tree, helpers included."""

from __future__ import annotations

import pytest

from autograder.checking.loops import python_loops
from autograder.intake.extraction import extract


def loops_of(*cells: str, function: str = "f") -> list[str]:
    nb = {"cells": [{"cell_type": "code", "source": c, "metadata": {}} for c in cells]}
    return python_loops(extract(nb), function)


@pytest.mark.parametrize("body, found", [
    ("return X @ W", None),
    ("for i in range(3):\n        pass", "a for loop in f (line 2)"),
    ("while False:\n        pass", "a while loop"),
    ("return [x for x in X]", "a list comprehension"),
    ("return sum(x for x in X)", "a generator expression"),
    ("return np.vectorize(abs)(X)", "a call to vectorize"),
    ("return list(map(abs, X))", "a call to map"),
    ("return globals()['g'](X)", "a use of globals"),
    ("return eval('g(X)')", "a use of eval"),
])
def test_loop_kinds(body: str, found: str | None) -> None:
    loops = loops_of(f"def f(X, W):\n    {body}")
    assert (loops == []) if found is None else any(found in loop for loop in loops)


def test_loops_in_helpers_of_other_cells_count() -> None:
    loops = loops_of("def helper(X):\n    return [x for x in X]", "def f(X):\n    return helper(X)")
    assert loops == ["a list comprehension in helper (line 2)"]


def test_loops_in_a_helper_class_count() -> None:
    loops = loops_of("class Helper:\n    def run(self, X):\n        for x in X:\n            pass",
                     "def f(X):\n    return Helper().run(X)")
    assert loops and loops[0].startswith("a for loop in Helper")


def test_lambda_helpers_count() -> None:
    assert loops_of("g = lambda X: [x for x in X]", "def f(X):\n    return g(X)")


def test_the_last_definition_is_checked() -> None:
    assert loops_of("def f(X):\n    for x in X:\n        pass", "def f(X):\n    return X") == []
