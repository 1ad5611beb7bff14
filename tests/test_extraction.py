"""The extraction keeps definitions and constants, never experiments."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.errors import SubmissionError
from autograder.intake.extraction import extract, read_notebook, worker_source
from autograder.worker.loader import run_chunks


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
                  "%%bash\necho hi")
    extraction = extract(nb)
    assert [(c.source, c.line) for c in extraction.chunks] == [("def f():\n    return 1", 3)]
    assert extraction.notes == ("Cell 1 was skipped: it is a %%bash cell magic",)


def test_a_time_cell_magic_keeps_its_body() -> None:
    """%%time runs its body as ordinary Python: its definitions count, lines unchanged."""
    chunks = extract(notebook("\n%%time\ndef g():\n    return 2")).chunks
    assert [(c.source, c.line) for c in chunks] == [("def g():\n    return 2", 3)]


@pytest.mark.parametrize("source", [
    # black-style: the `!= 0` line continues the expression; it is not a shell escape
    "def f(margins):\n    G = (\n        margins\n        != 0\n    ).astype(float)\n    return G",
    # a `%` line continuing a format expression, and one continuing a modulo
    "def f(i, n):\n    text = 'step %d of %d' \\\n        % (i, n)\n    return (i\n        % n), text",
    # strings that hold % and ! at the start of their lines
    'def f():\n    return """\n%not a magic\n!not a shell escape\n"""',
])
def test_valid_python_is_never_changed(source: str) -> None:
    assert kept_sources(notebook(source)) == [source]


def test_magic_lines_beside_continuation_lines() -> None:
    """IPython's rule: only a logical line's start is a magic, in the same cell too."""
    source = "%matplotlib inline\ndef f(m):\n    return (m\n        != 0)\n!ls"
    chunks = extract(notebook(source)).chunks
    assert [(c.source, c.line) for c in chunks] == [("def f(m):\n    return (m\n        != 0)", 2)]


def test_a_magic_inside_a_function_becomes_pass() -> None:
    namespace: dict = {}
    nb = notebook("def f():\n    x = 1\n    %time y = 2\n    !echo hi\n    return x")
    failures = run_chunks(worker_source(extract(nb)), namespace)  # the worker loader, in-process
    assert namespace["f"]() == 1 and failures == []


def test_ipython_is_imported_only_for_cells_with_magics() -> None:
    """Its import costs about 0.14 s a grade: the reference has no magics, so no import."""
    code = ("import sys; from autograder.intake.extraction import extract, read_notebook; "
            "from autograder import spec; extract(read_notebook(spec.load().reference)); "
            "print('IPython' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=Path(__file__).resolve().parent.parent)
    assert done.stdout.strip() == "False"


@pytest.mark.parametrize("source, line, error", [
    ('def svm(W):\n    print "loss", W\n    return W', 2, "Missing parentheses in call to 'print'"),
    ("def svm(W):\n\tx = W\n        return x", 3, "inconsistent use of tabs and spaces"),
])
def test_a_skipped_cell_explains_its_missing_definitions(source: str, line: int,
                                                         error: str) -> None:
    extraction = extract(notebook("x = 1", source))
    reason = extraction.why_missing("svm")
    assert reason.startswith(f"Cell 1 was skipped: syntax error at line {line}: ")
    assert error in reason
    assert extraction.why_missing("other") is None


def test_a_method_name_finds_its_class_cell() -> None:
    extraction = extract(notebook("class LinearClassifier:\n    def train(self):\n  pass"))
    assert "Cell 0 was skipped" in extraction.why_missing("LinearClassifier.train")


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
    failures = run_chunks(worker_source(extract(nb)), namespace)  # the worker loader, in-process
    assert namespace["f"]() == pytest.approx(3.14159, abs=1e-5)
    assert failures == [
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
    failures = run_chunks(worker_source(extraction), namespace)  # the worker loader, in-process
    assert failures == [] and "Node" in namespace
