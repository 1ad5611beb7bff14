"""Plausible student mistakes: each loses points in exactly `fails`, with `hint`.

One answer cell each, otherwise the reference. Where the grader knows the mistake the
hint names it; elsewhere the hint is the part of the message that says what differed.
"""

from __future__ import annotations

from tests.corpus import Case

# ---------------------------------------------------------------- pieces

SVM_NAIVE = '''
def svm_loss_naive(W, X, y, reg):
    dW = np.zeros_like(W)
    num_train, num_classes = X.shape[0], W.shape[1]
    loss = 0.0
    for i in range(num_train):
        scores = X[i] @ W
        correct_class_score = scores[y[i]]
        for j in range(num_classes):
            if j == y[i]:
                continue
            margin = scores[j] - correct_class_score + 1
            if margin > 0:
                loss += margin
                dW[:, j] += X[i]
                dW[:, y[i]] -= X[i]
    loss /= num_train
    dW /= num_train
    loss += reg * np.sum(W * W)
    dW += 2 * reg * W
    return loss, dW
'''

SVM_VECTORIZED = '''
def svm_loss_vectorized(W, X, y, reg):
    num_train = X.shape[0]
    rows = np.arange(num_train)
    scores = X @ W
    margins = np.maximum(0.0, scores - scores[rows, y][:, None] + 1.0)
    margins[rows, y] = 0.0
    loss = margins.sum() / num_train + reg * np.sum(W * W)
    G = (margins > 0).astype(float)
    G[rows, y] = -G.sum(axis=1)
    dW = X.T @ G / num_train + 2 * reg * W
    return loss, dW
'''

SOFTMAX_NAIVE = '''
def softmax_loss_naive(W, X, y, reg):
    loss = 0.0
    dW = np.zeros_like(W)
    num_train, num_classes = X.shape[0], W.shape[1]
    for i in range(num_train):
        scores = X[i] @ W
        scores = scores - scores.max()
        log_sum_exp = np.log(np.sum(np.exp(scores)))
        loss += log_sum_exp - scores[y[i]]
        probs = np.exp(scores - log_sum_exp)
        for j in range(num_classes):
            dW[:, j] += (probs[j] - (j == y[i])) * X[i]
    loss /= num_train
    dW /= num_train
    loss += reg * np.sum(W * W)
    dW += 2 * reg * W
    return loss, dW
'''

SOFTMAX_VECTORIZED = '''
def softmax_loss_vectorized(W, X, y, reg):
    num_train = X.shape[0]
    rows = np.arange(num_train)
    scores = X @ W
    scores = scores - scores.max(axis=1, keepdims=True)
    probs = np.exp(scores)
    sums = probs.sum(axis=1, keepdims=True)
    loss = np.mean(np.log(sums[:, 0]) - scores[rows, y]) + reg * np.sum(W * W)
    probs /= sums
    probs[rows, y] -= 1.0
    dW = X.T @ probs / num_train + 2 * reg * W
    return loss, dW
'''

NUMERICAL = '''
def eval_numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + h
        f_plus = f(x)
        x[index] = original - h
        f_minus = f(x)
        x[index] = original
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad
'''

GRAD_CHECK = '''
def grad_check_sparse(f, x, analytic_grad, num_checks=10, h=1e-5, seed=0):
    errors = np.zeros(num_checks)
    rng = np.random.default_rng(seed)
    for k in range(num_checks):
        index = tuple(int(rng.integers(n)) for n in x.shape)
        original = x[index]
        x[index] = original + h
        f_plus = f(x)
        x[index] = original - h
        f_minus = f(x)
        x[index] = original
        numerical = (f_plus - f_minus) / (2 * h)
        analytic = analytic_grad[index]
        errors[k] = abs(numerical - analytic) / max(1e-8, abs(numerical) + abs(analytic))
    return errors
'''

