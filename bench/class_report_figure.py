"""README's picture of the class report: a batch of the kit's own corpus of mistakes.

    python bench/class_report_figure.py [--out docs/figures/class_report.png] [--jobs 2]

One notebook per mistake case of tests/corpus/mistakes/ (each the
reference with one answer cell replaced) and 10 copies of the reference, graded with
`grade-all`'s own code (autograder.batch.pool.grade_all); the class report's PNG is copied
to --out, and its summary printed.
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.batch.pool import grade_all
from tests import notebooks
from tests.corpus import mistakes

REFERENCES = 10


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "figures" / "class_report.png")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    print("$", shlex.join(["python", "bench/class_report_figure.py", *(argv or sys.argv[1:])]))
    cases = mistakes.CASES
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "class"
        for case in cases:
            notebooks.build(folder, [case], name=f"{case.id}.ipynb")
        for k in range(REFERENCES):
            notebooks.build(folder, name=f"reference_{k}.ipynb")
        start = time.perf_counter()
        grade_all(folder, Path(scratch) / "graded", jobs=args.jobs, progress=False)
        print(f"{len(cases) + REFERENCES} submissions graded in {time.perf_counter() - start:.1f} s")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(Path(scratch) / "graded" / "class_report.png", args.out)
        print((Path(scratch) / "graded" / "summary.txt").read_text())
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
