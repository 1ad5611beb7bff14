"""This homework's probes: its hidden tests' scaffolding around the student's functions.

Every public function defined here is a probe, as in autograder/worker/probes.py (the
generic ones, ``call`` among them), called as ``probe(submission_module, *args)`` in a
fork of the worker: the sandbox copies this file beside the worker's own
(``Sandbox(probes=...)``). Runs inside the untrusted worker: stdlib + numpy only, and
nothing a student must not see. The expected values and the reference never come here;
the grader computes and compares them.
"""

from __future__ import annotations

from builtins import type, vars
from types import ModuleType
from typing import Any

if __package__:
    from autograder.worker.probes import MissingFunction, call
else:  # inside the worker: a sibling of its generic probes
    from probes import MissingFunction, call

_MISSING = object()


def _scalar_function(kind: str, A: Any = None) -> Any:
    """A function with a known gradient: "cubic" sum(x**3), "weighted_square" sum(A x**2);
    x and A of one shape (any), the value a float."""
    import numpy as np

    if kind == "cubic":
        return lambda v: float(np.sum(v ** 3))
    if kind == "weighted_square":
        return lambda v: float(np.sum(A * v ** 2))
    raise ValueError(f"unknown test function {kind!r}")


def numerical_gradient(sub: ModuleType, kind: str, x: Any, A: Any = None) -> dict:
    """eval_numerical_gradient(f, x) on a known function; also returns x afterwards
    (both of x's shape)."""
    grad = call(sub, "eval_numerical_gradient", _scalar_function(kind, A), x)
    return {"grad": grad, "x_after": x}


def grad_check(sub: ModuleType, kind: str, x: Any, analytic: Any, num_checks: int, seed: int,
               A: Any = None) -> dict:
    """grad_check_sparse on a known function (x, analytic and A of one shape), recording
    which flat entries f saw perturbed."""
    import numpy as np

    original, f, touched = x.copy(), _scalar_function(kind, A), []

    def recording(v: Any) -> float:
        touched.append(np.flatnonzero(v.ravel() != original.ravel()).tolist())
        return f(v)

    errors = call(sub, "grad_check_sparse", recording, x, analytic, num_checks=num_checks,
                  seed=seed)
    return {"errors": errors, "touched": [t for t in touched if t], "x_after": x}


def _classifier_base(sub: ModuleType) -> Any:
    base = vars(sub).get("LinearClassifier", _MISSING)
    if base is _MISSING or not isinstance(base, type):
        raise MissingFunction("submission does not define the class `LinearClassifier`")
    return base


def train_recorded(sub: ModuleType, X: Any, y: Any, W0: Any, G: Any, lr: float, reg: float,
                   num_iters: int, batch_size: int, seed: int) -> dict:
    """train() through a loss that records its batches and returns loss 100 + k and grad G.

    X (N, D), y (N,), W0 and G (D, C). Column 0 of X holds each row's index, so the
    rows of every batch can be named.
    """
    seen: dict = {"rows": [], "labels": [], "weights": [], "regs": []}

    class Recording(_classifier_base(sub)):
        def loss(self, X_batch: Any, y_batch: Any, reg: float) -> tuple:
            seen["rows"].append(X_batch[:, 0].astype(int).tolist())
            seen["labels"].append(y_batch.tolist())
            seen["weights"].append(self.W.copy())
            seen["regs"].append(float(reg))
            return 100.0 + len(seen["rows"]) - 1, G.copy()

    model = Recording()
    model.W = W0.copy()
    history = model.train(X, y, learning_rate=lr, reg=reg, num_iters=num_iters,
                          batch_size=batch_size, seed=seed)
    return {**seen, "history": history, "W_final": model.W}


def train_twice(sub: ModuleType, X: Any, y: Any, G: Any) -> dict:
    """Two train() calls on one fresh model (X (N, D), y (N,), G (D, C)), through a loss that
    records the W it sees and returns gradient G: the second call must start from the W
    the first one left."""
    seen: list = []

    class Recording(_classifier_base(sub)):
        def loss(self, X_batch: Any, y_batch: Any, reg: float) -> tuple:
            seen.append(self.W.copy())
            return 1.0, G.copy()

    model = Recording()
    model.train(X, y, learning_rate=0.1, reg=0.0, num_iters=2, batch_size=8, seed=0)
    after_first = model.W.copy()
    calls = len(seen)
    model.train(X, y, learning_rate=0.1, reg=0.0, num_iters=2, batch_size=8, seed=1)
    return {"after_first": after_first, "second_start": seen[calls] if len(seen) > calls
            else None, "first_start": seen[0] if seen else None}


def train_least_squares(sub: ModuleType, X: Any, y: Any) -> Any:
    """The weights (D, C) train() learns on X (N, D), y (N,) with a least-squares loss (the
    grader scores them)."""
    import numpy as np

    class LeastSquares(_classifier_base(sub)):
        def loss(self, X_batch: Any, y_batch: Any, reg: float) -> tuple:
            residual = X_batch @ self.W - np.eye(self.W.shape[1])[y_batch]
            n = len(y_batch)
            return float(np.sum(residual ** 2)) / (2 * n), X_batch.T @ residual / n

    model = LeastSquares()
    model.train(X, y, learning_rate=0.05, reg=0.0, num_iters=300, batch_size=30, seed=0)
    return model.W


def predict(sub: ModuleType, W: Any, X: Any) -> Any:
    """predict(X) (N,) of a classifier whose weights are W (D, C), X (N, D)."""

    class Fixed(_classifier_base(sub)):
        def loss(self, X_batch: Any, y_batch: Any, reg: float) -> tuple:
            raise RuntimeError("predict should not call loss")

    model = Fixed()
    model.W = W
    return model.predict(X)
