"""Comparisons whose failure messages teach.

A failed check raises `Mismatch`, an AssertionError whose message is exactly what
the student reads: what was checked, what differed (shape, dtype, the largest
absolute and relative error and where) and, when the answer matches a known
mistake, what that mistake is. Expected arrays are never printed in full.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

# (mistake id of the assignment's labels, hint for the student, the wrong value)
Candidate = tuple[str, str, Any]
# Past the first (most telling) failure of a test, each other one is told in one line.
LINE = 240


class Mismatch(AssertionError):
    """The student's answer is wrong; the message is the feedback.

    `mistakes`: the ids of the known mistakes it names (machine-readable, for the class
    report). `rank` orders several failures of one test: a named mistake tells most,
    then the code's own failure (CodeFailed), then a plain difference.
    """

    rank = 2

    def __init__(self, message: str, mistakes: Iterable[str] = (), where: str = "") -> None:
        super().__init__(f"With {where}: {message}" if where else message)
        self.body, self.where, self.mistakes = message, where, tuple(mistakes)

    def at(self, where: str) -> Mismatch:
        """The same failure, said to have happened on the input `where`."""
        return type(self)(self.body, self.mistakes, where)

    @property
    def order(self) -> int:
        return 0 if self.mistakes else self.rank


def close(a: Any, b: Any, rtol: float, atol: float) -> bool:
    """True when two numbers or arrays of one shape agree within rtol/atol."""
    try:
        a_arr, b_arr = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    except (TypeError, ValueError):  # the student's side is not numeric at all
        return False
    return a_arr.shape == b_arr.shape and bool(np.allclose(a_arr, b_arr, rtol=rtol, atol=atol))


def number(what: str, got: Any) -> float:
    """The student's value as a float, or a Mismatch naming what came back instead."""
    if isinstance(got, bool) or not isinstance(got, (int, float, np.ndarray)):
        raise Mismatch(f"{what}: expected a number, got {describe(got)}")
    if isinstance(got, np.ndarray) and got.size != 1:
        raise Mismatch(f"{what}: expected a single number, got an array of shape {got.shape}")
    value = float(np.asarray(got).reshape(()))
    if not np.isfinite(value):
        raise Mismatch(f"{what}: got {value}, which is not a finite number")
    return value


def array(what: str, got: Any, shape: tuple[int, ...]) -> np.ndarray:
    """The student's value as a float array of `shape`, or a Mismatch saying why not."""
    if not isinstance(got, np.ndarray):
        raise Mismatch(f"{what}: expected an array of shape {shape}, got {describe(got)}")
    if got.shape != shape:
        raise Mismatch(f"{what}: expected shape {shape}, got shape {got.shape}")
    if not np.all(np.isfinite(got)):
        where = np.argwhere(~np.isfinite(got))[0]
        raise Mismatch(f"{what}: contains {got[tuple(where)]} at index {tuple(where.tolist())}")
    return got.astype(float)


def expect_number(what: str, got: Any, expected: float, *, rtol: float = 1e-6,
                  atol: float = 1e-9, mistakes: Iterable[Candidate] = ()) -> None:
    value = number(what, got)
    if close(value, expected, rtol, atol):
        return
    hint, ids = _diagnosis(value, expected, mistakes, rtol, atol)
    raise Mismatch(f"{what}: expected {expected:.6g}, got {value:.6g}{hint}", ids)


def expect_array(what: str, got: Any, expected: np.ndarray, *, rtol: float = 1e-6,
                 atol: float = 1e-9, mistakes: Iterable[Candidate] = ()) -> None:
    if isinstance(got, np.ndarray) and got.shape == expected.T.shape != expected.shape:
        raise Mismatch(f"{what}: expected shape {expected.shape}, got {got.shape}: transposed?",
                       ("transposed",))
    value = array(what, got, expected.shape)
    if close(value, expected, rtol, atol):
        return
    hint, ids = _diagnosis(value, expected, mistakes, rtol, atol)
    raise Mismatch(f"{what}: {_largest_error(value, expected)}{hint}", ids)


def _largest_error(got: np.ndarray, expected: np.ndarray) -> str:
    error = np.abs(got - expected)
    worst = np.unravel_index(np.argmax(error), error.shape)
    relative = error / np.maximum(np.abs(expected), 1e-12)
    bad = int(np.sum(~np.isclose(got, expected)))
    return (f"{bad} of {got.size} entries differ; the largest absolute error is "
            f"{error[worst]:.3g} at index {tuple(int(i) for i in worst)} (expected "
            f"{expected[worst]:.6g}, got {got[worst]:.6g}), the largest relative error "
            f"{np.max(relative):.3g}")


def _diagnosis(value: Any, expected: Any, mistakes: Iterable[Candidate], rtol: float,
               atol: float) -> tuple[str, tuple[str, ...]]:
    """The hint of the first known mistake that `value` matches, and its id.

    A mistake whose wrong value equals the right one on this input (reg / N at N = 1,
    any regularization mistake at reg = 0) cannot be told here and is not considered.
    """
    rtol = max(rtol, 1e-6)
    for mistake, hint, wrong in mistakes:
        if close(value, wrong, rtol, atol) and not close(expected, wrong, rtol, atol):
            return f". {hint}", (mistake,)
    return "", ()


def every_case(checks: Iterable[Callable[[], None]]) -> None:
    """Run every check; if some fail, raise one Mismatch that tells them all, compactly.

    The most telling failure comes first and in full (a named mistake, then the code's
    own error, then a plain difference; in case order within each); every other one in
    one line; the same message from several cases once, with their count.
    """
    failures: list[Mismatch] = []
    for check in checks:
        try:
            check()
        except Mismatch as failure:
            failures.append(failure)
    if failures:
        raise combined(failures)


def combined(failures: list[Mismatch]) -> Mismatch:
    ordered = sorted(failures, key=lambda f: f.order)
    groups: dict[str, list[Mismatch]] = {}
    for failure in ordered:
        groups.setdefault(failure.body, []).append(failure)
    ids = tuple(dict.fromkeys(m for f in ordered for m in f.mistakes))
    messages = [_counted(same) for same in groups.values()]
    if len(messages) == 1:
        return type(ordered[0])(messages[0], ids)
    rest = [" - " + _one_line(m) for m in messages[1:]]
    return type(ordered[0])("\n".join([f"{len(failures)} inputs fail. {messages[0]}",
                                        "Also:", *rest]), ids)


def _counted(same: list[Mismatch]) -> str:
    """One message for the failures of several inputs that read the same."""
    if len(same) == 1:
        return str(same[0])
    head, newline, tail = same[0].body.partition("\n")
    return f"{head} (the same on {len(same)} inputs){newline}{tail}"


def _one_line(message: str) -> str:
    first = message.split("\n", 1)[0]
    return first if len(first) <= LINE else first[:LINE - 3] + "..."


def describe(value: Any) -> str:
    """A short, safe description of a decoded value (never its full contents)."""
    if value is None:
        return "None (is a `return` missing?)"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, dict) and set(value) == {"unsupported"}:
        return f"an object of type {value['unsupported']}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of length {len(value)}"
    return f"{type(value).__name__} {value!r}"[:120]
