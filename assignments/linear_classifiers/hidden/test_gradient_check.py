"""eval_numerical_gradient, grad_check_sparse and rel_error."""

from __future__ import annotations

import functools
import types

import numpy as np

from autograder.checking.calls import CodeFailed, Student
from autograder.checking.feedback import Mismatch, describe, every_case, expect_array, expect_number

X_CUBIC = np.array([[1.5, -2.0, 0.5], [3.0, 0.25, -1.25]])
H = 1e-5


def numerical(student: Student, kind: str, x: np.ndarray, **kwargs) -> dict:
    result = student.probe("numerical_gradient", kind, x, label="eval_numerical_gradient",
                           **kwargs)
    if not isinstance(result, dict) or "grad" not in result:
        raise Mismatch(f"eval_numerical_gradient: the grader could not read the result "
                       f"({describe(result)})")
    return result


def test_numerical_gradient_values(student: Student) -> None:
    """sum(x**3) on a 2x3 array: centered differences match 3x**2 to 1e-8."""
    result = numerical(student, "cubic", X_CUBIC.copy())
    one_sided = ((X_CUBIC + H) ** 3 - X_CUBIC ** 3) / H
    expect_array("eval_numerical_gradient of sum(x**3) (exact gradient 3x**2)", result["grad"],
                 3 * X_CUBIC ** 2, rtol=1e-8, atol=1e-8, mistakes=[
                     ("one_sided_difference", ("You used a one-sided difference "
                      "(f(x+h) - f(x)) / h; the centered (f(x+h) - f(x-h)) / 2h is far more "
                      "accurate (error ~h**2, not ~h)"), one_sided),
                     ("divides_by_h", ("Your gradient is twice the true one: divide by 2h, "
                      "not h"), 6 * X_CUBIC ** 2),
                     ("divides_by_h", ("Your gradient is half the true one: divide by 2h, "
                      "not 4h"), 1.5 * X_CUBIC ** 2),
                     ("unfinished", ("eval_numerical_gradient looks unfinished: it returned "
                      "zeros, the starting values"), np.zeros_like(X_CUBIC))])


def test_numerical_gradient_restores_x(student: Student) -> None:
    """x is exactly as before the call."""
    result = numerical(student, "cubic", X_CUBIC.copy())
    after = result["x_after"]
    if not isinstance(after, np.ndarray) or after.shape != X_CUBIC.shape or not np.array_equal(
            after, X_CUBIC):
        diff = np.abs(np.asarray(after, dtype=float) - X_CUBIC) if isinstance(
            after, np.ndarray) and after.shape == X_CUBIC.shape else None
        detail = (f" (largest change {np.max(diff):.3g})" if diff is not None else "")
        raise Mismatch("eval_numerical_gradient changed x: every entry must be restored "
                       f"exactly after it is perturbed{detail}", ("x_not_restored",))


def test_numerical_gradient_any_shape(student: Student) -> None:
    """Arrays of shape (5,), (2, 3, 4) and (1, 1)."""
    rng = np.random.default_rng(3)
    inputs = {shape: (rng.standard_normal(shape), rng.standard_normal(shape))
              for shape in [(5,), (2, 3, 4), (1, 1)]}

    def check(shape: tuple[int, ...]) -> None:
        A, x = inputs[shape]
        try:
            result = numerical(student, "weighted_square", x.copy(), A=A)
        except CodeFailed as failure:
            if len(shape) == 2 or "Error" not in failure.body:
                raise
            raise Mismatch(f"{failure.body.splitlines()[0]} for x of shape {shape}: index x "
                           "with np.ndindex(x.shape) or np.nditer, which work for any number "
                           "of dimensions", ("fixed_2d_shape",)) from None
        expect_array(f"eval_numerical_gradient of sum(A * x**2) for x of shape {shape}",
                     result["grad"], 2 * A * x, rtol=1e-6, atol=1e-8)

    every_case(functools.partial(check, shape) for shape in inputs)


