"""The worker's start, before any student code runs: numpy on sys.path, private pipes,
a subreaper, its own confinement, and (with a PID namespace) becoming its pid 1.

Before the submission runs the worker confines itself (confine.py: not dumpable, a
Landlock allowlist and signal scope) and says so in its "hello"; with a PID namespace
it first forks so that the server is the namespace's pid 1. Stdlib only, and
importable before numpy is on sys.path.
"""

from __future__ import annotations

import os
import select
import signal
import sys
from typing import Any

if __package__:
    from . import confine
else:  # in the worker copy: siblings are top-level modules
    import confine

_fork, _exit, _close, _waitpid = os.fork, os._exit, os.close, os.waitpid
_kill, _getpid, _select, _set_handler = os.kill, os.getpid, select.select, signal.signal


def numpy_path() -> None:
    """As a script under ``-I -S``: the one site dir holding numpy joins sys.path.

    -S keeps site-packages off sys.path (no .pth files run, no editable installs of the
    grader appear); numpy's directory alone is added back, found here rather than by a
    separate probe process (one interpreter start less per grade).
    """
    import site

    if sys.version_info < (3, 10):  # noqa: UP036 - the grader may be given any interpreter
        sys.exit(f"the worker needs Python 3.10+, this is {sys.version.split()[0]}")
    for d in _site_dirs(site.getsitepackages()):
        if os.path.isfile(os.path.join(d, "numpy", "__init__.py")):
            sys.path.append(d)
            return


def _site_dirs(base: list[str]) -> list[str]:
    """Where the interpreter would import packages from. Under -S, site.py never reads a
    virtual environment's pyvenv.cfg (sys.prefix is still the base interpreter's): done
    here, keeping the base's dirs only when the venv includes system site packages."""
    bin_dir = os.path.dirname(sys.executable)
    for env in (bin_dir, os.path.dirname(bin_dir)):
        cfg = os.path.join(env, "pyvenv.cfg")
        if os.path.isfile(cfg):
            version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
            with open(cfg, encoding="utf-8", errors="replace") as f:
                pairs = [line.partition("=") for line in f]
            shared = any(k.strip().lower() == "include-system-site-packages"
                         and v.strip().lower() == "true" for k, _, v in pairs)
            return [os.path.join(env, "lib", version, "site-packages"), *(base if shared else [])]
    return base


def take_pipes() -> tuple[int, int]:
    """Move the request/reply pipes off fds 0/1 so stray prints cannot corrupt the stream."""
    req, rep = os.dup(0), os.dup(1)  # dup() fds are close-on-exec
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(2, 1)
    os.close(null)
    return req, rep


def become_subreaper() -> None:
    """Orphaned grandchildren (daemons) then stay our descendants, findable by the grader."""
    import contextlib
    import ctypes

    with contextlib.suppress(Exception):  # only a convenience for the grader's cleanup
        ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


def confine_self(source: str, numpy_file: str, writable: list[str]) -> dict[str, Any]:
    """Not dumpable, then the Landlock allowlist. Runs before any student code; what held
    goes to the grader in "hello" (its "landlock" entry's "abi": 0 or absent if none)."""
    done: dict[str, Any] = {}
    try:
        confine.not_dumpable()
        done["nondumpable"] = True
    except OSError as e:
        done["nondumpable"] = str(e)
    numpy_dir = os.path.dirname(os.path.dirname(numpy_file))
    packages = [os.path.join(numpy_dir, name) for name in ("numpy", "numpy.libs")]
    try:
        read, write = confine.allowlist(source, os.getcwd(), packages)
        done["landlock"] = confine.restrict(read, write + writable)
    except OSError as e:
        done["landlock"] = {"error": str(e)}
    return done


def become_pid1() -> None:
    """Plan.apply unshared a PID namespace, which only our children enter: fork, and the
    child goes on as the namespace's pid 1. Nothing inside can signal it, and when it
    ends the kernel kills everything left inside. The parent holds no pipe, waits, and
    ends the same way, so the grader sees the server's own end."""
    for _ in range(50):  # EAGAIN: our uid's process cap, while an earlier grade's die
        try:
            pid = _fork()
            break
        except BlockingIOError:
            _select([], [], [], 0.02)
    else:
        sys.stderr.write("the worker could not fork into its PID namespace (EAGAIN)\n")
        _exit(confine.EXIT_TEMPFAIL)
    if pid == 0:
        confine.die_with_parent()  # the parent killed from outside: the namespace goes too
        return
    for fd in (0, 1, 2):
        _close(fd)
    _set_handler(signal.SIGINT, signal.SIG_DFL)
    status = _waitpid(pid, 0)[1]
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig not in (signal.SIGKILL, signal.SIGSTOP):  # those two cannot be handled
            _set_handler(sig, signal.SIG_DFL)
        _kill(_getpid(), sig)
        _exit(128 + sig)  # a signal that does not end us (SIGCHLD...): say it anyway
    _exit(os.waitstatus_to_exitcode(status) & 0xFF)
