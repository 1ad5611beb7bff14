"""Linear classifiers (CS231n assignment 1's first block): SVM and softmax losses, the
gradient check and mini-batch SGD, in one notebook of stub functions.

The rubric is rubric.py, the known mistakes mistakes.py, the hidden tests hidden/, and
what those tests may run inside the student's worker probes.py.
"""

from __future__ import annotations

from pathlib import Path

from assignments.linear_classifiers.mistakes import LABELS
from assignments.linear_classifiers.rubric import ITEMS
from autograder import paths
from autograder.spec import Assignment
from linclass.assignment import NOTEBOOK

ASSIGNMENT = Assignment(
    folder=Path(__file__).resolve().parent,
    notebook=NOTEBOOK,
    reference=paths.KIT / "solutions" / NOTEBOOK,
    release=paths.KIT / "assignment" / NOTEBOOK,
    answers={
        "svm_loss_naive": ("svm_loss_naive",),
        "svm_loss_vectorized": ("svm_loss_vectorized",),
        "softmax_loss_naive": ("softmax_loss_naive",),
        "softmax_loss_vectorized": ("softmax_loss_vectorized",),
        "eval_numerical_gradient": ("eval_numerical_gradient",),
        "grad_check_sparse": ("grad_check_sparse",),
        "rel_error": ("rel_error",),
        "linear_classifier": ("LinearClassifier",),
    },
    items=ITEMS,
    mistakes=LABELS,
    # NOTEBOOK's one definition is the student side's, which the handout ships on its own.
    uses=(paths.KIT / "linclass" / "__init__.py", paths.KIT / "linclass" / "assignment.py"),
    # Students see every test's name, score and feedback at once.
    visibility="visible",
)
