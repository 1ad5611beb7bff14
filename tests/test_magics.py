"""autograder/intake/magics.py: IPython's syntax becomes plain Python, line for line."""

from __future__ import annotations

import ast

import pytest

from autograder.intake.magics import PYTHON_BODY, cell_magic, may_have_escapes, to_python


@pytest.mark.parametrize("source", [
    "%matplotlib inline\nx = 1\n",
    "x = 1\n    !ls\n",
    "!!pip list\n",
    "np.linalg.norm?\n",
    "%%time\nx = 1\n",
    "y = (a\n     != 0)\n",   # only suspected: IPython then leaves a continuation alone
])
def test_lines_that_may_start_an_escape_are_seen(source: str) -> None:
    assert may_have_escapes(source)


@pytest.mark.parametrize("source", [
    "x = 1\n",
    "z = a % b\n",
    "s = 'what?' + t\n",
])
def test_plain_python_is_not_suspected(source: str) -> None:
    assert not may_have_escapes(source)


def test_a_cell_magic_is_named_and_its_line_blanked() -> None:
    name, body = cell_magic("\n%%time -n 3\ndef f():\n    return 1\n")
    assert name == "time" and name in PYTHON_BODY
    assert body == "\n\ndef f():\n    return 1\n"   # same line numbers as the cell


def test_no_cell_magic_leaves_the_source_alone() -> None:
    source = "x = 1\n%%time\n"   # not on the first line: not a cell magic
    assert cell_magic(source) == (None, source)


def same_python(a: str, b: str) -> bool:
    return ast.dump(ast.parse(a)) == ast.dump(ast.parse(b))


def test_magics_and_shell_escapes_become_pass_on_their_own_lines() -> None:
    source = ("%load_ext autoreload\n"
              "import numpy as np\n"
              "!echo hello\n"
              "def f(x):\n"
              "    %time y = x\n"
              "    return x\n")
    python = to_python(source)
    assert len(python.split("\n")) == len(source.split("\n"))   # every line keeps its number
    assert same_python(python, "pass\nimport numpy as np\npass\ndef f(x):\n    pass\n"
                               "    return x\n")
    assert [line.strip() for line in python.split("\n")][:5] == [
        "pass", "import numpy as np", "pass", "def f(x):", "pass"]


def test_continuation_lines_that_look_like_escapes_are_untouched() -> None:
    body = "y = (1\n     != 0)\nz = (7\n     % 4)\n"
    assert same_python(to_python("%matplotlib inline\n" + body), "pass\n" + body)


def test_help_is_neutralised() -> None:
    python = to_python("len?\nx = 2\n")
    assert same_python(python, "pass\nx = 2\n") and "get_ipython" not in python
