"""isolation/cleanup.py: every process of a worker found and killed, escapees too."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from autograder.sandbox import isolation
from autograder.sandbox.isolation import KillSpec

ROOT = os.geteuid() == 0


def _tree_with_escapee(token: str) -> subprocess.Popen:
    """A session leader with a child, a grandchild, and a setsid'ed escapee."""
    code = ("import os, time\n"
            "for _ in range(2):\n"
            "    if os.fork() == 0:\n"
            "        break\n"
            "if os.fork() == 0:\n"
            "    os.setsid()\n"
            "time.sleep(60)\n")
    env = {"PATH": "/usr/bin:/bin", isolation.TOKEN_VAR: token}
    return subprocess.Popen([sys.executable, "-c", code], env=env, start_new_session=True)


def test_kill_all_gets_the_tree_and_escapees() -> None:
    isolation.harden_grader()
    token = os.urandom(6).hex()
    proc = _tree_with_escapee(token)
    spec = KillSpec(proc.pid, token, os.geteuid(), None)
    for _ in range(100):  # until all 8 processes exist
        if len(isolation.cleanup._select(isolation.scan_processes(), spec, {proc.pid})) >= 8:
            break
        time.sleep(0.02)
    assert isolation.kill_all(spec, keep_zombie=proc.pid) == []
    proc.wait(timeout=5)
    assert isolation.cleanup._select(isolation.scan_processes(), spec, set()) == set()
