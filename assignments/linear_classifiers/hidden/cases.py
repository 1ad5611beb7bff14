"""Inputs of the hidden tests, and the student's answers on the loss cases, asked once."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograder.checking.calls import Student
from autograder.checking.feedback import Mismatch


def problem(seed: int, N: int, D: int, C: int, scale: float = 1.0):
    """A random classification problem away from hinge kinks.

    Returns W (D, C), X (N, D), y (N,). Every SVM margin is at least 1e-3 from 0,
    so any correct implementation picks the same subgradient.
    """
    rng = np.random.default_rng(seed)
    while True:
        W = scale * rng.standard_normal((D, C))
        X = rng.standard_normal((N, D))
        y = rng.integers(0, C, N)
        scores = X @ W
        margins = scores - scores[np.arange(N), y][:, None] + 1
        margins[np.arange(N), y] = 1.0
        if np.min(np.abs(margins)) > 1e-3:
            return W, X, y


# (N, D, C, reg, W scale): the edge cases N = 1, C = 2, N = C, D = C, reg = 0 and a
# large reg, plus an ordinary problem.
LOSS_CASES = [
    (8, 12, 5, 0.0, 0.5),
    (1, 4, 2, 0.3, 0.5),
    (6, 9, 6, 0.05, 0.5),
    (11, 4, 4, 1.5, 0.3),
    (30, 40, 10, 1e3, 0.01),
]


class LossAnswers:
    """The student's return value of each loss function on each of LOSS_CASES.

    The value test and the gradient test of a function read the same call: one
    request per case instead of two. A failed call fails every test that reads it,
    each with the same message.
    """

    def __init__(self, student: Student) -> None:
        self._student = student
        # (returned value, None) or (None, the Mismatch the call raised), per (name, case)
        self._asked: dict[tuple[str, int], tuple[Any, Mismatch | None]] = {}

    def get(self, name: str, case: int) -> Any:
        """What `name` returned on LOSS_CASES[case]; raises the call's Mismatch again."""
        if (name, case) not in self._asked:
            N, D, C, reg, scale = LOSS_CASES[case]
            W, X, y = problem(case, N, D, C, scale)
            try:
                self._asked[name, case] = (self._student.call(name, W, X, y, reg), None)
            except Mismatch as failure:
                self._asked[name, case] = (None, failure)
        value, failure = self._asked[name, case]
        if failure is not None:
            raise type(failure)(failure.body, failure.mistakes, failure.where)
        return value
