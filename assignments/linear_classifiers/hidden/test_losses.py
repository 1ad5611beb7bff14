"""The four loss functions: values, gradients, stability, loops and speed."""

from __future__ import annotations

import functools
import types

import numpy as np

from assignments.linear_classifiers import mistakes
from assignments.linear_classifiers.hidden.cases import LOSS_CASES, LossAnswers, problem
from assignments.linear_classifiers.hidden.speed import check_faster
from autograder.checking.calls import CodeFailed, Student
from autograder.checking.feedback import Mismatch, every_case, expect_array, expect_number
from autograder.checking.loops import python_loops
from autograder.intake.extraction import Extraction

REQUIRED_CASE = 2  # N = C = 6, D = 9, reg = 0.05: no edge case, a regularized loss
KIND = {"svm_loss_naive": "svm", "svm_loss_vectorized": "svm",
        "softmax_loss_naive": "softmax", "softmax_loss_vectorized": "softmax"}


def returned_pair(name: str, value: object) -> tuple[object, object]:
    if value is None:
        raise Mismatch(f"{name} looks unfinished: it returned None (is its body still `pass`, "
                       "or the `return loss, dW` missing?)", ("unfinished",))
    if not isinstance(value, tuple) or len(value) != 2:
        raise Mismatch(f"{name} should return a tuple (loss, dW), got "
                       f"{type(value).__name__}")
    return value


def stub(name: str, pair: tuple, value: object) -> list:
    """The "unfinished" candidate, when the function returns its starting values: a loss
    of 0 and a gradient of zeros. `value`: what the candidate stands for (0 or zeros)."""
    loss, grad = pair
    if (isinstance(loss, (int, float, np.floating)) and loss == 0
            and isinstance(grad, np.ndarray) and grad.size and not np.any(grad)):
        return [("unfinished", (f"{name} looks unfinished: it returns a loss of 0 and a "
                 "gradient of zeros, the starting values"), value)]
    return []


def on_case(case: int, check) -> None:
    """Run `check(case, W, X, y, reg)` on LOSS_CASES[case]; a failed call names the input."""
    N, D, C, reg, scale = LOSS_CASES[case]
    W, X, y = problem(case, N, D, C, scale)
    try:
        check(case, W, X, y, reg)
    except CodeFailed as failure:
        raise failure.at(f"N={N}, D={D}, C={C}, reg={reg:g}") from None


def every_loss_case(check) -> None:
    every_case(functools.partial(on_case, case, check) for case in range(len(LOSS_CASES)))


def convention(name: str, pair: tuple, ref: types.ModuleType, W, X, y, reg) -> None:
    """The 0.5 * reg convention, told as one consistent choice on both tests."""
    data_loss, data_grad = getattr(ref, name)(W, X, y, 0.0)
    loss, grad = pair
    if (isinstance(grad, np.ndarray) and grad.shape == W.shape
            and mistakes.half_reg_convention(loss, grad, data_loss, data_grad, W, reg)):
        raise Mismatch(f"{name} with reg={reg:g}: {mistakes.HALF_REG}", ("half_reg_convention",))


def check_loss(answers: LossAnswers, ref: types.ModuleType, name: str) -> None:
    def check(case, W, X, y, reg) -> None:
        pair = returned_pair(name, answers.get(name, case))
        convention(name, pair, ref, W, X, y, reg)
        data_loss = getattr(ref, name)(W, X, y, 0.0)[0]
        N, D, C = len(y), *W.shape
        expect_number(f"{name} loss with N={N}, D={D}, C={C}, reg={reg:g}", pair[0],
                      getattr(ref, name)(W, X, y, reg)[0], rtol=1e-6,
                      mistakes=stub(name, pair, 0.0)
                      + mistakes.loss_mistakes(KIND[name], data_loss, W, N, reg)
                      + mistakes.specific_loss_mistakes(KIND[name], W, X, y, reg))

    every_loss_case(check)


