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
