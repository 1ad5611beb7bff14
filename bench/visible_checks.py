"""How long the notebook's visible checks take, all together, on the digits.

    python bench/visible_checks.py [--repeats 7]

One real kernel (tests/visible_run.py) runs the student notebook's setup on the digits and
the reference answers, then executes every check cell (`check_...`) of the notebook in
order, --repeats times. Prints the median and range of the total, as a student's Jupyter
sees it (from sending the first cell to the last reply), the time inside the kernel
(perf_counter around each cell), and the slowest cell. The goal: at most 2 s in total.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import print_header
from tests.notebooks import grade_id
from tests.visible_run import CheckKernel, check_kernel

GOAL = 2.0
TIMED = ("import time as _time\n_t0 = _time.perf_counter()\n"
         "get_ipython().run_cell({source!r})\n"
         "print(f'kernel seconds {{_time.perf_counter() - _t0:.6f}}')")


def check_sources(kernel: CheckKernel) -> dict[str, str]:
    return {grade_id(c): c.source for c in kernel.cells
            if (grade_id(c) or "").startswith("check_")}


def one_round(kernel: CheckKernel, sources: dict[str, str]) -> tuple[float, dict[str, float]]:
    """(wall seconds of all check cells, {cell: seconds inside the kernel})."""
    inside, start = {}, time.perf_counter()
    for gid, source in sources.items():
        cell = kernel.execute(TIMED.format(source=source))
        text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        if "CheckFailed" in text or any(o.output_type == "error" for o in cell.outputs):
            raise SystemExit(f"{gid} failed on the reference: {text[-300:]}")
        inside[gid] = float(text.rsplit("kernel seconds ", 1)[1].split()[0])
    return time.perf_counter() - start, inside


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python bench/visible_checks.py")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv[1:])
    print_header(argv, "visible_checks.py")
    with tempfile.TemporaryDirectory() as workdir, check_kernel(Path(workdir)) as kernel:
        kernel.reset()
        sources = check_sources(kernel)
        rounds = [one_round(kernel, sources) for _ in range(args.repeats)]
    walls = [wall for wall, _ in rounds]
    inside = [sum(cells.values()) for _, cells in rounds]
    per_cell = {gid: statistics.median(r[1][gid] for r in rounds) for gid in sources}
    slowest = max(per_cell, key=per_cell.get)
    print(f"{len(sources)} check cells, {args.repeats} rounds on the digits:")
    print(f"  all visible checks: median {statistics.median(walls):.3f} s "
          f"(range {min(walls):.3f}-{max(walls):.3f} s) in Jupyter, median "
          f"{statistics.median(inside):.3f} s inside the kernel; goal <= {GOAL:g} s")
    for gid, seconds in per_cell.items():
        print(f"  {gid:32s} {seconds * 1e3:7.1f} ms" + ("  (slowest)" if gid == slowest else ""))
    return 0 if statistics.median(walls) <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
