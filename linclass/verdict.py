"""What a visible check says when it fails: one readable message, no kit frames.

A failure names the function, what was checked, what came back (a shape, the largest
difference and where, or a clean ratio such as "2.0x too large") and the likely mistake.
Jupyter shows `CheckFailed` as its message alone (`_render_traceback_`, which IPython
honours); the check functions set `__tracebackhide__` so that an exception raised by the
student's own code shows the student's frames and not the kit's.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, NoReturn

import numpy as np

# Ratios a message names ("2.0x too large"): the factors that plausible mistakes make.
CLEAN_RATIOS = (-1.0, 0.5, 2.0, 1 / 3, 3.0, 0.25, 4.0, 0.1, 10.0)


class CheckFailed(AssertionError):
    """A visible check did not hold; the message says what to look at."""

    def _render_traceback_(self) -> list[str]:
        # IPython shows these lines instead of a traceback: the kit's frames say nothing
        # to a student, and the message already names the function and the check.
        return [f"CheckFailed: {self}"]


def passed(label: str) -> None:
    print(f"OK   {label}")


def fail(function: str, checked: str, found: str, likely: str = "") -> NoReturn:
    """Raise CheckFailed: '<function>: <checked>: <found>. Likely: <likely>.'"""
    __tracebackhide__ = True
    message = f"{function}: {checked}: {found}"
    if likely:
        message += f". Likely: {likely}"
    raise CheckFailed(message.rstrip(".") + ".")


def call(function: Callable[..., Any], *args: Any) -> Any:
    """function(*args) on copies of the array arguments (any shapes); a function that
    changed one of its inputs fails, naming the input."""
    __tracebackhide__ = True
    copies = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    result = function(*copies)
    for name, before, after in zip(parameters(function, len(args)), args, copies, strict=True):
        if isinstance(before, np.ndarray) and not np.array_equal(before, after):
            fail(name_of(function), f"its input {name} (shape {before.shape}) must be left "
                 "unchanged", f"your function changed it ({where(after, before, ('now', 'was'))})",
                 "an in-place operation (-=, *=, out=, a slice assignment) on an input or on "
                 "a view of it: work on a copy")
    return result


def parameters(function: Callable[..., Any], count: int) -> list[str]:
    """The names of the first `count` parameters, or 'argument 1', ... when unknown."""
    try:
        names = list(inspect.signature(function).parameters)[:count]
    except (TypeError, ValueError):
        names = []
    return names + [f"argument {k + 1}" for k in range(len(names), count)]


def name_of(function: Any) -> str:
    return getattr(function, "__name__", None) or type(function).__name__


def as_array(function: str, what: str, value: Any, shape: tuple[int, ...]) -> np.ndarray:
    """`value` as a float ndarray of `shape`, or a failure saying what came back."""
    __tracebackhide__ = True
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        fail(function, f"{what} should be an array of shape {shape}", f"got {describe(value)}")
    if array.shape != shape:
        fail(function, f"{what} should have shape {shape}", f"got {describe(value)}")
    return array


def as_float(function: str, what: str, value: Any) -> float:
    __tracebackhide__ = True
    try:
        number = float(np.asarray(value).item() if np.size(value) == 1 else value)
    except (TypeError, ValueError):
        fail(function, f"{what} should be a number", f"got {describe(value)}")
    return number


def describe(value: Any) -> str:
    """A short description: never a whole array."""
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        if value.size <= 4:
            return f"array {np.array2string(value, precision=4)} of dtype {value.dtype}"
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of length {len(value)}"
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.6g}"
    return f"{type(value).__name__} {value!r}"[:80]


def where(got: np.ndarray, expected: np.ndarray, labels: tuple[str, str] = ("yours", "expected")
          ) -> str:
    """How two arrays of one shape (any) differ: how many entries, the largest difference
    and its index (a NaN counts as an infinite difference)."""
    difference = np.abs(np.asarray(got, float) - np.asarray(expected, float))
    difference = np.where(np.isnan(difference), np.inf, difference)
    index = np.unravel_index(int(np.argmax(difference)), difference.shape)
    at = ", ".join(str(int(i)) for i in index)
    count = int(np.sum(difference > 1e-8 + 1e-6 * np.abs(expected)))
    return (f"{count} of {difference.size} entries differ, the largest by "
            f"{float(difference[index]):.3g} at [{at}] ({labels[0]} {float(got[index]):.6g}, "
            f"{labels[1]} {float(expected[index]):.6g})")


def ratio(got: Any, expected: Any, rtol: float = 1e-4) -> float | None:
    """The clean factor r (CLEAN_RATIOS) with got == r * expected, for a number or arrays
    of one shape; None when there is none (also when expected is 0)."""
    got_a, exp_a = np.asarray(got, float).ravel(), np.asarray(expected, float).ravel()
    scale = float(exp_a @ exp_a)
    if scale == 0 or not np.all(np.isfinite(got_a)):
        return None
    factor = float(got_a @ exp_a) / scale
    if np.max(np.abs(got_a - factor * exp_a)) > rtol * np.max(np.abs(exp_a)):
        return None
    return next((r for r in CLEAN_RATIOS if abs(factor - r) <= rtol * abs(r)), None)


def how_far(got: Any, expected: Any) -> str:
    """How far a number or an array is from the expected one of its shape: a clean factor
    ('it is 2.0x the expected value (too large)'), the opposite sign, or where they differ."""
    factor = ratio(got, expected)
    if factor == -1.0:
        return "it has the opposite sign"
    if factor is not None:
        size = f"{factor:.1f}x" if factor > 1 else f"{factor:.2g}x"
        return f"it is {size} the expected value ({'too large' if factor > 1 else 'too small'})"
    if np.ndim(expected) == 0:
        return f"got {float(np.asarray(got)):.6g}, expected {float(np.asarray(expected)):.6g}"
    return where(np.asarray(got, float), np.asarray(expected, float))


def close(got: Any, expected: Any, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    """Same shape and np.allclose: numbers or arrays of any shape."""
    got_a, exp_a = np.asarray(got, float), np.asarray(expected, float)
    return got_a.shape == exp_a.shape and bool(np.allclose(got_a, exp_a, rtol=rtol, atol=atol))


def numeric_gradient(f: Callable[[np.ndarray], float], W: np.ndarray,
                     h: float = 1e-6) -> np.ndarray:
    """Centered differences of f at W (any shape), one entry at a time, each on a fresh
    array; returns an array of W's shape."""
    __tracebackhide__ = True
    grad = np.zeros(W.shape)
    for index in np.ndindex(W.shape):
        step = np.zeros(W.shape)
        step[index] = h
        grad[index] = (f(W + step) - f(W - step)) / (2 * h)
    return grad
