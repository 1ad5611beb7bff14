"""Comparisons whose failure messages teach.

A failed check raises `Mismatch`, an AssertionError whose message is exactly what
the student reads: what was checked, what differed (shape, dtype, the largest
absolute and relative error and where) and, when the answer matches a known
mistake, what that mistake is. Expected arrays are never printed in full.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np


class Mismatch(AssertionError):
    """The student's answer is wrong; the message is the feedback."""


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
                  atol: float = 1e-9, mistakes: Iterable[tuple[str, float]] = ()) -> None:
    value = number(what, got)
    if close(value, expected, rtol, atol):
        return
    message = f"{what}: expected {expected:.6g}, got {value:.6g}"
    raise Mismatch(message + _diagnosis(value, mistakes, rtol, atol))


def expect_array(what: str, got: Any, expected: np.ndarray, *, rtol: float = 1e-6,
                 atol: float = 1e-9, mistakes: Iterable[tuple[str, np.ndarray]] = ()) -> None:
    if isinstance(got, np.ndarray) and got.shape == expected.T.shape != expected.shape:
        raise Mismatch(f"{what}: expected shape {expected.shape}, got {got.shape}: transposed?")
    value = array(what, got, expected.shape)
    if close(value, expected, rtol, atol):
        return
    raise Mismatch(f"{what}: {_largest_error(value, expected)}"
                   + _diagnosis(value, mistakes, rtol, atol))


def _largest_error(got: np.ndarray, expected: np.ndarray) -> str:
    error = np.abs(got - expected)
    worst = np.unravel_index(np.argmax(error), error.shape)
    relative = error / np.maximum(np.abs(expected), 1e-12)
    bad = int(np.sum(~np.isclose(got, expected)))
    return (f"{bad} of {got.size} entries differ; the largest absolute error is "
            f"{error[worst]:.3g} at index {tuple(int(i) for i in worst)} (expected "
            f"{expected[worst]:.6g}, got {got[worst]:.6g}), the largest relative error "
            f"{np.max(relative):.3g}")


def _diagnosis(value: Any, mistakes: Iterable[tuple[str, Any]], rtol: float, atol: float) -> str:
    for hint, wrong in mistakes:
        if close(value, wrong, max(rtol, 1e-6), atol):
            return f". {hint}"
    return ""


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
