"""The grader run by an ordinary user, for real: the hostile corpus and a hostile grade.

Most TAs grade as themselves. As root (CI) these tests become `nobody` (uid 65534) and
run the grader with a world-usable venv holding the grader's pins (built once, then
reused: autograder.sandbox.runtime.provision_grader), on a copy of the kit the user can read
(the root grades of this session close the real one to other users). Without root they
run as the current user, which is the same path.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from assignments.linear_classifiers.rubric import ITEMS
from autograder.report import results
from autograder.sandbox import runtime
from tests import notebooks
from tests.corpus import by_id, hostile

ROOT = os.geteuid() == 0
KIT = Path(__file__).resolve().parents[1]
GRADER_VENV = Path("/opt/lcgrader-grader")
NOBODY = 65534
COPIED = ("autograder", "assignments", "linclass", "tests", "solutions", "pyproject.toml")


@pytest.fixture(scope="module")
def worker_python() -> str:
    """As root, a runtime the sandbox user can execute; otherwise our own interpreter."""
    return str(runtime.ensure_runtime()) if ROOT else sys.executable


@pytest.fixture(scope="module")
def grader_python() -> str:
    return str(runtime.provision_grader(GRADER_VENV)) if ROOT else sys.executable


@pytest.fixture(scope="module")
def kit() -> Iterator[Path]:
    """A copy of the kit, readable by the ordinary user, and a home of theirs."""
    top = Path(tempfile.mkdtemp(prefix="lcgrader-kit-"))
    for name in COPIED:
        source, target = KIT / name, top / "kit" / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, target)
    home = top / "home"
    home.mkdir()
    (home / ".lcgrader-secret").write_text("secret of the TA\n")
    for path in [top, *top.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    if ROOT:
        for path in [top, *top.rglob("*")]:
            os.chown(path, NOBODY, NOBODY)
    yield top
    shutil.rmtree(top, ignore_errors=True)


def as_user(command: list[str], kit: Path, timeout: float) -> subprocess.CompletedProcess:
    """Run ``command`` in the kit copy as the ordinary user, with a plain environment."""
    def drop() -> None:
        if ROOT:
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)

    env = {"PATH": "/usr/bin:/bin", "HOME": str(kit / "home"), "PYTHONPATH": str(kit / "kit"),
           "LANG": "C.UTF-8", "TMPDIR": str(kit)}
    return subprocess.run(command, cwd=kit / "kit", env=env, preexec_fn=drop,
                          capture_output=True, text=True, timeout=timeout, check=False)


def test_hostile_corpus_as_an_ordinary_user(grader_python: str, kit: Path) -> None:
    done = as_user([grader_python, "-m", "pytest", "tests/test_hostile.py", "-q", "-x",
                    "-p", "no:cacheprovider", "-W", "ignore"], kit, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]


def test_hostile_grade_as_an_ordinary_user(grader_python: str, kit: Path) -> None:
    """Another copy of the solutions, the kit's tests/, the TA's home, the grader's and
    its ancestors' /proc files and signals: all refused, no points, a valid results.json."""
    case = by_id(hostile.CASES)["reaches_outside_the_allowlist"]
    copy = kit / "kit" / "solutions"
    notebook = notebooks.build(kit / "submission", [case], substitutions={
        "__ROOT__": str(kit / "kit"), "__COPY__": str(copy), "__HOME__": str(kit / "home")})
    notebook.parent.chmod(0o755)
    notebook.chmod(0o644)
    out = kit / "results.json"
    done = as_user([grader_python, "-m", "autograder", "grade", str(notebook),
                    "--results", str(out)], kit, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    document = json.loads(out.read_text())
    assert len(document["tests"]) == len(ITEMS)
    assert document["score"] <= case.score and not any(map(results.is_grader_error,
                                                           document["tests"]))
    assert case.evidence in json.dumps(document)
    assert "landlock-fs" in done.stderr and "missing isolation layer" not in done.stderr
    assert "secret of the TA" not in json.dumps(document)


# A grader running WITHOUT root, for real: as root we can become `nobody` and run one.
UNPRIVILEGED_GRADER = textwrap.dedent('''
    import json, os, sys, time
    sys.path.insert(0, sys.argv[1])
    from autograder.sandbox import isolation
    from autograder.sandbox.client import Limits, Sandbox

    SRC = """
    import os, time
    def add(a, b):
        return a + b
    def bomb():
        n = 0
        while True:
            try:
                pid = os.fork()
            except OSError:
                return n
            if pid == 0:
                time.sleep(60)
                os._exit(0)
            n += 1
    def daemon(path):
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                for n in range(10**6):
                    with open(path, "w") as f:
                        f.write(str(n))
                    time.sleep(0.02)
            os._exit(0)
        for _ in range(200):  # the call's own group is killed when it returns: wait for
            if os.path.exists(path):  # the daemon to have left it
                break
            time.sleep(0.01)
        return True
    """
    out = {"uid": os.getuid()}
    with Sandbox(SRC, python=sys.executable, limits=Limits(processes=24),
                 writable=[os.path.dirname(sys.argv[2])]) as sb:
        out["add"] = sb.call("call", "add", 2, 3).value
        out["daemon"] = sb.call("call", "daemon", sys.argv[2]).value
        for _ in range(100):
            if os.path.exists(sys.argv[2]):
                break
            time.sleep(0.03)
        out["bomb"] = sb.call("call", "bomb", timeout=20).value
        out["layers"] = sb.layers
        pid, token = sb.life.worker.proc.pid, sb.life.token
    spec = isolation.KillSpec(pid, token, os.getuid(), None)
    out["left"] = sorted(isolation.cleanup._select(isolation.scan_processes(), spec, {pid}))
    beat = open(sys.argv[2]).read()
    time.sleep(0.5)
    out["daemon_dead"] = open(sys.argv[2]).read() == beat
    print(json.dumps(out))
''')


@pytest.mark.skipif(not ROOT, reason="becoming another user needs root; without root the "
                                     "whole suite already runs this path")
def test_unprivileged_grader_for_real(worker_python: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o777)
        pkg = Path(tmp, "pkg", "autograder")
        shutil.copytree(KIT / "autograder", pkg, ignore=shutil.ignore_patterns(
            "__pycache__", "hidden", "reference*"))
        for p in [pkg.parent, *pkg.parent.rglob("*")]:
            os.chmod(p, 0o755 if p.is_dir() else 0o644)
        done = subprocess.run(
            [worker_python, "-I", "-c", UNPRIVILEGED_GRADER, str(pkg.parent), f"{tmp}/beat"],
            capture_output=True, text=True, timeout=60, cwd=tmp, check=False,
            env={"PATH": "/usr/bin:/bin", "HOME": tmp},
            preexec_fn=lambda: (os.setgroups([]), os.setgid(65534), os.setuid(65534)))
        assert done.returncode == 0, done.stderr
        out = json.loads(done.stdout)
    assert out["uid"] == 65534 and out["add"] == 5 and out["daemon"] is True
    assert 0 < out["bomb"] <= 24  # RLIMIT_NPROC counted from the user's current threads
    assert out["left"] == [] and out["daemon_dead"] is True
    assert "rlimits" in out["layers"] and "cleanup:process-tree" in out["layers"]
    assert not any(x.startswith("user:") for x in out["layers"])
