"""worker/startup.py in a real worker: only numpy's folder joins the isolated sys.path,
stray output cannot corrupt the reply stream, and with a PID namespace the server is pid 1."""

from __future__ import annotations

import os
import sys

import pytest

from autograder.sandbox import runtime
from autograder.sandbox.client import Sandbox

SOURCE = '''
import os, sys
os.write(1, b"stray bytes on fd 1")
print("and a print")

def path():
    return list(sys.path)

def parent():
    return os.getppid()
'''


@pytest.fixture(scope="module")
def worker_python() -> str:
    return str(runtime.ensure_runtime()) if os.geteuid() == 0 else sys.executable


def test_the_start_of_a_worker(worker_python: str) -> None:
    with Sandbox(SOURCE, python=worker_python) as sb:
        ready = sb.start()
        assert ready.ok and "stray bytes on fd 1" in ready.log
        assert ready.stdout == "and a print\n"
        path = sb.call("call", "path").value
        sites = [p for p in path if "packages" in p]
        assert len(sites) == 1 and os.path.isdir(os.path.join(sites[0], "numpy"))
        assert path[0].endswith("/worker")  # its own copy, first
        if "pidns" in sb.layers:
            assert sb.call("call", "parent").value == 1  # a call's parent: the server
