"""Run a notebook top to bottom in a real Jupyter kernel (nbclient).

`python -m release.execute NOTEBOOK --out DIR [--dataset digits]` copies the notebook
into DIR, runs it there (so its plots land in DIR) and saves the executed copy. The
running itself is the student package's (linclass/run.py), which the handout's helper uses.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

from data.datasets import DATASET_NAMES
from linclass.run import errors, execute

__all__ = ["errors", "execute", "main"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m release.execute", description=__doc__)
    parser.add_argument("notebook", type=Path)
    parser.add_argument("--out", type=Path, required=True, help="folder for the run and its plots")
    parser.add_argument("--dataset", choices=DATASET_NAMES)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    executed = execute(args.notebook.resolve(), args.out.resolve(), dataset=args.dataset)
    target = args.out / args.notebook.name
    nbformat.write(executed, target)
    print(f"executed {args.notebook} -> {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
