"""Known wrong answers, computed by the grader, so feedback can name the mistake.

Each function returns (id, hint, wrong value) candidates for one input. `feedback`
compares the student's value with each and, on a match, appends the hint and records
the id (results.json's extra_data, read by the class report). Everything here is built
from the reference's regularization-free parts, in the trusted process.
"""

from __future__ import annotations

import numpy as np

from autograder.checking.feedback import Candidate, close

Candidates = list[Candidate]

# Every mistake of this homework the feedback may name: its id, and what an instructor reads
# in the class report (autograder/spec.py adds the generic ones: unfinished, syntax_error, ...).
LABELS = {
    "transposed": "result transposed",
    "no_reg": "regularization term missing",
    "no_reg_grad": "regularization gradient missing",
    "half_reg_convention": "0.5·reg·ΣW² with gradient reg·W instead of reg·ΣW² with 2·reg·W",
    "half_reg_loss": "regularization term 0.5·reg·ΣW² instead of reg·ΣW²",
    "reg_grad_not_doubled": "regularization gradient reg·W instead of 2·reg·W",
    "reg_over_n": "regularization term divided by N",
    "reg_times_n": "regularization term added once per example (N·reg·ΣW²)",
    "reg_grad_over_n": "regularization gradient divided by N",
    "reg_grad_times_n": "regularization gradient added once per example (2·N·reg·W)",
    "loss_not_averaged": "data loss summed, not averaged over N",
    "grad_not_averaged": "gradient summed, not averaged over N",
    "svm_counts_true_class": "SVM loss counts the j = y_i margin",
    "grad_sign": "gradient with the wrong sign",
    "svm_no_true_class_grad": "SVM gradient misses the true class's column",
    "softmax_grad_p": "softmax gradient p instead of p - 1 at the true class",
    "no_max_shift": "softmax without the max shift (exp overflows)",
    "global_max_shift": "softmax shifted by the global maximum, not each row's",
    "log_of_probability": "softmax loss as log of a probability that underflows (no log-sum-exp)",
    "python_loops": "Python loops in a vectorized function",
    "slow": "vectorized function not faster than a loop version",
    "one_sided_difference": "one-sided difference (f(x+h) - f(x)) / h",
    "divides_by_h": "centered difference divided by h, not 2h",
    "x_not_restored": "x left perturbed after a numerical gradient",
    "fixed_2d_shape": "numerical gradient only for 2-D arrays",
    "unseeded": "randomness not drawn from np.random.default_rng(seed)",
    "rel_error_mean": "rel_error averages instead of taking the maximum",
    "rel_error_abs_of_sum": "rel_error divides by |a + b|, not |a| + |b|",
    "rel_error_no_floor": "rel_error divides 0 by 0",
    "batch_without_replacement": "mini-batches drawn without replacement (fails for batch > N)",
    "batch_rows_labels_differ": "X and y of a batch drawn with different indices",
    "gradient_ascent": "W += lr·grad (ascent)",
    "no_learning_rate": "step ignores the learning rate",
    "history": "loss history missing or wrong",
    "reinitialises_w": "train() re-initialises W on every call",
    "predict_axis": "argmax over the wrong axis (or none)",
    "predict_dtype": "predict returns floats or scores, not integer labels",
    "no_return": "returns None (the return statement is missing)",
    "grad_not_computed": "gradient left at zeros while the loss is computed",
    "no_update": "SGD step missing: W never changes",
    "svm_correct_score_row": "SVM true-class score not indexed by the label (loss C - 1 for any W)",
    "svm_bool_indicator": "SVM indicator kept boolean: -count stored as True (+1)",
    "softmax_no_log": "softmax loss without the log (mean probability of the true class)",
    "softmax_denominator": "softmax normaliser sums only the other classes",
}


def loss_mistakes(kind: str, data_loss: float, W: np.ndarray, N: int, reg: float) -> Candidates:
    """Wrong loss values for a loss of `kind` ("svm" or "softmax").

    data_loss: the correct mean loss without regularization; W: (D, C); N examples.
    Candidates equal to the right loss on this input are skipped by feedback.
    """
    R = reg * float(np.sum(W * W))
    found: Candidates = [
        ("no_reg", ("Your loss equals the correct one without the regularization term: "
         "add reg * np.sum(W * W)"), data_loss),
        ("half_reg_loss", ("Your regularization term is half the expected one: use "
         "reg * np.sum(W * W), not 0.5 * reg * np.sum(W * W)"), data_loss + R / 2),
        ("reg_over_n", ("Your regularization term is divided by N: only the data loss is "
         "averaged"), data_loss + R / N),
        ("reg_times_n", (f"Your regularization term is counted N = {N} times: add it once, "
         "after the loop over the examples"), data_loss + N * R),
        ("loss_not_averaged", (f"Your loss is N = {N} times too large: did you average over "
         "the N examples?"), N * data_loss + R),
    ]
    if kind == "svm":
        found.append(("svm_counts_true_class", ("Your loss is exactly 1 higher: the j = y_i "
                      "term is counted; its margin is always 1, so skip it"), data_loss + 1 + R))
    return found


