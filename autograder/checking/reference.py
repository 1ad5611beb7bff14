"""The one place the reference solution comes from: the assignment's solutions notebook.

The grader loads the reference's definitions into its own, trusted process, with
the same extraction that it applies to submissions. Nothing of it is ever sent to
the student's worker.
"""

from __future__ import annotations

import types
from functools import cache
from pathlib import Path

from autograder import spec
from autograder.errors import GraderError
from autograder.intake.extraction import extract, read_notebook
from autograder.spec import Assignment


def load_reference(assignment: Assignment | None = None) -> types.ModuleType:
    """The reference of `assignment` (default: assignments.DEFAULT), loaded once."""
    assignment = assignment or spec.load()
    return _load(assignment.reference, assignment.defined)


@cache
def _load(path: Path, names: tuple[str, ...]) -> types.ModuleType:
    """Execute the reference notebook's definitions; fail loudly if one is missing.

    Statements that need the notebook's environment (its data and plotting imports)
    may fail here without harm; the graded `names` must all be defined.
    """
    module = types.ModuleType("reference")
    for chunk in extract(read_notebook(path)).chunks:
        code = compile("\n" * (chunk.line - 1) + chunk.source, f"{path.name}, cell {chunk.cell}",
                       "exec")
        try:
            exec(code, module.__dict__)  # noqa: S102 -- trusted: our own reference notebook
        except ImportError:
            continue
    missing = [name for name in names if not hasattr(module, name)]
    if missing:
        raise GraderError(f"the reference notebook {path} does not define {', '.join(missing)}")
    return module
