"""Hint coverage: of the corpus's real mistake patterns, how many the grader names.

    python bench/hint_coverage.py [--root DIR]

(the grader before issue 11: mkdir /tmp/old && git archive c2c5698 | tar -x -C /tmp/old,
then --root /tmp/old; measured 13 of 39 named (33%) there, 38 of 39 (97%) here)

Builds one notebook per case of tests/corpus that stands for a real pattern of public
CS231n forks (a `pattern` set: tests/corpus/mistakes/) and grades it with the grader
found in --root (default: this checkout) through its own CLI, `python -m autograder
grade`. A case counts as named when a failing test of its cells names its mistake: by
id in results.json's extra_data where the grader writes one; for an older grader that
writes none (main before issue 11, commit c2c5698), by the words that grader used for
that mistake, in OLD_WORDS (no words: it had no hint for it).
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import notebooks
from tests.corpus import CELLS
from tests.corpus.mistakes import CASES

# The hints of the grader before issue 11 (c2c5698), per mistake id; where it read a
# consistent 0.5 * reg convention as a calculus error, it did not name that mistake.
OLD_WORDS = {
    "reg_grad_not_doubled": "regularization gradient is reg * W",
    "no_reg_grad": "lacks the regularization term's gradient",
    "no_reg": "without the regularization term",
    "svm_counts_true_class": "exactly 1 higher",
    "python_loops": "should use no Python loop",
    "no_max_shift": "exp overflows for large scores",
    "predict_axis": "use axis=1",
    "predict_dtype": "should return integer labels",
}


def named(results: dict, case) -> bool:
    tests = {t for cell in {case.cell, *case.depends} for t in CELLS[cell]}
    from assignments.linear_classifiers import ASSIGNMENT

    titles = {ASSIGNMENT.by_test[t].title for t in tests if t in ASSIGNMENT.by_test}
    failing = [t for t in results["tests"] if t["status"] != "passed" and t["name"] in titles]
    if any("extra_data" in t and "mistakes" in t["extra_data"] for t in results["tests"]):
        return any(case.mistake in t["extra_data"]["mistakes"] for t in failing)
    words = OLD_WORDS.get(case.mistake)
    return bool(words) and any(words in t["output"] for t in failing)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args(argv)
    print("$", shlex.join(["python", "bench/hint_coverage.py", *(argv or sys.argv[1:])]))
    real = [c for c in CASES if c.pattern]
    hits, misses = 0, []
    with tempfile.TemporaryDirectory() as scratch:
        for case in real:
            path = notebooks.build(Path(scratch) / case.id, [case])
            out = Path(scratch) / f"{case.id}.json"
            subprocess.run([sys.executable, "-m", "autograder", "grade", str(path), "--results",
                            str(out)], cwd=args.root, capture_output=True, check=False)
            if named(json.loads(out.read_text()), case):
                hits += 1
            else:
                misses.append(case.id)
    print(f"grader in {args.root}: {hits} of {len(real)} real mistakes named "
          f"({hits / len(real):.0%})")
    print("not named:", ", ".join(misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
