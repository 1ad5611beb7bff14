"""`python -m autograder COMMAND`: grade a submission, or grade the reference and the blank one.

    grade PATH [--results FILE]   grade a notebook, folder or zip; print the score table
    demo                          grade the reference and the blank student notebook
    build [--out FILE]            write Gradescope's autograder.zip (default dist/autograder.zip)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograder import package, results
from autograder.engine import grade

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = "linear_classifiers.ipynb"


def _grade(path: Path, results_path: Path | None) -> int:
    document = grade(path, results_path)
    print(results.table(document))
    if document["output"]:
        print(document["output"])
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
    commands.add_parser("demo", help="grade the reference and the blank notebook")
    build_cmd = commands.add_parser("build", help="write Gradescope's autograder.zip")
    build_cmd.add_argument("--out", type=Path, default=ROOT / "dist" / "autograder.zip")
    args = parser.parse_args(argv)
    if args.command == "grade":
        return _grade(args.path, args.results)
    if args.command == "build":
        print(f"wrote {package.build(args.out)}")
        return 0
    return _demo()


if __name__ == "__main__":
    sys.exit(main())
