"""`python -m release [--check]`: write (or verify) assignment/ from solutions/."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from linclass.files import write_atomic
from release.pipeline import render

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = "linear_classifiers.ipynb"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m release", description=__doc__)
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if assignment/ differs from what solutions/ generates")
    args = parser.parse_args(argv)
    text = render(ROOT / "solutions" / NOTEBOOK)
    target = ROOT / "assignment" / NOTEBOOK
    if args.check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            print(f"{target} is stale: run `python -m release`", file=sys.stderr)
            return 1
        print(f"{target} is up to date")
        return 0
    write_atomic(target, text)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
