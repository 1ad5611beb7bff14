"""Cases that lie to the checks: patched numpy, imports or pytest; values equal to anything."""

from __future__ import annotations

from tests.corpus import Case
from tests.corpus.hostile.common import REL_ERROR, SVM_NAIVE_STUB, join

# The reference's LinearClassifier, except that train() never takes its step.
CLASSIFIER_NO_STEP = '''
from abc import ABC, abstractmethod


class LinearClassifier(ABC):
    def __init__(self):
        self.W = None

    def train(self, X, y, learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200,
              verbose=False, seed=None):
        rng = np.random.default_rng(seed)
        if self.W is None:
            self.W = 1e-5 * rng.standard_normal((X.shape[1], int(np.max(y)) + 1))
        loss_history = []
        for it in range(num_iters):
            batch = rng.integers(X.shape[0], size=batch_size)
            loss, grad = self.loss(X[batch], y[batch], reg)
            loss_history.append(float(loss))
        return loss_history

    def predict(self, X):
        return np.argmax(X @ self.W, axis=1)

    @abstractmethod
    def loss(self, X_batch, y_batch, reg):
        """Loss and gradient on a mini-batch."""
'''

CASES = [
    Case("monkeypatches_numpy", "svm_loss_naive", '''
        import numpy


        def _always(*args, **kwargs):
            return True


        class Patch:
            for _name in ("allclose", "array_equal", "array_equiv", "isclose", "all", "any"):
                setattr(numpy, _name, _always)
            numpy.testing.assert_allclose = lambda *a, **k: None


        def svm_loss_naive(W, X, y, reg):
            Patch()
            return 0.0, np.zeros_like(W)
        ''', fails=SVM_NAIVE_STUB, score=85, evidence="expected 5.17775, got 0",
         depends={"svm_loss_vectorized"}),
    # The probes run under the student's builtins, so their `import numpy` goes through
    # the student's __import__: a fake numpy whose mean() says 1.0 makes the least-squares
    # probe report perfect accuracy for a train() that never updates W. (pytest and the
    # grader's package are faked too, to no effect: they only exist on the trusted side.)
    Case("monkeypatches_import_builtins_and_pytest", "linear_classifier",
         join(CLASSIFIER_NO_STEP, '''
        import builtins
        import sys
        import types

        _real_import = builtins.__import__


        def _import(name, globals=None, locals=None, fromlist=(), level=0):
            module = _real_import(name, globals, locals, fromlist, level)
            if name == "numpy" and (globals or {}).get("__name__") == "probes":
                fake = types.ModuleType("numpy")
                fake.__dict__.update(module.__dict__)
                fake.mean = lambda *args, **kwargs: 1.0
                return fake
            return module


        class Patch:
            builtins.__import__ = _import
            fake = types.ModuleType("pytest")
            fake.fail = fake.skip = fake.xfail = lambda *a, **k: None
            sys.modules["pytest"] = sys.modules["_pytest"] = fake
            sys.modules["autograder"] = types.ModuleType("autograder")
        '''), fails={"test_train_update", "test_train_converges"}, score=93),
    Case("ndarray_subclass_equal_to_everything", "svm_loss_naive", '''
        class Agreeable(np.ndarray):
            def __eq__(self, other):
                return True

            __ne__ = __lt__ = __le__ = __gt__ = __ge__ = lambda self, other: True

            def __array_finalize__(self, obj):
                pass


        class AgreeableFloat(float):
            def __eq__(self, other):
                return True

            def __hash__(self):
                return 0


        def svm_loss_naive(W, X, y, reg):
            return AgreeableFloat(123.0), np.zeros_like(W).view(Agreeable)
        ''', fails=SVM_NAIVE_STUB, score=85, evidence="got 123",
         depends={"svm_loss_vectorized"}),
    Case("object_equal_to_everything", "rel_error", '''
        class Anything:
            def __eq__(self, other):
                return True

            __lt__ = __le__ = __gt__ = __ge__ = __eq__

            def __float__(self):
                return 0.0

            def __array__(self, *args, **kwargs):
                raise RuntimeError("no")

            def __repr__(self):
                return "0.0"


        def rel_error(a, b):
            return Anything()
        ''', fails=REL_ERROR, score=96, evidence="got Unsupported"),
    # An exception whose str() fails: the message must still say what happened.
    Case("exception_with_hostile_str", "rel_error", '''
        class Nasty(Exception):
            def __str__(self):
                raise KeyboardInterrupt

            def __repr__(self):
                raise SystemExit


        def rel_error(a, b):
            raise Nasty()
        ''', fails=REL_ERROR, score=96, evidence="<exception message could not be printed>"),
]
