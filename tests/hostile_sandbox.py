"""The runner of the hostile cases (test_hostile.py, test_hostile_escape.py): each case is
student source + a check run against the live sandbox, bounded in time.

As root the worker runs as the dedicated user (the real privileged path); the cases whose
outcome differs without root say so in their check, they are never skipped.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from autograder.sandbox import runtime
from autograder.sandbox.client import Limits, Ready, Sandbox

ROOT = os.geteuid() == 0
LIMITS = Limits(processes=32, address_space=1 << 30)
FINE = "\ndef fine(x):\n    return x * 2\n"


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


def registry() -> tuple[list[Case], Callable]:
    """One test module's cases, and the decorator that registers a check with its
    (dedented) student source."""
    cases: list[Case] = []

    def case(source: str, budget: float = 8.0, protect: bool = False) -> Callable:
        def register(fn: Callable[[Ctx], None]) -> Callable[[Ctx], None]:
            cases.append(Case(fn.__name__, textwrap.dedent(source), fn, budget, protect))
            return fn
        return register
    return cases, case


def ok_after(sb: Sandbox) -> None:
    """The sandbox still answers normally."""
    reply = sb.call("call", "fine", 2)
    assert reply.ok and reply.value == 4, reply


@pytest.fixture(scope="module")
def worker_python() -> str:
    return str(runtime.ensure_runtime()) if ROOT else sys.executable


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A world-writable dir for daemons' heartbeats, and a root-only secret."""
    shared = Path(tempfile.mkdtemp(prefix="lcgrader-test-"))
    os.chmod(shared, 0o1777)
    os.chmod(tmp_path, 0o700)
    secret = tmp_path / "hidden" / "test_losses.py"
    secret.parent.mkdir()
    secret.write_text("EXPECTED_LOSS = 8.6\n")
    yield shared, secret
    shutil.rmtree(shared, ignore_errors=True)


def run(hostile: Case, worker_python: str, scratch: tuple[Path, Path]) -> None:
    """Start the case's sandbox, run its check, close it: all within its budget."""
    shared, secret = scratch
    t0 = time.monotonic()
    protected = [secret.parent] if hostile.protect else []
    with Sandbox(hostile.source, python=worker_python, call_timeout=5, load_timeout=1.5,
                 limits=LIMITS, protected=protected, writable=[shared]) as sb:
        hostile.check(Ctx(sb, sb.start(), shared, secret))
    assert time.monotonic() - t0 < hostile.budget
