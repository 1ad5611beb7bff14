"""Memory: peak RSS of grading one submission, the grader and its worker, against
Gradescope's default container of 768 MB.

    python bench/memory.py [--repeats 5]

For the reference notebook, and for a memory bomb (svm_loss_naive first fills memory
8 MB at a time until the worker's RLIMIT_AS stops it), bench/grade_probe.py grades in a
fresh process while a thread samples /proc every 5 ms:
* grader: ru_maxrss of the grading process (getrusage RUSAGE_SELF);
* largest child: ru_maxrss over every reaped descendant (RUSAGE_CHILDREN): the worker,
  its per-call forks, the interpreter probe;
* per kind (grader / worker / worker fork): the highest VmRSS and VmHWM seen;
* the whole tree at once: the peak of the sum of VmRSS (what a container's memory
  limit counts, double-counting pages a fork shares with its worker) and of PSS.
Also the CLI as a black box: ru_maxrss of `python -m autograder grade` run by a wrapper.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common
from bench.common import ROOT, Row
from bench.grading import variant

HOG = ("    dW = np.zeros_like(W)\n    _hog = []\n    while True:\n"
       "        _hog.append(np.ones(1 << 20))   # 8 MB, touched\n")
BOMB = ("svm_loss_naive", "    dW = np.zeros_like(W)\n", HOG)
WRAPPER = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], capture_output=True);"
           " print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def probe(notebook: Path, env: dict) -> dict:
    _, done = common.run_timed([sys.executable, str(ROOT / "bench" / "grade_probe.py"),
                                str(notebook), "--memory"], env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench/memory.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv[1:])
    command = common.print_header(argv, "memory.py")
    env = common.kit_env()
    rows: list[Row] = []
    details: dict = {}
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        bomb = Path(tmp) / "memory_bomb.ipynb"
        bomb.write_text(json.dumps(variant(json.loads(common.SOLUTIONS.read_text()), *BOMB)))
        for label, notebook in (("reference", common.SOLUTIONS), ("memory bomb", bomb)):
            runs = [probe(notebook, env) for _ in range(args.repeats)]
            cli = []
            for _ in range(args.repeats):
                _, done = common.run_timed([sys.executable, "-c", WRAPPER, sys.executable, "-m",
                                            "autograder", "grade", str(notebook)], env=env)
                cli.append(int(done.stdout.strip().splitlines()[-1]) / 1024)
            med = common.median
            mem = [r["memory"] for r in runs]
            kinds = sorted({k for m in mem for k in m["vmhwm_by_kind_kb"]})
            summary = {
                "score": runs[0]["runs"][0]["score"],
                "grader_maxrss_mb": med([r["rusage"]["self_maxrss_kb"] / 1024 for r in runs]),
                "largest_child_maxrss_mb": med([r["rusage"]["children_maxrss_kb"] / 1024
                                                for r in runs]),
                "vmhwm_by_kind_mb": {k: med([m["vmhwm_by_kind_kb"].get(k, 0) / 1024
                                             for m in mem]) for k in kinds},
                "tree_peak_rss_sum_mb": med([m["peak_rss_sum_kb"] / 1024 for m in mem]),
                "tree_peak_pss_sum_mb": med([m["peak_pss_sum_kb"] / 1024 for m in mem]),
                "cli_largest_process_maxrss_mb": med(cli),
                "samples": med([m["samples"] for m in mem]),
            }
            details[label] = summary
            print(f"\n{label} (score {summary['score']:g}), medians of {args.repeats}:")
            print(f"  grader process ru_maxrss          {summary['grader_maxrss_mb']:7.1f} MB")
            print(f"  largest descendant ru_maxrss      "
                  f"{summary['largest_child_maxrss_mb']:7.1f} MB")
            for k, v in summary["vmhwm_by_kind_mb"].items():
                print(f"  VmHWM {k:28s} {v:7.1f} MB")
            print(f"  whole tree at once: RSS sum {summary['tree_peak_rss_sum_mb']:7.1f} MB, "
                  f"PSS sum {summary['tree_peak_pss_sum_mb']:7.1f} MB")
            print(f"  CLI (black box) largest process   "
                  f"{summary['cli_largest_process_maxrss_mb']:7.1f} MB")
            worker = max(v for k, v in summary["vmhwm_by_kind_mb"].items() if "worker" in k)
            rows.append(Row("memory", f"{label}: grader process peak RSS",
                            summary["grader_maxrss_mb"], "MB", common.GRADESCOPE_MB))
            rows.append(Row("memory", f"{label}: worker peak RSS (largest worker process)",
                            worker, "MB", common.GRADESCOPE_MB,
                            note=f"largest descendant ru_maxrss "
                            f"{summary['largest_child_maxrss_mb']:.0f} MB"))
            rows.append(Row("memory", f"{label}: whole tree at once (sum of RSS)",
                            summary["tree_peak_rss_sum_mb"], "MB", common.GRADESCOPE_MB,
                            note=f"PSS sum {summary['tree_peak_pss_sum_mb']:.0f} MB"))
    common.print_rows(rows)
    common.save("memory", command, rows, details)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
