"""LinearClassifier.train through a recording loss, convergence, and predict."""

from __future__ import annotations

import numpy as np

from autograder.checking.calls import CodeFailed, Student
from autograder.checking.feedback import Mismatch, describe, expect_array

N, D, C = 40, 6, 3


def data(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """X (N, D) whose column 0 is each row's index, so the grader can tell which rows
    the batches held; y (N,) labels."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, D))
    X[:, 0] = np.arange(N)
    return X, rng.integers(0, C, N)


def record(student: Student, *, num_iters: int = 4, batch_size: int = 16, seed: int = 0,
           lr: float = 0.1, reg: float = 0.25) -> dict:
    """Train through a loss that records each batch and returns a known gradient."""
    X, y = data()
    W0 = np.random.default_rng(1).standard_normal((D, C))
    G = np.random.default_rng(2).standard_normal((D, C))
    result = student.probe("train_recorded", X, y, W0, G, lr, reg, num_iters, batch_size, seed,
                           label="LinearClassifier.train")
    if not isinstance(result, dict) or "rows" not in result:
        raise Mismatch(f"LinearClassifier.train: the grader could not read the result "
                       f"({describe(result)})")
    return {**result, "X": X, "y": y, "W0": W0, "G": G, "lr": lr}


WITH_REPLACEMENT = (
    "LinearClassifier.train failed for batch_size=64 > N=40: draw each batch with replacement "
    "(rng.integers(num_train, size=batch_size), or rng.choice with its default replace=True). "
    "SGD's batches are independent draws from the data, so a batch may be larger than the data "
    "set (the notebook's own check trains batches of 50 on 10 rows); with replace=False numpy "
    "raised: ")


def test_train_batches(student: Student) -> None:
    """Batch size (64 > N, so drawn with replacement) and the same rows for X and y."""
    try:
        result = record(student, num_iters=3, batch_size=64)   # 64 > N: only with replacement
    except CodeFailed as failure:
        if "larger sample than population" not in failure.body:
            raise
        raise Mismatch(WITH_REPLACEMENT + failure.body.split(": ", 1)[-1].split("\n")[0],
                       ("batch_without_replacement",)) from None
    if len(result["rows"]) != 3:
        raise Mismatch(f"train called the loss {len(result['rows'])} times for num_iters=3")
    for rows, labels in zip(result["rows"], result["labels"], strict=True):
        if len(rows) != 64:
            raise Mismatch(f"A batch held {len(rows)} rows, expected batch_size=64 (drawn with "
                           "replacement, so a batch may be larger than the data)")
        if not np.array_equal(result["y"][np.asarray(rows, dtype=int)], np.asarray(labels)):
            raise Mismatch("The labels of a batch do not belong to its rows: index X and y "
                           "with the same indices", ("batch_rows_labels_differ",))


def test_train_update(student: Student) -> None:
    """Every step is W -= learning_rate * grad."""
    result = record(student, num_iters=3)
    seen = result["weights"]
    for step in range(len(seen) - 1):
        expect_array(f"W after step {step + 1}", seen[step + 1], seen[step] - 0.1 * result["G"],
                     rtol=1e-9, atol=1e-12, mistakes=[
                         ("gradient_ascent", ("You added the gradient: gradient descent "
                          "subtracts it"), seen[step] + 0.1 * result["G"]),
                         ("no_learning_rate", ("The step ignores the learning rate: "
                          "W -= learning_rate * grad"), seen[step] - result["G"]),
                         ("no_update", "W did not change: each step must update self.W",
                          seen[step])])
    expect_array("W after the last step", result["W_final"], seen[-1] - 0.1 * result["G"],
                 rtol=1e-9, atol=1e-12)


def test_train_history(student: Student) -> None:
    """One loss per iteration, in order."""
    result = record(student, num_iters=5)
    history = result["history"]
    if not isinstance(history, (list, np.ndarray)) or len(history) != 5:
        unfinished = history is None and not result["rows"]
        raise Mismatch(("LinearClassifier.train looks unfinished: " if unfinished else "")
                       + f"train should return a list of num_iters=5 losses, got "
                       f"{describe(history)}", ("unfinished" if unfinished else "history",))
    try:
        expect_array("the loss history (the loss of each step)",
                     np.asarray(history, dtype=float), 100.0 + np.arange(5))
    except Mismatch as failure:
        raise Mismatch(str(failure), ("history",)) from None


def test_train_is_reproducible(student: Student) -> None:
    """The same seed draws the same batches; another seed, other batches."""
    first, again, other = (record(student, seed=seed) for seed in (3, 3, 4))
    if first["rows"] != again["rows"]:
        raise Mismatch("Two runs with the same seed drew different batches: take all "
                       "randomness from np.random.default_rng(seed)", ("unseeded",))
    if first["rows"] == other["rows"]:
        raise Mismatch("Seeds 3 and 4 drew the same batches: is the seed used?", ("unseeded",))


def test_train_continues(student: Student) -> None:
    """A second train() call starts from the W the first one left (self.W is created once)."""
    X, y = data()
    G = np.random.default_rng(2).standard_normal((D, C))
    result = student.probe("train_twice", X, y, G, label="LinearClassifier.train")
    start = result.get("second_start") if isinstance(result, dict) else None
    if not isinstance(start, np.ndarray):
        raise Mismatch("The second call of LinearClassifier.train never called the loss: "
                       f"expected num_iters=2 steps ({describe(start)} came back)")
    after = result["after_first"]
    if start.shape == after.shape and np.array_equal(start, after):
        return
    first = result["first_start"]
    fresh = isinstance(first, np.ndarray) and start.shape == first.shape
    raise Mismatch("A second call of LinearClassifier.train did not start from the W the first "
                   "call left: " + ("it created W again. Create W only when self.W is None "
                   "(lazy initialisation), so that training can go on where it stopped"
                   if fresh else f"it started from {describe(start)}"),
                   ("reinitialises_w",) if fresh else ())


def test_train_converges(student: Student) -> None:
    """Trains a least-squares classifier to >= 95% accuracy on separable data."""
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 150)
    X = np.hstack([4.0 * np.eye(3)[y] + rng.standard_normal((150, 3)), np.ones((150, 1))])
    W = student.probe("train_least_squares", X, y, label="LinearClassifier.train")
    if not isinstance(W, np.ndarray) or W.shape != (4, 3):
        raise Mismatch(f"LinearClassifier.train left self.W as {describe(W)}; expected shape "
                       "(4, 3) = (D, C) with C = max(y) + 1")
    accuracy = float(np.mean(np.argmax(X @ W, axis=1) == y))
    if accuracy < 0.95:
        raise Mismatch(f"LinearClassifier.train reached only {accuracy:.0%} training accuracy on "
                       "an easy, separable problem in 300 steps (expected >= 95%): does each "
                       "step update W?")


def test_predict(student: Student) -> None:
    """Integer labels of shape (N,), the argmax of the scores."""
    rng = np.random.default_rng(9)
    W, X = rng.standard_normal((D, C)), rng.standard_normal((25, D))
    got = student.probe("predict", W, X, label="LinearClassifier.predict")
    if got is None or (isinstance(got, np.ndarray) and got.size and not np.any(got)
                       and not np.issubdtype(got.dtype, np.integer)):
        raise Mismatch(f"LinearClassifier.predict looks unfinished: it returned {describe(got)}"
                       ", the starting value; return np.argmax(X @ self.W, axis=1), in "
                       "LinearClassifier itself (every subclass inherits it)", ("unfinished",))
    if not isinstance(got, np.ndarray) or got.ndim == 0:
        raise Mismatch(f"predict should return an array of shape (25,), got {describe(got)}: "
                       "take the argmax over classes, axis=1", ("predict_axis",))
    if got.shape == (C,):
        raise Mismatch(f"predict returned shape {got.shape}, one label per class: use axis=1",
                       ("predict_axis",))
    if not np.issubdtype(got.dtype, np.integer):
        raise Mismatch(f"predict should return integer labels, got dtype {got.dtype}",
                       ("predict_dtype",))
    expect_array("predict", got, np.argmax(X @ W, axis=1), atol=0)