def grad_check(student: Student, analytic_scale: float, seed: int, num_checks: int = 7) -> dict:
    rng = np.random.default_rng(11)
    A, x = rng.uniform(0.5, 2, (6, 5)), rng.uniform(0.5, 2, (6, 5))
    result = student.probe("grad_check", "weighted_square", x, analytic_scale * 2 * A * x,
                           num_checks, seed, A=A, label="grad_check_sparse")
    if not isinstance(result, dict) or "errors" not in result:
        raise Mismatch(f"grad_check_sparse: the grader could not read the result "
                       f"({describe(result)})")
    if result["errors"] is None:
        raise Mismatch("grad_check_sparse returned None: return the array of the relative "
                       "errors it prints", ("no_return",))
    try:
        errors = np.asarray(result["errors"], dtype=float).ravel()
    except (TypeError, ValueError):
        raise Mismatch("grad_check_sparse should return its relative errors as numbers, got "
                       f"{describe(result['errors'])}") from None
    if errors.shape != (num_checks,):
        raise Mismatch(f"grad_check_sparse should return num_checks={num_checks} relative "
                       f"errors, got {errors.size}")
    return {**result, "errors": errors, "x": x}


def test_grad_check_sparse_errors(student: Student) -> None:
    """num_checks errors; tiny for a correct gradient, 0.2 for one 1.5x too large; x restored."""
    right = grad_check(student, 1.0, seed=0)
    if not np.all(right["errors"] < 1e-7):
        raise Mismatch("grad_check_sparse reported relative errors up to "
                       f"{np.max(right['errors']):.3g} for a correct gradient (expected < 1e-7): "
                       "compare the centered difference with analytic_grad at the same entry")
    wrong = grad_check(student, 1.5, seed=0)
    expect_array("grad_check_sparse's errors for an analytic gradient 1.5x too large "
                 "(|1 - 1.5| / (1 + 1.5) = 0.2 at every entry)", wrong["errors"],
                 np.full(7, 0.2), rtol=1e-5)
    if not np.array_equal(right["x_after"], right["x"]):
        raise Mismatch("grad_check_sparse changed x: restore each entry after perturbing it",
                       ("x_not_restored",))


def test_grad_check_sparse_is_reproducible(student: Student) -> None:
    """The same seed checks the same entries; another seed, other entries."""
    first, again, other = (grad_check(student, 1.0, seed) for seed in (5, 5, 6))
    if first["touched"] != again["touched"]:
        raise Mismatch("grad_check_sparse checked different entries for the same seed: draw "
                       "them from np.random.default_rng(seed)", ("unseeded",))
    if first["touched"] == other["touched"]:
        raise Mismatch("grad_check_sparse checked the same entries for seeds 5 and 6: is the "
                       "seed used?", ("unseeded",))


def test_rel_error_values(student: Student, ref: types.ModuleType) -> None:
    """Compared with the reference on 3 pairs of arrays."""
    rng = np.random.default_rng(8)
    for a, b in [(rng.standard_normal((3, 4)), rng.standard_normal((3, 4))),
                 (np.array([1.0, 2.0]), np.array([1.0, 3.0])),
                 (np.array([-2.0, 5.0, 1e-3]), np.array([2.0, 5.0, 2e-3]))]:
        expect_number(f"rel_error for arrays of shape {a.shape}", student.call(
            "rel_error", a, b), ref.rel_error(a, b), mistakes=[
                ("rel_error_mean", ("You averaged the entries' errors; rel_error is their "
                 "maximum"), float(np.mean(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))),
                ("rel_error_abs_of_sum", "Take absolute values in the denominator: |a| + |b|",
                 float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a + b)))))])


def test_rel_error_of_zeros(student: Student) -> None:
    """Two zero arrays give 0, not nan."""
    for a in (np.zeros(3), np.zeros((2, 2))):
        got = student.call("rel_error", a, a.copy())
        if isinstance(got, (float, np.floating, np.ndarray)) and np.any(np.isnan(got)):
            raise Mismatch(f"rel_error of two zero arrays of shape {a.shape} is nan: 0 / 0; "
                           "divide by np.maximum(1e-8, |a| + |b|)", ("rel_error_no_floor",))
        expect_number(f"rel_error of two zero arrays of shape {a.shape}", got, 0.0, atol=0)