def check_gradient(answers: LossAnswers, ref: types.ModuleType, name: str) -> None:
    def check(case, W, X, y, reg) -> None:
        pair = returned_pair(name, answers.get(name, case))
        convention(name, pair, ref, W, X, y, reg)
        data_grad = getattr(ref, name)(W, X, y, 0.0)[1]
        specific = (mistakes.svm_gradient_mistakes if KIND[name] == "svm"
                    else mistakes.softmax_gradient_mistakes)(W, X, y)
        extra = [(key, hint, wrong + 2 * reg * W) for key, hint, wrong in specific]
        N, D, C = len(y), *W.shape
        expect_array(f"{name} gradient dW with N={N}, D={D}, C={C}, reg={reg:g}", pair[1],
                     getattr(ref, name)(W, X, y, reg)[1], rtol=1e-5, atol=1e-8,
                     mistakes=mistakes.gradient_mistakes(data_grad, W, N, reg,
                                                         stub(name, pair, 0 * W) + extra))

    every_loss_case(check)


# Scores far beyond exp's range (e ** 710 overflows float64). X = identity makes W
# the score table itself. Rows share one offset in the first table (no shift at all
# overflows), have very different offsets in the second (a global shift underflows), and
# in the third the true class lies 800 below its row's maximum: its probability
# underflows to 0 even after the shift, so only log-sum-exp gives a finite loss.
HUGE_SCORES = {
    "all scores about +5000": (np.array([[5000.0, 5003.0, 4990.0], [5010.0, 4999.0, 5001.0]]),
                               np.array([1, 0])),
    "rows at +3000 and -3000": (np.array([[3000.0, 3004.0, 2990.0],
                                          [-3000.0, -2996.0, -3010.0]]), np.array([1, 0])),
    "a true class 800 below its row's maximum": (np.array([[0.0, 800.0, 5.0],
                                                           [2.0, 1.0, 0.0]]), np.array([0, 0])),
}
STABILITY_HINTS = {
    "all scores about +5000": ("no_max_shift", ("exp overflows for large scores: subtract each "
                               "row's maximum score before exponentiating")),
    "rows at +3000 and -3000": ("global_max_shift", ("subtract each row's own maximum (axis=1, "
                                "keepdims=True), not the global maximum: rows far below it "
                                "underflow to 0")),
    "a true class 800 below its row's maximum": (
        "log_of_probability", ("its probability exp(-800) underflows to 0 and log(0) is -inf: "
        "compute the loss as log(sum(exp(shifted scores))) - the true class's shifted score "
        "(log-sum-exp, notebook Part 4), not the log of a normalised probability")),
}


OVERFLOW = "all scores about +5000"   # fails first when nothing is shifted at all


def check_stable(student: Student, ref: types.ModuleType, name: str) -> None:
    named: list[str] = []

    def on(label: str) -> None:
        try:
            _stable_on(student, ref, name, label, "no_max_shift" in named)
        except Mismatch as failure:
            named.extend(failure.mistakes)
            raise

    every_case(functools.partial(on, label) for label in HUGE_SCORES)


def _stable_on(student: Student, ref: types.ModuleType, name: str, label: str,
               overflowed: bool) -> None:
    """One table of HUGE_SCORES; `overflowed`: the unshifted table already overflowed, so
    that is the cause here too."""
    table, y = HUGE_SCORES[label]
    X = np.eye(len(table))
    pair = returned_pair(name, student.call(name, table, X, y, 0.0))
    loss, grad = pair
    expected_loss, expected_grad = getattr(ref, name)(table, X, y, 0.0)
    what = f"{name} loss for {label}"
    if stub(name, pair, 0.0):   # unfinished, not unstable
        expect_number(what, loss, expected_loss, mistakes=stub(name, pair, 0.0))
    mistake, hint = STABILITY_HINTS[OVERFLOW if overflowed else label]
    try:
        expect_number(what, loss, expected_loss)
    except Mismatch as failure:
        if finite(loss):   # a finite wrong loss is a wrong loss, not an unstable one
            raise
        raise Mismatch(f"{failure} ({hint})", (mistake,)) from None
    # A finite, right loss with a wrong gradient is not a stability problem: no hint.
    expect_array(f"{name} gradient for {label}", grad, expected_grad, atol=1e-9)


def finite(value: object) -> bool:
    try:
        return bool(np.all(np.isfinite(np.asarray(value, dtype=float))))
    except (TypeError, ValueError):
        return True


