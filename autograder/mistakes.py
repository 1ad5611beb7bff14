"""Known wrong answers, computed by the grader, so feedback can name the mistake.

Each function returns (hint, wrong value) pairs for one input. `feedback` compares
the student's value with each and, on a match, appends the hint. Everything here is
built from the reference's regularization-free parts, in the trusted process.
"""

from __future__ import annotations

import numpy as np

Candidates = list[tuple[str, object]]


def loss_mistakes(kind: str, data_loss: float, W: np.ndarray, N: int, reg: float) -> Candidates:
    """Wrong loss values for a loss of `kind` ("svm" or "softmax").

    data_loss: the correct mean loss without regularization; W: (D, C); N examples.
    """
    R = reg * float(np.sum(W * W))
    found: Candidates = []
    if reg:
        found += [
            (("Your loss equals the correct one without the regularization term: "
             "add reg * np.sum(W * W)"), data_loss),
            (("Your regularization term is half the expected one: use reg * np.sum(W * W), "
             "not 0.5 * reg * np.sum(W * W)"), data_loss + R / 2),
            ("Your regularization term is divided by N: only the data loss is averaged",
             data_loss + R / N),
        ]
    if N > 1:
        found.append(((f"Your loss is N = {N} times too large: did you average over the "
                      "N examples?"), N * data_loss + R))
    if kind == "svm":
        found.append((("Your loss is exactly 1 higher: the j = y_i term is counted; its "
                      "margin is always 1, so skip it"), data_loss + 1 + R))
    return found


def gradient_mistakes(data_grad: np.ndarray, W: np.ndarray, N: int, reg: float,
                      extra: Candidates = ()) -> Candidates:
    """Wrong gradients, from the correct regularization-free gradient (D, C)."""
    dR = 2 * reg * W
    found: Candidates = list(extra)
    if reg:
        found += [
            ("Your gradient lacks the regularization term's gradient: add 2 * reg * W",
             data_grad),
            (("Your regularization gradient is reg * W; the derivative of reg * sum(W**2) is "
             "2 * reg * W"), data_grad + dR / 2),
        ]
    if N > 1:
        found.append(((f"Your gradient is N = {N} times too large: did you average over the "
                      "N examples?"), N * data_grad + dR))
    found.append((("Your gradient has the wrong sign: it should point uphill, the optimizer "
                  "subtracts it"), -(data_grad + dR)))
    return found


def svm_gradient_mistakes(W: np.ndarray, X: np.ndarray, y: np.ndarray) -> Candidates:
    """SVM-specific wrong data gradients (without regularization), for X (N, D), y (N,)."""
    N = X.shape[0]
    scores = X @ W
    margins = scores - scores[np.arange(N), y][:, None] + 1
    margins[np.arange(N), y] = 0
    positive = (margins > 0).astype(float)
    return [(("Your gradient misses the true class's part: for every positive margin also "
             "subtract x_i from column y_i"), X.T @ positive / N)]


def softmax_gradient_mistakes(W: np.ndarray, X: np.ndarray, y: np.ndarray) -> Candidates:
    """Softmax-specific wrong data gradients (without regularization)."""
    N = X.shape[0]
    scores = X @ W
    probs = np.exp(scores - scores.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    return [(("Your gradient uses p instead of p - 1 at the true class: subtract 1 from the "
             "correct class's probability"), X.T @ probs / N)]


def one_sided_gradient(f_values_plus: np.ndarray, f_x: float, h: float) -> np.ndarray:
    """What (f(x + h e_k) - f(x)) / h gives, for the one-sided-difference mistake."""
    return (f_values_plus - f_x) / h
