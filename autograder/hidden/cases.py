"""Inputs of the hidden tests."""

from __future__ import annotations

import numpy as np


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
