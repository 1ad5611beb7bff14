"""Right answers written differently from the reference: each must score 100."""

from __future__ import annotations

from tests.corpus import Case

CASES = [
    # ------------------------------------------------------------ SVM
    Case("svm_naive_row_at_a_time", "svm_loss_naive", '''
        def svm_loss_naive(W, X, y, reg):
            """One loop over the examples; each row's margins at once."""
            loss, dW = 0.0, np.zeros(W.shape)
            for i in range(X.shape[0]):
                scores = X[i].dot(W)
                margins = np.maximum(0, scores - scores[y[i]] + 1)
                margins[y[i]] = 0
                loss += margins.sum()
                positive = margins > 0
                dW[:, positive] += X[i][:, np.newaxis]
                dW[:, y[i]] -= positive.sum() * X[i]
            n = X.shape[0]
            return loss / n + reg * (W ** 2).sum(), dW / n + reg * 2 * W
        '''),
    Case("svm_vectorized_where_and_masks", "svm_loss_vectorized", '''
        def svm_loss_vectorized(W, X, y, reg):
            n, c = X.shape[0], W.shape[1]
            scores = X @ W
            true_class = np.arange(c)[None, :] == y[:, None]          # (N, C) mask
            correct = scores[true_class][:, None]
            margins = np.where(true_class, 0.0, scores - correct + 1)
            positive = margins > 0
            loss = np.sum(margins, where=positive) / n + reg * np.sum(np.square(W))
            coeff = positive.astype(np.float64)
            coeff[true_class] = -positive.sum(axis=1)
            return loss, (X.T @ coeff) / n + 2 * reg * W
        '''),
    # Right and loop-free; einsum's per-call overhead once put its speed check near the
    # threshold (2.2-3.8x against 3x). Timed per example now: about 100x against 10x.
    Case("svm_vectorized_einsum", "svm_loss_vectorized", '''
        def svm_loss_vectorized(W, X, y, reg):
            n = len(y)
            scores = np.einsum("nd,dc->nc", X, W, optimize=True)
            correct = np.take_along_axis(scores, y[:, None], axis=1)
            margins = np.clip(scores - correct + 1, 0, None)
            np.put_along_axis(margins, y[:, None], 0.0, axis=1)
            G = np.sign(margins)
            np.put_along_axis(G, y[:, None], -G.sum(axis=1, keepdims=True), axis=1)
            dW = np.einsum("nd,nc->dc", X, G, optimize=True) / n + 2 * reg * W
            return margins.sum() / n + reg * np.einsum("dc,dc->", W, W), dW
        '''),
    # The helper lives in a cell of its own, defined after the function that uses it.
    Case("svm_vectorized_helper_in_another_cell", "svm_loss_vectorized", '''
        def svm_loss_vectorized(W, X, y, reg):
            margins, G = hinge_and_coefficients(X @ W, y)
            N = X.shape[0]
            return margins.sum() / N + reg * np.sum(W * W), X.T.dot(G) / N + 2 * reg * W
        ''', helpers=('''
        def hinge_and_coefficients(scores, y):
            """Margins (N, C) and dL/dscores before averaging, without loops."""
            rows = np.arange(scores.shape[0])
            margins = np.maximum(0, scores - scores[rows, y].reshape(-1, 1) + 1)
            margins[rows, y] = 0
            G = (margins > 0) * 1.0
            G[rows, y] -= G.sum(axis=1)
            return margins, G
        ''',)),

    # ------------------------------------------------------------ softmax
    # log-sum-exp with a per-row shift written out, without scipy.
    Case("softmax_naive_logsumexp", "softmax_loss_naive", '''
        import math


        def softmax_loss_naive(W, X, y, reg):
            num_train, num_classes = X.shape[0], W.shape[1]
            loss, dW = 0.0, np.zeros_like(W)
            for i in range(num_train):
                s = [float(X[i] @ W[:, j]) for j in range(num_classes)]
                top = max(s)
                lse = top + math.log(sum(math.exp(v - top) for v in s))
                loss += lse - s[y[i]]
                for j in range(num_classes):
                    p = math.exp(s[j] - lse)
                    dW[:, j] += (p - (1.0 if j == y[i] else 0.0)) * X[i]
            loss = loss / num_train + reg * float(np.sum(W * W))
            dW = dW / num_train + 2 * reg * W
            return loss, dW
        '''),
    # np.logaddexp.reduce is stable on its own: no explicit max shift.
    Case("softmax_vectorized_logaddexp", "softmax_loss_vectorized", '''
        def softmax_loss_vectorized(W, X, y, reg):
            N = X.shape[0]
            scores = X @ W
            lse = np.logaddexp.reduce(scores, axis=1)                  # (N,)
            loss = np.mean(lse - scores[np.arange(N), y]) + reg * np.sum(W * W)
            P = np.exp(scores - lse[:, None])
            P -= np.eye(W.shape[1])[y]                                  # one-hot
            return loss, X.T @ P / N + 2 * reg * W
        '''),
    Case("softmax_vectorized_log_softmax", "softmax_loss_vectorized", '''
        def softmax_loss_vectorized(W, X, y, reg):
            z = X.dot(W)
            z = z - np.amax(z, axis=-1, keepdims=True)
            log_probs = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
            n = z.shape[0]
            onehot = np.zeros_like(z)
            onehot[np.arange(n), y] = 1
            loss = -(onehot * log_probs).sum() / n + reg * np.vdot(W, W)
            dW = X.T.dot(np.exp(log_probs) - onehot) / n + 2 * reg * W
            return float(loss), dW
        '''),

    # ------------------------------------------------------------ gradient checking
    Case("numerical_nditer", "eval_numerical_gradient", '''
        def eval_numerical_gradient(f, x, h=1e-5):
            grad = np.zeros_like(x, dtype=float)
            it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
            while not it.finished:
                ix = it.multi_index
                old = x[ix]
                x[ix] = old + h
                fxph = f(x)
                x[ix] = old - h
                fxmh = f(x)
                x[ix] = old
                grad[ix] = (fxph - fxmh) / (2 * h)
                it.iternext()
            return grad
        '''),
    Case("numerical_flat_index", "eval_numerical_gradient", '''
        def eval_numerical_gradient(f, x, h=1e-5):
            grad = np.empty(x.size)
            for k in range(x.size):
                saved = x.flat[k]
                x.flat[k] = saved + h
                up = f(x)
                x.flat[k] = saved - h
                down = f(x)
                x.flat[k] = saved
                grad[k] = (up - down) / (2 * h)
            return grad.reshape(x.shape)
        '''),
    Case("grad_check_unravel_index", "grad_check_sparse", '''
        def grad_check_sparse(f, x, analytic_grad, num_checks=10, h=1e-5, seed=0):
            rng = np.random.default_rng(seed)
            out = []
            for flat in rng.integers(0, x.size, size=num_checks):
                ix = np.unravel_index(flat, x.shape)
                keep = x[ix]
                x[ix] = keep + h
                fp = f(x)
                x[ix] = keep - h
                fm = f(x)
                x[ix] = keep
                num = (fp - fm) / (2 * h)
                ana = analytic_grad[ix]
                out.append(abs(num - ana) / max(1e-8, abs(num) + abs(ana)))
                print("numerical %f analytic %f, relative error %e" % (num, ana, out[-1]))
            return np.array(out)
        '''),
    Case("rel_error_clip", "rel_error", '''
        def rel_error(a, b):
            a = np.array(a, dtype=np.float64)
            b = np.array(b, dtype=np.float64)
            return (np.abs(a - b) / np.clip(np.abs(a) + np.abs(b), 1e-8, None)).max()
        '''),

    # ------------------------------------------------------------ SGD and predict
    Case("classifier_choice_with_replacement", "linear_classifier", '''
        from abc import ABC, abstractmethod


        class LinearClassifier(ABC):
            def __init__(self):
                self.W = None

            def train(self, X, y, learning_rate=1e-3, reg=1e-5, num_iters=100,
                      batch_size=200, verbose=False, seed=None):
                rng = np.random.default_rng(seed)
                num_train, dim = X.shape
                if self.W is None:
                    self.W = 1e-5 * rng.standard_normal((dim, int(np.max(y)) + 1))
                history = []
                for it in range(num_iters):
                    idx = rng.choice(num_train, size=batch_size, replace=True)
                    loss, grad = self.loss(X[idx, :], y[idx], reg)
                    history.append(loss)
                    self.W = self.W - learning_rate * grad
                    if verbose and it % 100 == 0:
                        print("iteration %d / %d: loss %f" % (it, num_iters, loss))
                return history

            def predict(self, X):
                return (X @ self.W).argmax(1)

            @abstractmethod
            def loss(self, X_batch, y_batch, reg):
                pass
        '''),
    # IPython magics, extra prints and an experiment left in the answer cell.
    Case("classifier_magics_and_prints", "linear_classifier", '''
        %load_ext autoreload
        from abc import ABC, abstractmethod
        import numpy


        class LinearClassifier(ABC):
            def __init__(self):
                self.W = None
                print("created", type(self).__name__)

            def train(self, X, y, learning_rate=1e-3, reg=1e-5, num_iters=100,
                      batch_size=200, verbose=False, seed=None):
                rng = numpy.random.default_rng(seed)
                if self.W is None:
                    self.W = 1e-5 * rng.standard_normal((X.shape[1], int(y.max()) + 1))
                loss_history = []
                for it in range(num_iters):
                    rows = rng.integers(low=0, high=X.shape[0], size=(batch_size,))
                    loss, grad = self.loss(X.take(rows, axis=0), y.take(rows), reg)
                    loss_history += [float(loss)]
                    self.W -= learning_rate * grad
                    print(f"step {it}: loss {loss:.3f}")
                return loss_history

            def predict(self, X):
                scores = X.dot(self.W)
                print("predicting", scores.shape)
                return numpy.argmax(scores, axis=-1).astype(numpy.int64)

            @abstractmethod
            def loss(self, X_batch, y_batch, reg):
                raise NotImplementedError


        !echo this shell escape is skipped
        print(LinearClassifier.__doc__)
        '''),

    # ------------------------------------------------------------ Python itself
    # black-style lines that start with `!=` and `%` continue their expressions: IPython
    # reads a magic or shell escape only at the start of a logical line.
    Case("svm_vectorized_black_style", "svm_loss_vectorized", '''
        def svm_loss_vectorized(W, X, y, reg):
            num_train = X.shape[0]
            rows = np.arange(num_train)
            scores = X @ W
            margins = np.maximum(0.0, scores - scores[rows, y][:, None] + 1.0)
            margins[rows, y] = 0.0
            loss = margins.sum() / num_train + reg * np.sum(W * W)
            G = (
                margins
                != 0
            ).astype(X.dtype)
            G[rows, y] = -G.sum(axis=1)
            dW = X.T @ G / num_train + 2 * reg * W
            return loss, dW
        '''),
    Case("grad_check_percent_continuation", "grad_check_sparse", '''
        %matplotlib inline
        def grad_check_sparse(f, x, analytic_grad, num_checks=10, h=1e-5, seed=0):
            rng = np.random.default_rng(seed)
            errors = np.zeros(num_checks)
            for k in range(num_checks):
                ix = tuple(int(rng.integers(n)) for n in x.shape)
                old = x[ix]
                x[ix] = old + h
                fp = f(x)
                x[ix] = old - h
                fm = f(x)
                x[ix] = old
                num, ana = (fp - fm) / (2 * h), analytic_grad[ix]
                errors[k] = abs(num - ana) / max(1e-8, abs(num) + abs(ana))
                print("numerical: %f analytic: %f, relative error: %e"
                      % (num, ana, errors[k]))
            return errors
        '''),
    # A %%time cell: IPython runs its body as ordinary Python, so the definition counts.
    Case("rel_error_in_a_time_cell", "rel_error", '''
        %%time
        def rel_error(a, b):
            return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))
        '''),
    # The function is defined under another name and bound to the expected one.
    Case("svm_vectorized_alias", "svm_loss_vectorized", '''
        def multiclass_hinge(W, X, y, reg):
            N = X.shape[0]
            S = X @ W
            M = np.maximum(0, S - S[np.arange(N), y][:, None] + 1)
            M[np.arange(N), y] = 0
            G = (M > 0).astype(float)
            G[np.arange(N), y] = -G.sum(1)
            return M.sum() / N + reg * np.sum(W * W), X.T @ G / N + 2 * reg * W


        svm_loss_vectorized = multiclass_hinge
        '''),
    Case("rel_error_lambda", "rel_error", '''
        rel_error = lambda a, b: float(  # noqa: E731
            np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))
        '''),
    # In Jupyter the __future__ import makes annotations lazy, so a method may name its
    # own class; the grader drops that import, and the class body fails to run.
    Case("classifier_future_annotations", "linear_classifier", '''
        from __future__ import annotations

        from abc import ABC, abstractmethod


        class LinearClassifier(ABC):
            def __init__(self) -> None:
                self.W: np.ndarray | None = None

            def reset(self) -> LinearClassifier:
                self.W = None
                return self

            def train(self, X: np.ndarray, y: np.ndarray, learning_rate: float = 1e-3,
                      reg: float = 1e-5, num_iters: int = 100, batch_size: int = 200,
                      verbose: bool = False, seed: int | None = None) -> list[float]:
                rng = np.random.default_rng(seed)
                if self.W is None:
                    self.W = 1e-5 * rng.standard_normal((X.shape[1], int(np.max(y)) + 1))
                history: list[float] = []
                for _ in range(num_iters):
                    batch = rng.integers(X.shape[0], size=batch_size)
                    loss, grad = self.loss(X[batch], y[batch], reg)
                    self.W -= learning_rate * grad
                    history.append(float(loss))
                return history

            def predict(self, X: np.ndarray) -> np.ndarray:
                return np.argmax(X @ self.W, axis=1)

            @abstractmethod
            def loss(self, X_batch: np.ndarray, y_batch: np.ndarray, reg: float
                     ) -> tuple[float, np.ndarray]:
                ...
        '''),
]
