"""Hostile submissions, one parametrized case each: flooding output, outliving the call,
reaching out of the sandbox, lying return values, garbage on the pipes (the runner:
hostile_sandbox.py)."""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

import numpy as np
import pytest

from autograder.sandbox import isolation
from autograder.worker.protocol import Unsupported
from tests.hostile_sandbox import (  # noqa: F401 - worker_python and scratch are fixtures
    FINE,
    LIMITS,
    ROOT,
    Case,
    Ctx,
    ok_after,
    registry,
    run,
    scratch,
    worker_python,
)

CASES, case = registry()


# ---------------------------------------------------------------- output floods

@case(FINE + """
import os, sys
print("y" * 100_000_000)
def flood():
    print("x" * 100_000_000)
    for _ in range(200_000):
        print("z" * 10)
    sys.stderr.write("e" * 1_000_000)
    return 1
def raw_flood():
    chunk = b"r" * (1 << 20)
    for _ in range(100):
        os.write(1, chunk)
        os.write(2, chunk)
    return 2
""")
def print_100mb(c: Ctx) -> None:
    assert len(c.ready.stdout) == LIMITS.output_chars and c.ready.dropped > 99_000_000
    reply = c.sb.call("call", "flood")
    assert reply.value == 1 and len(reply.stdout) == LIMITS.output_chars
    assert reply.dropped == 100_000_001 + 200_000 * 11 + 1_000_000 - LIMITS.output_chars
    assert reply.elapsed < 3
    raw = c.sb.call("call", "raw_flood")
    assert raw.value == 2 and len(raw.log) <= 8192 and raw.elapsed < 5


# ---------------------------------------------------------------- processes that outlive

DAEMON = FINE + """
import os, sys, time
BEAT = '''
import os, sys, time
for n in range(10**6):
    with open(sys.argv[1], "w") as f:
        f.write(str(n))
    time.sleep(0.02)
'''
def daemon(path, scrub):
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            env = {} if scrub else dict(os.environ)  # scrub: lose the sandbox token too
            try:
                os.execve(sys.executable, [sys.executable, "-S", "-c", BEAT, path], env)
            except PermissionError:  # Landlock grants no execute right: beat from here
                sys.argv = ["beat", path]
                exec(BEAT)
        os._exit(0)
    for _ in range(500):  # the call's own process group dies when it returns: wait until
        if os.path.exists(path):  # the daemon has left it (setsid) and is running
            break
        time.sleep(0.01)
    return True
"""


def _wait_for(path: Path, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists() or not path.read_text():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.02)


@case(DAEMON)
def daemon_survives_close(c: Ctx) -> None:
    beats = [c.shared / "beat-kept", c.shared / "beat-scrubbed"]
    assert c.sb.call("call", "daemon", str(beats[0]), False).value is True
    assert c.sb.call("call", "daemon", str(beats[1]), True).value is True
    for beat in beats:
        _wait_for(beat)
    pid, token = c.sb.life.worker.proc.pid, c.sb.life.token
    c.sb.close()
    seen = [b.read_text() for b in beats]
    time.sleep(0.4)
    assert [b.read_text() for b in beats] == seen, "a daemon kept writing after close()"
    spec = isolation.KillSpec(pid, token, c.sb.guard.plan.user.uid if ROOT else os.geteuid(), None)
    assert isolation.cleanup._select(isolation.scan_processes(), spec, {pid}) == set()


# ---------------------------------------------------------------- reaching out

def ancestors() -> list[int]:
    """This process (the grader) and every ancestor up to init, as we see them."""
    chain = [os.getpid()]
    while chain[-1] > 1:
        stat = Path(f"/proc/{chain[-1]}/stat").read_text()
        chain.append(int(stat.rsplit(")", 1)[1].split()[1]))
    return chain[:-1]


@case(FINE + """
import ctypes, os, signal
def reach(pids):
    libc = ctypes.CDLL(None, use_errno=True)
    done = []
    for pid in [os.getppid(), *pids]:
        if pid == os.getpid():  # in a PID namespace a number may happen to be our own
            continue
        for name, act in (("signal 0", lambda: os.kill(pid, 0)),
                          ("SIGCONT", lambda: os.kill(pid, signal.SIGCONT)),
                          ("mem", lambda: open(f"/proc/{pid}/mem", "rb").read(1)),
                          ("environ", lambda: open(f"/proc/{pid}/environ", "rb").read(1))):
            try:
                act()
                done.append(f"{name} {pid}")
            except OSError:
                pass
        if libc.ptrace(16, pid, 0, 0) == 0:  # PTRACE_ATTACH
            done.append(f"ptrace {pid}")
    return done
""")
def signal_trace_and_read_the_grader(c: Ctx) -> None:
    """The server (its parent) and the grader's whole chain of ancestors, by their pids
    as the grader sees them (in a PID namespace they name nothing, or someone else)."""
    reply = c.sb.call("call", "reach", ancestors())
    assert reply.ok and reply.value == [], reply

