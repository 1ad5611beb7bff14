"""Hostile submissions, one parametrized case each: every one bounded in time.

Each case is student source + a check run against the live sandbox. As root the
worker runs as the dedicated user (the real privileged path); the cases whose
outcome differs without root say so in their check, they are never skipped.
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from autograder.sandbox import isolation, runtime
from autograder.sandbox.client import Limits, Ready, Sandbox
from autograder.worker.protocol import Unsupported

ROOT = os.geteuid() == 0
LIMITS = Limits(processes=32, address_space=1 << 30)


@dataclass
class Ctx:
    """What a check may need: the sandbox, its load result, and scratch paths."""

    sb: Sandbox
    ready: Ready
    shared: Path   # world-writable: the sandbox user may write here
    secret: Path   # a protected file


@dataclass(frozen=True)
class Case:
    id: str
    source: str
    check: Callable[[Ctx], None]
    budget: float = 8.0          # seconds for start + check + close
    protect: bool = False


CASES: list[Case] = []


def case(source: str, budget: float = 8.0, protect: bool = False):
    """Register the decorated check with its (dedented) student source."""
    def register(fn: Callable[[Ctx], None]) -> Callable[[Ctx], None]:
        CASES.append(Case(fn.__name__, textwrap.dedent(source), fn, budget, protect))
        return fn
    return register


def ok_after(sb: Sandbox) -> None:
    """The sandbox still answers normally."""
    reply = sb.call("call", "fine", 2)
    assert reply.ok and reply.value == 4, reply


FINE = "\ndef fine(x):\n    return x * 2\n"


# ---------------------------------------------------------------- hanging

@case(FINE + "while True:\n    pass\ndef after(): pass\n")
def loop_at_import(c: Ctx) -> None:
    assert c.ready.error.type == "LoadTimeout" and not c.ready.fatal
    assert "fine" in c.ready.names and "after" not in c.ready.names
    assert c.ready.elapsed < 4
    ok_after(c.sb)


@case(FINE + """
import signal
signal.signal(signal.SIGALRM, signal.SIG_IGN)
while True:
    try:
        pass
    except BaseException:
        pass
""")
def stubborn_loop_at_import(c: Ctx) -> None:
    assert c.ready.fatal and c.ready.error.type == "LoadTimeout"
    reply = c.sb.call("call", "fine", 2)
    assert reply.status == "crashed" and reply.elapsed < 0.5  # no endless restart loop


@case(FINE + "def spin():\n    while True:\n        pass\n")
def loop_in_call(c: Ctx) -> None:
    reply = c.sb.call("call", "spin", timeout=1.0)
    assert reply.status == "timeout" and 1.0 <= reply.elapsed < 2.0
    ok_after(c.sb)
    assert c.sb.restarts == 1


# ---------------------------------------------------------------- resources

@case(FINE + """
import numpy as np
def grow():
    hoard = []
    while True:
        hoard.append(bytearray(64 << 20))
def huge():
    return np.ones((200000, 200000))
""", budget=25.0)
def memory_bomb(c: Ctx) -> None:
    for name in ("grow", "huge"):  # touching ~1 GB takes seconds on a loaded machine
        reply = c.sb.call("call", name, timeout=20)
        assert reply.status == "crashed" or reply.error.is_a("MemoryError"), reply
    ok_after(c.sb)


@case(FINE + "blob = bytearray(8 << 30)\n")
def memory_bomb_at_import(c: Ctx) -> None:
    assert c.ready.error.is_a("MemoryError")
    ok_after(c.sb)


@case(FINE + """
import os, time
def bomb():
    n = 0
    while True:
        try:
            pid = os.fork()
        except OSError:
            return n
        if pid == 0:
            time.sleep(120)
            os._exit(0)
        n += 1
def spinning_bomb():
    while True:
        try:
            os.fork()
        except OSError:
            pass
""", budget=12.0)
def fork_bomb(c: Ctx) -> None:
    n = c.sb.call("call", "bomb").value
    assert type(n) is int and 0 < n <= LIMITS.processes
    reply = c.sb.call("call", "spinning_bomb", timeout=1.5)
    assert reply.status == "timeout"
    ok_after(c.sb)  # the restart killed the spinning bomb first


@case(FINE + """
def fill_disk():
    with open("big.bin", "wb") as f:
        f.write(b"x" * (64 << 20))
