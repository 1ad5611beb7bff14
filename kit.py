#!/usr/bin/env python3
"""Set up and run the course kit with nothing but Python >= 3.10.

    python3 kit.py demo      the main job: grade the reference and the blank notebook
    python3 kit.py test      the kit's own checks: lint, 3.10 compatibility, release, pytest
    python3 kit.py run ...   any command inside the kit's environment, e.g.
                             python3 kit.py run python -m autograder grade my.ipynb

Each command first makes sure `.venv` holds exactly the pinned requirements.txt and
requirements-cluster.txt (re-installing only when they change), so a fresh clone needs no
other step.
"""

from __future__ import annotations

import functools
import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
# The kit's pins, then the TAs' extra for grading on a Dask cluster (not in Gradescope's zip).
REQUIREMENTS = [ROOT / "requirements.txt", ROOT / "requirements-cluster.txt"]
STAMP = VENV / "requirements.sha256"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
# What the kit's own lint and Python 3.10 checks cover: code the grader and students run.
CODE = ["autograder", "assignments", "data", "linclass", "release", "nbgrader_course", "tests",
        "bench", "kit.py"]


def ensure_environment() -> None:
    """Create or refresh .venv so that it matches the requirements files."""
    wanted = hashlib.sha256(b"".join(r.read_bytes() for r in REQUIREMENTS)).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    if not (BIN / "python").exists():
        print(f"kit: creating {VENV.name}/ ...", flush=True)
        try:
            venv.EnvBuilder(with_pip=True).create(VENV)
        except (OSError, subprocess.CalledProcessError) as exc:  # usually: no ensurepip
            sys.exit(f"kit: cannot create a virtual environment ({exc}); "
                     "on Debian/Ubuntu install it with `apt install python3-venv`")
    print("kit: installing the pinned requirements (about 30 s the first time) ...", flush=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, *(f"-r{r}" for r in REQUIREMENTS)], check=True)
    STAMP.write_text(wanted + "\n")


@functools.cache
def worker_python() -> dict[str, str]:
    """As root, the student's code runs as an unprivileged user, who cannot execute an
    interpreter kept in root's home (pyenv): provide a world-readable one for it."""
    # The system python runs this before .venv exists: runtime.py imports only stdlib.
    from autograder.sandbox.runtime import PYTHON_ENV

    if os.name != "posix" or os.geteuid() != 0 or PYTHON_ENV in os.environ:
        return {}
    done = subprocess.run([str(BIN / "python"), "-m", "autograder.sandbox.runtime", "provision"],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"kit: could not provision the grader's worker runtime:\n{done.stderr}")
    return {PYTHON_ENV: done.stdout.strip().splitlines()[-1]}


def run(*command: str) -> int:
    """Run a command with the kit's environment first on PATH; return its exit status."""
    env = {**os.environ, **worker_python(), "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
           "VIRTUAL_ENV": str(VENV), "PYTHONPATH": str(ROOT)}
    return subprocess.run(list(command), check=False, cwd=ROOT, env=env).returncode


def demo() -> int:
    """The main job."""
    return run("python", "-m", "autograder", "demo")


def test() -> int:
    """Lint, Python 3.10 compatibility, a fresh release, then the test suite."""
    code = [c for c in CODE if (ROOT / c).exists()]
    steps = [
        ("ruff", ["ruff", "check", *code]),
        ("vermin", ["vermin", "--no-tips", "--violations", "-t=3.10-", "--eval-annotations",
                    "--backport", "typing", *code]),
        ("release", ["python", "-m", "release", "--check"]),
        ("pytest", ["python", "-m", "pytest", *sys.argv[2:]]),
    ]
    for name, command in steps:
        print(f"kit: {name}", flush=True)
        status = run(*command)
        if status != 0:
            print(f"kit: {name} failed (exit {status})", file=sys.stderr)
            return status
    return 0


def main(argv: list[str]) -> int:
    commands = {"demo": demo, "test": test}
    if len(argv) < 2 or argv[1] not in {*commands, "run", "setup"}:
        print(__doc__.strip())
        return 2
    ensure_environment()
    if argv[1] == "setup":
        return 0
    if argv[1] == "run":
        return run(*argv[2:]) if len(argv) > 2 else 2
    return commands[argv[1]]()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
