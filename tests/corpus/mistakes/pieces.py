"""The reference's answers that the mistakes edit, and the texts that several hints share.

Each mistake is one of these pieces with a few exact replacements (`edit`), so that a
case shows its mistake and nothing else.
"""

from __future__ import annotations

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


NOT_FIRST = "needs a correct"   # the no-loop and speed checks of a wrong vectorized loss
STUB = "looks unfinished"
