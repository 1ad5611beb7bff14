"""Visible checks of a loss function `loss_fn(W, X, y, reg) -> (loss, dW)`.

Every check works on inputs made here, from properties any correct loss has: the lecture's
worked example, the loss at W = 0, averaging over N (duplicated examples change nothing),
the regularization part on its own (reg * sum(W**2), gradient 2 * reg * W), invariance to
a shift of a row's scores (softmax), and the gradient against centered differences on a
problem whose margins are mixed, away from the kinks. No reference solution is used.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from linclass.verdict import (
    as_array,
    as_float,
    call,
    close,
    fail,
    how_far,
    name_of,
    numeric_gradient,
    passed,
    ratio,
)

LossFn = Callable[[np.ndarray, np.ndarray, np.ndarray, float], Any]
# The lecture's scores of three images (rows) for the classes (cat, car, frog); with
# X = the identity, X @ W reproduces this table, and dW is dL/dscores itself.
LECTURE = np.array([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]])
LECTURE_Y = np.array([0, 1, 2])
# Per-image losses of the lecture's table, and (SVM) dL/dscores of its mean loss.
SVM_LOSSES = (2.9, 0.0, 12.9)
SVM_G = np.array([[-1.0, 1.0, 0.0], [0.0, 0.0, 0.0], [1.0, 1.0, -2.0]]) / 3
SVM_NOT_POSITIVE = ((0, 2), (1, 0), (1, 2))       # the table's margins that are <= 0
SOFTMAX_LOSSES = (2.0403551528, 0.0791317783, 6.1564772017)
# The lecture cat's probabilities, and so dL/dscores of its loss: p - onehot(cat).
CAT_GRADIENT = np.array([[0.1299825390 - 1, 0.8690495352, 0.0009679258]])
REG = 0.1


def problem() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """W (4, 3), X (5, 4), y (5,): margins 5 positive and 5 negative, all |m| > 0.09."""
    rng = np.random.default_rng(14)
    X = rng.standard_normal((5, 4))
    W = 0.6 * rng.standard_normal((4, 3))
    return W, X, np.array([0, 1, 2, 0, 1])


Result = tuple[float, np.ndarray]   # (loss, dW of W's shape)


def run(loss_fn: LossFn, W: np.ndarray, X: np.ndarray, y: np.ndarray, reg: float) -> Result:
    """(loss, dW) from the student's function, called on copies, shapes checked."""
    __tracebackhide__ = True
    name = name_of(loss_fn)
    result = call(loss_fn, W, X, y, reg)
    if not isinstance(result, tuple) or len(result) != 2:
        fail(name, "should return a tuple (loss, dW)", f"got {type(result).__name__}")
    loss = as_float(name, "the loss", result[0])
    return loss, as_array(name, "the gradient dW", result[1], W.shape)


def check_svm_loss(loss_fn: LossFn) -> None:
    """All visible checks of an SVM loss, in the order that names a mistake best."""
    __tracebackhide__ = True
    name = name_of(loss_fn)
    unfinished(name, *run(loss_fn, LECTURE, np.eye(3), LECTURE_Y, 0.0))
    at_zero(loss_fn, 2.0, "C - 1 = 2 (every wrong class has margin 1)", {
        3.0: "the sum also counts j = y_i, whose margin is always 1: skip the true class",
        1.0: "each example counts one margin only"})
    lecture_losses(loss_fn, SVM_LOSSES)
    averaged(loss_fn)
    svm_lecture_gradient(loss_fn)
    regularization(loss_fn)
    gradient_matches(loss_fn)