""")
def fill_disk(c: Ctx) -> None:
    reply = c.sb.call("call", "fill_disk")
    assert reply.error.is_a("OSError") and "File too large" in reply.error.message


# ---------------------------------------------------------------- exits

@case(FINE + "import sys\nsys.exit(3)\n")
def sys_exit_at_import(c: Ctx) -> None:
    assert c.ready.error.type == "SystemExit" and c.ready.error.message == "3"
    ok_after(c.sb)


@case(FINE + "import os\nos._exit(3)\n")
def os_exit_at_import(c: Ctx) -> None:
    assert c.ready.error.type == "SystemExit" and "os._exit(3)" in c.ready.error.message
    ok_after(c.sb)


@case(FINE + "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n")
def killed_at_import(c: Ctx) -> None:
    if "pidns" in c.sb.layers:  # the server is its namespace's init: the kernel ignores it
        assert c.ready.ok and c.sb.restarts == 0
        ok_after(c.sb)
        return
    # A SIGKILL looks the same whoever sent it: retried once, then a grader failure (a
    # regrade), never points and never a zero charged to the student.
    assert c.ready.fatal and c.ready.error.type == "WorkerLost" and c.sb.restarts == 1
    assert c.sb.call("call", "fine", 1).status == "lost"


@case(FINE + "import os, signal\nos.kill(os.getpid(), signal.SIGABRT)\n")
def aborted_at_import(c: Ctx) -> None:
    if "pidns" in c.sb.layers:  # as above: an init cannot signal itself to death
        assert c.ready.ok
        ok_after(c.sb)
        return
    assert c.ready.fatal and c.ready.error.type == "LoadCrashed" and c.sb.restarts == 0
    assert c.sb.call("call", "fine", 1).status == "crashed"


@case(FINE + """
import os, sys
def leave():
    sys.exit("bye")
def vanish():
    os._exit(7)
def interrupt():
    raise KeyboardInterrupt
""")
def exits_in_call(c: Ctx) -> None:
    left = c.sb.call("call", "leave")
    assert left.status == "error" and left.error_type == "SystemExit"
    gone = c.sb.call("call", "vanish")
    assert gone.status == "crashed" and "status 7" in gone.error_message
    assert c.sb.call("call", "interrupt").error_type == "KeyboardInterrupt"
    ok_after(c.sb)
    assert c.sb.restarts == 0  # only the forked child died


@case(FINE + """
import os, signal
def kill_server():
    os.kill(os.getppid(), signal.SIGKILL)
def kill_self():
    os.kill(os.getpid(), signal.SIGKILL)
def segfault():
    import ctypes
    ctypes.string_at(0)
""")
def kill_the_server(c: Ctx) -> None:
    # Landlock's signal scope: a call may signal only itself and its children.
    reply = c.sb.call("call", "kill_server")
    assert reply.status == "error" and reply.error.is_a("PermissionError"), reply
    ok_after(c.sb)
    assert c.sb.restarts == 0
    # Its own SIGKILL is indistinguishable from the OOM killer's: retried, then "lost".
    assert c.sb.call("call", "kill_self").status == "lost" and c.sb.restarts == 1
    crash = c.sb.call("call", "segfault")  # the student's own crash stays the student's
    assert crash.status == "crashed" and "SIGSEGV" in crash.error_message, crash
    assert c.sb.restarts == 1


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


# ---------------------------------------------------------------- the runner

@pytest.fixture(scope="module")
def worker_python() -> str:
    return str(runtime.ensure_runtime()) if ROOT else sys.executable


@pytest.fixture
def scratch(tmp_path: Path):
    """A world-writable dir for daemons' heartbeats, and a root-only secret."""
    shared = Path(tempfile.mkdtemp(prefix="lcgrader-test-"))
    os.chmod(shared, 0o1777)
    os.chmod(tmp_path, 0o700)
    secret = tmp_path / "hidden" / "test_losses.py"
    secret.parent.mkdir()
    secret.write_text("EXPECTED_LOSS = 8.6\n")
    yield shared, secret
    shutil.rmtree(shared, ignore_errors=True)


@pytest.mark.parametrize("hostile", CASES, ids=lambda c: c.id)
def test_hostile(hostile: Case, worker_python: str, scratch: tuple[Path, Path]) -> None:
    shared, secret = scratch
    t0 = time.monotonic()
    protected = [secret.parent] if hostile.protect else []
    with Sandbox(hostile.source, python=worker_python, call_timeout=5, load_timeout=1.5,
                 limits=LIMITS, protected=protected, writable=[shared]) as sb:
        hostile.check(Ctx(sb, sb.start(), shared, secret))
    assert time.monotonic() - t0 < hostile.budget
