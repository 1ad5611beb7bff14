"""Right LinearClassifier.train and predict written differently."""

from __future__ import annotations

from tests.corpus import Case

CASES = [
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
]