def check_softmax_loss(loss_fn: LossFn) -> None:
    """All visible checks of a softmax loss."""
    __tracebackhide__ = True
    name = name_of(loss_fn)
    unfinished(name, *run(loss_fn, LECTURE, np.eye(3), LECTURE_Y, 0.0))
    at_zero(loss_fn, float(np.log(3)), "log C = log 3 = 1.0986 (every probability is 1/3)", {
        1 / 3: "the loss is the probability p_yi itself: the loss is -log p_yi",
        -1 / 3: "the loss is -p_yi: take -log of the probability",
        float(np.log10(3)): "np.log10 is used: the loss uses the natural log, np.log",
        float(np.log(2)): "the sum in the denominator leaves out the true class: sum "
                          "exp(s_j) over every class j, the true one included"})
    lecture_losses(loss_fn, SOFTMAX_LOSSES)
    stable(loss_fn)
    averaged(loss_fn)
    softmax_lecture_gradient(loss_fn)
    regularization(loss_fn)
    gradient_matches(loss_fn)


def unfinished(name: str, loss: float, dW: np.ndarray) -> None:
    __tracebackhide__ = True
    if loss == 0 and not np.any(dW):
        fail(name, "the lecture's scores", "it returned loss 0 and a gradient of zeros",
             "the function looks unfinished")
    passed(f"{name}: returns (loss, dW) with dW shaped like W")


def at_zero(loss_fn: LossFn, expected: float, why: str, known: dict[float, str]) -> None:
    __tracebackhide__ = True
    name = name_of(loss_fn)
    W, X, y = problem()
    loss, _ = run(loss_fn, np.zeros_like(W), X, y, 0.0)
    if not np.isclose(loss, expected, rtol=1e-6):
        likely = next((text for value, text in known.items() if np.isclose(loss, value)), "")
        if not likely and np.isclose(loss, len(y) * expected):
            likely = "the loss is summed over the N = 5 examples: divide it by N"
        fail(name, f"at W = 0 the loss must be {why}", f"got {loss:.6g}", likely)
    passed(f"{name}: loss at W = 0 is {why.split(' (')[0]}")


def lecture_losses(loss_fn: LossFn, expected: tuple[float, ...]) -> None:
    __tracebackhide__ = True
    name = name_of(loss_fn)
    got = np.zeros(3)
    for i in range(3):  # a loop, not a comprehension: its frame would show in a traceback
        got[i] = run(loss_fn, LECTURE[[i]], np.eye(1), LECTURE_Y[[i]], 0.0)[0]
    if not close(got, expected, rtol=1e-4, atol=1e-6):
        likely = ("the loss is C - 1 whatever the scores: each margin must subtract the "
                  "example's own true-class score s_yi" if np.allclose(got, 2.0) else "")
        fail(name, "the lecture's losses of the cat, car and frog (one image each) are "
             + ", ".join(f"{e:.4g}" for e in expected),
             "got " + ", ".join(f"{g:.4g}" for g in got), likely)
    mean, _ = run(loss_fn, LECTURE, np.eye(3), LECTURE_Y, 0.0)
    if not np.isclose(mean, np.mean(expected), rtol=1e-4):
        fail(name, f"the lecture's mean loss over the 3 images is {np.mean(expected):.5g}",
             how_far(mean, np.mean(expected)), "average the per-image losses over N")
    passed(f"{name}: the lecture's losses of the cat, car and frog, and their mean")


def averaged(loss_fn: LossFn) -> None:
    """Duplicating every example changes neither the loss nor the gradient."""
    __tracebackhide__ = True
    name = name_of(loss_fn)
    W, X, y = problem()
    loss, dW = run(loss_fn, W, X, y, 0.0)
    loss2, dW2 = run(loss_fn, W, np.vstack([X, X]), np.concatenate([y, y]), 0.0)
    checked = "with every example duplicated (N doubled) the {} must stay the same"
    if not np.isclose(loss2, loss, rtol=1e-7):
        fail(name, checked.format("loss"), how_far(loss2, loss),
             "the loss is summed over the examples: divide it by N" if np.isclose(
                 loss2, 2 * loss) else "")
    if not close(dW2, dW, rtol=1e-7, atol=1e-12):
        fail(name, checked.format("gradient"), how_far(dW2, dW),
             "the gradient is summed over the examples: divide dW by N too" if ratio(
                 dW2, dW) == 2.0 else "")
    passed(f"{name}: loss and gradient are averaged over N (duplicated examples change nothing)")


