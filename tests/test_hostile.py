"""Hostile submissions, one parametrized case each: hanging, exhausting resources, exiting
(the runner: hostile_sandbox.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile_sandbox import (  # noqa: F401 - worker_python and scratch are fixtures
    FINE,
    LIMITS,
    Case,
    Ctx,
    ok_after,
    registry,
    run,
    scratch,
    worker_python,
)

CASES, case = registry()


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


@pytest.mark.parametrize("hostile", CASES, ids=lambda c: c.id)
def test_hostile(hostile: Case, worker_python: str, scratch: tuple[Path, Path]) -> None:  # noqa: F811
    run(hostile, worker_python, scratch)
