"""squared_loss(W, X, y, reg) -> (loss, dW), against the reference on random problems."""

from __future__ import annotations

import types

import numpy as np

from autograder.checking.calls import Student
from autograder.checking.feedback import Mismatch, expect_array, expect_number

N, D, REG = 7, 4, 0.3


def problem(seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """W (D,), X (N, D), y (N,)."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal(D), rng.standard_normal((N, D)), rng.standard_normal(N)


def test_loss(student: Student, ref: types.ModuleType) -> None:
    """The loss equals ||XW - y||² / 2N + reg·||W||²."""
    W, X, y = problem()
    got = student.call("squared_loss", W, X, y, REG)
    expect_number("squared_loss: the loss", got[0], ref.squared_loss(W, X, y, REG)[0])


def test_gradient(student: Student, ref: types.ModuleType) -> None:
    """The gradient equals Xᵀ(XW - y) / N + 2·reg·W."""
    W, X, y = problem(1)
    got = student.call("squared_loss", W, X, y, REG)
    expect_array("squared_loss: the gradient", got[1], ref.squared_loss(W, X, y, REG)[1])


def test_inputs_unchanged(student: Student) -> None:
    """W and X are the same after the call."""
    W, X, y = problem(2)
    got = student.probe("call_and_return_inputs", "squared_loss", W, X, y, REG,
                        label="squared_loss")
    if not (np.array_equal(got["args"][0], W) and np.array_equal(got["args"][1], X)):
        raise Mismatch("squared_loss changed its inputs W or X: work on copies "
                       "(W = W - ..., not W -= ...)")
