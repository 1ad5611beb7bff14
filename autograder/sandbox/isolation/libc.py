"""prctl and unshare through libc, the grader's own hardening, and a check run in a fork.

The libc handle has its argtypes set once, so the worker's preexec child only calls,
never looks up (see plan.Plan.apply).
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
from collections.abc import Callable

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_SECCOMP = 22
PR_SET_CHILD_SUBREAPER = 36
PR_SET_NO_NEW_PRIVS = 38


@functools.lru_cache(maxsize=1)
def _libc() -> ctypes.CDLL:
    """libc with argtypes set once, so the preexec child only calls, never looks up."""
    libc = ctypes.CDLL(None, use_errno=True)
    ul = ctypes.c_ulong
    libc.prctl.argtypes = [ctypes.c_int, ul, ul, ul, ul]
    libc.prctl.restype = ctypes.c_int
    libc.unshare.argtypes = [ctypes.c_int]
    libc.unshare.restype = ctypes.c_int
    return libc


def prctl(option: int, a2: int = 0, a3: int = 0) -> None:
    """prctl(2), raising OSError on failure."""
    if _libc().prctl(option, a2, a3, 0, 0) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"prctl({option}): {os.strerror(err)}")


def unshare(flags: int) -> None:
    """unshare(2) (os.unshare is 3.12+)."""
    if _libc().unshare(flags) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"unshare: {os.strerror(err)}")


def harden_grader() -> list[str]:
    """Make THIS (grader) process non-dumpable and a child subreaper; return what worked."""
    done = []
    for option, value, layer in ((PR_SET_DUMPABLE, 0, "grader-nondumpable"),
                                 (PR_SET_CHILD_SUBREAPER, 1, "grader-subreaper")):
        with contextlib.suppress(OSError):
            prctl(option, value)
            done.append(layer)
    return done



def in_fork(fn: Callable[[], int]) -> int:
    """Run ``fn`` in a forked child (so its process-wide effects stay there); its exit code."""
    pid = os.fork()
    if pid == 0:
        code = 99
        try:
            code = fn()
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)
