"""Probes: the generic ones (worker/probes.py) and an assignment's own, registered by one
rule in the worker and checked by the same rule before the worker starts."""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest

from assignments.linear_classifiers import probes as assignment_probes
from autograder import paths
from autograder.errors import GraderError
from autograder.sandbox import runtime
from autograder.sandbox.client import Sandbox, probe_names
from autograder.worker import probes
from autograder.worker.registry import names_in, registry

ASSIGNMENT = paths.ASSIGNMENTS / "linear_classifiers" / "probes.py"
CLASSIFIER = '''
import numpy as np

class LinearClassifier:
    def __init__(self):
        self.W = None

    def predict(self, X):
        return np.argmax(X @ self.W, axis=1)

def loss(W, X, y, reg):
    return reg * 2, W
'''


@pytest.fixture(scope="module")
def worker_python() -> str:
    """As root, a runtime the sandbox user can execute; otherwise our own interpreter."""
    return str(runtime.ensure_runtime()) if os.geteuid() == 0 else sys.executable


def test_the_name_check_agrees_with_the_registry() -> None:
    assert set(registry(probes)) == names_in(paths.WORKER.joinpath(
        "probes.py").read_text()) == {"call", "repeat"}
    assert set(registry(assignment_probes)) == names_in(ASSIGNMENT.read_text())
    assert "call" not in registry(assignment_probes)  # imported, not defined there
    assert probe_names(ASSIGNMENT) == {"call", "repeat", *registry(assignment_probes)}


def test_an_assignment_probe_runs_in_the_worker(worker_python: str) -> None:
    W, X = np.eye(3)[:, :2], np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    with Sandbox(CLASSIFIER, probes=ASSIGNMENT, python=worker_python) as sb:
        assert sb.call("predict", W, X).value.tolist() == [1, 0]
        assert sb.call("repeat", "loss", W, X, None, [1.0, 3.0]).value == [2.0, 6.0]


def test_without_the_assignment_its_probes_are_refused(worker_python: str) -> None:
    with Sandbox(CLASSIFIER, python=worker_python) as sb, \
            pytest.raises(GraderError, match="unknown probe 'predict'"):
        sb.call("predict", np.eye(2), np.eye(2))


def test_an_assignment_probe_keeps_the_genuine_builtins(worker_python: str) -> None:
    """The student's patched vars() never reaches the probe's own lookups."""
    src = CLASSIFIER + "import builtins\nbuiltins.vars = lambda *a: {}\n"
    with Sandbox(src, probes=ASSIGNMENT, python=worker_python) as sb:
        assert sb.call("predict", np.eye(2), np.eye(2)).value.tolist() == [0, 1]
