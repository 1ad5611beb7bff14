"""The one place the reference solution comes from: the solutions notebook.

The grader loads the reference's definitions into its own, trusted process, with
the same extraction that it applies to submissions. Nothing of it is ever sent to
the student's worker.
"""

from __future__ import annotations

import types
from functools import cache
from pathlib import Path

from autograder import paths
from autograder.errors import GraderError
from autograder.intake.extraction import extract, read_notebook

SOLUTIONS = paths.KIT / "solutions" / "linear_classifiers.ipynb"
GRADED = ("svm_loss_naive", "svm_loss_vectorized", "softmax_loss_naive",
          "softmax_loss_vectorized", "eval_numerical_gradient", "grad_check_sparse",
          "rel_error", "LinearClassifier", "LinearSVM", "Softmax")


@cache
def load_reference(path: Path = SOLUTIONS) -> types.ModuleType:
    """Execute the reference notebook's definitions; fail loudly if one is missing.

    Statements that need the notebook's environment (its data and plotting imports)
    may fail here without harm; the graded names must all be defined.
    """
    module = types.ModuleType("reference")
    for chunk in extract(read_notebook(path)).chunks:
        code = compile("\n" * (chunk.line - 1) + chunk.source, f"{path.name}, cell {chunk.cell}",
                       "exec")
        try:
            exec(code, module.__dict__)  # noqa: S102 -- trusted: our own reference notebook
        except ImportError:
            continue
    missing = [name for name in GRADED if not hasattr(module, name)]
    if missing:
        raise GraderError(f"the reference notebook {path} does not define {', '.join(missing)}")
    return module
