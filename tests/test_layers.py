"""Isolation layers as reported, --strict, and a results.json whatever kills the worker.

As root the worker runs as the dedicated user with the provisioned runtime; the kills
here are real SIGKILLs from outside, as the OOM killer or another grader would send.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

import pytest

from assignments.linear_classifiers.rubric import ITEMS
from autograder import grade as engine
from autograder.errors import GraderError
from autograder.report import results
from autograder.sandbox import runtime
from autograder.sandbox.client import Sandbox
from autograder.sandbox.spawn import Lifecycle
from autograder.worker import confine

ROOT = os.geteuid() == 0
REFERENCE = Path(__file__).resolve().parents[1] / "solutions" / "linear_classifiers.ipynb"


@pytest.fixture(scope="module")
def worker_python() -> str:
    return str(runtime.ensure_runtime()) if ROOT else sys.executable


def test_kernel_offers_every_layer() -> None:
    """This machine (and CI) has Landlock with scopes: nothing is missing here."""
    assert confine.abi() >= confine.SCOPE_ABI
    assert confine.handled_fs(confine.abi()) == (1 << 16) - 1


def test_handled_rights_follow_the_abi() -> None:
    assert confine.handled_fs(0) == 0
    assert confine.handled_fs(1) == (1 << 13) - 1
    assert confine.handled_fs(4) == confine.handled_fs(3) == (1 << 15) - 1


def test_every_layer_reported(worker_python: str) -> None:
    with Sandbox("x = 1\n", python=worker_python, strict=True) as sb:
        sb.start()
    assert sb.missing == {} and not sb.warnings
    assert "worker-nondumpable" in sb.layers and "seccomp:socket-af_unix-only" in sb.layers
    assert any(x.startswith("landlock-fs(abi ") for x in sb.layers)
    assert any(x.startswith("landlock-scope") for x in sb.layers)
    assert any(x.startswith("user:") for x in sb.layers) == ROOT


def test_missing_layer_says_what_is_exposed(worker_python: str) -> None:
    src = "def read(p):\n    return open(p).read(5)\n"
    folder = Path(tempfile.mkdtemp(prefix="lcgrader-copy-"))  # another checkout, 0755
    folder.chmod(0o755)
    copy = Path(shutil.copy(REFERENCE, folder))
    copy.chmod(0o644)
    try:
        with pytest.warns(RuntimeWarning, match="missing isolation layer landlock-fs"), \
                Sandbox(src, python=worker_python, confined=False) as sb:
            assert sb.call("call", "read", str(copy)).ok  # what the allowlist prevents
        with Sandbox(src, python=worker_python) as locked:
            assert locked.call("call", "read", str(copy)).error_type == "PermissionError"
    finally:
        shutil.rmtree(folder)
    assert set(sb.missing) == {"landlock-fs", "landlock-scope", "nondumpable"}
    assert "pidns" not in sb.layers
    assert "every" in sb.missing["landlock-fs"] and "solutions" in sb.missing["landlock-fs"]


def test_strict_refuses_a_missing_layer(worker_python: str) -> None:
    with pytest.raises(GraderError, match=r"--strict.*landlock-fs.*needs Landlock"), \
            Sandbox("x = 1\n", python=worker_python, confined=False, strict=True) as sb:
        sb.start()


def test_strict_grade_still_writes_results(tmp_path: Path, monkeypatch) -> None:
    """A kernel without Landlock (as the probe would see it): every test a grader failure."""
    monkeypatch.setattr(confine, "abi", lambda: 0)
    out = tmp_path / "results.json"
    document = engine.grade(REFERENCE, out, engine.Options(strict=True))
    assert json.loads(out.read_text()) == document and document["score"] == 0
    assert all(results.is_grader_error(t) for t in document["tests"])
    assert "--strict" in document["tests"][0]["output"]
    assert results.REGRADED in document["tests"][0]["output"]


# ---------------------------------------------------------------- killed from outside

def _kill_each_spawn(monkeypatch, times: int) -> list[int]:
    """Every worker the sandbox starts (up to ``times``) gets a real SIGKILL at once,
    before its hello: what the OOM killer does to a fresh process."""
    killed: list[int] = []
    spawn = Lifecycle.spawn

    def spawn_and_kill(self: Lifecycle):
        worker = spawn(self)
        if len(killed) < times:
            os.kill(worker.proc.pid, signal.SIGKILL)
            killed.append(worker.proc.pid)
        return worker

    monkeypatch.setattr(Lifecycle, "spawn", spawn_and_kill)
    return killed


def test_killed_before_hello_is_retried(worker_python: str, monkeypatch) -> None:
    killed = _kill_each_spawn(monkeypatch, 1)
    with Sandbox("def f():\n    return 3\n", python=worker_python) as sb:
        assert sb.call("call", "f").value == 3
    assert len(killed) == 1 and sb.restarts == 1


def test_killed_twice_before_hello_is_the_graders_failure(worker_python: str,
                                                          monkeypatch) -> None:
    _kill_each_spawn(monkeypatch, 2)
    with Sandbox("def f():\n    return 3\n", python=worker_python) as sb:
        with pytest.raises(GraderError, match="killed twice before it started"):
            sb.start()
        with pytest.raises(GraderError, match="killed twice"):  # every later call too
            sb.call("call", "f")


def test_grade_with_a_worker_that_never_starts(tmp_path: Path, monkeypatch) -> None:
    """The old AttributeError path: now a valid results.json, every test the grader's."""
    _kill_each_spawn(monkeypatch, 1000)
    out = tmp_path / "results.json"
    document = engine.grade(REFERENCE, out)
    assert json.loads(out.read_text()) == document
    assert len(document["tests"]) == len(ITEMS) and document["score"] == 0
    assert all(t["extra_data"] == {"grader_error": True, "mistakes": []}
               for t in document["tests"])
    assert "regrade" in document["output"]


def test_server_and_calls_are_not_dumpable(worker_python: str) -> None:
    """PR_GET_DUMPABLE in a call (a fork of the server): 0, so neither its /proc files nor
    ptrace are open to another process of the same uid."""
    src = "import ctypes\ndef dumpable():\n    return ctypes.CDLL(None).prctl(3, 0, 0, 0, 0)\n"
    with Sandbox(src, python=worker_python) as sb:
        assert sb.call("call", "dumpable").value == 0
    with Sandbox(src, python=worker_python, confined=False) as sb:
        assert sb.call("call", "dumpable").value == 1


def test_cli_strict_grades_where_every_layer_holds(tmp_path: Path) -> None:
    from autograder.__main__ import main

    out = tmp_path / "results.json"
    assert main(["grade", str(REFERENCE), "--strict", "--results", str(out)]) == 0
    assert json.loads(out.read_text())["score"] == 100
