"""The reference notebook's answers: the lecture's worked examples and basic identities."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.checking.reference import load_reference

ref = load_reference()

# The lecture's score table: rows are images (cat, car, frog), columns classes (cat, car, frog).
TABLE = np.array([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]])
LABELS = np.array([0, 1, 2])
LOSSES = ["svm_loss_naive", "svm_loss_vectorized", "softmax_loss_naive", "softmax_loss_vectorized"]


@pytest.mark.parametrize("name", ["svm_loss_naive", "svm_loss_vectorized"])
def test_svm_lecture_table(name: str) -> None:
    loss_fn = getattr(ref, name)
    per_image = [loss_fn(TABLE[[i]], np.eye(1), LABELS[[i]], 0.0)[0] for i in range(3)]
    assert np.allclose(per_image, [2.9, 0.0, 12.9])
    assert loss_fn(TABLE, np.eye(3), LABELS, 0.0)[0] == pytest.approx(15.8 / 3)


@pytest.mark.parametrize("name", ["softmax_loss_naive", "softmax_loss_vectorized"])
def test_softmax_lecture_cat(name: str) -> None:
    loss, grad = getattr(ref, name)(TABLE[[0]], np.eye(1), np.array([0]), 0.0)
    assert loss == pytest.approx(2.04, abs=5e-3)
    assert np.allclose(grad[0] + [1, 0, 0], [0.13, 0.87, 0.00], atol=5e-3)


def test_linear_scores_with_bias_trick() -> None:
    W = np.array([[0.2, -0.5, 0.1, 2.0], [1.5, 1.3, 2.1, 0.0], [0.0, 0.25, 0.2, -0.3]])
    b = np.array([1.1, 3.2, -1.2])
    scores = np.array([56.0, 231.0, 24.0, 2.0, 1.0]) @ np.vstack([W.T, b])
    assert np.allclose(scores, [-96.8, 437.9, 60.75])


@pytest.mark.parametrize("name", LOSSES)
@pytest.mark.parametrize("reg", [0.0, 0.7])
def test_gradients_match_numerical(name: str, reg: float) -> None:
    rng = np.random.default_rng(0)
    W, X, y = rng.standard_normal((6, 4)), rng.standard_normal((9, 6)), rng.integers(0, 4, 9)
    _, grad = getattr(ref, name)(W, X, y, reg)
    numeric = ref.eval_numerical_gradient(lambda w: getattr(ref, name)(w, X, y, reg)[0], W.copy())
    assert ref.rel_error(grad, numeric) < 1e-6


@pytest.mark.parametrize("naive, vectorized", [LOSSES[:2], LOSSES[2:]])
def test_vectorized_equals_naive(naive: str, vectorized: str) -> None:
    rng = np.random.default_rng(1)
    W, X, y = rng.standard_normal((20, 5)), rng.standard_normal((30, 20)), rng.integers(0, 5, 30)
    (l1, g1), (l2, g2) = getattr(ref, naive)(W, X, y, 0.3), getattr(ref, vectorized)(W, X, y, 0.3)
    assert l1 == pytest.approx(l2) and np.allclose(g1, g2)


@pytest.mark.parametrize("name", ["softmax_loss_naive", "softmax_loss_vectorized"])
def test_softmax_is_stable_for_huge_scores(name: str) -> None:
    loss, grad = getattr(ref, name)(1e5 * TABLE, np.eye(3), LABELS, 0.0)
    assert np.isfinite(loss) and np.all(np.isfinite(grad))


def test_sgd_learns_separable_data() -> None:
    rng = np.random.default_rng(2)
    X = np.hstack([rng.standard_normal((200, 2)) + 4 * np.repeat(np.eye(2), 100, 0),
                   np.ones((200, 1))])
    y = np.repeat([0, 1], 100)
    model = ref.Softmax()
    history = model.train(X, y, learning_rate=0.1, reg=0.0, num_iters=200, batch_size=32, seed=0)
    assert len(history) == 200 and history[-1] < history[0]
    assert np.mean(model.predict(X) == y) > 0.95


def test_rel_error_of_zeros_is_zero() -> None:
    assert ref.rel_error(np.zeros(4), np.zeros(4)) == 0.0