def require_correct(answers: LossAnswers, ref: types.ModuleType, name: str, test: str) -> None:
    """Points for style or speed go only to a function that already gives right answers
    (on the ordinary loss case with reg > 0, whose answer the value tests already asked)."""
    case = REQUIRED_CASE
    N, D, C, reg, scale = LOSS_CASES[case]
    W, X, y = problem(case, N, D, C, scale)
    try:
        loss, grad = returned_pair(name, answers.get(name, case))
        expected_loss, expected_grad = getattr(ref, name)(W, X, y, reg)
        expect_number(f"{name} loss", loss, expected_loss)
        expect_array(f"{name} gradient", grad, expected_grad, rtol=1e-5, atol=1e-8)
    except Mismatch as failure:
        raise Mismatch(f"The {test} check needs a correct {name} first: {failure}") from None


def check_no_loops(source: Extraction, name: str) -> None:
    loops = python_loops(source, name)
    if loops:
        raise Mismatch(f"{name} should use no Python loop, but it has {', '.join(loops)}",
                       ("python_loops",))


def test_svm_naive_loss(answers, ref):
    """Compared with the reference on 5 inputs: N = 1, C = 2, N = C, D = C, reg = 0 and a large reg."""
    check_loss(answers, ref, "svm_loss_naive")


def test_svm_naive_gradient(answers, ref):
    """dW compared with the reference on the same 5 inputs (away from hinge kinks)."""
    check_gradient(answers, ref, "svm_loss_naive")


def test_svm_vectorized_loss(answers, ref):
    """Compared with the reference on 5 inputs: N = 1, C = 2, N = C, D = C, reg = 0 and a large reg."""
    check_loss(answers, ref, "svm_loss_vectorized")


def test_svm_vectorized_gradient(answers, ref):
    """dW compared with the reference on the same 5 inputs (away from hinge kinks)."""
    check_gradient(answers, ref, "svm_loss_vectorized")


def test_svm_vectorized_has_no_loops(answers, ref, source):
    """No for/while loop, comprehension or np.vectorize in the function or the helpers it calls."""
    require_correct(answers, ref, "svm_loss_vectorized", "no-loop")
    check_no_loops(source, "svm_loss_vectorized")


def test_svm_vectorized_is_faster(student, answers, ref):
    """At least 10x faster per example than a loop version, on N = 3000, D = 10, C = 10."""
    require_correct(answers, ref, "svm_loss_vectorized", "speed")
    check_faster(student, ref, "svm_loss_vectorized")


def test_softmax_naive_loss(answers, ref):
    """Compared with the reference on 5 inputs: N = 1, C = 2, N = C, D = C, reg = 0 and a large reg."""
    check_loss(answers, ref, "softmax_loss_naive")


def test_softmax_naive_gradient(answers, ref):
    """dW compared with the reference on the same 5 inputs."""
    check_gradient(answers, ref, "softmax_loss_naive")


def test_softmax_naive_is_stable(student, ref):
    """Finite and correct for scores of about 5000, and for rows 6000 apart."""
    check_stable(student, ref, "softmax_loss_naive")


def test_softmax_vectorized_loss(answers, ref):
    """Compared with the reference on 5 inputs: N = 1, C = 2, N = C, D = C, reg = 0 and a large reg."""
    check_loss(answers, ref, "softmax_loss_vectorized")


def test_softmax_vectorized_gradient(answers, ref):
    """dW compared with the reference on the same 5 inputs."""
    check_gradient(answers, ref, "softmax_loss_vectorized")


def test_softmax_vectorized_is_stable(student, ref):
    """Finite and correct for scores of about 5000, and for rows 6000 apart."""
    check_stable(student, ref, "softmax_loss_vectorized")


def test_softmax_vectorized_has_no_loops(answers, ref, source):
    """No for/while loop, comprehension or np.vectorize in the function or the helpers it calls."""
    require_correct(answers, ref, "softmax_loss_vectorized", "no-loop")
    check_no_loops(source, "softmax_loss_vectorized")


def test_softmax_vectorized_is_faster(student, answers, ref):
    """At least 10x faster per example than a loop version, on N = 3000, D = 10, C = 10."""
    require_correct(answers, ref, "softmax_loss_vectorized", "speed")
    check_faster(student, ref, "softmax_loss_vectorized")