def regularization(loss_fn: LossFn) -> None:
    """loss(reg) - loss(0) == reg * sum(W**2); dW(reg) - dW(0) == 2 * reg * W."""
    __tracebackhide__ = True
    name = name_of(loss_fn)
    W, X, y = problem()
    (loss0, dW0), (loss1, dW1) = run(loss_fn, W, X, y, 0.0), run(loss_fn, W, X, y, REG)
    expected_loss, expected_grad = REG * np.sum(W * W), 2 * REG * W
    loss_factor = _factor(loss1 - loss0, expected_loss, len(y))
    grad_factor = _factor(dW1 - dW0, expected_grad, len(y))
    if loss_factor == 0.5 and grad_factor == 0.5:
        fail(name, "loss(reg) - loss(0) should be reg * sum(W**2), its gradient 2 * reg * W",
             "yours are half of both", "you used the convention 0.5 * reg * sum(W**2) with "
             "gradient reg * W: consistent, but this assignment uses reg * sum(W**2)")
    if loss_factor != 1.0:
        fail(name, "the regularization part of the loss, loss(reg) - loss(0), should be "
             "reg * sum(W**2)", how_far(loss1 - loss0, expected_loss),
             _reg_mistake("loss", loss_factor, "reg * sum(W**2)"))
    if grad_factor != 1.0:
        fail(name, "the regularization part of the gradient, dW(reg) - dW(0), should be "
             "2 * reg * W", how_far(dW1 - dW0, expected_grad),
             _reg_mistake("gradient", grad_factor, "2 * reg * W"))
    passed(f"{name}: regularization adds reg * sum(W**2) to the loss and 2 * reg * W to dW")


def _factor(got: Any, expected: Any, n: int) -> float | None:
    """1.0, 0.0, 0.5, n, 1/n, ... when got is that multiple of expected; else None."""
    got_a, exp_a = np.asarray(got, float), np.asarray(expected, float)
    for factor in (1.0, 0.0, 0.5, float(n), 1 / n, 2.0):
        if np.allclose(got_a, factor * exp_a, rtol=1e-6, atol=1e-10):
            return factor
    return ratio(got_a, exp_a)


def _reg_mistake(part: str, factor: float | None, right: str) -> str:
    if factor == 0.0:
        return f"the {part} lacks the regularization term {right}"
    if factor == 0.5 and part == "gradient":
        return "the gradient of reg * sum(W**2) is 2 * reg * W, not reg * W"
    if factor == 5.0:
        return (f"the {part}'s regularization is added once per example (inside the loop "
                "over examples): add it once, after the loop")
    if factor == 0.2:
        return f"the {part}'s regularization term is divided by N: add it after averaging"
    return ""


def svm_lecture_gradient(loss_fn: LossFn) -> None:
    """With X = I the gradient is dL/dscores: known for the lecture's table."""
    __tracebackhide__ = True
    name = name_of(loss_fn)
    _, dW = run(loss_fn, LECTURE, np.eye(3), LECTURE_Y, 0.0)
    if close(dW, SVM_G, rtol=1e-6, atol=1e-9):
        return passed(f"{name}: gradient of the lecture's mean loss")
    likely = _shared_gradient_mistake(dW, SVM_G) or _svm_gradient_mistake(dW)
    fail(name, "the gradient of the lecture's mean loss (X = I, so dW = dL/dscores)",
         how_far(dW, SVM_G), likely)


def _svm_gradient_mistake(dW: np.ndarray) -> str:
    """The likely mistake in a wrong gradient of the lecture's table (X = I)."""
    if not np.allclose(dW.sum(axis=1), 0):
        if np.allclose(np.diag(dW)[[0, 2]], 1 / 3):
            return ("the true class gets +1 instead of -(number of positive margins): a "
                    "boolean array cannot hold a negative count, convert it to float first")
        return ("the parts of one example must cancel over the classes: +x_i for each class "
                "with a positive margin and -x_i for each of them at the true class y_i")
    if any(dW[i, j] != 0 for i, j in SVM_NOT_POSITIVE):
        return ("the gradient also counts margins that are not positive: add x_i only "
                "where the margin is > 0")
    return ""


