"""`python -m autograder COMMAND`: grade a submission, or grade the reference and the blank one.

    grade PATH [--results FILE] [--strict]
                                  grade a notebook, folder or zip; print the score table
    demo                          grade the reference and the blank student notebook
    build [--out FILE]            write Gradescope's autograder.zip (default dist/autograder.zip)
    grade-all SOURCE [--out DIR] [--jobs N | --scheduler ADDRESS] [--regrade] [--strict]
                                  grade a Gradescope export, an nbgrader tree or a folder,
                                  in a local pool or on a Dask cluster; keeps what an
                                  earlier run into DIR graded unless --regrade

grade, demo and grade-all take --assignment NAME, a folder of assignments/ (default:
assignments.DEFAULT).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from autograder import BLAS_THREADS

# Before numpy loads (62.5 s -> 42.7 s for a batch of 100 here, when this came in).
for _variable in BLAS_THREADS:
    os.environ.setdefault(_variable, "1")

from autograder import paths, spec
from autograder.errors import GraderError, SubmissionError
from autograder.grade import Options, grade
from autograder.report import results

ROOT = paths.KIT
STRICT_HELP = ("refuse to grade (every test marked a grader failure) when an isolation layer "
               "is missing on this machine")


def _grade(path: Path, results_path: Path | None, strict: bool, assignment: str | None) -> int:
    document = grade(path, results_path, Options(strict=strict,
                                                 assignment=spec.load(assignment)))
    print(results.table(document))
    if document["output"]:
        print(document["output"])
    return 0


def _grade_all(args: argparse.Namespace) -> int:
    from autograder.batch import (
        pool as batch,  # its pool machinery is no part of a single grade's start
    )

    out = args.out
    try:
        rows = batch.grade_all(args.source, out, args.jobs, strict=args.strict,
                               assignment=args.assignment, scheduler=args.scheduler,
                               regrade=args.regrade)
    except SubmissionError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    print((out / "summary.txt").read_text())
    print(f"graded {len(rows)} submissions: {out / 'gradebook.csv'}")
    return 0


def _demo(assignment: str | None) -> int:
    chosen = spec.load(assignment)
    for label, path in (("reference solution", chosen.reference),
                        ("blank student notebook", chosen.release)):
        if path is None:
            continue
        print(f"\n== {label}: {path.relative_to(ROOT)}")
        document = grade(path, None, Options(assignment=chosen))
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
    demo_cmd = commands.add_parser("demo", help="grade the reference and the blank notebook")
    build_cmd = commands.add_parser("build", help="write Gradescope's autograder.zip")
    build_cmd.add_argument("--out", type=Path, default=ROOT / "dist" / "autograder.zip")
    batch_cmd = commands.add_parser("grade-all", help="grade a whole class")
    batch_cmd.add_argument("source", type=Path, help="an export folder or zip")
    batch_cmd.add_argument("--out", type=Path, default=Path("graded"))
    batch_cmd.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    batch_cmd.add_argument("--scheduler", metavar="ADDRESS",
                           help="grade on the Dask cluster of this scheduler (tcp://host:8786) "
                           "instead of a local pool; needs requirements-cluster.txt")
    batch_cmd.add_argument("--regrade", action="store_true",
                           help="grade again what an earlier run into --out already graded")
    batch_cmd.add_argument("--strict", action="store_true", help=STRICT_HELP)
    for command in (grade_cmd, demo_cmd, batch_cmd):
        command.add_argument("--assignment", help="a folder of assignments/ (default: "
                             f"{spec.default_name()})")
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except GraderError as problem:   # before any grade: the kit is set up wrong
        print(f"error: {problem}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    if args.command == "grade-all":
        return _grade_all(args)
    if args.command == "grade":
        return _grade(args.path, args.results, args.strict, args.assignment)
    if args.command == "build":
        from autograder.integrations.gradescope import package

        print(f"wrote {package.build(args.out)}")
        return 0
    return _demo(args.assignment)


if __name__ == "__main__":
    sys.exit(main())