@case(FINE + """
def read(path):
    with open(path) as f:
        return f.read()
def grader_environ():
    grader = int(open(f"/proc/{os.getppid()}/stat").read().rsplit(")", 1)[1].split()[1])
    with open(f"/proc/{grader}/environ", "rb") as f:
        return f.read()
import os
""", protect=True)
def read_protected_file(c: Ctx) -> None:
    reply = c.sb.call("call", "read", str(c.secret))
    # The Landlock allowlist, for root and any user alike.
    assert reply.error_type == "PermissionError"
    assert "protected-paths-outside-allowlist" in c.sb.layers
    # The grader process is non-dumpable: its memory and environment stay private.
    assert c.sb.call("call", "grader_environ").error_type == "PermissionError"


@case(FINE + """
import errno, socket
def connect(family):
    try:
        s = socket.socket(family, socket.SOCK_STREAM)
    except OSError as e:
        return e.errno
    s.close()
    return 0
def unix_pair():
    a, b = socket.socketpair()
    a.sendall(b"ping")
    return b.recv(4).decode()
""")
def open_inet_socket(c: Ctx) -> None:
    seccomp = "seccomp:socket-af_unix-only" in c.sb.layers
    assert seccomp or os.uname().machine not in ("x86_64", "aarch64")
    for family in (2, 10):  # AF_INET, AF_INET6
        assert c.sb.call("call", "connect", family).value == (errno.EACCES if seccomp else 0)
    assert c.sb.call("call", "unix_pair").value == "ping"


@case(FINE + """
import builtins, json, numpy, io
builtins.isinstance = lambda *a: True
builtins.len = lambda x: 0
builtins.type = lambda *a: object
json.dumps = lambda *a, **k: "forged"
json.loads = lambda *a, **k: {}
numpy.save = numpy.load = numpy.asarray = None
io.BytesIO = None
def arr():
    builtins.str = builtins.repr = None  # and again, inside the call
    return numpy.arange(3.0), [1.5, "s"]
numpy.ndarray.__array_priority__ = 1  # TypeError: a load error under patched builtins
""")
def monkeypatch_builtins_and_numpy(c: Ctx) -> None:
    assert c.ready.error.type == "TypeError" and "arr" in c.ready.names
    reply = c.sb.call("call", "arr")
    assert reply.ok and type(reply.value[0]) is np.ndarray and reply.value[1] == [1.5, "s"]
    np.testing.assert_array_equal(reply.value[0], np.arange(3.0))
    assert isinstance(1, int) and len([1]) == 1 and np.load is not None  # ours untouched


@case(FINE + """
import numpy as np
class Liar:
    def __eq__(self, other):
        return True
    __hash__ = object.__hash__
class LyingFloat(float):
    def __eq__(self, other):
        return True
    def __repr__(self):
        return "0.0"
    def __float__(self):
        return 0.0
class LyingArray(np.ndarray):
    def __eq__(self, other):
        return np.ones(self.shape, dtype=bool)
    def __array__(self, *a, **k):
        return np.zeros(self.shape)
def lies():
    return Liar(), LyingFloat(3.25), np.arange(4.0).view(LyingArray), np.array([Liar()])
""")
def lying_return_values(c: Ctx) -> None:
    liar, number, arr, objects = c.sb.call("call", "lies").value
    assert liar == Unsupported("Liar") and liar != 0
    assert type(number) is float and number == 3.25
    assert type(arr) is np.ndarray and arr.tolist() == [0.0, 1.0, 2.0, 3.0]
    assert isinstance(objects, Unsupported)


@case(FINE + """
import os
def garbage():
    for fd in range(3, 64):
        try:
            os.write(fd, b"\\xff" * 64 + b"\\x00\\x00\\x00\\x00\\xff\\xff\\xff\\xff")
        except OSError:
            pass
    return 1
""")
def garbage_on_the_pipes(c: Ctx) -> None:
    reply = c.sb.call("call", "garbage")
    assert reply.status in ("ok", "protocol_error", "crashed")
    ok_after(c.sb)


@pytest.mark.parametrize("hostile", CASES, ids=lambda c: c.id)
def test_hostile(hostile: Case, worker_python: str, scratch: tuple[Path, Path]) -> None:  # noqa: F811
    run(hostile, worker_python, scratch)
