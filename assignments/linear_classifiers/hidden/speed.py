"""The speed check of the vectorized losses: loop-free against a loop version, per example.

What separates a loop-free loss from a loop version is the Python work per example:
a loop version pays at least one interpreted iteration per example (the reference's
naive one, C of them), a loop-free one pays numpy's per-element work. So the check
compares seconds PER EXAMPLE: the student's vectorized loss on a long, narrow problem
(N = 3,000, D = 10, C = 10: little arithmetic per example, so an (N, D, C) broadcast
or einsum costs little more than two matrix products), the reference's naive loss on
200 rows of it (its cost is linear in N), in rounds measured back to back.
Measured with bench/speed_check.py on 2 loaded cores (load 3.4-6.6): loop-free versions
23-590x faster per example (medians 29-172x), versions that loop over the examples
0.8-4.5x (medians 1.2-3.6x): THRESHOLD sits near the geometric middle of the closest
ones, more than a factor of 2 from either side.
"""

from __future__ import annotations

import time
import types
from dataclasses import dataclass

from assignments.linear_classifiers.hidden.cases import problem
from autograder.checking.calls import Student
from autograder.checking.feedback import Mismatch, close

SEED, D, C, SCALE = 99, 10, 10, 0.01
TIMED_N = 3000        # the student's vectorized loss
YARDSTICK_N = 200     # the reference's naive loss: about 10 ms a run, as long as a request
CALLS = 10            # per timed request
# Rounds of (empty request, full request, yardstick run), back to back, so that the three
# share the machine's load of the moment; the median round ratio decides. A round far from
# the threshold (3x either way) twice in a row decides at once: a loop version's request
# takes seconds, and needs no more of them.
ROUNDS = 5
CLEAR = 3.0
THRESHOLD = 10.0      # how many times faster per example a loop-free version must be


@dataclass(frozen=True)
class Timing:
    vectorized: float     # seconds per example, the student's vectorized loss
    naive: float          # seconds per example, the reference's loop version

    @property
    def ratio(self) -> float:
        return self.naive / self.vectorized


def per_call(full: float, empty: float, calls: int) -> float:
    """Seconds per call: a request of `calls` calls minus an empty one (fork and transfer
    of the same arrays); never below 1 µs."""
    return max(full - empty, 1e-6) / calls


def decided(timings: list[Timing]) -> bool:
    """Whether the last two rounds are both far on one side of the threshold."""
    last = [t.ratio for t in timings[-2:]]
    return len(last) == 2 and (max(last) < THRESHOLD / CLEAR or min(last) > THRESHOLD * CLEAR)


def median(timings: list[Timing]) -> Timing:
    """The round of median ratio."""
    return sorted(timings, key=lambda t: t.ratio)[len(timings) // 2]


def verdict(timing: Timing, vectorized: str, naive: str) -> None:
    """Raise the student's Mismatch unless the vectorized loss is THRESHOLD times faster."""
    if timing.ratio >= THRESHOLD:
        return
    raise Mismatch(f"{vectorized} took {timing.vectorized * 1e6:.3g} µs per example (N = "
                   f"{TIMED_N}, D = {D}, C = {C}), and a straightforward loop version ({naive}) "
                   f"{timing.naive * 1e6:.3g} µs: only {timing.ratio:.1f}x faster (expected at "
                   f"least {THRESHOLD:g}x; is there still a loop over the examples?)", ("slow",))


class _Rounds:
    """One speed measurement: the student's `name` in its worker, the reference's naive
    loss here in the grader (the same yardstick for every student), on one problem."""

    def __init__(self, student: Student, ref: types.ModuleType, name: str) -> None:
        self.student, self.name = student, name
        self.naive = getattr(ref, name.replace("vectorized", "naive"))
        self.W, self.X, self.y = problem(SEED, TIMED_N, D, C, SCALE)
        self.regs = [1e-3 * (k + 1) for k in range(CALLS)]
        # Every returned loss is checked, so the calls must really happen.
        self.expected = [getattr(ref, name)(self.W, self.X, self.y, r)[0] for r in self.regs]

    def request(self, regs: list[float]) -> float:
        seconds, losses = self.student.timed("repeat", self.name, self.W, self.X, self.y, regs,
                                             label=self.name)
        if not close(losses, self.expected[:len(regs)], 1e-6, 1e-9):
            raise Mismatch(f"{self.name} returned wrong losses while being timed")
        return seconds

    def yardstick(self) -> float:
        X, y = self.X[:YARDSTICK_N], self.y[:YARDSTICK_N]
        start = time.perf_counter()
        self.naive(self.W, X, y, 1e-3)
        return time.perf_counter() - start

    def round(self) -> Timing:
        empty, full, naive = self.request([]), self.request(self.regs), self.yardstick()
        return Timing(per_call(full, empty, CALLS) / TIMED_N, naive / YARDSTICK_N)


def measure(student: Student, ref: types.ModuleType, vectorized: str) -> Timing:
    """The median round of up to ROUNDS (fewer when the verdict is clear early)."""
    rounds = _Rounds(student, ref, vectorized)
    timings: list[Timing] = []
    while len(timings) < ROUNDS and not decided(timings):
        timings.append(rounds.round())
    return median(timings)


def check_faster(student: Student, ref: types.ModuleType, vectorized: str) -> None:
    verdict(measure(student, ref, vectorized), vectorized, vectorized.replace("vectorized",
                                                                              "naive"))
