"""The handout away from the kit: unzipped in an empty folder, in a fresh virtual environment
made from its own requirements.txt only, with neither PYTHONPATH nor any kit variable.

One venv for the module (pip from PyPI, about a minute); then the blank notebook fails only at
its stubs, the notebook with the reference's answers pasted in runs clean and writes its plots,
the handout's submit.py packages it, and the kit's grader gives that zip 100/100.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from autograder.sandbox.runtime import PYTHON_ENV
from linclass.assignment import PLOTS, SUBMISSION_ZIP
from release import handout
from release.pipeline import render
from tests import standalone

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "solutions" / "linear_classifiers.ipynb"
NOTEBOOK = "linear_classifiers.ipynb"
STUBS = {"svm_loss_naive", "svm_loss_vectorized", "softmax_loss_naive",
         "softmax_loss_vectorized", "eval_numerical_gradient", "grad_check_sparse",
         "rel_error", "linear_classifier"}
class Away:
    """The unzipped handout and its own environment, far from the kit."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.python = base / "venv" / "bin" / "python"
        self.env = standalone.clean_env(self.python.parent)

    def folder(self, name: str) -> Path:
        """A fresh copy of the unzipped handout folder."""
        return Path(shutil.copytree(self.base / "unzipped" / handout.NAME, self.base / name))

    def run(self, *args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(self.python), *args], cwd=cwd, env={**self.env, **env},
                              capture_output=True, text=True, timeout=900, check=False)

    def execute(self, folder: Path) -> list[list[str]]:
        return standalone.execute(self.python, folder, NOTEBOOK, self.env)


@pytest.fixture(scope="module")
def away(tmp_path_factory: pytest.TempPathFactory) -> Away:
    base = tmp_path_factory.mktemp("away")
    assert ROOT not in base.resolve().parents
    _, archive = handout.build(render(SOURCE), base / "dist")
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(base / "unzipped")
    subprocess.run([sys.executable, "-m", "venv", str(base / "venv")], check=True)
    env = Away(base)
    done = env.run("-m", "pip", "install", "-q", "-r", "requirements.txt",
                   cwd=base / "unzipped" / handout.NAME)
    assert done.returncode == 0, done.stderr[-3000:]
    return env


def with_reference_answers(path: Path) -> None:
    """Paste the reference's answer cells into the student notebook at `path`."""
    answers = {c["metadata"]["nbgrader"]["grade_id"]: c["source"]
               for c in json.loads(SOURCE.read_text(encoding="utf-8"))["cells"]
               if c["metadata"].get("nbgrader", {}).get("solution")}
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        gid = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell["source"] = answers[gid]
    path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")


@pytest.fixture(scope="module")
def solved(away: Away) -> Path:
    """The handout with the reference's answers, run top to bottom and saved."""
    folder = away.folder("solved")
    with_reference_answers(folder / NOTEBOOK)
    assert away.execute(folder) == []
    return folder


def test_the_kernel_is_the_handouts_own(away: Away) -> None:
    folder = away.folder("probe")
    executable, linclass_file, data_file, path = standalone.probe(away.python, folder, away.env)
    assert executable.parent == away.python.parent
    assert linclass_file.parent == folder / "linclass" and data_file.parent == folder / "data"
    assert standalone.kit_entries(path, ROOT) == []


def test_blank_notebook_fails_only_at_its_stubs(away: Away) -> None:
    found = away.execute(away.folder("blank"))
    assert found and {ename for _, ename, _ in found} == {"NotImplementedError"}
    assert {gid for gid, _, _ in found if gid and gid.startswith("check_")} == {
        f"check_{stub}" for stub in STUBS}


def test_answered_notebook_writes_its_plots(solved: Path) -> None:
    for plot in ("examples.png", *PLOTS):
        assert (solved / plot).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", plot


def test_submit_packages_it_and_the_kit_grades_it_100(away: Away, solved: Path,
                                                      tmp_path: Path) -> None:
    before = (solved / NOTEBOOK).read_bytes()
    done = away.run("submit.py", cwd=solved)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "visible checks: all pass" in done.stdout and "WARN" not in done.stdout
    assert (solved / NOTEBOOK).read_bytes() == before
    with zipfile.ZipFile(solved / SUBMISSION_ZIP) as zf:
        assert sorted(zf.namelist()) == sorted([NOTEBOOK, *PLOTS])
    results = tmp_path / "results.json"
    graded = subprocess.run([sys.executable, "-m", "autograder", "grade",
                             str(solved / SUBMISSION_ZIP), "--results", str(results)],
                            cwd=ROOT, env=kit_env(), capture_output=True, text=True,
                            timeout=600, check=False)
    assert graded.returncode == 0, graded.stderr[-3000:]
    assert json.loads(results.read_text())["score"] == 100


def test_submit_from_outside_the_handout_folder(away: Away, solved: Path) -> None:
    outside = away.base / "elsewhere"
    outside.mkdir(exist_ok=True)
    done = away.run(str(solved / "submit.py"), "--skip-checks", "--out", str(outside),
                    cwd=outside)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"outside the handout folder: checked the notebook in {solved}" in done.stdout
    assert (outside / SUBMISSION_ZIP).is_file()


def kit_env() -> dict[str, str]:
    """The kit's grader as `python3 kit.py run` starts it (as root: a worker interpreter
    that the unprivileged worker user may run)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if os.name == "posix" and os.geteuid() == 0 and PYTHON_ENV not in env:
        from autograder.sandbox.runtime import ensure_runtime

        env[PYTHON_ENV] = str(ensure_runtime())
    return env