def specific_loss_mistakes(kind: str, W: np.ndarray, X: np.ndarray, y: np.ndarray,
                           reg: float) -> Candidates:
    """Wrong loss values of one kind of loss, for W (D, C), X (N, D), y (N,)."""
    N, C = X.shape[0], W.shape[1]
    R = reg * float(np.sum(W * W))
    if kind == "svm":
        return [("svm_correct_score_row", (f"Your loss is C - 1 = {C - 1} (plus the "
                 "regularization) whatever W is: every margin is 1, so the true class's score "
                 "is compared with itself; take scores[y[i]], the score of the label"), C - 1 + R)]
    scores = X @ W
    scores = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(scores)
    true = exp[np.arange(N), y]
    p_true = true / exp.sum(axis=1)
    return [("softmax_no_log", ("Your loss is the mean probability of the true class: take "
             "-log of it"), float(np.mean(p_true)) + R),
            ("softmax_no_log", ("Your loss is minus the mean probability of the true class: take "
             "-log of it"), -float(np.mean(p_true)) + R),
            ("softmax_denominator", ("The softmax denominator sums exp over every class, the "
             "true one included"), float(np.mean(np.log(exp.sum(axis=1) - true)
                                                  - scores[np.arange(N), y])) + R)]


def gradient_mistakes(data_grad: np.ndarray, W: np.ndarray, N: int, reg: float,
                      extra: Candidates = ()) -> Candidates:
    """Wrong gradients, from the correct regularization-free gradient (D, C)."""
    dR = 2 * reg * W
    return [*extra,
            ("grad_not_computed", "Your gradient is all zeros: dW is never filled in",
             np.zeros_like(W)),
            ("no_reg_grad", ("Your gradient lacks the regularization term's gradient: add "
             "2 * reg * W"), data_grad),
            ("reg_grad_not_doubled", ("Your regularization gradient is reg * W; the derivative "
             "of reg * sum(W**2) is 2 * reg * W"), data_grad + dR / 2),
            ("reg_grad_over_n", ("Your regularization gradient is divided by N: only the data "
             "gradient is averaged; add 2 * reg * W after dividing"), data_grad + dR / N),
            ("reg_grad_times_n", (f"Your regularization gradient is added N = {N} times "
             "(2 * N * reg * W): add 2 * reg * W once, after the loop over the examples"),
             data_grad + N * dR),
            ("grad_not_averaged", (f"Your gradient is N = {N} times too large: did you average "
             "over the N examples?"), N * data_grad + dR),
            ("grad_sign", ("Your gradient has the wrong sign: it should point uphill, the "
             "optimizer subtracts it"), -(data_grad + dR))]


HALF_REG = ("You used the convention 0.5 * reg * sum(W**2) with gradient reg * W: consistent, "
            "but this assignment defines the regularization as reg * sum(W**2), whose gradient "
            "is 2 * reg * W (notebook Part 3)")


def half_reg_convention(loss: float, grad: np.ndarray, data_loss: float,
                        data_grad: np.ndarray, W: np.ndarray, reg: float) -> bool:
    """Whether loss and gradient are both those of 0.5 * reg * sum(W**2): one choice."""
    if not reg:
        return False
    return (close(loss, data_loss + 0.5 * reg * float(np.sum(W * W)), 1e-6, 1e-9)
            and close(grad, data_grad + reg * W, 1e-5, 1e-8))


def svm_gradient_mistakes(W: np.ndarray, X: np.ndarray, y: np.ndarray) -> Candidates:
    """SVM-specific wrong data gradients (without regularization), for X (N, D), y (N,)."""
    N = X.shape[0]
    scores = X @ W
    margins = scores - scores[np.arange(N), y][:, None] + 1
    margins[np.arange(N), y] = 0
    positive = (margins > 0).astype(float)
    stored_true = positive.copy()   # -count written into a boolean array stores True: +1
    stored_true[np.arange(N), y] = positive.sum(axis=1) > 0
    return [("svm_no_true_class_grad", ("Your gradient misses the true class's part: for every "
             "positive margin also subtract x_i from column y_i"), X.T @ positive / N),
            ("svm_bool_indicator", ("Your true class's column gets +x_i, not -(count) x_i: "
             "writing -count into a boolean array stores True; cast the indicator to float "
             "first"), X.T @ stored_true / N)]


def softmax_gradient_mistakes(W: np.ndarray, X: np.ndarray, y: np.ndarray) -> Candidates:
    """Softmax-specific wrong data gradients (without regularization)."""
    N = X.shape[0]
    scores = X @ W
    probs = np.exp(scores - scores.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    return [("softmax_grad_p", ("Your gradient uses p instead of p - 1 at the true class: "
             "subtract 1 from the correct class's probability"), X.T @ probs / N)]


def one_sided_gradient(f_values_plus: np.ndarray, f_x: float, h: float) -> np.ndarray:
    """What (f(x + h e_k) - f(x)) / h gives, for the one-sided-difference mistake."""
    return (f_values_plus - f_x) / h
