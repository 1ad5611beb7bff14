"""Shared helpers of the benchmarks: timing, BLAS facts, extra venvs, results files.

Every benchmark script prints the exact command that ran it, then medians and ratios
measured in that one run, and writes the same figures to bench/out/<area>.json, from
which bench/run_all.py builds bench/RESULTS.md and docs/figures/bench.png.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time
import venv
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from autograder.sandbox.runtime import PYTHON_ENV
from linclass.assignment import NOTEBOOK

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"                       # JSON of the last run of each area (not versioned)
SOLUTIONS = ROOT / "solutions" / NOTEBOOK
ASSIGNMENT = ROOT / "assignment" / NOTEBOOK
REQUIREMENTS = ROOT / "requirements.txt"
GRADESCOPE_MB = 768                       # Gradescope's default container memory


# ---------------------------------------------------------------- timing

def times_of(fn: Callable[[], Any], repeats: int, warmup: int = 1) -> list[float]:
    """Wall times in seconds of `repeats` calls of fn, after `warmup` untimed calls."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def interleaved(fns: dict[str, Callable[[], Any]], repeats: int, warmup: int = 1,
                cpu: dict[str, list[float]] | None = None) -> dict[str, list[float]]:
    """Time several functions round-robin, so drift (heat, neighbours) hits all alike.

    Returns wall times; with `cpu`, also fills it with this process's CPU seconds per call
    (close to the wall time on an idle machine when BLAS runs one thread).
    """
    for fn in fns.values():
        for _ in range(warmup):
            fn()
    out: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            fn()
            out[name].append(time.perf_counter() - start)
            if cpu is not None:
                cpu.setdefault(name, []).append(time.process_time() - start_cpu)
    return out


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def spread(values: Sequence[float]) -> str:
    """min-max of a sample, for the printed tables."""
    return f"{min(values):.4g}-{max(values):.4g}"


def run_timed(cmd: Sequence[str], *, env: dict[str, str] | None = None, cwd: Path = ROOT,
              check: bool = True, timeout: float = 3600) -> tuple[float, subprocess.CompletedProcess]:
    """Run a command to completion; its wall time in seconds and the finished process."""
    start = time.perf_counter()
    done = subprocess.run(list(cmd), cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)
    elapsed = time.perf_counter() - start
    if check and done.returncode != 0:
        raise RuntimeError(f"{shlex.join(cmd)} exited {done.returncode}:\n"
                           f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return elapsed, done


# ---------------------------------------------------------------- environment

def blas_info() -> list[dict[str, Any]]:
    """What threadpoolctl sees in this process: library, kernel (architecture), threads."""
    from threadpoolctl import threadpool_info

    keep = ("user_api", "internal_api", "version", "architecture", "num_threads",
            "threading_layer", "filepath")
    return [{k: pool.get(k) for k in keep} for pool in threadpool_info()]


def blas_line(info: list[dict[str, Any]] | None = None) -> str:
    info = blas_info() if info is None else info
    parts = [f"{p['internal_api']} {p['version']} kernel={p.get('architecture')} "
             f"threads={p['num_threads']}" for p in info if p["user_api"] == "blas"]
    return "; ".join(parts) or "no BLAS found by threadpoolctl"


def environment() -> dict[str, Any]:
    import numpy as np

    return {
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "machine": platform.machine(),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "loadavg": [round(x, 2) for x in os.getloadavg()],
        "blas": blas_info(),
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE", "(unset)"),
        "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS", "(unset)"),
        "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "(unset)"),
        "commit": _commit(),
    }


def _commit() -> str:
    """The checked-out commit (read-only git), '+' when the tree has uncommitted changes."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=ROOT, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+" if dirty.strip() else "")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def print_header(argv: Sequence[str], script: str) -> str:
    """Print and return the exact command, then the machine and BLAS facts."""
    command = shlex.join(["python", f"bench/{script}", *argv[1:]])
    print(f"$ {command}")
    env = environment()
    print(f"python {env['python']}, numpy {env['numpy']}, {env['cores']} cores, {env['cpu']}, "
          f"load average {env['loadavg']} (other work on this machine skews timings)")
    print(f"BLAS (threadpoolctl): {blas_line(env['blas'])}; OPENBLAS_CORETYPE="
          f"{env['OPENBLAS_CORETYPE']}")
    return command


def kit_env(**extra: str) -> dict[str, str]:
    """The environment for the kit's own commands: PYTHONPATH=root, the worker runtime."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), **extra}
    env.update(worker_python())
    return env


