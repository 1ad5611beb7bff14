"""sandbox/spawn.py: a worker stopped with everything it started, restarted (re-running the
submission) after it died, and given up after MAX_DEATHS deaths in a row."""

from __future__ import annotations

import os
import sys

import pytest

from autograder.errors import GraderError
from autograder.sandbox import limits, runtime
from autograder.sandbox.client import Sandbox

COUNTER = "import os\nLOADS = []\ndef pid():\n    return os.getppid()\n"


@pytest.fixture(scope="module")
def worker_python() -> str:
    return str(runtime.ensure_runtime()) if os.geteuid() == 0 else sys.executable


def test_stop_ends_the_worker_and_the_next_call_restarts_it(worker_python: str) -> None:
    with Sandbox(COUNTER, python=worker_python) as sb:
        first = sb.call("call", "pid").value
        proc = sb.life.worker.proc
        sb.life.stop()
        assert proc.poll() is not None and sb.life.worker is None
        assert sb.call("call", "pid").ok and sb.restarts == 1
        assert sb.life.worker.proc is not proc and first is not None


def test_after_max_deaths_every_call_says_the_worker_died(worker_python: str) -> None:
    with Sandbox(COUNTER, python=worker_python) as sb:
        sb.start()
        sb.life.stop()
        sb.life.deaths = limits.MAX_DEATHS
        reply = sb.call("call", "pid")
        assert reply.status == "crashed" and reply.error.type == "WorkerDied"
        assert str(limits.MAX_DEATHS) in reply.error.message and sb.restarts == 0


def test_an_interpreter_that_cannot_start_is_the_graders_failure() -> None:
    with pytest.raises(GraderError, match="cannot run /nonexistent/python"), \
            Sandbox("x = 1\n", python="/nonexistent/python") as sb:
        sb.start()
