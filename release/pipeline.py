"""The ordered nbgrader preprocessors that turn the reference notebook into the release.

This is nbgrader's own `generate_assignment` pipeline minus the parts that need an
nbgrader course database (SaveCells) or are not used by this kit (headers, footers,
templated tests, mark schemes).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearHiddenTests,
    ClearOutput,
    ClearSolutions,
    ComputeChecksums,
    LockCells,
)

PIPELINE = [
    # Reads only the nbgrader metadata, so it could run anywhere; first, as in nbgrader.
    LockCells,
    # Replaces each BEGIN/END SOLUTION region with a NotImplementedError stub and each
    # manually graded markdown answer with "YOUR ANSWER HERE".
    ClearSolutions,
    # The reference's outputs would show the answers (and make the file large).
    ClearOutput,
    # Removes BEGIN/END HIDDEN TESTS regions; before ComputeChecksums, so that the
    # checksums describe the cells the students actually receive.
    ClearHiddenTests,
    # Records each graded cell's checksum: nbgrader uses it to tell an untouched stub
    # (score 0) from an answer. Must follow every change to cell sources.
    ComputeChecksums,
    # Last: validates the metadata of the notebook exactly as it is released.
    CheckCellMetadata,
]


def release(source: NotebookNode) -> NotebookNode:
    """Run PIPELINE on a copy of the reference notebook and return the student notebook."""
    notebook = nbformat.from_dict(source)
    resources: dict = {}
    for step in PIPELINE:
        notebook, resources = step().preprocess(notebook, resources)
    return notebook


def render(source_path: Path) -> str:
    """The released notebook's exact file text for the reference at `source_path`."""
    source = nbformat.read(source_path, as_version=4)
    return nbformat.writes(release(source)) + "\n"