def worker_python() -> dict[str, str]:
    """As root, the grader needs a world-readable interpreter for its worker (see kit.py)."""
    if os.name != "posix" or os.geteuid() != 0 or os.environ.get(PYTHON_ENV):
        return {}
    done = subprocess.run([sys.executable, "-m", "autograder.sandbox.runtime", "provision"], cwd=ROOT,
                          capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    if done.returncode != 0:
        raise RuntimeError(f"could not provision the worker runtime:\n{done.stderr}")
    path = done.stdout.strip().splitlines()[-1]
    os.environ[PYTHON_ENV] = path
    return {PYTHON_ENV: path}


def cifar_dir() -> Path | None:
    """$CIFAR10_DIR, else data/cifar-10-batches-py, else shared/data beside the clone."""
    candidates = [os.environ.get("CIFAR10_DIR"), ROOT / "data" / "cifar-10-batches-py",
                  ROOT.parent / "shared" / "data" / "cifar-10-batches-py"]
    for c in candidates:
        if c and (Path(c) / "data_batch_1").exists():
            return Path(c)
    return None


# ---------------------------------------------------------------- extra venvs

def ensure_venv(name: str, packages: Sequence[str], *, requirements: Path | None = None
                ) -> Path:
    """bench/.venv-<name> holding exactly `packages` (+ a requirements file); its python.

    Re-installs only when the list changes (a stamp file holds its hash). The folder
    matches the kit's .gitignore pattern `.venv-*/`.
    """
    folder = BENCH / f".venv-{name}"
    python = folder / "bin" / "python"
    spec = "\n".join([*packages, requirements.read_text() if requirements else ""])
    wanted = hashlib.sha256(spec.encode()).hexdigest()
    stamp = folder / "bench-stamp.sha256"
    if python.exists() and stamp.exists() and stamp.read_text().strip() == wanted:
        return python
    if not python.exists():
        print(f"bench: creating {folder.relative_to(ROOT)}/ ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(folder)
    print(f"bench: installing into {folder.relative_to(ROOT)}/: "
          f"{' '.join(packages)}{' -r ' + requirements.name if requirements else ''}", flush=True)
    cmd = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *packages]
    if requirements:
        cmd += ["-r", str(requirements)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"pip failed in {folder}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    stamp.write_text(wanted + "\n")
    return python


def venv_env(python: Path, **extra: str) -> dict[str, str]:
    """Environment that runs commands (and Jupyter kernels) from that venv first."""
    bin_dir = str(python.parent)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
               VIRTUAL_ENV=str(python.parent.parent), **extra)
    return env


def pinned(name: str) -> str:
    """The kit's pin of a package in requirements.txt, e.g. 'numpy==2.4.6'."""
    for line in REQUIREMENTS.read_text().splitlines():
        if line.split("==")[0].strip().lower() == name.lower():
            return line.strip()
    return name


# ---------------------------------------------------------------- results

@dataclass
class Row:
    """One line of RESULTS.md: a goal, its measured median and whether it was met."""

    area: str
    metric: str
    measured: float
    unit: str
    goal: float | None = None       # measured <= goal is met (None: reported only)
    note: str = ""
    samples: list[float] = field(default_factory=list)

    @property
    def met(self) -> bool | None:
        return None if self.goal is None else self.measured <= self.goal


def save(area: str, command: str, rows: list[Row], details: dict[str, Any]) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{area}.json"
    doc = {"area": area, "command": command, "when": time.strftime("%Y-%m-%d %H:%M:%S"),
           "environment": environment(),
           "rows": [{**asdict(r), "met": r.met} for r in rows], "details": details}
    path.write_text(json.dumps(doc, indent=1, default=float) + "\n")
    print(f"\nwrote {path.relative_to(ROOT)}")
    return path


def print_rows(rows: list[Row]) -> None:
    print(f"\n{'metric':58s} {'median':>10s} {'goal':>9s}  met")
    for r in rows:
        goal = "" if r.goal is None else f"{r.goal:g}"
        met = "" if r.met is None else ("yes" if r.met else "NO")
        print(f"{r.metric:58s} {r.measured:10.4g} {goal:>9s}  {met}  {r.unit} {r.note}")
