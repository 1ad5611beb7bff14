"""Visible checks for the student notebook.

Each check prints one line when it passes and raises `CheckFailed` with a message a
student can act on when it does not: the function, what was checked, what came back and
the likely mistake (linclass/verdict.py). The check cell of each graded function calls
one `check_...` below with the student's function: it tests that function alone, on
inputs it makes itself (linclass/loss_checks.py, linclass/step_checks.py).
"""

from __future__ import annotations

import timeit
from collections.abc import Callable
from typing import Any

import numpy as np

from linclass.loss_checks import check_softmax_loss, check_svm_loss
from linclass.step_checks import (
    check_classifier,
    check_grad_check_sparse,
    check_numerical_gradient,
    check_rel_error,
)
from linclass.verdict import CheckFailed, how_far, passed

__all__ = ["CheckFailed", "check_classifier", "check_grad_check_sparse",
           "check_numerical_gradient", "check_rel_error", "check_softmax_loss",
           "check_svm_loss", "expect_at_least", "expect_below", "expect_close",
           "gradient_errors_ok", "median_time", "passed", "require"]


def expect_close(label: str, got: Any, expected: Any, *, rtol: float = 1e-6,
                 atol: float = 1e-8, hint: str = "") -> None:
    """Check that `got` equals `expected` (same shape) within rtol/atol."""
    __tracebackhide__ = True
    got_arr, exp_arr = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    if got_arr.shape != exp_arr.shape:
        _fail(f"{label}: expected shape {exp_arr.shape}, got {got_arr.shape}", hint)
    if not np.allclose(got_arr, exp_arr, rtol=rtol, atol=atol):
        _fail(f"{label}: {how_far(got_arr, exp_arr)}", hint)
    passed(label)


def expect_below(label: str, value: float, bound: float, hint: str = "") -> None:
    """Check that a non-negative error measure is below `bound`."""
    __tracebackhide__ = True
    if not float(value) < bound:
        _fail(f"{label}: {float(value):.2e} is not below {bound:.0e}", hint)
    passed(f"{label} ({float(value):.1e} < {bound:.0e})")


def expect_at_least(label: str, value: float, bound: float, hint: str = "") -> None:
    """Check a score such as an accuracy reaches `bound`."""
    __tracebackhide__ = True
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
    __tracebackhide__ = True
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


def _fail(message: str, hint: str) -> None:
    __tracebackhide__ = True
    raise CheckFailed(f"{message}. {hint}".strip().rstrip(".") + ".")
