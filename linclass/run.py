"""Run a notebook top to bottom in a real Jupyter kernel (nbclient).

The submission helper runs the student's notebook on a copy with this, and the kit's own
tools (`python -m release.execute`, the tests) use the same function.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbformat import NotebookNode

from data.datasets import DATASET_ENV
from linclass.assignment import CODE_FOLDER


def kernel_env(dataset: str | None) -> dict[str, str]:
    """The kernel's environment: ours, with this code importable from any working folder
    (a copy of the notebook runs in a temporary one) and, when given, the dataset."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(CODE_FOLDER), os.environ.get("PYTHONPATH", "")) if p)
    if dataset:
        env[DATASET_ENV] = dataset
    return env


def execute(notebook_path: Path, workdir: Path, *, dataset: str | None = None,
            allow_errors: bool = False, timeout: int = 600) -> NotebookNode:
    """Execute the notebook with `workdir` as its current directory and return it.

    `dataset` ("cifar10" or "digits") overrides the notebook's choice of data. The file
    at `notebook_path` is only read.
    """
    notebook = nbformat.read(notebook_path, as_version=4)
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            allow_errors=allow_errors, resources={"metadata": {"path": str(workdir)}})
    client.execute(env=kernel_env(dataset))
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
