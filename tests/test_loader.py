"""worker/loader.py in a real worker: a notebook's chunks run one by one, what failed
reaches the grader in "ready", and a load's deadline still stops everything."""

from __future__ import annotations

import os
import sys

import pytest

from autograder.sandbox import runtime
from autograder.sandbox.client import Sandbox
from autograder.worker.messages import Chunks


@pytest.fixture(scope="module")
def worker_python() -> str:
    """As root, a runtime the sandbox user can execute; otherwise our own interpreter."""
    return str(runtime.ensure_runtime()) if os.geteuid() == 0 else sys.executable


def test_a_failing_chunk_does_not_stop_the_next(worker_python: str) -> None:
    chunks = Chunks((("cell 0", "import numpy as np\nfrom nowhere import thing"),
                     ("cell 1", "def f():\n    return np.pi"),
                     ("cell 2", "raise SystemExit(4)"), ("cell 3", "G = 2")))
    with Sandbox(chunks, python=worker_python) as sb:
        ready = sb.start()
        assert ready.ok and {"np", "f", "G"} <= set(ready.names)
        assert ready.failures == ("cell 0: ModuleNotFoundError: No module named 'nowhere'",
                                  "cell 2: SystemExit: 4")
        assert sb.call("call", "f").value == pytest.approx(3.14159, abs=1e-5)


def test_future_features_apply_to_every_chunk(worker_python: str) -> None:
    chunks = Chunks((("cell 1", "class Node:\n    def child(self) -> Node:\n        return self"),),
                    ("annotations",))
    with Sandbox(chunks, python=worker_python) as sb:
        assert sb.start().failures == () and "Node" in sb.start().names


def test_a_chunk_past_the_deadline_stops_the_load(worker_python: str) -> None:
    chunks = Chunks((("cell 0", "A = 1"), ("cell 1", "while True:\n    pass"),
                     ("cell 2", "B = 2")))
    with Sandbox(chunks, python=worker_python, load_timeout=1) as sb:
        ready = sb.start()
        assert ready.error.type == "LoadTimeout" and ready.failures == ()
        assert "A" in ready.names and "B" not in ready.names


def test_code_as_one_file_is_loaded_whole(worker_python: str) -> None:
    with Sandbox("X = 1\nraise ValueError('no')\nY = 2\n", python=worker_python) as sb:
        ready = sb.start()
        assert ready.error.type == "ValueError" and ready.failures == ()
        assert "X" in ready.names and "Y" not in ready.names
