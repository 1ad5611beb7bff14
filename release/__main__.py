"""`python -m release [--check]`: write (or verify) the student release from solutions/.

Writes assignment/linear_classifiers.ipynb, the student handout (dist/linear_classifiers/ and
dist/linear_classifiers.zip, see release/handout.py) and the student files that nbgrader's
course source folder carries. `--check` verifies only assignment/, the one committed output.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from linclass.assignment import NOTEBOOK
from linclass.files import write_atomic
from release import handout
from release.pipeline import render

ROOT = Path(__file__).resolve().parent.parent
COURSE_SOURCE = ROOT / "nbgrader_course" / "source" / handout.NAME


def check(target: Path, text: str) -> int:
    current = target.read_text(encoding="utf-8") if target.exists() else ""
    if current != text:
        print(f"{target} is stale: run `python -m release`", file=sys.stderr)
        return 1
    print(f"{target} is up to date")
    return 0


def write(target: Path, text: str) -> int:
    print(f"wrote {write_atomic(target, text)}")
    for path in handout.build(text):
        print(f"wrote {path}")
    handout.carry_student_files(COURSE_SOURCE)
    print(f"wrote the student files of {COURSE_SOURCE}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m release", description=__doc__)
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if assignment/ differs from what solutions/ generates")
    args = parser.parse_args(argv)
    text = render(ROOT / "solutions" / NOTEBOOK)
    target = ROOT / "assignment" / NOTEBOOK
    return check(target, text) if args.check else write(target, text)


if __name__ == "__main__":
    sys.exit(main())
