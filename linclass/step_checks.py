"""Visible checks of the gradient-check tools and of SGD, on inputs made here.

eval_numerical_gradient and grad_check_sparse get functions whose gradients are known;
rel_error gets inputs whose answers are known; LinearClassifier is trained through a
subclass whose loss records what it is given and returns a known gradient, so that its
batches, steps, loss history, seeding and warm start are seen directly.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from typing import Any

import numpy as np

from linclass.verdict import as_array, as_float, close, describe, fail, how_far, name_of, passed

N, D, C = 40, 4, 3          # the classifier's problem: C != D, so a wrong axis shows
RATE = 0.1


def check_numerical_gradient(fn: Callable[..., Any]) -> None:
    """The gradient of sum(x**3) is 3x**2; x is left as it was; any number of dimensions."""
    __tracebackhide__ = True
    name = name_of(fn)
    x = np.array([[1.0, -2.0, 0.5], [3.0, 0.0, -1.5]])
    before = x.copy()
    grad = as_array(name, "the gradient", fn(lambda v: float(np.sum(v ** 3)), x), x.shape)
    if not np.array_equal(x, before):
        fail(name, "x must be exactly as it was afterwards", how_far(x, before),
             "restore x[index] to its original value after evaluating f")
    if not close(grad, 3 * before ** 2, rtol=1e-7, atol=1e-7):
        one_sided = close(grad - 3 * before ** 2, 3e-5 * before, rtol=1e-2, atol=1e-8)
        fail(name, "the gradient of sum(x**3) is 3 * x**2", how_far(grad, 3 * before ** 2),
             "a one-sided difference (f(x+h) - f(x)) / h: use the centered "
             "(f(x+h) - f(x-h)) / 2h" if one_sided else "")
    passed(f"{name}: the gradient of sum(x**3) is 3 * x**2, and x is left unchanged")
    any_shape(fn)


def any_shape(fn: Callable[..., Any]) -> None:
    __tracebackhide__ = True
    name = name_of(fn)
    for shape in ((2, 3, 2), (4,)):
        A = np.random.default_rng(len(shape)).standard_normal(shape)
        x = np.random.default_rng(9).standard_normal(shape)
        expected = 2 * A * x
        try:
            grad = np.asarray(fn(lambda v, A=A: float(np.sum(A * v ** 2)), x), dtype=float)
        except Exception as exc:  # noqa: BLE001 - the student's code: say which input broke it
            fail(name, f"an x of shape {shape}", f"it raised {type(exc).__name__}: {exc}",
                 "visit every index of x, whatever its number of dimensions (np.ndindex)")
        if not close(grad, expected, rtol=1e-6, atol=1e-7):
            fail(name, f"the gradient of sum(A * x**2) for x of shape {shape}",
                 how_far(grad, expected) if grad.shape == shape else f"got {describe(grad)}",
                 "visit every index of x, whatever its number of dimensions (np.ndindex)")
    passed(f"{name}: works for x of any number of dimensions")


def check_grad_check_sparse(fn: Callable[..., Any]) -> None:
    """Errors of a right gradient are ~0, of a 1.5x gradient 0.2; x restored; seeded."""
    __tracebackhide__ = True
    name = name_of(fn)
    A = np.random.default_rng(4).standard_normal((5, 4))
    x = np.random.default_rng(5).standard_normal((5, 4))
    before = x.copy()
    right = errors_of(fn, A, x, 2 * A * x, seed=7)
    if not np.array_equal(x, before):
        fail(name, "x must be exactly as it was afterwards", how_far(x, before),
             "restore x[index] after each check")
    if not np.all(right < 1e-7):
        fail(name, "the errors of a correct gradient must be below 1e-7",
             f"the largest is {np.max(right):.3g}")
    wrong = errors_of(fn, A, x, 3 * A * x, seed=7)
    if not close(wrong, np.full(6, 0.2), rtol=1e-6):
        likely = ("take the absolute value |numerical - analytic|: an error is never "
                  "negative" if close(np.abs(wrong), np.full(6, 0.2), rtol=1e-6) else "")
        fail(name, "a gradient 1.5x too large gives relative errors of 0.2",
             how_far(wrong, np.full(6, 0.2)), likely)
    passed(f"{name}: errors of 0 for a right gradient and 0.2 for one 1.5x too large")
    seeded(fn, A, x)


def errors_of(fn: Callable[..., Any], A: np.ndarray, x: np.ndarray, analytic: np.ndarray,
              seed: int, entries: list | None = None) -> np.ndarray:
    """fn's errors for f = sum(A * x**2); `entries` collects the entries it perturbed."""
    __tracebackhide__ = True
    base = x.copy()

    def f(v: np.ndarray) -> float:
        if entries is not None:
            entries.extend(map(tuple, np.argwhere(v != base)))
        return float(np.sum(A * v ** 2))

    with contextlib.redirect_stdout(io.StringIO()):  # its lines per entry: 24 calls here
        result = fn(f, x, analytic, num_checks=6, seed=seed)
    if result is None:
        fail(name_of(fn), "it should return the array of num_checks errors", "it returned None",
             "the function has no `return errors`")
    return as_array(name_of(fn), "the errors", result, (6,))