CLASSIFIER = '''
from abc import ABC, abstractmethod


class LinearClassifier(ABC):
    def __init__(self):
        self.W = None

    def train(self, X, y, learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200,
              verbose=False, seed=None):
        rng = np.random.default_rng(seed)
        num_train, dim = X.shape
        if self.W is None:
            num_classes = int(np.max(y)) + 1
            self.W = 1e-5 * rng.standard_normal((dim, num_classes)).astype(X.dtype)
        loss_history = []
        for it in range(num_iters):
            batch = rng.integers(num_train, size=batch_size)
            X_batch, y_batch = X[batch], y[batch]
            loss, grad = self.loss(X_batch, y_batch, reg)
            self.W -= learning_rate * grad
            loss_history.append(float(loss))
        return loss_history

    def predict(self, X):
        return np.argmax(X @ self.W, axis=1)

    @abstractmethod
    def loss(self, X_batch, y_batch, reg):
        """Loss and gradient on a mini-batch."""
'''


def edit(piece: str, *changes: tuple[str, str]) -> str:
    """`piece` with each (old, new) replaced once; old must be there, so that a change
    of the pieces cannot silently turn a mistake into a correct answer."""
    for old, new in changes:
        if piece.count(old) != 1:
            raise ValueError(f"{old!r} occurs {piece.count(old)} times, not once")
        piece = piece.replace(old, new)
    return piece


SVM_N = {"test_svm_naive_loss", "test_svm_naive_gradient"}
SOFTMAX_N = {"test_softmax_naive_loss", "test_softmax_naive_gradient"}
NOT_FIRST = "needs a correct"   # the no-loop and speed checks of a wrong vectorized loss
# Messages without a hint for the mistake: what was checked and what differed.
STABLE_GRADIENT = ("softmax_loss_naive gradient for all scores", "entries differ")
ANY_SHAPE = ("eval_numerical_gradient of sum(A * x**2)", "entries differ")
CONVERGES = ("LinearClassifier.train reached only", "training accuracy on an easy, separable problem")

