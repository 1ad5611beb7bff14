"""The extraction keeps definitions and constants, never experiments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from autograder.errors import SubmissionError
from autograder.extraction import extract, read_notebook, worker_source


def notebook(*sources: str, grade_ids: tuple[str | None, ...] = ()) -> dict:
    cells = []
    for i, source in enumerate(sources):
        gid = grade_ids[i] if i < len(grade_ids) else None
        meta = {"nbgrader": {"grade_id": gid}} if gid else {}
        cells.append({"cell_type": "code", "source": source, "metadata": meta})
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def kept_sources(nb: dict) -> list[str]:
    return [chunk.source for chunk in extract(nb).chunks]


@pytest.mark.parametrize("source, kept", [
    ("import numpy as np", True),
    ("from math import exp", True),
    ("def f(x):\n    return x", True),
    ("class A:\n    pass", True),
    ("DELTA = 1.0", True),
    ("EPS: float = 1e-8", True),
    ("train(X)", False),                          # a call at top level: an experiment
    ("for i in range(10):\n    print(i)", False),
    ("X = load()", False),                        # `load` is not defined: data loading
    ("plt.plot([1, 2])", False),
])
def test_statement_kinds(source: str, kept: bool) -> None:
    assert bool(kept_sources(notebook(source))) is kept


def test_constants_may_use_imports_but_not_notebook_functions() -> None:
    nb = notebook("import numpy as np\nclass Model:\n    pass",
                  "TABLE = np.array([1.0, 2.0])\nmodel = Model()\nlr = 1e-7 * 3")
    assert [c.source for c in extract(nb).chunks] == [
        "import numpy as np", "class Model:\n    pass", "TABLE = np.array([1.0, 2.0])",
        "lr = 1e-7 * 3"]


def test_magics_and_shell_escapes_are_skipped() -> None:
    nb = notebook("%matplotlib inline\n!pip install foo\ndef f():\n    return 1",
                  "%%time\ndef g():\n    return 2")
    extraction = extract(nb)
    assert [c.source for c in extraction.chunks] == ["def f():\n    return 1"]
    assert extraction.notes == ("Cell 1 was skipped: it is a cell magic (%%)",)


def test_syntax_error_skips_only_that_cell() -> None:
    extraction = extract(notebook("def broken(:\n    pass", "def ok():\n    return 1"))
    assert [c.source for c in extraction.chunks] == ["def ok():\n    return 1"]
    assert extraction.notes == ("Cell 0 was skipped: syntax error at line 1: invalid syntax",)


def test_chunks_record_cell_line_and_grade_id() -> None:
    nb = notebook("x = 1\n\n@staticmethod\ndef f():\n    return 1", grade_ids=("answer",))
    chunk = extract(nb).chunks[1]
    assert (chunk.cell, chunk.line, chunk.grade_id) == (0, 3, "answer")
    assert chunk.source.startswith("@staticmethod")


def test_statements_sharing_a_line_are_split() -> None:
    assert kept_sources(notebook("a = 1; run()")) == ["a = 1"]


def test_later_definition_wins_order_is_kept() -> None:
    sources = kept_sources(notebook("def f():\n    return 1", "def f():\n    return 2"))
    assert sources == ["def f():\n    return 1", "def f():\n    return 2"]


@pytest.mark.parametrize("content, message", [
    ("not json", "is not a readable notebook"),
    (json.dumps({"cells": "nope"}), "is not a Jupyter notebook"),
    (json.dumps([1, 2]), "is not a Jupyter notebook"),
])
def test_unreadable_notebooks(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "sub.ipynb"
    path.write_text(content)
    with pytest.raises(SubmissionError, match=message):
        read_notebook(path)


@pytest.mark.parametrize("source, kept", [
    ("from helpers import load\nDATA = load()", False),
    ("from numpy import zeros\nZ = zeros(3)", True),
    ("import numpy as np\nRNG = np.random.default_rng(0).standard_normal(3)", True),
    ("def f():\n    return 1\nVALUE = f()", False),
    ("VALUE = len([1, 2])", True),
])
def test_which_calls_a_constant_may_make(source: str, kept: bool) -> None:
    assert kept_sources(notebook(source))[-1].startswith(source.split("\n")[-1]) is kept


@pytest.mark.parametrize("source", [
    "import matplotlib.pyplot as plt", "from linclass import checks",
    "from data import load_dataset", "from __future__ import annotations"])
def test_notebook_only_imports_are_skipped(source: str) -> None:
    assert kept_sources(notebook(source)) == []


def test_worker_source_runs_chunks_independently() -> None:
    nb = notebook("import numpy as np\nfrom nowhere import thing", "def f():\n    return np.pi")
    namespace: dict = {}
    exec(worker_source(extract(nb)), namespace)  # noqa: S102 -- our own test input
    assert namespace["f"]() == pytest.approx(3.14159, abs=1e-5)
    assert namespace["_load_failures"] == [
        "cell 0: ModuleNotFoundError: No module named 'nowhere'"]


@pytest.mark.parametrize("source", ["import numpy as np\nnp.x = 1",
                                    "import numpy as np\nTABLE = {}\nTABLE['k'] = 2"])
def test_assignments_into_other_objects_are_not_constants(source: str) -> None:
    assert not any(s.startswith(("np.x", "TABLE['k']")) for s in kept_sources(notebook(source)))


def test_lambdas_are_definitions() -> None:
    assert kept_sources(notebook("rel = lambda a, b: abs(a - b)")) == ["rel = lambda a, b: abs(a - b)"]


def test_future_annotations_apply_to_every_chunk() -> None:
    nb = notebook("from __future__ import annotations",
                  "class Node:\n    def child(self) -> Node:\n        return self")
    extraction = extract(nb)
    assert extraction.future == ("annotations",)
    namespace: dict = {}
    exec(worker_source(extraction), namespace)  # noqa: S102 -- our own test input
    assert namespace["_load_failures"] == [] and "Node" in namespace
