"""Feedback: every failing input told, compactly, the most telling first; known mistakes
named only where they can be told from the right answer."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.checking.calls import CodeFailed
from autograder.checking.feedback import Mismatch, every_case, expect_array, expect_number


def fail(error: Mismatch):
    def check() -> None:
        raise error
    return check


def test_every_failure_is_reported_the_named_mistake_first() -> None:
    checks = [fail(Mismatch("loss with N=8: expected 1, got 2")),
              fail(CodeFailed("f raised IndexError: index 9 is out of bounds\nTraceback ...")),
              lambda: None,
              fail(Mismatch("loss with N=6: expected 1, got 1.5. Your regularization ...",
                            ("reg_grad_not_doubled",)))]
    with pytest.raises(Mismatch) as failed:
        every_case(checks)
    lines = str(failed.value).splitlines()
    assert lines[0] == "3 inputs fail. loss with N=6: expected 1, got 1.5. Your regularization ..."
    assert lines[1:] == ["Also:", " - f raised IndexError: index 9 is out of bounds",
                         " - loss with N=8: expected 1, got 2"]
    assert failed.value.mistakes == ("reg_grad_not_doubled",)


def test_the_same_failure_on_several_inputs_is_said_once() -> None:
    same = CodeFailed("f looks unfinished: it raised NotImplementedError", ("unfinished",))
    with pytest.raises(CodeFailed) as failed:
        every_case([fail(same.at(f"N={n}")) for n in (1, 6, 8)])
    assert str(failed.value) == ("f looks unfinished: it raised NotImplementedError (the same "
                                 "on 3 inputs)")
    assert failed.value.mistakes == ("unfinished",)


def test_a_single_failure_keeps_its_input() -> None:
    with pytest.raises(CodeFailed, match=r"^With N=11, D=4: f raised IndexError"):
        every_case([lambda: None, fail(CodeFailed("f raised IndexError").at("N=11, D=4"))])


def test_all_passing_raises_nothing() -> None:
    every_case([lambda: None, lambda: None])


def test_a_mistake_equal_to_the_right_answer_here_is_not_named() -> None:
    """reg / N at N = 1 is the right answer: a wrong value there must not be called that."""
    right = 2.0
    with pytest.raises(Mismatch) as failed:
        expect_number("loss with N=1", 2.0 + 1e-3, right, mistakes=[
            ("reg_over_n", "Your regularization term is divided by N", right),
            ("other", "Another mistake", 2.0 + 1e-3)])
    assert failed.value.mistakes == ("other",) and "Another mistake" in str(failed.value)


def test_an_array_mistake_is_named_with_its_id() -> None:
    expected = np.ones((2, 3))
    with pytest.raises(Mismatch) as failed:
        expect_array("dW", 2 * expected, expected, mistakes=[("grad_not_averaged", "N times",
                                                              2 * expected)])
    assert failed.value.mistakes == ("grad_not_averaged",)
    assert "6 of 6 entries differ" in str(failed.value) and str(failed.value).endswith("N times")


def test_transposed_is_named() -> None:
    with pytest.raises(Mismatch) as failed:
        expect_array("dW", np.ones((3, 2)), np.ones((2, 3)))
    assert failed.value.mistakes == ("transposed",)
