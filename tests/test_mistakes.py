"""Known mistakes: each one's wrong value, and the 0.5 * reg convention as one choice."""

from __future__ import annotations

import numpy as np

from assignments.linear_classifiers import mistakes

W = np.arange(6.0).reshape(3, 2) / 10
DATA_GRAD = np.full((3, 2), 0.5)


def candidates(found) -> dict:
    return {key: value for key, _, value in found}


def test_gradient_mistakes_that_scale_with_n() -> None:
    found = candidates(mistakes.gradient_mistakes(DATA_GRAD, W, N=6, reg=0.3))
    np.testing.assert_allclose(found["reg_grad_times_n"], DATA_GRAD + 6 * 2 * 0.3 * W)
    np.testing.assert_allclose(found["reg_grad_over_n"], DATA_GRAD + 2 * 0.3 * W / 6)
    np.testing.assert_allclose(found["grad_not_averaged"], 6 * DATA_GRAD + 2 * 0.3 * W)


def test_loss_mistakes_that_scale_with_n() -> None:
    R = 0.3 * np.sum(W * W)
    found = candidates(mistakes.loss_mistakes("svm", 1.25, W, N=6, reg=0.3))
    assert found["reg_times_n"] == 1.25 + 6 * R and found["reg_over_n"] == 1.25 + R / 6
    assert found["svm_counts_true_class"] == 2.25 + R


def test_the_half_convention_is_recognised_as_a_pair() -> None:
    R = 0.3 * np.sum(W * W)
    assert mistakes.half_reg_convention(1.0 + R / 2, DATA_GRAD + 0.3 * W, 1.0, DATA_GRAD, W, 0.3)
    # Only half of the pair: the gradient's calculus slip, not a convention.
    assert not mistakes.half_reg_convention(1.0 + R, DATA_GRAD + 0.3 * W, 1.0, DATA_GRAD, W, 0.3)
    assert not mistakes.half_reg_convention(1.0, DATA_GRAD, 1.0, DATA_GRAD, W, 0.0)


def test_every_hint_names_a_labelled_mistake() -> None:
    X, y = np.eye(3), np.array([0, 1, 1])
    found = [*mistakes.loss_mistakes("svm", 1.0, W, 3, 0.1),
             *mistakes.specific_loss_mistakes("svm", W, X, y, 0.1),
             *mistakes.specific_loss_mistakes("softmax", W, X, y, 0.1),
             *mistakes.gradient_mistakes(DATA_GRAD, W, 3, 0.1),
             *mistakes.svm_gradient_mistakes(W, X, y), *mistakes.softmax_gradient_mistakes(W, X, y)]
    assert {key for key, _, _ in found} <= mistakes.LABELS.keys()
