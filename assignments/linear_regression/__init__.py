"""Linear regression with the squared loss: a second, tiny assignment, used by the kit's
tests only (tests/test_second_assignment.py) to show that the engine grades any homework
whose folder declares it. One stub (squared_loss), its reference, three hidden tests.
"""

from __future__ import annotations

from pathlib import Path

from autograder.spec import Assignment, Item

FOLDER = Path(__file__).resolve().parent

ASSIGNMENT = Assignment(
    folder=FOLDER,
    notebook="linear_regression.ipynb",
    reference=FOLDER / "reference.ipynb",
    answers={"squared_loss": ("squared_loss",)},
    items=(
        Item("test_loss", "squared_loss", 40, "Squared loss: value"),
        Item("test_gradient", "squared_loss", 40, "Squared loss: gradient"),
        Item("test_inputs_unchanged", "squared_loss", 20, "Squared loss: W and X unchanged"),
    ),
)
