"""grade-all on a Dask cluster against the local pool: the same 100 submissions, this machine.

    python bench/cluster.py [--repeats 3] [--workers 2]

Starts a real cluster the way README says a TA does (`dask scheduler`, then `dask worker
--nworkers 2 --nthreads 1`, both in the kit's environment), then runs, interleaved,
`python -m autograder grade-all DIR --jobs 2` and `... --scheduler ADDRESS` on
bench/grading.py's batch of 100 (60 references, 10 blank, 30 with a mistake). Reports the
median wall time of each and, per back-to-back pair, the ratio and the cluster's overhead
per submission ((cluster - local) / 100), as medians over the pairs. The cluster's own
start is outside the timed runs, as a TA's cluster is up before the batch. Both
gradebooks must agree.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common
from bench.common import Row
from bench.grading import make_batch


@contextlib.contextmanager
def dask_cluster(folder: Path, workers: int, env: dict[str, str]) -> Iterator[str]:
    """A scheduler and `workers` single-threaded worker processes; yields its address."""
    file = folder / "scheduler.json"
    dask = str(Path(sys.executable).parent / "dask")   # the kit's venv's command
    scheduler = subprocess.Popen([dask, "scheduler", "--scheduler-file", str(file),
                                  "--no-dashboard"], env=env, stderr=subprocess.DEVNULL)
    worker = None
    try:
        while not file.exists():
            time.sleep(0.1)
        worker = subprocess.Popen([dask, "worker", "--scheduler-file", str(file),
                                   "--nworkers", str(workers), "--nthreads", "1",
                                   "--no-dashboard"], env=env, stderr=subprocess.DEVNULL)
        yield json.loads(file.read_text())["address"]
    finally:
        for process in (worker, scheduler):
            if process is not None:
                process.terminate()
                process.wait(timeout=60)


def run(source: Path, out: Path, how: list[str], env: dict[str, str]) -> float:
    cmd = [sys.executable, "-m", "autograder", "grade-all", str(source), "--out", str(out),
           *how]
    wall, done = common.run_timed(cmd, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(how)} failed:\n{done.stderr[-2000:]}")
    return wall


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv[1:])
    command = common.print_header(argv, "cluster.py")
    env = common.kit_env()
    walls: dict[str, list[float]] = {"local": [], "cluster": []}
    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as tmp:
        source = Path(tmp) / "submissions"
        n = len(make_batch(source))
        with dask_cluster(Path(tmp), args.workers, env) as address:
            run(source, Path(tmp) / "warm", ["--scheduler", address], env)  # workers joined
            for k in range(args.repeats):
                for name, how in (("local", ["--jobs", str(args.workers)]),
                                  ("cluster", ["--scheduler", address])):
                    out = Path(tmp) / f"{name}{k}"
                    walls[name].append(run(source, out, how, env))
                    print(f"  run {k + 1}/{args.repeats}, {name}: {walls[name][-1]:.1f} s",
                          flush=True)
                same = ((Path(tmp) / f"local{k}" / "gradebook.csv").read_text()
                        == (Path(tmp) / f"cluster{k}" / "gradebook.csv").read_text())
                if not same:
                    raise RuntimeError("the cluster's gradebook differs from the local pool's")
                for name in walls:
                    shutil.rmtree(Path(tmp) / f"{name}{k}")
    local, cluster = (common.median(walls[k]) for k in ("local", "cluster"))
    # Each pair ran back to back: its ratio and difference see the same load.
    pairs = list(zip(walls["cluster"], walls["local"], strict=True))
    ratios = [c / lo for c, lo in pairs]
    overheads = [(c - lo) / n * 1000 for c, lo in pairs]
    print(f"\n{n} submissions: --jobs {args.workers} {local:.1f} s (range "
          f"{common.spread(walls['local'])}), Dask with {args.workers} workers {cluster:.1f} s "
          f"(range {common.spread(walls['cluster'])}); pairwise ratio {common.median(ratios):.2f} "
          f"(range {common.spread(ratios)}), overhead {common.median(overheads):+.0f} ms per "
          f"submission (range {common.spread(overheads)}); gradebooks equal")
    rows = [Row("cluster", f"{n} submissions, Dask {args.workers} workers / --jobs "
                f"{args.workers} (wall ratio, median of pairs)", common.median(ratios), "x",
                samples=ratios, note=f"medians {cluster:.1f} s and {local:.1f} s"),
            Row("cluster", "Dask overhead per submission (median of pairs)",
                common.median(overheads), "ms", samples=overheads)]
    common.print_rows(rows)
    common.save("cluster", command, rows, {"walls": walls, "n": n, "workers": args.workers})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
