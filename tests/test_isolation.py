"""Isolation layers: selection logic, seccomp, rlimits, identity, paths, process cleanup."""

from __future__ import annotations

import ctypes
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from autograder.sandbox import isolation, runtime
from autograder.sandbox.client import Sandbox
from autograder.sandbox.isolation import KillSpec, Limits, SandboxUser, plan_isolation

ROOT = os.geteuid() == 0
SECCOMP_ARCH = os.uname().machine in ("x86_64", "aarch64")
USER = SandboxUser("lcgrader", 999, 995, dedicated=True)
NO_NETNS = (False, "netns: unshare not permitted here")


@pytest.fixture(scope="module")
def worker_python() -> str:
    return str(runtime.ensure_runtime()) if ROOT else sys.executable


def fake_filter() -> isolation.SeccompFilter:
    return isolation.SeccompFilter(isolation.seccomp_program("x86_64")[0])


# ---------------------------------------------------------------- layer selection (pure)

def test_root_with_drop_selects_user_and_fixed_nproc() -> None:
    plan = plan_isolation(Limits(processes=40), euid=0, drop_privileges=True, user=USER,
                          netns=(True, ""), seccomp=(fake_filter(), ""), user_threads=500,
                          pidns=(True, ""))
    assert plan.user == USER and "user:lcgrader(999)" in plan.layers and plan.pidns
    assert {"rlimits", "netns", "pidns", "no-new-privs",
            "seccomp:socket-af_unix-only"} <= set(plan.layers)
    assert dict(plan.rlimits)[resource.RLIMIT_NPROC] == 40 and plan.skipped == []


def test_non_root_keeps_room_for_the_users_own_threads() -> None:
    plan = plan_isolation(Limits(processes=40), euid=1000, drop_privileges=True, user=None,
                          netns=(True, ""), seccomp=(None, "seccomp: unsupported architecture"),
                          user_threads=300)
    assert plan.user is None and "userns+netns" in plan.layers and "rlimits" in plan.layers
    assert dict(plan.rlimits)[resource.RLIMIT_NPROC] == 340
    assert "user drop: not running as root" in plan.skipped
    assert "seccomp: unsupported architecture" in plan.skipped
    assert not any(x.startswith("seccomp:") for x in plan.layers)


def test_root_without_drop_says_nproc_is_not_enforced() -> None:
    plan = plan_isolation(Limits(), euid=0, drop_privileges=False, user=None, netns=NO_NETNS,
                          seccomp=(fake_filter(), ""))
    assert plan.user is None and "rlimits(nproc unenforced: root)" in plan.layers
    assert "user drop: disabled" in plan.skipped and NO_NETNS[1] in plan.skipped


def test_shared_fallback_user_is_flagged() -> None:
    nobody = SandboxUser("nobody", 65534, 65534, dedicated=False)
    plan = plan_isolation(Limits(), euid=0, drop_privileges=True, user=nobody, netns=NO_NETNS,
                          seccomp=(None, "x"))
    assert "user:nobody(65534),shared" in plan.layers


def test_rlimits_are_hard_and_complete() -> None:
    lim = dict(isolation.rlimits_for(Limits(address_space=1 << 30, file_size=1 << 20), 9))
    assert lim[resource.RLIMIT_AS] == 1 << 30 and lim[resource.RLIMIT_FSIZE] == 1 << 20
    assert lim[resource.RLIMIT_CORE] == 0 and lim[resource.RLIMIT_NPROC] == 9
    assert resource.RLIMIT_CPU in lim and resource.RLIMIT_NOFILE in lim


# ---------------------------------------------------------------- seccomp

def test_seccomp_program_per_architecture() -> None:
    x86, _ = isolation.seccomp_program("x86_64")
    arm, _ = isolation.seccomp_program("aarch64")
    none, reason = isolation.seccomp_program("riscv64")
    assert len(x86) % 8 == 0 and len(arm) % 8 == 0 and len(x86) == len(arm) + 8  # x32 check
    assert none is None and "riscv64" in reason


def _socket_matrix() -> int:
    """In a forked child with the filter: a bitmask of what went wrong (0 = all as expected)."""
    isolation.SeccompFilter(isolation.seccomp_program()[0]).install()
    bad = 0
    for i, family in enumerate((socket.AF_INET, socket.AF_INET6, socket.AF_NETLINK,
                                socket.AF_PACKET)):
        try:
            socket.socket(family, socket.SOCK_DGRAM).close()
            bad |= 1 << i
        except PermissionError:
            pass
        except OSError:
            bad |= 1 << (i + 8)
    a, b = socket.socketpair(socket.AF_UNIX)
    a.close()
    b.close()
    return bad


