"""`python -m autograder COMMAND`: grade a submission, or grade the reference and the blank one.

    grade PATH [--results FILE] [--strict]
                                  grade a notebook, folder or zip; print the score table
    demo                          grade the reference and the blank student notebook
    build [--out FILE]            write Gradescope's autograder.zip (default dist/autograder.zip)
    grade-all SOURCE [--out DIR] [--strict]
                                  grade a Gradescope export, an nbgrader tree or a folder
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from autograder import paths

# Before numpy loads: the grader's products are tiny, and OpenBLAS's idle threads spinning
# beside the worker cost a third of the CPU time of a batch (62.5 s -> 42.7 s for 100 here).
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

from autograder.errors import SubmissionError
from autograder.grade import Options, grade
from autograder.report import results

ROOT = paths.KIT
NOTEBOOK = "linear_classifiers.ipynb"
STRICT_HELP = ("refuse to grade (every test marked a grader failure) when an isolation layer "
               "is missing on this machine")


def _grade(path: Path, results_path: Path | None, strict: bool) -> int:
    document = grade(path, results_path, Options(strict=strict))
    print(results.table(document))
    if document["output"]:
        print(document["output"])
    return 0


def _grade_all(source: Path, out: Path, jobs: int, strict: bool) -> int:
    from autograder.batch import (
        pool as batch,  # its pool machinery is no part of a single grade's start
    )

    try:
        rows = batch.grade_all(source, out, jobs, strict=strict)
    except SubmissionError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    print((out / "summary.txt").read_text())
    print(f"graded {len(rows)} submissions: {out / 'gradebook.csv'}")
    return 0


def _demo() -> int:
    for label, folder in (("reference solution", "solutions"), ("blank student notebook",
                                                                "assignment")):
        print(f"\n== {label}: {folder}/{NOTEBOOK}")
        document = grade(ROOT / folder / NOTEBOOK, None)
        print(results.table(document))
        print(f"graded in {document['execution_time']:.2f} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    grade_cmd = commands.add_parser("grade", help="grade one submission")
    grade_cmd.add_argument("path", type=Path, help="a notebook, a folder or a zip")
    grade_cmd.add_argument("--results", type=Path, help="where to write results.json")
    grade_cmd.add_argument("--strict", action="store_true", help=STRICT_HELP)
    commands.add_parser("demo", help="grade the reference and the blank notebook")
    build_cmd = commands.add_parser("build", help="write Gradescope's autograder.zip")
    build_cmd.add_argument("--out", type=Path, default=ROOT / "dist" / "autograder.zip")
    batch_cmd = commands.add_parser("grade-all", help="grade a whole class")
    batch_cmd.add_argument("source", type=Path, help="an export folder or zip")
    batch_cmd.add_argument("--out", type=Path, default=Path("graded"))
    batch_cmd.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    batch_cmd.add_argument("--strict", action="store_true", help=STRICT_HELP)
    args = parser.parse_args(argv)
    if args.command == "grade-all":
        return _grade_all(args.source, args.out, args.jobs, args.strict)
    if args.command == "grade":
        return _grade(args.path, args.results, args.strict)
    if args.command == "build":
        from autograder.integrations.gradescope import package

        print(f"wrote {package.build(args.out)}")
        return 0
    return _demo()


if __name__ == "__main__":
    sys.exit(main())
