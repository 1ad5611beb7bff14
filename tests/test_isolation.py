"""Isolation as a whole, in a real worker: identity, limits, environment, a non-dumpable grader."""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path

import pytest

from autograder.sandbox import isolation, runtime
from autograder.sandbox.client import Sandbox
from autograder.sandbox.isolation import Limits

ROOT = os.geteuid() == 0
SECCOMP_ARCH = os.uname().machine in ("x86_64", "aarch64")


@pytest.fixture(scope="module")
def worker_python() -> str:
    return str(runtime.ensure_runtime()) if ROOT else sys.executable


# ---------------------------------------------------------------- layer selection (pure)

IDENTITY = '''
import os, resource, sys
def report():
    lim = {n: resource.getrlimit(getattr(resource, n)) for n in
           ("RLIMIT_CPU", "RLIMIT_AS", "RLIMIT_FSIZE", "RLIMIT_NOFILE", "RLIMIT_NPROC",
            "RLIMIT_CORE")}
    import ctypes
    prctl = ctypes.CDLL(None).prctl  # /proc is out of the worker's reach: ask the kernel
    try:
        import autograder  # noqa
        grader_importable = True
    except ImportError:
        grader_importable = False
    return {"uid": os.getuid(), "euid": os.geteuid(), "gid": os.getgid(),
            "groups": os.getgroups(), "cwd": os.getcwd(), "env": dict(os.environ),
            "path": sys.path, "limits": lim, "seccomp": str(prctl(21, 0, 0, 0, 0)),
            "nnp": str(prctl(39, 0, 0, 0, 0)), "netns": os.readlink("/proc/self/ns/net"),
            "grader_importable": grader_importable, "umask": os.umask(0o22)}
'''


def test_worker_identity_limits_and_environment(worker_python: str, monkeypatch) -> None:
    monkeypatch.setenv("GRADER_SECRET", "s3cret")
    limits = Limits(cpu_seconds=77, address_space=1 << 31, file_size=1 << 22, processes=33)
    with Sandbox(IDENTITY, python=worker_python, limits=limits) as sb:
        info = sb.call("call", "report").value
        work = os.path.join(sb.guard.tmp, "work")
    lim = info["limits"]
    assert lim["RLIMIT_AS"] == (1 << 31,) * 2 and lim["RLIMIT_FSIZE"] == (1 << 22,) * 2
    assert lim["RLIMIT_CORE"] == (0, 0) and lim["RLIMIT_CPU"][1] <= 77
    assert "GRADER_SECRET" not in info["env"] and info["env"]["OPENBLAS_NUM_THREADS"] == "1"
    assert set(info["env"]) == set(isolation.clean_env("/", "t"))
    assert info["cwd"] == work and not info["grader_importable"] and info["umask"] == 0o077
    assert not any("site-packages" in p and "/root" in p for p in info["path"])
    assert str(Path(__file__).resolve().parents[1]) not in info["path"]
    if SECCOMP_ARCH:
        assert info["seccomp"] == "2" and info["nnp"] == "1"
    if ROOT:
        assert info["uid"] == info["euid"] == isolation.ensure_sandbox_user().uid
        assert info["groups"] == [] and lim["RLIMIT_NPROC"] == (33, 33)
    if "netns" in sb.layers or "userns+netns" in sb.layers:
        assert info["netns"] != os.readlink("/proc/self/ns/net")


def test_grader_becomes_nondumpable(worker_python: str) -> None:
    with Sandbox("x = 1", python=worker_python) as sb:
        sb.start()
    libc = ctypes.CDLL(None)
    assert libc.prctl(3, 0, 0, 0, 0) == 0  # PR_GET_DUMPABLE


