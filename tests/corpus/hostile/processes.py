"""Cases that end the worker's processes (exit, kill) or reach beyond its allowlist."""

from __future__ import annotations

from assignments.linear_classifiers import ASSIGNMENT
from tests.corpus import Case
from tests.corpus.hostile.common import REL_ERROR

CASES = [
    Case("sys_exit_at_import", None, '''
        import sys


        class Quit:
            sys.exit(3)
        ''', score=100, at="start"),
    Case("os_exit_at_import", None, '''
        import os


        class Quit:
            os._exit(0)
        ''', score=100, at="start"),
    # A real exit of the interpreter, past any Python-level guard: nothing loads, as in
    # Jupyter, where the kernel dies.
    Case("libc_exit_at_import", None, '''
        import ctypes


        class Quit:
            ctypes.CDLL(None)._exit(0)
        ''', fails=frozenset(ASSIGNMENT.by_test), score=0, evidence="died while loading the submission",
         at="start"),
    Case("sys_exit_in_call", "rel_error", '''
        import sys


        def rel_error(a, b):
            sys.exit(0)
        ''', fails=REL_ERROR, score=96, evidence="rel_error raised SystemExit"),
    Case("os_exit_in_call", "rel_error", '''
        import os


        def rel_error(a, b):
            os._exit(0)
        ''', fails=REL_ERROR, score=96, evidence="exited with status 0 without replying"),
    # Kills the worker's server process, which then has to be started again. (Not
    # kill(-1): as the shared sandbox user that would also kill other graders' workers.)
    Case("kills_worker_server_in_call", "rel_error", '''
        import os
        import signal


        def rel_error(a, b):
            os.kill(os.getppid(), signal.SIGKILL)
            os.kill(os.getpid(), signal.SIGKILL)
        ''', fails=REL_ERROR, score=96, evidence="rel_error raised PermissionError"),
    # Everything outside the allowlist at once: another copy of the solutions (a 0755
    # folder), the kit's tests/ (correct implementations), the grader's home; signals,
    # ptrace and /proc/PID/{mem,environ} of the server and the processes just below it
    # (the grader and its ancestors were started before it). Anything that works would
    # give the right answer (points); all blocked, it says so.
    Case("reaches_outside_the_allowlist", "rel_error", '''
        import ctypes
        import os

        import numpy as np

        FILES = ["__COPY__/linear_classifiers.ipynb", "__ROOT__/tests/corpus/alternatives.py",
                 "__ROOT__/solutions/linear_classifiers.ipynb", "__HOME__/.lcgrader-secret"]


        def _works(action):
            try:
                action()
            except OSError:
                return False
            return True


        def _reached():
            server = os.getppid()
            pids = [server, *range(max(server - 300, 2), server)]
            libc = ctypes.CDLL(None, use_errno=True)
            reads = [lambda p=p: open(p, "rb").read(1) for p in FILES]
            reads += [lambda p=p, f=f: open(f"/proc/{p}/{f}", "rb").read(1)
                      for p in pids[:50] for f in ("mem", "environ")]
            signals = [lambda p=p: os.kill(p, 0) for p in pids]
            traced = [p for p in pids[:50] if libc.ptrace(16, p, 0, 0) == 0]  # PTRACE_ATTACH
            return sum(map(_works, reads + signals)) + len(traced), len(reads + signals)


        def rel_error(a, b):
            got, tried = _reached()
            if got:
                return np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)))
            raise RuntimeError(f"all {tried} attempts were refused")
        ''', fails=REL_ERROR, score=96, evidence="attempts were refused"),
]
