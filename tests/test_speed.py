"""The speed check's verdict logic (assignments/linear_classifiers/hidden/speed.py), on given timings: no
timing happens here (the margins are measured by bench/speed_check.py)."""

from __future__ import annotations

import pytest

from assignments.linear_classifiers.hidden import speed
from autograder.checking.feedback import Mismatch


def test_per_call_subtracts_the_empty_request() -> None:
    assert speed.per_call(0.025, 0.005, 10) == pytest.approx(0.002)


def test_per_call_never_reaches_zero() -> None:
    """An empty request slower than the full one (noise) gives 1 µs, not 0 or less."""
    assert speed.per_call(0.004, 0.005, 10) == pytest.approx(1e-7)


def timings(*ratios: float) -> list[speed.Timing]:
    return [speed.Timing(1e-6, r * 1e-6) for r in ratios]


def test_the_median_round_decides() -> None:
    """One round slowed by a busy moment, or one lucky round, does not change the verdict."""
    assert speed.median(timings(40, 2, 35, 50, 45)).ratio == pytest.approx(40)
    assert speed.median(timings(3, 2, 25, 4, 3)).ratio == pytest.approx(3)


@pytest.mark.parametrize("ratios, done", [
    ((), False), ((1.0,), False),
    ((2.0, 3.0), True),                     # twice far below: a loop version, no more rounds
    ((40.0, 100.0), True),                  # twice far above
    ((2.0, 40.0), False), ((8.0, 12.0), False), ((40.0, 20.0), False),
])
def test_two_clear_rounds_end_the_measurement(ratios: tuple, done: bool) -> None:
    assert speed.decided(timings(*ratios)) is done


def test_ratio_is_loop_time_over_vectorized_time_per_example() -> None:
    assert speed.Timing(vectorized=2e-7, naive=5e-5).ratio == pytest.approx(250)


@pytest.mark.parametrize("ratio", [speed.THRESHOLD, 3 * speed.THRESHOLD, 300.0])
def test_fast_enough_passes(ratio: float) -> None:
    speed.verdict(speed.Timing(1e-6, ratio * 1e-6), "svm_loss_vectorized", "svm_loss_naive")


def test_too_slow_fails_naming_both_times_and_the_mistake() -> None:
    with pytest.raises(Mismatch) as failed:
        speed.verdict(speed.Timing(2e-5, 5e-5), "svm_loss_vectorized", "svm_loss_naive")
    message = str(failed.value)
    assert "20 µs per example" in message and "50 µs" in message
    assert "only 2.5x faster" in message and f"at least {speed.THRESHOLD:g}x" in message
    assert failed.value.mistakes == ("slow",)


def test_just_below_the_threshold_fails() -> None:
    with pytest.raises(Mismatch):
        speed.verdict(speed.Timing(1e-6, 0.99 * speed.THRESHOLD * 1e-6), "f_vectorized", "f")


def test_the_problem_is_long_and_narrow() -> None:
    """Per-example timing needs many examples and little work per example."""
    assert speed.TIMED_N >= 10 * speed.YARDSTICK_N and speed.D * speed.C <= 100
