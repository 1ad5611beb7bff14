"""autograder.zip as Gradescope uses it: unpacked into a root, run on real submissions."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

from assignments.linear_classifiers.rubric import ITEMS
from autograder.integrations.gradescope import package
from autograder.sandbox.runtime import PYTHON_ENV

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "solutions" / "linear_classifiers.ipynb"
BLANK = ROOT / "assignment" / "linear_classifiers.ipynb"
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian 12's, with its EXTERNALLY-MANAGED marker


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return package.build(tmp_path_factory.mktemp("dist") / "autograder.zip")


def unpack(archive: Path, root: Path, submission: bytes | None) -> Path:
    """An /autograder-like root: source/ from the zip, submission/ with one notebook."""
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(root / "source")
    for name in package.EXECUTABLE:
        (root / "source" / name).chmod(0o755)
    (root / "submission").mkdir()
    if submission is not None:
        (root / "submission" / "linear_classifiers (2).ipynb").write_bytes(submission)
    return root


def run_autograder(root: Path, python: str = sys.executable, env: dict | None = None) -> dict:
    env = {**(env or {**os.environ, "AUTOGRADER_PYTHON": python}), "AUTOGRADER_ROOT": str(root)}
    done = subprocess.run([str(root / "source" / "run_autograder")], env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads((root / "results" / "results.json").read_text())


def test_zip_holds_the_grader_and_nothing_for_students_to_see(archive: Path) -> None:
    names = zipfile.ZipFile(archive).namelist()
    assert {"setup.sh", "run_autograder", "requirements-grader.txt"} <= set(names)
    assert "solutions/linear_classifiers.ipynb" in names
    assert any(n.startswith("assignments/linear_classifiers/hidden/test_") for n in names)
    assert not any(n.startswith(("assignment/", "tests/", "data/", ".venv")) or "__pycache__" in n
                   for n in names)


def test_zip_holds_no_batch_and_no_dask(archive: Path) -> None:
    """Gradescope grades one submission: neither the batch's modules nor the TAs' cluster
    extra (requirements-cluster.txt) belong in its zip."""
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
        pins = zf.read("requirements-grader.txt").decode().lower()
    assert not any(n.startswith("autograder/batch/") for n in names)
    assert "dask" not in pins and "distributed" not in pins


def test_zip_is_reproducible(archive: Path, tmp_path: Path) -> None:
    assert package.build(tmp_path / "again.zip").read_bytes() == archive.read_bytes()


@pytest.mark.parametrize("submission, score", [
    (REFERENCE.read_bytes(), 100), (BLANK.read_bytes(), 0), (b"{not a notebook", 0), (None, 0)])
def test_run_autograder_always_writes_results(archive: Path, tmp_path: Path,
                                              submission: bytes | None, score: int) -> None:
    results = run_autograder(unpack(archive, tmp_path, submission))
    assert results["score"] == score
    assert len(results["tests"]) == len(ITEMS)


def test_setup_sh_installs_into_its_own_venv(archive: Path, tmp_path: Path) -> None:
    """setup.sh (all but apt) with the system's python3, which on this Debian 12 refuses
    system-wide installs (PEP 668); then run_autograder with that venv for the grader and,
    as root, for the sandbox user's worker too."""
    root = unpack(archive, tmp_path / "autograder", REFERENCE.read_bytes())
    folder = Path(tempfile.mkdtemp(prefix="lcgrader-venv-"))  # reachable by the sandbox user
    folder.chmod(0o755)
    try:
        env = {**os.environ, "AUTOGRADER_SKIP_APT": "1", "AUTOGRADER_VENV": str(folder / "v"),
               "AUTOGRADER_BASE_PYTHON": SYSTEM_PYTHON}
        env.pop(PYTHON_ENV, None)
        subprocess.run(["bash", str(root / "source" / "setup.sh")], env=env, check=True,
                       capture_output=True, timeout=600)
        assert (folder / "v" / "pyvenv.cfg").exists()
        del env["AUTOGRADER_BASE_PYTHON"]
        results = run_autograder(root, env=env)
    finally:
        shutil.rmtree(folder)
    assert results["score"] == 100, results["output"]


def test_system_python_is_externally_managed() -> None:
    """What makes the venv necessary here (and on Ubuntu 24.04): pip refuses the system."""
    done = subprocess.run([SYSTEM_PYTHON, "-m", "pip", "install", "--dry-run", "numpy"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode != 0 and "externally-managed-environment" in done.stderr
