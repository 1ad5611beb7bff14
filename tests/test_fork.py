"""worker/fork.py in a real worker: a call that dies without replying is described, and the
server that forked it goes on answering without a restart."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

import pytest

from autograder.sandbox import runtime
from autograder.sandbox.client import Sandbox

SOURCE = '''
import os, time

def quits(code):
    os._exit(code)

def aborts():
    os.abort()

def forks():
    if os.fork() == 0:
        time.sleep(30)
        os._exit(0)
    return os.getpgid(0) == os.getpid()

def fine():
    return "ok"
'''


@pytest.fixture(scope="module")
def sb() -> Iterator[Sandbox]:
    python = str(runtime.ensure_runtime()) if os.geteuid() == 0 else sys.executable
    with Sandbox(SOURCE, python=python) as sandbox:
        sandbox.start()
        yield sandbox


def test_a_call_that_exits_is_crashed_and_says_how(sb: Sandbox) -> None:
    reply = sb.call("call", "quits", 3)
    assert reply.status == "crashed"
    assert reply.error_message == "the call's process exited with status 3 without replying"
    assert sb.call("call", "fine").value == "ok" and sb.restarts == 0


def test_a_call_killed_by_its_own_signal_names_it(sb: Sandbox) -> None:
    reply = sb.call("call", "aborts")
    assert reply.status == "crashed" and "signal 6 (SIGABRT)" in reply.error_message
    assert not reply.error.foreign and sb.restarts == 0


def test_a_call_runs_in_its_own_group_which_ends_with_it(sb: Sandbox) -> None:
    assert sb.call("call", "forks").value is True  # its own process group
    assert sb.call("call", "fine").value == "ok" and sb.restarts == 0
