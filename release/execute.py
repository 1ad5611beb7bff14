"""Run a notebook top to bottom in a real Jupyter kernel (nbclient).

`python -m release.execute NOTEBOOK --out DIR [--dataset digits]` copies the notebook
into DIR, runs it there (so its plots land in DIR) and saves the executed copy.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbformat import NotebookNode

ROOT = Path(__file__).resolve().parent.parent


def execute(notebook_path: Path, workdir: Path, *, dataset: str | None = None,
            allow_errors: bool = False, timeout: int = 600) -> NotebookNode:
    """Execute the notebook with `workdir` as its current directory and return it.

    The kernel inherits LINCLASS_ROOT (so the notebook finds the kit from any folder)
    and, when given, LINCLASS_DATASET.
    """
    notebook = nbformat.read(notebook_path, as_version=4)
    os.environ["LINCLASS_ROOT"] = str(ROOT)
    if dataset:
        os.environ["LINCLASS_DATASET"] = dataset
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            allow_errors=allow_errors, resources={"metadata": {"path": str(workdir)}})
    client.execute()
    return notebook


def errors(notebook: NotebookNode) -> list[tuple[str | None, str, str]]:
    """(grade_id, exception name, message) of every cell that raised."""
    found = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                gid = cell.metadata.get("nbgrader", {}).get("grade_id")
                found.append((gid, output["ename"], output["evalue"]))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m release.execute", description=__doc__)
    parser.add_argument("notebook", type=Path)
    parser.add_argument("--out", type=Path, required=True, help="folder for the run and its plots")
    parser.add_argument("--dataset", choices=["cifar10", "digits"])
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    executed = execute(args.notebook.resolve(), args.out.resolve(), dataset=args.dataset)
    target = args.out / args.notebook.name
    nbformat.write(executed, target)
    print(f"executed {args.notebook} -> {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
