"""Killing every process a worker left behind: its session, its token, its namespace,
its children, and (with a dedicated uid held alone) everything of that uid.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from dataclasses import dataclass

from autograder.sandbox.isolation.env import TOKEN_VAR
from autograder.sandbox.isolation.namespaces import netns_of
from autograder.sandbox.isolation.user import SandboxUser


@dataclass(frozen=True)
class Proc:
    """One line of the process table."""

    pid: int
    ppid: int
    sid: int
    state: str
    uid: int
    threads: int


def scan_processes() -> dict[int, Proc]:
    """The process table from /proc (real uid from status, which non-dumpable can't hide)."""
    out = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
            with open(f"/proc/{name}/status", "rb") as f:
                status = f.read()
        except OSError:
            continue
        rest = stat[stat.rindex(b")") + 2:].split()
        uid = int(status.split(b"\nUid:")[1].split()[0])
        threads = int(status.split(b"\nThreads:")[1].split()[0])
        out[int(name)] = Proc(int(name), int(rest[1]), int(rest[3]), rest[0].decode(), uid,
                              threads)
    return out


def count_threads(uid: int) -> int:
    """Threads of ``uid``: what RLIMIT_NPROC counts."""
    return sum(p.threads for p in scan_processes().values() if p.uid == uid)


def _has_token(pid: int, token: bytes) -> bool:
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            return token in f.read().split(b"\0")
    except OSError:
        return False



def _marked(p: Proc, spec: KillSpec, token: bytes) -> bool:
    """Carries the sandbox's token, or lives in the sandbox's own network namespace."""
    if p.uid != spec.env_uid:
        return False
    return _has_token(p.pid, token) or (spec.netns is not None and netns_of(p.pid) == spec.netns)


@dataclass(frozen=True)
class KillSpec:
    """How to recognise a worker's processes."""

    root_pid: int                   # the worker server (also its session id)
    token: str                      # TOKEN_VAR value in their environment
    env_uid: int                    # whose environments / namespaces are worth reading
    sweep_user: SandboxUser | None  # dedicated uid we hold exclusively: kill(-1) as it
    netns: str | None = None        # the worker's own network namespace, if it got one


def _select(procs: dict[int, Proc], spec: KillSpec, known: set[int]) -> set[int]:
    """Known pids, the worker's session, marked ones, the swept uid, and all their children."""
    me = os.getpid()
    token = f"{TOKEN_VAR}={spec.token}".encode()
    sweep_uid = spec.sweep_user.uid if spec.sweep_user else None
    found = {p.pid for p in procs.values() if p.pid in known or p.sid == spec.root_pid
             or p.uid == sweep_uid or _marked(p, spec, token)}
    grew = True
    while grew:
        more = {p.pid for p in procs.values() if p.ppid in found and p.pid not in found}
        found |= more
        grew = bool(more)
    return found - {me, 1, 0}


def kill_uid(user: SandboxUser) -> None:
    """kill(-1, SIGKILL) as the sandbox user: every process of that uid dies at once."""
    if user.uid == 0:
        raise ValueError("refusing to kill(-1) as root")
    pid = os.fork()
    if pid == 0:
        try:
            os.setgid(user.gid)
            os.setuid(user.uid)
            # Never as anyone else: kill(-1) as root would take the machine down.
            if os.getuid() == os.geteuid() == user.uid:
                os.kill(-1, signal.SIGKILL)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def kill_all(spec: KillSpec, timeout: float = 5.0, keep_zombie: int | None = None) -> list[int]:
    """SIGKILL every process of the worker until none is left; return survivors (if any)."""
    known = {spec.root_pid}
    deadline = time.monotonic() + timeout
    delay = 0.001
    while True:
        if spec.sweep_user is not None:
            kill_uid(spec.sweep_user)
        procs = scan_processes()
        known |= _select(procs, spec, known)
        live = [pid for pid in known if pid in procs and procs[pid].state not in "ZX"]
        for pid in live:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        _reap(procs, known, keep_zombie)
        if not live or time.monotonic() > deadline:
            return live
        time.sleep(delay)
        delay = min(delay * 2, 0.05)


def _reap(procs: dict[int, Proc], pids: set[int], keep: int | None) -> None:
    """Reap our own dead children among ``pids`` (orphans came to us as subreaper)."""
    me = os.getpid()
    for pid in pids:
        p = procs.get(pid)
        if p is not None and p.ppid == me and p.state in "ZX" and pid != keep:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
