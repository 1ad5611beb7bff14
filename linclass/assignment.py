"""What the submission helper knows about this assignment: file names and graded cells."""

from __future__ import annotations

from pathlib import Path

# The folder that holds the linclass/ and data/ packages: the handout folder, or the kit.
CODE_FOLDER = Path(__file__).resolve().parent.parent
NOTEBOOK = "linear_classifiers.ipynb"
SUBMISSION_ZIP = "linear_classifiers_submission.zip"
# Written by the notebook next to itself; the grader's zip carries them for the TAs.
PLOTS = ("loss_curves.png", "svm_search.png", "softmax_search.png", "svm_templates.png",
         "softmax_templates.png")
# Every nbgrader cell of the released notebook, in order (tests/test_collect.py keeps this
# equal to assignment/linear_classifiers.ipynb): the helper works without the kit.
GRADED_CELLS = (
    "setup", "load_data", "split_data", "lecture_scores",
    "svm_loss_naive", "check_svm_loss_naive", "svm_loss_vectorized", "check_svm_loss_vectorized",
    "softmax_loss_naive", "check_softmax_loss_naive",
    "softmax_loss_vectorized", "check_softmax_loss_vectorized",
    "eval_numerical_gradient", "check_eval_numerical_gradient",
    "grad_check_sparse", "check_grad_check_sparse", "rel_error", "check_rel_error",
    "gradient_checks", "linear_classifier", "subclasses", "check_linear_classifier",
    "inline_kink_prompt", "inline_kink", "inline_initial_loss_prompt", "inline_initial_loss",
    "inline_templates_prompt", "inline_templates", "inline_new_point_prompt", "inline_new_point",
)


class HandinError(Exception):
    """The helper cannot go on; the message says what is wrong and what to do."""


def grade_ids(notebook: dict) -> list[str]:
    """The nbgrader grade_id of every cell that has one, in order."""
    return [c["metadata"]["nbgrader"]["grade_id"] for c in notebook.get("cells", [])
            if isinstance(c, dict) and "grade_id" in c.get("metadata", {}).get("nbgrader", {})]
