"""Fixtures shared by test modules: the engine's corpus grades (tests/engine/)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests import notebooks

WORKER_PYTHON = Path("/opt/lcgrader-python/bin/python")
PYTHON_ENV = "AUTOGRADER_WORKER_PYTHON"


@pytest.fixture(scope="session")
def corpus_worker_python():
    """As root, the worker runs as an unprivileged user and needs a Python it can run
    (kit.py sets it; provisioned here for a bare `pytest` as root)."""
    if os.geteuid() != 0 or os.environ.get(PYTHON_ENV):
        yield os.environ.get(PYTHON_ENV)
        return
    if not WORKER_PYTHON.exists():
        done = subprocess.run([sys.executable, "-m", "autograder.sandbox.runtime", "provision",
                               str(WORKER_PYTHON.parent.parent)], cwd=notebooks.ROOT,
                              capture_output=True, text=True, timeout=900, check=False)
        assert done.returncode == 0, f"could not provision the worker runtime:\n{done.stderr}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(PYTHON_ENV, str(WORKER_PYTHON))
        yield str(WORKER_PYTHON)


@pytest.fixture(scope="session")
def grades(request: pytest.FixtureRequest, corpus_worker_python):
    """grades(job key) -> what the lanes found grading that job (tests/engine/lanes.py).

    Session-scoped: every job that the selected tests of tests/test_engine*.py read is
    graded once, in the order the tests run, however many modules read it.
    """
    from tests.engine.lanes import Lanes, wanted  # the engine: only for the tests that grade

    scratch = Path(tempfile.mkdtemp(prefix="lcgrader-corpus-"))
    scratch.chmod(0o755)   # the sandbox user reaches the shared dirs below
    lanes = Lanes(scratch)
    try:
        lanes.start(wanted(request.session, "grades"))
        yield lanes
    finally:
        lanes.close()
        shutil.rmtree(scratch, ignore_errors=True)
