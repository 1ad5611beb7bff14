"""The speed check of the vectorized losses: loop-free against a loop version, per example.

What separates a loop-free loss from a loop version is the Python work per example:
a loop version pays at least one interpreted iteration per example (the reference's
naive one, C of them), a loop-free one pays numpy's per-element work. So the check
compares seconds PER EXAMPLE: the student's vectorized loss on a long, narrow problem
(N = 3,000, D = 10, C = 10: little arithmetic per example, so an (N, D, C) broadcast
or einsum costs little more than two matrix products), the reference's naive loss on
20 rows of it (its cost is linear in N; runs of about 1 ms, the fastest of 25).
Measured with bench/speed_check.py on 2 loaded cores: loop-free versions 25-300x
faster per example, versions that loop over the examples 1.5-3x: THRESHOLD sits near
their geometric middle, a factor of 3 or more from either side.
"""

from __future__ import annotations

import time
import types
from dataclasses import dataclass

from autograder.calls import Student
from autograder.feedback import Mismatch, close
from autograder.hidden.cases import problem

SEED, D, C, SCALE = 99, 10, 10, 0.01
TIMED_N = 3000        # the student's vectorized loss
YARDSTICK_N = 20      # the reference's naive loss: about 1 ms a run
CALLS = 10            # per timed request
# Runs of each kind; the fastest counts (noise only adds time). Short runs, many of them:
# on a loaded machine the fastest of 25 runs of 1 ms still fits in one time slice.
REPEATS = 5
YARDSTICK_REPEATS = 25
THRESHOLD = 10.0      # how many times faster per example a loop-free version must be


@dataclass(frozen=True)
class Timing:
    vectorized: float     # seconds per example, the student's vectorized loss
    naive: float          # seconds per example, the reference's loop version

    @property
    def ratio(self) -> float:
        return self.naive / self.vectorized


def per_call(requests: list[float], empty: list[float], calls: int) -> float:
    """Seconds per call: the fastest request of `calls` calls minus the fastest empty one
    (fork and transfer of the same arrays); never below 1 µs."""
    return max(min(requests) - min(empty), 1e-6) / calls


def verdict(timing: Timing, vectorized: str, naive: str) -> None:
    """Raise the student's Mismatch unless the vectorized loss is THRESHOLD times faster."""
    if timing.ratio >= THRESHOLD:
        return
    raise Mismatch(f"{vectorized} took {timing.vectorized * 1e6:.3g} µs per example (N = "
                   f"{TIMED_N}, D = {D}, C = {C}), and a straightforward loop version ({naive}) "
                   f"{timing.naive * 1e6:.3g} µs: only {timing.ratio:.1f}x faster (expected at "
                   f"least {THRESHOLD:g}x; is there still a loop over the examples?)", ("slow",))


def time_vectorized(student: Student, ref: types.ModuleType, name: str) -> float:
    """Seconds per example of the student's `name` on the timed problem, in its worker.
    Every returned loss is checked, so the calls must really happen."""
    W, X, y = problem(SEED, TIMED_N, D, C, SCALE)
    regs = [1e-3 * (k + 1) for k in range(CALLS)]
    expected = [getattr(ref, name)(W, X, y, r)[0] for r in regs]

    def request(regs: list[float]) -> float:
        seconds, losses = student.timed("repeat", name, W, X, y, regs, label=name)
        if not close(losses, expected[:len(regs)], 1e-6, 1e-9):
            raise Mismatch(f"{name} returned wrong losses while being timed")
        return seconds

    full = [request(regs) for _ in range(REPEATS)]
    empty = [request([]) for _ in range(REPEATS)]
    return per_call(full, empty, CALLS) / TIMED_N


def time_naive(ref: types.ModuleType, naive: str) -> float:
    """Seconds per example of the reference's loop version, here in the grader: the same
    yardstick for every student (their own naive version may be wrong or missing)."""
    W, X, y = problem(SEED, TIMED_N, D, C, SCALE)
    X, y = X[:YARDSTICK_N], y[:YARDSTICK_N]
    times = []
    for _ in range(YARDSTICK_REPEATS):
        start = time.perf_counter()
        getattr(ref, naive)(W, X, y, 1e-3)
        times.append(time.perf_counter() - start)
    return min(times) / YARDSTICK_N


def measure(student: Student, ref: types.ModuleType, vectorized: str) -> Timing:
    naive = vectorized.replace("vectorized", "naive")
    return Timing(time_vectorized(student, ref, vectorized), time_naive(ref, naive))


def check_faster(student: Student, ref: types.ModuleType, vectorized: str) -> None:
    verdict(measure(student, ref, vectorized), vectorized, vectorized.replace("vectorized",
                                                                              "naive"))
