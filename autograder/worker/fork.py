"""One call in a forked child of the server: its own process group, CPU cap and Landlock
domain; one reply frame read back, or how the child died without one.

The fork per request keeps one call's state from leaking into the next and lets a call
crash without taking the server down.
"""

from __future__ import annotations

import math
import os
import resource
import select
import signal
from collections.abc import Callable
from typing import Any

if __package__:
    from . import confine, protocol
else:  # in the worker copy: siblings are top-level modules
    import confine
    import protocol

# Bound before the submission runs: it may monkeypatch os, signal, select.
_fork, _exit, _pipe, _close = os.fork, os._exit, os.pipe, os.close
_waitpid, _kill, _read = os.waitpid, os.kill, os.read
_setpgid, _select = os.setpgid, select.select
_scope_self, _wait4 = confine.scope_self, os.wait4


def run_in_child(body: Callable[[], bytes], timeout: Any, max_frame: int,
                 private: tuple[int, int], landlock_abi: int
                 ) -> tuple[bytes | None, dict, int | None]:
    """Fork, run ``body`` (which returns one reply frame) in the child: that frame or how
    the child died without one, and its pid (still to be ended with `end_call`)."""
    r, w = _pipe()
    try:
        pid = _fork()
    except OSError as e:
        _close(r)
        _close(w)
        return None, {"message": f"could not start the call: {e.strerror}"}, None
    if pid == 0:
        _close(r)
        _child(w, body, timeout, private, landlock_abi)
    _close(w)
    try:
        return (*_collect(r, pid, max_frame, _cpu_cap(timeout)), pid)
    finally:
        _close(r)


def end_call(pid: int) -> None:
    """Kill the call's child (it may linger after replying), reap it, then its group."""
    try:
        done, _ = _waitpid(pid, os.WNOHANG)
        if not done:  # still our unreaped child, so its pid cannot have been reused
            _kill(pid, signal.SIGKILL)
            _waitpid(pid, 0)
    except ChildProcessError:  # reaped already: the call died without replying
        pass
    _kill_group(pid)


def _kill_group(pgid: int) -> None:
    """Kill what the call left in its group (a fork bomb keeps forking: repeat)."""
    for _ in range(100):
        try:
            _kill(-pgid, signal.SIGKILL)
        except OSError:
            break
    reap_orphans()


def _child(w: int, body: Callable[[], bytes], timeout: Any, private: tuple[int, int],
           landlock_abi: int) -> None:
    """In the fork: run the call, write one frame, and never return to the server loop."""
    code = 70
    try:
        _setpgid(0, 0)  # its own group: whatever the call forks is killed with it
        _scope_call(landlock_abi)
        for fd in private:
            _close(fd)
        _limit_cpu(timeout)
        protocol.write_all(w, body())
        code = 0
    finally:
        _exit(code)


def _scope_call(landlock_abi: int) -> None:
    """A nested Landlock domain for the call: it may signal only itself and its own
    children, so a SIGKILL that ends the server is never the call's doing."""
    if landlock_abi:
        try:
            _scope_self(landlock_abi)
        except OSError:  # never the student's loss: a server it kills is retried anyway
            pass


def _cpu_cap(timeout: Any) -> int:
    """CPU seconds for a call (0: none): a backstop behind the grader's wall-clock deadline."""
    if type(timeout) not in (int, float) or not timeout > 0:
        return 0
    soft = math.ceil(timeout) + 1
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    return soft if hard == resource.RLIM_INFINITY else min(soft, hard)


def _limit_cpu(timeout: Any) -> None:
    """SIGXCPU at the cap, the kernel's SIGKILL a second later."""
    soft = _cpu_cap(timeout)
    if soft:
        hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
        resource.setrlimit(resource.RLIMIT_CPU, (soft, soft if hard == soft else soft + 1))


def _collect(r: int, pid: int, max_frame: int, cpu: int) -> tuple[bytes | None, dict]:
    """Read exactly one frame from the child; do not wait for EOF (daemons may hold it).
    Without a frame: how the child ended (see `_death`)."""
    os.set_blocking(r, False)
    reader = protocol.FrameReader(max_frame)
    ended = None
    while True:
        if ended is None:
            _select([r], [], [], 0.05)
        data = _read_some(r)
        if data:
            try:
                frames = reader.feed(data)
            except protocol.ProtocolError as e:
                return None, {"message": f"invalid reply: {e}"}
            if frames:
                return protocol.LENGTH.pack(len(frames[0])) + frames[0], {}
            continue
        if data is None and ended is None:
            done, st, usage = _wait4(pid, os.WNOHANG)
            ended = (st, usage) if done else None
            continue
        if ended is None:  # EOF: every writer is gone
            ended = _wait4(pid, 0)[1:]
        return None, _death(*ended, cpu)


def _read_some(fd: int) -> bytes | None:
    """Available bytes, b"" at EOF, None when nothing is there yet."""
    try:
        return _read(fd, protocol.READ_CHUNK)
    except BlockingIOError:
        return None


def _death(status: int, usage: Any, cpu: int) -> dict:
    """How a call's process ended without replying: words, its signal, and whether its CPU
    time reached the call's cap (then the kernel's SIGKILL/SIGXCPU is the call's doing)."""
    used = usage.ru_utime + usage.ru_stime
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = str(sig)
        return {"message": f"the call's process was killed by signal {sig} ({name})",
                "signal": sig, "cpu_limited": bool(cpu) and used >= cpu - 0.05}
    return {"message": f"the call's process exited with status {os.WEXITSTATUS(status)} "
                       "without replying"}


def reap_orphans() -> None:
    """As a subreaper the server inherits orphaned descendants: reap the dead ones."""
    while True:
        try:
            pid, _ = _waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