def softmax_lecture_gradient(loss_fn: LossFn) -> None:
    """For the lecture's cat alone (X = [[1]]), dW = p - onehot(y): rows sum to 0."""
    __tracebackhide__ = True
    name = name_of(loss_fn)
    _, dW = run(loss_fn, LECTURE[[0]], np.eye(1), LECTURE_Y[[0]], 0.0)
    if close(dW, CAT_GRADIENT, rtol=1e-6, atol=1e-9):
        return passed(f"{name}: gradient of the lecture's cat loss, p - onehot(y)")
    likely = _shared_gradient_mistake(dW, CAT_GRADIENT)
    if not likely and np.isclose(dW.sum(), 1.0):
        likely = "the gradient uses p instead of p - onehot(y): subtract 1 at the true class"
    fail(name, "the gradient of the lecture's cat loss (one example x = [1], so dW = p - onehot(y))",
         how_far(dW, CAT_GRADIENT), likely)


def _shared_gradient_mistake(dW: np.ndarray, expected: np.ndarray) -> str:
    if not np.any(dW):
        return "dW is never filled in"
    factor = ratio(dW, expected)
    if factor == -1.0:
        return "the gradient has the wrong sign"
    if factor is not None and factor > 1:
        return "the gradient is summed over the examples: divide dW by N"
    return ""


def gradient_matches(loss_fn: LossFn) -> None:
    """dW against centered differences, at reg = 0 and reg = 0.1, margins mixed."""
    __tracebackhide__ = True
    name = name_of(loss_fn)
    W, X, y = problem()
    for reg in (0.0, REG):
        _, dW = run(loss_fn, W, X, y, reg)

        def loss_at(w: np.ndarray, reg: float = reg) -> float:
            __tracebackhide__ = True
            return run(loss_fn, w, X, y, reg)[0]

        numeric = numeric_gradient(loss_at, W)
        if not close(dW, numeric, rtol=1e-5, atol=1e-7):
            fail(name, f"dW against centered differences of your loss (N = 5, reg = {reg:g}, "
                 "margins mixed)", how_far(dW, numeric), _shared_gradient_mistake(dW, numeric))
    passed(f"{name}: dW equals centered differences of the loss, at reg = 0 and {REG:g}")


def stable(loss_fn: LossFn) -> None:
    """Softmax: large scores change nothing that a shift of each row cancels."""
    __tracebackhide__ = True
    name = name_of(loss_fn)
    cat = LECTURE[[0]]
    cases = [  # (scores W with X = I, labels, the right loss, what, the likely mistake)
        (cat + 1000.0, [0], SOFTMAX_LOSSES[0], "1000 added to every score of the cat",
         "exp overflows: subtract each row's maximum score before exp"),
        (LECTURE + [[1000.0], [0.0], [-1000.0]], LECTURE_Y, np.mean(SOFTMAX_LOSSES),
         "+1000, 0 and -1000 added to the three rows",
         "subtract each row's own maximum, not one maximum over all rows"),
        (np.array([[-800.0, 0.0, 0.0]]), [0], 800 + np.log(2),
         "the true class's score 800 below the others",
         "-log of a probability that underflowed to 0: use log-sum-exp instead"),
        (cat * [1, 1, 0] + [0, 0, -1000], [0], 2.0393867583, "a wrong class's score at -1000",
         "0 * log(0) is nan: take the log-probability of the true class only (log-sum-exp)"),
    ]
    for W, y, expected, what, likely in cases:
        loss, _ = run(loss_fn, W, np.eye(len(W)), np.array(y), 0.0)
        if not np.isclose(loss, expected, rtol=1e-6):
            fail(name, f"finite, right loss with {what} ({expected:.6g})",
                 f"got {loss:.6g}", likely if not np.isfinite(loss) else "")
    passed(f"{name}: stable for scores of +-1000 (each row shifted by its maximum)")
