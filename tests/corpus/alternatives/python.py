"""Right answers in unusual Python: magics, line continuations, aliases, lambdas, annotations."""

from __future__ import annotations

from tests.corpus import Case

CASES = [
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
