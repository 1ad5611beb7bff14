"""Visible checks for the student notebook.

Each check prints one line when it passes and raises `CheckFailed` with a
message a student can act on when it does not: what was checked, what was
expected, what came back, and a hint.
"""

from __future__ import annotations

import timeit
from collections.abc import Callable
from typing import Any

import numpy as np


class CheckFailed(AssertionError):
    """A visible check did not hold; the message says what to look at."""


def passed(label: str) -> None:
    print(f"OK   {label}")


def expect_close(label: str, got: Any, expected: Any, *, rtol: float = 1e-6,
                 atol: float = 1e-8, hint: str = "") -> None:
    """Check that `got` equals `expected` (same shape) within rtol/atol."""
    got_arr, exp_arr = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    if got_arr.shape != exp_arr.shape:
        _fail(f"{label}: expected shape {exp_arr.shape}, got {got_arr.shape}", hint)
    if not np.allclose(got_arr, exp_arr, rtol=rtol, atol=atol):
        worst = float(np.max(np.abs(got_arr - exp_arr)))
        _fail(f"{label}: expected {_short(exp_arr)}, got {_short(got_arr)} "
              f"(largest difference {worst:.2e})", hint)
    passed(label)


def expect_below(label: str, value: float, bound: float, hint: str = "") -> None:
    """Check that a non-negative error measure is below `bound`."""
    if not float(value) < bound:
        _fail(f"{label}: {float(value):.2e} is not below {bound:.0e}", hint)
    passed(f"{label} ({float(value):.1e} < {bound:.0e})")


def expect_at_least(label: str, value: float, bound: float, hint: str = "") -> None:
    """Check a score such as an accuracy reaches `bound`."""
    if not float(value) >= bound:
        _fail(f"{label}: {float(value):.3f} is below the expected {bound:.3f}", hint)
    passed(f"{label} ({float(value):.3f} >= {bound:.3f})")


def gradient_errors_ok(label: str, errors: Any, *, tol: float = 1e-5,
                       allowed_kinks: int = 0) -> None:
    """Check relative errors from a sparse gradient check.

    `allowed_kinks` of them may exceed `tol`: a hinge loss is not
    differentiable where a margin is exactly zero, and a centered difference
    that straddles such a kink disagrees with either subgradient.
    """
    errors = np.asarray(errors, dtype=float).ravel()
    bad = int(np.sum(~(errors < tol)))
    if errors.size == 0 or bad > allowed_kinks:
        _fail(f"{label}: {bad} of {errors.size} relative errors exceed {tol:.0e} "
              f"(largest {np.max(errors, initial=np.nan):.1e})",
              "compare your analytic gradient with the numerical one entry by entry")
    passed(f"{label} ({errors.size - bad}/{errors.size} below {tol:.0e})")


def require(value: Any, what: str) -> Any:
    """Stop a cell early, as a stub would, when an earlier result is missing."""
    if value is None:
        raise NotImplementedError(f"{what} is not available yet: finish and run the cells above")
    return value


def median_time(fn: Callable[[], Any], repeats: int = 5) -> float:
    """Median wall time of `fn()` in seconds over `repeats` runs."""
    return float(np.median(timeit.repeat(fn, repeat=repeats, number=1)))


def _short(a: np.ndarray) -> str:
    return np.array2string(a, precision=4, threshold=6, edgeitems=2)


def _fail(message: str, hint: str) -> None:
    raise CheckFailed(f"{message}. {hint}".strip().rstrip(".") + ".")
