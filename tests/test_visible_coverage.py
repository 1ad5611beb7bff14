"""The visible checks against the corpus, in a real kernel: what fails, what is named.

Every known single-function mistake (tests/corpus/mistakes/ and the few of
tests/corpus/visible.py) goes through the notebook's check cells (tests/visible_run.py).
At least 50 of every 51 must make a visible check fail, and at least 80% must get a
message that names the mistake (tests/corpus/visible.py: NAMED); every right answer
(the reference, tests/corpus/alternatives.py) must pass every visible check.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

import pytest

from tests.corpus import CELLS, Case, alternatives, mistakes, visible
from tests.visible_run import CheckKernel, Outcome, answer_sources, check_kernel

MISTAKES = [*mistakes.CASES, *visible.EXTRA]
COUNTED = [c for c in MISTAKES if c.id not in visible.EXCLUDED]
MIN_FAILING = Fraction(50, 51)
MIN_NAMED = Fraction(4, 5)


@pytest.fixture(scope="module")
def kernel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CheckKernel]:
    with check_kernel(tmp_path_factory.mktemp("visible")) as kernel:
        yield kernel


@pytest.fixture(scope="module")
def outcomes(kernel: CheckKernel) -> dict[str, Outcome]:
    """Every counted mistake, then the reference of each cell once more (no state leaks)."""
    found = {case.id: kernel.run(case) for case in COUNTED}
    for cell, source in answer_sources().items():
        found[f"reference:{cell}"] = kernel.run(Case(f"reference_{cell}", cell, source))
    return found


def named(case: Case, outcome: Outcome) -> bool:
    return outcome.failed and case.id in visible.NAMED and visible.NAMED[case.id] in outcome.error


def test_the_mapping_covers_the_corpus() -> None:
    ids = {c.id for c in MISTAKES}
    assert set(visible.NAMED) <= ids and set(visible.EXCLUDED) <= ids
    assert set(visible.MISSES) <= ids and not set(visible.NAMED) & set(visible.EXCLUDED)
    assert all(reason for reason in visible.EXCLUDED.values())
    # A case that adds a cell (cell=None) has no check cell after it: it must be excluded.
    assert all(case.cell is not None for case in COUNTED)


def test_coverage_of_the_known_mistakes(outcomes: dict[str, Outcome]) -> None:
    failing = [c.id for c in COUNTED if outcomes[c.id].failed]
    naming = [c.id for c in COUNTED if named(c, outcomes[c.id])]
    total = len(COUNTED)
    figure = (f"visible checks: {len(failing)}/{total} known mistakes fail, {len(naming)}/"
              f"{total} named ({len(naming) / total:.0%}); {len(visible.EXCLUDED)} excluded")
    print(figure)
    assert Fraction(len(failing), total) >= MIN_FAILING, figure
    assert Fraction(len(naming), total) >= MIN_NAMED, figure


@pytest.mark.parametrize("case", COUNTED, ids=lambda c: c.id)
def test_each_mistake_as_listed(outcomes: dict[str, Outcome], case: Case) -> None:
    """Fails unless listed as a miss; says NAMED's text where it is listed there."""
    outcome = outcomes[case.id]
    assert outcome.failed != (case.id in visible.MISSES), outcome.stdout[-500:]
    if case.id in visible.NAMED:
        assert visible.NAMED[case.id] in outcome.error, outcome.error


@pytest.mark.parametrize("cell", CELLS)
def test_reference_passes_after_the_mistakes(outcomes: dict[str, Outcome], cell: str) -> None:
    outcome = outcomes[f"reference:{cell}"]
    assert not outcome.failed, outcome.error
    assert outcome.stdout.count("OK   ") >= 1


@pytest.mark.parametrize("cell", CELLS)
def test_each_check_needs_only_its_own_function(kernel: CheckKernel, cell: str) -> None:
    """With every other answer undefined, the reference of one cell passes its checks."""
    outcome = kernel.run(Case(f"alone_{cell}", cell, answer_sources()[cell]), alone=True)
    assert not outcome.failed, outcome.error


@pytest.mark.parametrize("case", alternatives.CASES, ids=lambda c: c.id)
def test_right_answers_pass_every_visible_check(kernel: CheckKernel, case: Case) -> None:
    outcome = kernel.run(case)
    assert not outcome.failed, outcome.error


def test_messages_show_no_kit_frame_and_no_whole_array(outcomes: dict[str, Outcome]) -> None:
    """What Jupyter shows for a failing check: the message, never linclass's frames."""
    errors = [o.error for o in outcomes.values() if o.failed]
    checks_failed = [e for e in errors if e.startswith("CheckFailed")]
    assert len(checks_failed) > 60
    for error in errors:  # a student's own error: their frames, numpy's, never the kit's
        assert "linclass" not in error and "checks.py" not in error, error
    for error in checks_failed:  # ename and evalue, then the traceback Jupyter shows
        first, shown = error.split("\n")
        assert shown == first and len(shown) < 600 and "[[" not in shown, error