def seeded(fn: Callable[..., Any], A: np.ndarray, x: np.ndarray) -> None:
    __tracebackhide__ = True
    name = name_of(fn)
    chosen = []
    for seed in (7, 7, 8):
        chosen.append([])
        errors_of(fn, A, x.copy(), 2 * A * x, seed, chosen[-1])
    if chosen[0] != chosen[1]:
        fail(name, "the same seed must check the same entries", "two calls with seed=7 "
             "checked different ones", "draw the entries from np.random.default_rng(seed)")
    if chosen[0] == chosen[2]:
        fail(name, "another seed must check other entries", "seeds 7 and 8 checked the same "
             "ones", "is the seed used? np.random.default_rng(seed)")
    passed(f"{name}: the same seed checks the same entries, another seed others")


def check_rel_error(fn: Callable[..., Any]) -> None:
    """Known answers: 0 for zeros, the maximum over entries, |a| + |b| below."""
    __tracebackhide__ = True
    name = name_of(fn)
    cases = [
        (np.zeros(3), np.zeros(3), 0.0, "of two zero arrays is 0", {
            "nan": "0 / 0: divide by max(1e-8, |a| + |b|), never by 0"}),
        (np.array([1.0, 2.0]), np.array([1.0, 3.0]), 0.2, "of [1, 2] and [1, 3] is 0.2", {
            0.1: "the entries' errors are averaged: take their maximum"}),
        (np.array([1.0, -2.0]), np.array([1.0, 3.0]), 1.0, "of [1, -2] and [1, 3] is 1", {
            5.0: "the denominator is |a + b|: use |a| + |b|"}),
        (1.0, 3.0, 0.5, "of the numbers 1 and 3 is 0.5", {}),
    ]
    for a, b, expected, what, known in cases:
        got = as_float(name, f"rel_error {what}", fn(a, b))
        if not np.isclose(got, expected, rtol=1e-9, atol=1e-15):
            key = "nan" if np.isnan(got) else next(
                (k for k in known if k != "nan" and np.isclose(got, k)), None)
            fail(name, f"rel_error {what}", f"got {got:.6g}", known.get(key, ""))
    passed(f"{name}: 0 for zeros, the largest entry's error, |a| + |b| in the denominator")


def recorder(base: type, G: np.ndarray) -> Any:
    """A subclass of the student's class whose loss records (rows, labels, W, reg)."""

    class Recorder(base):  # type: ignore[misc, valid-type]
        def loss(self, rows: np.ndarray, labels: np.ndarray, reg: float) -> tuple:
            W = None if self.W is None else np.array(self.W, dtype=float)
            self.calls.append((np.array(rows), np.array(labels), W, reg))
            return float(np.sum(W)) if W is not None else 0.0, G.copy()

    model = Recorder()
    model.calls = []
    return model


def data() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """X (N, D) whose first column is the row's index, y (N,) with C classes, G (D, C)."""
    rng = np.random.default_rng(2026)
    X = np.hstack([np.arange(N)[:, None], rng.standard_normal((N, D - 1))])
    return X, np.arange(N) % C, rng.standard_normal((D, C))


def check_classifier(base: type) -> None:
    """train: batches, one step, the loss history, seeding, a warm start; predict."""
    __tracebackhide__ = True
    for check in (batches, step, history, reproducible, continues, predicts):
        check(base)


def batches(base: type) -> None:
    __tracebackhide__ = True
    X, y, G = data()
    model = recorder(base, G)
    model.train(X, y, learning_rate=RATE, reg=0.25, num_iters=5, batch_size=30, seed=0)
    if len(model.calls) < 5:
        fail("train", "num_iters=5 steps must call self.loss 5 times",
             f"it was called {len(model.calls)} times", "call self.loss once per iteration")
    for rows, labels, _, reg in model.calls:
        if rows.shape != (30, D) or labels.shape != (30,):
            fail("train", "each batch should hold batch_size=30 rows of X and 30 labels",
                 f"self.loss got X_batch {rows.shape} and y_batch {labels.shape}")
        if not np.array_equal(labels, rows[:, 0].astype(int) % C):
            fail("train", "each label of a batch must be its row's", "they differ",
                 "index X and y with the same indices")
        if reg != 0.25:
            fail("train", "self.loss must get train's reg=0.25", f"it got {describe(reg)}")
    if all(len(set(rows[:, 0])) == 30 for rows, *_ in model.calls):
        fail("train", "batches are drawn with replacement (30 of 40 rows: repeats are all "
             "but certain)", "no batch of 5 repeated a row", "draw each batch with "
             "replacement: rng.integers(num_train, size=batch_size)")
    passed("train: batches of batch_size matching rows and labels, drawn with replacement")


