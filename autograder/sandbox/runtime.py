"""A Python + numpy runtime that the unprivileged sandbox user can execute.

When the grader runs as root its own interpreter may live where the sandbox
user cannot go (here: /root/.pyenv, mode 700). ``provision()`` builds a venv
from the system Python at a world-readable place and installs the pinned numpy:

    python3 -m autograder.sandbox.runtime provision /opt/lcgrader-python
    # prints /opt/lcgrader-python/bin/python -> AUTOGRADER_WORKER_PYTHON (PYTHON_ENV)

Re-running it is cheap: a DEST that already works is left alone.
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path

from autograder import paths

# The worker's interpreter, when not the grader's own (as root: one the sandbox user can run).
PYTHON_ENV = "AUTOGRADER_WORKER_PYTHON"
DEFAULT_DEST = Path("/opt/lcgrader-python")
BASE_PYTHON = "/usr/bin/python3"
NUMPY = "numpy==2.4.6"
PROVISION_HINT = (f"run `python3 -m autograder.sandbox.runtime provision {DEFAULT_DEST}` as root "
                  f"and set {PYTHON_ENV}={DEFAULT_DEST}/bin/python (or pass python=...)")
_CHECK = "import sys, numpy; print(sys.version_info >= (3, 10), numpy.__version__)"


def interpreter(dest: str | Path) -> Path:
    """The venv's python inside ``dest``."""
    return Path(dest) / "bin" / "python"


def _run(cmd: list[str], timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)


def works(dest: str | Path, numpy_spec: str = NUMPY) -> bool:
    """DEST's python imports the pinned numpy, and everyone may read and run it."""
    python = interpreter(dest)
    if not python.exists() or not _world_usable(Path(dest)):
        return False
    done = _run([str(python), "-I", "-c", _CHECK], timeout=120)
    want = numpy_spec.partition("==")[2]
    return done.returncode == 0 and done.stdout.split() == ["True", want or done.stdout.split()[-1]]


def _world_usable(dest: Path) -> bool:
    """Every directory from / down to DEST is o+x and DEST itself o+rx."""
    for p in [*reversed(dest.resolve().parents), dest.resolve()]:
        if not os.stat(p).st_mode & 0o001:
            return False
    return bool(os.stat(dest).st_mode & 0o004)


def provision(dest: str | Path = DEFAULT_DEST, *, base_python: str = BASE_PYTHON,
              numpy_spec: str = NUMPY, force: bool = False) -> Path:
    """Create (or keep) the runtime at ``dest``; return its interpreter."""
    dest = Path(dest)
    if not force and works(dest, numpy_spec):
        return interpreter(dest)
    old = os.umask(0o022)
    try:
        _make_venv(dest, base_python)
        _install(dest, numpy_spec)
    finally:
        os.umask(old)
    _open_up(dest)
    if not works(dest, numpy_spec):
        raise RuntimeError(f"{dest} was built but does not import {numpy_spec}")
    return interpreter(dest)


def _make_venv(dest: Path, base_python: str) -> None:
    """A venv with pip; without ensurepip (Ubuntu minus python3-venv) one without pip."""
    done = _run([base_python, "-m", "venv", "--clear", str(dest)])
    if done.returncode != 0:
        done = _run([base_python, "-m", "venv", "--clear", "--without-pip", str(dest)])
    if done.returncode != 0:
        raise RuntimeError(f"could not create a venv with {base_python}: {done.stderr[-800:]}")


def _install(dest: Path, numpy_spec: str) -> None:
    """pip install into the venv: its own pip if it has one, else ours via --python."""
    python = str(interpreter(dest))
    own = _run([python, "-m", "pip", "--version"], timeout=60).returncode == 0
    pip = [python, "-m", "pip"] if own else [sys.executable, "-m", "pip", "--python", python]
    done = _run([*pip, "install", "--no-cache-dir", "--disable-pip-version-check",
                 "--no-input", "--only-binary=:all:", numpy_spec])
    if done.returncode != 0:
        raise RuntimeError(f"could not install {numpy_spec} into {dest}: {done.stderr[-1500:]}")


def _open_up(dest: Path) -> None:
    """a+rX on the whole tree: the sandbox user reads and executes, nobody else writes."""
    for root, dirs, files in os.walk(dest):
        for name in dirs + files:
            p = os.path.join(root, name)
            if not os.path.islink(p):
                mode = os.stat(p).st_mode
                os.chmod(p, (mode | 0o444 | (0o111 if mode & 0o100 else 0)) & ~0o022)
    os.chmod(dest, 0o755)


GRADER_REQUIREMENTS = paths.GRADESCOPE / "requirements.txt"
_GRADER_CHECK = "import numpy, pytest"


def provision_grader(dest: str | Path, *, base_python: str = BASE_PYTHON) -> Path:
    """A world-usable venv with everything the *grader* needs (Gradescope's pins): for
    running the grader itself as an ordinary user when ours lives in root's home."""
    dest, python = Path(dest), interpreter(dest)
    if python.exists() and _world_usable(dest) and \
            _run([str(python), "-I", "-c", _GRADER_CHECK], timeout=120).returncode == 0:
        return python
    old = os.umask(0o022)
    try:
        _make_venv(dest, base_python)
        _install(dest, "-r" + str(GRADER_REQUIREMENTS))
    finally:
        os.umask(old)
    _open_up(dest)
    return python


@functools.cache
def ensure_runtime(dest: str | Path = DEFAULT_DEST) -> Path:
    """provision() once per process (tests call this; a working DEST costs one check)."""
    return provision(dest)


def main(argv: list[str] | None = None) -> int:
    """CLI: ``python -m autograder.sandbox.runtime provision [DEST] [--numpy SPEC] [--force]``."""
    ap = argparse.ArgumentParser(prog="python -m autograder.sandbox.runtime", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("provision", help="build (or keep) the worker runtime, print its python")
    p.add_argument("dest", nargs="?", default=str(DEFAULT_DEST))
    p.add_argument("--base-python", default=BASE_PYTHON)
    p.add_argument("--numpy", default=NUMPY, help="pip requirement for numpy")
    p.add_argument("--force", action="store_true", help="rebuild even if DEST works")
    args = ap.parse_args(argv)
    if shutil.which(args.base_python) is None and not os.path.exists(args.base_python):
        print(f"error: {args.base_python} not found", file=sys.stderr)
        return 2
    try:
        print(provision(args.dest, base_python=args.base_python, numpy_spec=args.numpy,
                        force=args.force))
    except (RuntimeError, OSError, subprocess.SubprocessError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