CASES = [
    # ------------------------------------------------------------ SVM, naive
    Case("svm_naive_no_reg", "svm_loss_naive",
         edit(SVM_NAIVE, ("    loss += reg * np.sum(W * W)\n", ""),
              ("    dW += 2 * reg * W\n", "")),
         fails=SVM_N,
         hint={"test_svm_naive_loss": "without the regularization term",
               "test_svm_naive_gradient": "lacks the regularization term's gradient"}),
    Case("svm_naive_half_reg", "svm_loss_naive",
         edit(SVM_NAIVE, ("loss += reg * np.sum(W * W)", "loss += 0.5 * reg * np.sum(W * W)"),
              ("dW += 2 * reg * W", "dW += reg * W")),
         fails=SVM_N,
         hint="this assignment defines the regularization as reg * sum(W**2)"),
    Case("svm_naive_reg_grad_not_doubled", "svm_loss_naive",
         edit(SVM_NAIVE, ("dW += 2 * reg * W", "dW += reg * W")),
         fails={"test_svm_naive_gradient"}, hint="2 * reg * W"),
    Case("svm_naive_reg_over_n", "svm_loss_naive",
         edit(SVM_NAIVE, ("    loss /= num_train\n", ""),
              ("loss += reg * np.sum(W * W)",
               "loss += reg * np.sum(W * W)\n    loss /= num_train")),
         fails={"test_svm_naive_loss"}, hint="regularization term is divided by N"),
    Case("svm_naive_loss_not_averaged", "svm_loss_naive",
         edit(SVM_NAIVE, ("    loss /= num_train\n", "")),
         fails={"test_svm_naive_loss"}, hint="N = 8 times too large"),
    Case("svm_naive_grad_not_averaged", "svm_loss_naive",
         edit(SVM_NAIVE, ("    dW /= num_train\n", "")),
         fails={"test_svm_naive_gradient"}, hint="N = 8 times too large"),
    # Counting j = y_i adds a margin of 1 per example; its two gradient terms cancel.
    Case("svm_naive_counts_true_class", "svm_loss_naive",
         edit(SVM_NAIVE, ("            if j == y[i]:\n                continue\n", "")),
         fails={"test_svm_naive_loss"}, hint="exactly 1 higher"),
    Case("svm_naive_no_true_class_gradient", "svm_loss_naive",
         edit(SVM_NAIVE, ("                dW[:, y[i]] -= X[i]\n", "")),
         fails={"test_svm_naive_gradient"}, hint="misses the true class's part"),
    Case("svm_naive_gradient_sign", "svm_loss_naive",
         edit(SVM_NAIVE, ("    return loss, dW", "    return loss, -dW")),
         fails={"test_svm_naive_gradient"}, hint="wrong sign"),
    # No known-mistake hint: the message names the function and says what differed.
    Case("svm_naive_index_typo", "svm_loss_naive",
         edit(SVM_NAIVE, ("dW[:, y[i]] -= X[i]", "dW[:, y[i]] -= X[j]")),
         fails={"test_svm_naive_gradient"},
         hint=("svm_loss_naive gradient dW with N=8", "entries differ; the largest absolute")),

    # ------------------------------------------------------------ SVM, vectorized
    # Right values, but loops: loses the no-loop points (and, if slow, the speed ones).
    Case("svm_vectorized_for_loop_over_classes", "svm_loss_vectorized",
         '''
         def svm_loss_vectorized(W, X, y, reg):
             num_train, num_classes = X.shape[0], W.shape[1]
             rows = np.arange(num_train)
             scores = X @ W
             correct = scores[rows, y]
             margins = np.zeros_like(scores)
             for j in range(num_classes):
                 margins[:, j] = np.maximum(0.0, scores[:, j] - correct + 1.0)
             margins[rows, y] = 0.0
             loss = margins.sum() / num_train + reg * np.sum(W * W)
             G = (margins > 0).astype(float)
             G[rows, y] = -G.sum(axis=1)
             dW = X.T @ G / num_train + 2 * reg * W
             return loss, dW
         ''',
         fails={"test_svm_vectorized_has_no_loops"}, hint="a for loop in svm_loss_vectorized"),
    Case("svm_vectorized_list_comprehension", "svm_loss_vectorized",
         '''
         def svm_loss_vectorized(W, X, y, reg):
             num_train, num_classes = X.shape[0], W.shape[1]
             rows = np.arange(num_train)
             scores = X @ W
             correct = scores[rows, y]
             margins = np.stack([np.maximum(0.0, scores[:, j] - correct + 1.0)
                                 for j in range(num_classes)], axis=1)
             margins[rows, y] = 0.0
             loss = margins.sum() / num_train + reg * np.sum(W * W)
             G = (margins > 0).astype(float)
             G[rows, y] = -G.sum(axis=1)
             dW = X.T @ G / num_train + 2 * reg * W
             return loss, dW
         ''',
         fails={"test_svm_vectorized_has_no_loops"}, hint="a list comprehension"),
    Case("svm_vectorized_np_vectorize", "svm_loss_vectorized",
         edit(SVM_VECTORIZED, ("scores[rows, y][:, None]",
                               "np.vectorize(lambda i: scores[i, y[i]])(rows)[:, None]")),
         fails={"test_svm_vectorized_has_no_loops"}, hint="a call to vectorize"),
    Case("svm_vectorized_helper_with_loop", "svm_loss_vectorized",
         edit(SVM_VECTORIZED, ("    G = (margins > 0).astype(float)\n",
                               "    G = indicator(margins)\n")),
         helpers=('''
         def indicator(margins):
             G = np.zeros_like(margins)
             for j in range(margins.shape[1]):
                 G[:, j] = margins[:, j] > 0
             return G
         ''',),
         fails={"test_svm_vectorized_has_no_loops"}, hint="a for loop in indicator"),
    # The loop sits in a method of a helper class, which the no-loop check never reads.
    Case("svm_vectorized_loop_in_helper_class", "svm_loss_vectorized",
         edit(SVM_VECTORIZED, ("    G = (margins > 0).astype(float)\n",
                               "    G = Indicator.of(margins)\n")),
         helpers=('''
         class Indicator:
             @staticmethod
             def of(margins):
                 G = np.zeros_like(margins)
                 for j in range(margins.shape[1]):
                     G[:, j] = margins[:, j] > 0
                 return G
         ''',),
         fails={"test_svm_vectorized_has_no_loops"}, hint="a for loop in Indicator"),
    Case("svm_vectorized_calls_naive", "svm_loss_vectorized",
         '''
         def svm_loss_vectorized(W, X, y, reg):
             return svm_loss_naive(W, X, y, reg)
         ''',
         depends={"svm_loss_naive"},
         fails={"test_svm_vectorized_has_no_loops", "test_svm_vectorized_is_faster"},
         hint={"test_svm_vectorized_has_no_loops": "a for loop in svm_loss_naive",
               "test_svm_vectorized_is_faster": "expected at least 10x"}),
    # The true class's margin (always 1) kept: its loss is 1 higher and G[i, y_i] one too
    # low; without a hint for that gradient, the message says what differed.
    Case("svm_vectorized_keeps_true_class", "svm_loss_vectorized",
         edit(SVM_VECTORIZED, ("    margins[rows, y] = 0.0\n", "")),
         fails={"test_svm_vectorized_loss", "test_svm_vectorized_gradient",
                "test_svm_vectorized_has_no_loops", "test_svm_vectorized_is_faster"},
         hint={"test_svm_vectorized_loss": "exactly 1 higher",
               "test_svm_vectorized_gradient": ("svm_loss_vectorized gradient dW with N=8",
                                                "entries differ; the largest absolute"),
               "test_svm_vectorized_has_no_loops": NOT_FIRST,
               "test_svm_vectorized_is_faster": NOT_FIRST}),
    Case("svm_vectorized_loss_not_averaged", "svm_loss_vectorized",
         edit(SVM_VECTORIZED, ("margins.sum() / num_train", "margins.sum()")),
         fails={"test_svm_vectorized_loss", "test_svm_vectorized_has_no_loops",
                "test_svm_vectorized_is_faster"},
         hint={"test_svm_vectorized_loss": "N = 8 times too large",
               "test_svm_vectorized_has_no_loops": NOT_FIRST,
               "test_svm_vectorized_is_faster": NOT_FIRST}),

    # ------------------------------------------------------------ softmax, naive
    Case("softmax_naive_no_max_shift", "softmax_loss_naive",
         edit(SOFTMAX_NAIVE, ("        scores = scores - scores.max()\n", "")),
         fails={"test_softmax_naive_is_stable"}, hint="exp overflows for large scores"),
    # The global maximum over all rows: rows far below it underflow.
    Case("softmax_naive_global_max", "softmax_loss_naive",
         edit(SOFTMAX_NAIVE, (("    for i in range(num_train):\n        scores = X[i] @ W\n"
                              "        scores = scores - scores.max()\n"),
                              ("    all_scores = X @ W\n    top = all_scores.max()\n"
                              "    for i in range(num_train):\n"
                              "        scores = all_scores[i] - top\n"))),
         fails={"test_softmax_naive_is_stable"}, hint="each row's own maximum"),
    # The stability check compares the gradient too: a wrong gradient fails it, and its
    # message then blames overflow, which is misleading here.
    Case("softmax_naive_gradient_p", "softmax_loss_naive",
         edit(SOFTMAX_NAIVE, ("(probs[j] - (j == y[i]))", "probs[j]")),
         fails={"test_softmax_naive_gradient", "test_softmax_naive_is_stable"},
         hint={"test_softmax_naive_gradient": "uses p instead of p - 1",
               "test_softmax_naive_is_stable": STABLE_GRADIENT}),
    Case("softmax_naive_gradient_sign", "softmax_loss_naive",
         edit(SOFTMAX_NAIVE, ("    return loss, dW", "    return loss, -dW")),
         fails={"test_softmax_naive_gradient", "test_softmax_naive_is_stable"},
         hint={"test_softmax_naive_gradient": "wrong sign",
               "test_softmax_naive_is_stable": STABLE_GRADIENT}),
    Case("softmax_naive_no_reg", "softmax_loss_naive",
         edit(SOFTMAX_NAIVE, ("    loss += reg * np.sum(W * W)\n", ""),
              ("    dW += 2 * reg * W\n", "")),
         fails=SOFTMAX_N,
         hint={"test_softmax_naive_loss": "without the regularization term",
               "test_softmax_naive_gradient": "lacks the regularization term's gradient"}),
    Case("softmax_naive_grad_not_averaged", "softmax_loss_naive",
         edit(SOFTMAX_NAIVE, ("    dW /= num_train\n", "")),
         fails={"test_softmax_naive_gradient", "test_softmax_naive_is_stable"},
         hint={"test_softmax_naive_gradient": "N = 8 times too large",
               "test_softmax_naive_is_stable": STABLE_GRADIENT}),
    # log10 instead of the natural log: no hint, the message says what differed.
    Case("softmax_naive_log10", "softmax_loss_naive",
         edit(SOFTMAX_NAIVE, ("log_sum_exp - scores[y[i]]",
                              "(log_sum_exp - scores[y[i]]) / np.log(10)")),
         fails={"test_softmax_naive_loss", "test_softmax_naive_is_stable"},
         hint={"test_softmax_naive_loss": ("softmax_loss_naive loss with N=8", "got 0.89"),
               "test_softmax_naive_is_stable": ("softmax_loss_naive loss for all scores",
                                                "got 0.0105")}),

    # ------------------------------------------------------------ softmax, vectorized
    Case("softmax_vectorized_no_max_shift", "softmax_loss_vectorized",
         edit(SOFTMAX_VECTORIZED, ("    scores = scores - scores.max(axis=1, keepdims=True)\n",
                                   "")),
         fails={"test_softmax_vectorized_is_stable"}, hint="exp overflows for large scores"),
    Case("softmax_vectorized_global_max", "softmax_loss_vectorized",
         edit(SOFTMAX_VECTORIZED, ("scores.max(axis=1, keepdims=True)", "scores.max()")),
         fails={"test_softmax_vectorized_is_stable"}, hint="each row's own maximum"),
    Case("softmax_vectorized_loop_over_rows", "softmax_loss_vectorized",
         edit(SOFTMAX_VECTORIZED, ("    probs[rows, y] -= 1.0\n",
                                   ("    for i in range(num_train):\n"
                                   "        probs[i, y[i]] -= 1.0\n"))),
         fails={"test_softmax_vectorized_has_no_loops"}, hint="a for loop in softmax_loss_vec"),
    Case("softmax_vectorized_calls_naive", "softmax_loss_vectorized",
         '''
         def softmax_loss_vectorized(W, X, y, reg):
             loss, dW = softmax_loss_naive(W, X, y, reg)
             return loss, dW
         ''',
         depends={"softmax_loss_naive"},
         fails={"test_softmax_vectorized_has_no_loops", "test_softmax_vectorized_is_faster"},
         hint={"test_softmax_vectorized_has_no_loops": "in softmax_loss_naive",
               "test_softmax_vectorized_is_faster": "expected at least 10x"}),
    Case("softmax_vectorized_onehot_p", "softmax_loss_vectorized",
         edit(SOFTMAX_VECTORIZED, ("    probs[rows, y] -= 1.0\n", "")),
         fails={"test_softmax_vectorized_gradient", "test_softmax_vectorized_is_stable",
                "test_softmax_vectorized_has_no_loops", "test_softmax_vectorized_is_faster"},
         hint={"test_softmax_vectorized_gradient": "uses p instead of p - 1",
               "test_softmax_vectorized_is_stable": ("softmax_loss_vectorized gradient",
                                                     "entries differ"),
               "test_softmax_vectorized_has_no_loops": NOT_FIRST,
               "test_softmax_vectorized_is_faster": NOT_FIRST}),
    Case("softmax_vectorized_half_reg", "softmax_loss_vectorized",
         edit(SOFTMAX_VECTORIZED, ("scores[rows, y]) + reg * np.sum(W * W)",
                                   "scores[rows, y]) + 0.5 * reg * np.sum(W * W)"),
              ("+ 2 * reg * W", "+ reg * W")),
         fails={"test_softmax_vectorized_loss", "test_softmax_vectorized_gradient",
                "test_softmax_vectorized_has_no_loops", "test_softmax_vectorized_is_faster"},
         hint={"test_softmax_vectorized_loss": "0.5 * reg * sum(W**2) with gradient reg * W",
               "test_softmax_vectorized_gradient": "0.5 * reg * sum(W**2) with gradient reg * W",
               "test_softmax_vectorized_has_no_loops": NOT_FIRST,
               "test_softmax_vectorized_is_faster": NOT_FIRST}),

    # ------------------------------------------------------------ numerical gradient
    # One-sided differences are off by ~3xh: fine for a check, wrong at these tolerances.
    Case("numerical_one_sided", "eval_numerical_gradient",
         edit(NUMERICAL, ("        x[index] = original - h\n        f_minus = f(x)\n",
                          "        x[index] = original\n        f_x = f(x)\n"),
              ("(f_plus - f_minus) / (2 * h)", "(f_plus - f_x) / h")),
         fails={"test_numerical_gradient_values", "test_numerical_gradient_any_shape"},
         hint={"test_numerical_gradient_values": "one-sided difference",
               "test_numerical_gradient_any_shape": ANY_SHAPE}),
    # x[index] left at original - h: the test functions are separable, so the values
    # stay right and only the restore check fails.
    Case("numerical_x_not_restored", "eval_numerical_gradient",
         edit(NUMERICAL, ("        x[index] = original\n", "")),
         fails={"test_numerical_gradient_restores_x"}, hint="changed x"),
    Case("numerical_divides_by_h", "eval_numerical_gradient",
         edit(NUMERICAL, ("(f_plus - f_minus) / (2 * h)", "(f_plus - f_minus) / h")),
         fails={"test_numerical_gradient_values", "test_numerical_gradient_any_shape"},
         hint={"test_numerical_gradient_values": "divide by 2h, not h",
               "test_numerical_gradient_any_shape": ANY_SHAPE}),
    Case("numerical_2d_only", "eval_numerical_gradient",
         edit(NUMERICAL, ("    for index in np.ndindex(x.shape):\n",
                          ("    for index in [(i, j) for i in range(x.shape[0])\n"
                          "                  for j in range(x.shape[1])]:\n"))),
         fails={"test_numerical_gradient_any_shape"},
         hint="eval_numerical_gradient raised IndexError"),

    # ------------------------------------------------------------ sparse gradient check
    # Unseeded global draws: every grader call runs in a fresh fork of one process, so
    # they repeat across calls, and seeds 5 and 6 pick the same entries.
    Case("grad_check_unseeded_randint", "grad_check_sparse",
         edit(GRAD_CHECK, ("    rng = np.random.default_rng(seed)\n", ""),
              ("int(rng.integers(n))", "int(np.random.randint(n))")),
         fails={"test_grad_check_sparse_is_reproducible"}, hint="is the seed used?"),
    Case("grad_check_fixed_seed", "grad_check_sparse",
         edit(GRAD_CHECK, ("np.random.default_rng(seed)", "np.random.default_rng(0)")),
         fails={"test_grad_check_sparse_is_reproducible"}, hint="is the seed used?"),
    Case("grad_check_x_not_restored", "grad_check_sparse",
         edit(GRAD_CHECK, ("        x[index] = original\n", "")),
         fails={"test_grad_check_sparse_errors"}, hint="grad_check_sparse changed x"),
    Case("grad_check_signed_error", "grad_check_sparse",
         edit(GRAD_CHECK, ("abs(numerical - analytic) /", "(numerical - analytic) /")),
         fails={"test_grad_check_sparse_errors"},
         hint=("grad_check_sparse's errors for an analytic gradient 1.5x too large",
               "7 of 7 entries differ")),

    # ------------------------------------------------------------ rel_error
    Case("rel_error_no_floor", "rel_error",
         '''
         def rel_error(a, b):
             return float(np.max(np.abs(a - b) / (np.abs(a) + np.abs(b))))
         ''',
         fails={"test_rel_error_of_zeros"},
         hint=("rel_error of two zero arrays", "is nan: 0 / 0")),
    Case("rel_error_mean", "rel_error",
         '''
         def rel_error(a, b):
             return float(np.mean(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))
         ''',
         fails={"test_rel_error_values"}, hint="averaged the entries' errors"),
    Case("rel_error_abs_of_sum", "rel_error",
         '''
         def rel_error(a, b):
             return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a + b))))
         ''',
         fails={"test_rel_error_values"}, hint="absolute values in the denominator"),

    # ------------------------------------------------------------ SGD and predict
    Case("train_rows_and_labels_differ", "linear_classifier",
         edit(CLASSIFIER, ("X_batch, y_batch = X[batch], y[batch]",
                           ("X_batch, y_batch = X[batch], y[rng.integers(num_train, "
                           "size=batch_size)]"))),
         fails={"test_train_batches", "test_train_converges"},
         hint={"test_train_batches": "index X and y with the same indices",
               "test_train_converges": CONVERGES}),
    Case("train_without_replacement", "linear_classifier",
         edit(CLASSIFIER, ("rng.integers(num_train, size=batch_size)",
                           "rng.choice(num_train, batch_size, replace=False)")),
         fails={"test_train_batches"}, hint="draw each batch with replacement"),
    Case("train_adds_gradient", "linear_classifier",
         edit(CLASSIFIER, ("self.W -= learning_rate * grad", "self.W += learning_rate * grad")),
         fails={"test_train_update", "test_train_converges"},
         hint={"test_train_update": "You added the gradient",
               "test_train_converges": CONVERGES}),
    Case("train_no_learning_rate", "linear_classifier",
         edit(CLASSIFIER, ("self.W -= learning_rate * grad", "self.W -= grad")),
         fails={"test_train_update", "test_train_converges"},
         hint={"test_train_update": "ignores the learning rate",
               "test_train_converges": CONVERGES}),
    Case("train_history_not_appended", "linear_classifier",
         edit(CLASSIFIER, ("            loss_history.append(float(loss))\n", "")),
         fails={"test_train_history"}, hint="got a list of length 0"),
    # The loss from before the step, recorded one step late: the values differ.
    Case("train_history_lagged", "linear_classifier",
         edit(CLASSIFIER, ("        loss_history = []\n",
                           "        loss_history, previous = [], 0.0\n"),
              ("            loss_history.append(float(loss))\n",
               "            loss_history.append(previous)\n            previous = float(loss)\n")),
         fails={"test_train_history"}, hint=("the loss history", "5 of 5 entries differ")),
    Case("train_history_appends_gradient", "linear_classifier",
         edit(CLASSIFIER, ("loss_history.append(float(loss))",
                           "loss_history.append(float(np.sum(grad ** 2)))")),
         fails={"test_train_history"}, hint=("the loss history", "5 of 5 entries differ")),
    Case("train_global_random_state", "linear_classifier",
         edit(CLASSIFIER, ("batch = rng.integers(num_train, size=batch_size)",
                           "batch = np.random.choice(num_train, batch_size)")),
         fails={"test_train_is_reproducible"}, hint="is the seed used?"),
    Case("predict_argmax_without_axis", "linear_classifier",
         edit(CLASSIFIER, ("np.argmax(X @ self.W, axis=1)", "np.argmax(X @ self.W)")),
         fails={"test_predict"}, hint="take the argmax over classes, axis=1"),
    Case("predict_argmax_axis_0", "linear_classifier",
         edit(CLASSIFIER, ("np.argmax(X @ self.W, axis=1)", "np.argmax(X @ self.W, axis=0)")),
         fails={"test_predict"}, hint="one label per class: use axis=1"),
    Case("predict_returns_floats", "linear_classifier",
         edit(CLASSIFIER, ("np.argmax(X @ self.W, axis=1)",
                           "np.argmax(X @ self.W, axis=1).astype(float)")),
         fails={"test_predict"}, hint="should return integer labels"),
    Case("predict_returns_scores", "linear_classifier",
         edit(CLASSIFIER, ("np.argmax(X @ self.W, axis=1)", "X @ self.W")),
         # The dtype is checked before the shape: the message is about integer labels.
         fails={"test_predict"}, hint="should return integer labels, got dtype float64"),
    Case("predict_argmin", "linear_classifier",
         edit(CLASSIFIER, ("np.argmax(X @ self.W, axis=1)", "np.argmin(X @ self.W, axis=1)")),
         fails={"test_predict"}, hint=("predict: ", "25 of 25 entries differ")),
]