@pytest.mark.skipif(not SECCOMP_ARCH, reason="seccomp filter only for x86_64/aarch64")
def test_seccomp_denies_every_family_but_unix() -> None:
    assert isolation.seccomp_probe() == (True, "")
    assert isolation.libc.in_fork(_socket_matrix) == 0


# ---------------------------------------------------------------- the worker's view

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


def test_sandbox_user() -> None:
    user = isolation.ensure_sandbox_user()
    assert user.uid != 0 and user.gid != 0
    if ROOT:
        assert user.dedicated and user.name == "lcgrader"
    with pytest.raises(ValueError, match="root"):
        isolation.kill_uid(SandboxUser("root", 0, 0, True))


def test_clean_env_inherits_nothing(monkeypatch) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "x")
    env = isolation.clean_env("/work", "tok")
    assert "AWS_SECRET_ACCESS_KEY" not in env and env[isolation.TOKEN_VAR] == "tok"
    assert env["HOME"] == env["TMPDIR"] == "/work"


# ---------------------------------------------------------------- protected paths

def test_readable_paths_as_the_sandbox_user(tmp_path: Path) -> None:
    secret_dir = tmp_path / "hidden"
    secret_dir.mkdir()
    (secret_dir / "test_losses.py").write_text("EXPECTED = 1\n")
    public = Path(tempfile.mkdtemp())
    os.chmod(public, 0o755)
    (public / "open.txt").write_text("hi")
    os.chmod(public / "open.txt", 0o644)
    try:
        user = isolation.ensure_sandbox_user() if ROOT else None
        os.chmod(tmp_path, 0o700)
        assert isolation.readable_paths([public], user) == [str(public),
                                                            str(public / "open.txt")]
        hidden = isolation.readable_paths([secret_dir, tmp_path / "nope"], user)
        assert hidden == ([] if ROOT else [str(secret_dir), str(secret_dir / "test_losses.py")])
        drop_box = public / "results"  # not listable, but anyone may drop files in it
        drop_box.mkdir()
        os.chmod(drop_box, 0o733)
        assert isolation.readable_paths([drop_box], user) == [str(drop_box)]
    finally:
        shutil.rmtree(public)


def test_expand_paths_is_bounded(tmp_path: Path) -> None:
    for i in range(30):
        (tmp_path / f"f{i}").touch()
    assert len(isolation.expand_paths([tmp_path], limit=10)) == 10


# ---------------------------------------------------------------- killing

def _tree_with_escapee(token: str) -> subprocess.Popen:
    """A session leader with a child, a grandchild, and a setsid'ed escapee."""
    code = ("import os, time\n"
            "for _ in range(2):\n"
            "    if os.fork() == 0:\n"
            "        break\n"
            "if os.fork() == 0:\n"
            "    os.setsid()\n"
            "time.sleep(60)\n")
    env = {"PATH": "/usr/bin:/bin", isolation.TOKEN_VAR: token}
    return subprocess.Popen([sys.executable, "-c", code], env=env, start_new_session=True)


def test_kill_all_gets_the_tree_and_escapees() -> None:
    isolation.harden_grader()
    token = os.urandom(6).hex()
    proc = _tree_with_escapee(token)
    spec = KillSpec(proc.pid, token, os.geteuid(), None)
    for _ in range(100):  # until all 8 processes exist
        if len(isolation.cleanup._select(isolation.scan_processes(), spec, {proc.pid})) >= 8:
            break
        time.sleep(0.02)
    assert isolation.kill_all(spec, keep_zombie=proc.pid) == []
    proc.wait(timeout=5)
    assert isolation.cleanup._select(isolation.scan_processes(), spec, set()) == set()


def test_uid_lease_allows_a_sweep_only_when_alone(tmp_path: Path) -> None:
    lock_dir = str(tmp_path / "locks")
    a = isolation.UidLease(4242, lock_dir)
    b = isolation.UidLease(4242, lock_dir)
    with a.exclusive() as alone:
        assert not alone
    b.close()
    with a.exclusive() as alone:
        assert alone
    a.close()
    os.chmod(lock_dir, 0o777)
    with pytest.raises(PermissionError):
        isolation.UidLease(4242, lock_dir)


# ---------------------------------------------------------------- runtime

def test_runtime_checks(tmp_path: Path) -> None:
    assert not runtime.works(tmp_path)  # no interpreter there
    if ROOT:
        python = runtime.ensure_runtime()
        assert runtime.works(python.parent.parent)
        assert runtime.main(["provision", str(python.parent.parent)]) == 0  # cached: fast
    os.chmod(tmp_path, 0o700)
    assert not runtime._world_usable(tmp_path)