def step(base: type) -> None:
    __tracebackhide__ = True
    X, y, G = data()
    model = recorder(base, G)
    model.train(X, y, learning_rate=RATE, reg=0.0, num_iters=1, batch_size=8, seed=0)
    start = model.calls[0][2]
    if start is None or start.shape != (D, C):
        fail("train", f"W should be created with shape (D, C) = {(D, C)}, C = max(y) + 1",
             f"self.loss saw W = {describe(start)}")
    after = as_array("train", "self.W after one step", model.W, (D, C))
    known = [(start + RATE * G, "you added the gradient: gradient descent subtracts it"),
             (start - G, "the step ignores the learning rate: W -= learning_rate * grad"),
             (start, "W did not change: each step must update self.W"),
             (start - 2 * RATE * G, "the step is applied twice")]
    if not close(after, start - RATE * G, 1e-9, 1e-12):
        likely = next((text for W, text in known if close(after, W, 1e-9, 1e-12)), "")
        fail("train", "one step must give W - learning_rate * grad",
             how_far(after - start, -RATE * G), likely)
    passed("train: each step is W -= learning_rate * grad")


def history(base: type) -> None:
    __tracebackhide__ = True
    X, y, G = data()
    model = recorder(base, G)
    losses = model.train(X, y, learning_rate=RATE, reg=0.0, num_iters=4, batch_size=8, seed=0)
    if not isinstance(losses, (list, tuple, np.ndarray)) or len(losses) != 4:
        fail("train", "it should return a list of num_iters=4 losses", f"got {describe(losses)}",
             "append the loss of every iteration to loss_history and return it")
    start = model.calls[0][2]
    before = np.array([np.sum(start - k * RATE * G) for k in range(5)])  # loss at step k
    got = np.asarray(losses, dtype=float)
    if not close(got, before[:4], rtol=1e-9, atol=1e-9):
        likely = ("the loss is recorded after the update: record the loss self.loss returned, "
                  "before the step" if close(got, before[1:], 1e-9, 1e-9) else
                  "the history lags one step behind" if close(got[1:], before[:3], 1e-9, 1e-9)
                  else "record the loss that self.loss returned, once per iteration")
        fail("train", "the loss history must hold the loss self.loss returned at each step",
             how_far(got, before[:4]), likely)
    passed("train: one loss per iteration, recorded before the update")


def reproducible(base: type) -> None:
    __tracebackhide__ = True
    X, y, G = data()
    runs = []
    for seed in (3, 3, 4):
        model = recorder(base, G)
        model.train(X, y, learning_rate=RATE, reg=0.0, num_iters=3, batch_size=8, seed=seed)
        runs.append([tuple(rows[:, 0]) for rows, *_ in model.calls] + [model.calls[0][2].tobytes()])
    if runs[0] != runs[1]:
        fail("train", "the same seed must draw the same W and batches", "two runs with "
             "seed=3 differ", "take all randomness from np.random.default_rng(seed)")
    if runs[0] == runs[2]:
        fail("train", "another seed must draw other batches", "seeds 3 and 4 drew the same",
             "is the seed used? np.random.default_rng(seed)")
    passed("train: the same seed gives the same run, another seed another")


def continues(base: type) -> None:
    __tracebackhide__ = True
    X, y, G = data()
    model = recorder(base, G)
    model.train(X, y, learning_rate=RATE, reg=0.0, num_iters=2, batch_size=8, seed=0)
    left = np.array(model.W, dtype=float)
    model.calls.clear()
    model.train(X, y, learning_rate=RATE, reg=0.0, num_iters=1, batch_size=8, seed=1)
    if not close(model.calls[0][2], left, rtol=0, atol=0):
        fail("train", "a second call must start from the W the first call left",
             "it started from another W", "W is created again: create it only when "
             "self.W is None, so that training continues where it stopped")
    passed("train: a second call continues from the current W")


def predicts(base: type) -> None:
    __tracebackhide__ = True
    X, _, G = data()
    model = recorder(base, G)
    model.W = G.copy()
    scores = X @ G
    got = model.predict(X.copy())
    found = np.asarray(got)
    if found.shape != (N,):
        likely = {(): "np.argmax without axis takes the maximum of the whole matrix: use axis=1",
                  (C,): "argmax over axis=0 gives one label per class: use axis=1",
                  (N, C): "these are the scores: return their argmax over classes (axis=1)",
                  (D,): "it returns one value per feature: the function looks unfinished"}
        fail("predict", f"one label per row of X: shape ({N},)", f"got {describe(got)}",
             likely.get(found.shape, ""))
    if not np.any(found):
        fail("predict", "the label of each row is its highest-scoring class",
             "it returns only zeros", "the function looks unfinished")
    if not np.issubdtype(found.dtype, np.integer):
        fail("predict", "labels are integers", f"got dtype {found.dtype}",
             "return the argmax itself, not a float array")
    if not np.array_equal(found, np.argmax(scores, axis=1)):
        likely = ("it predicts the lowest score: use argmax" if np.array_equal(
            found, np.argmin(scores, axis=1)) else "")
        fail("predict", "the label of each row is its highest-scoring class",
             how_far(found, np.argmax(scores, axis=1)), likely)
    passed("predict: one integer label per row, the class of the highest score")
