"""Wrong answers (tests/corpus/mistakes/): exactly the expected tests fail, with hints.

Graded once per session by the `grades` fixture (tests/engine/__init__.py).
"""

from __future__ import annotations

import pytest

from tests.corpus import Case
from tests.engine.checks import cases, failures_of, named, outputs, show
from tests.engine.jobs import JOB_OF, MISTAKES


@pytest.mark.parametrize("case", cases(MISTAKES))
def test_mistake(case: Case, grades) -> None:
    """Exactly the expected tests fail, each with its hint; the others pass."""
    document, mine = failures_of(case, grades)
    assert mine == case.fails - case.flaky, (
        f"expected to fail: {sorted(case.fails)}; failed:\n{show(document, mine)}")
    out = outputs(document)
    for test in case.fails - case.flaky:
        missing = [text for text in case.hint_for(test) if text not in out[test]]
        assert not missing, f"{test}: no {missing} in {out[test]!r}"
    if case.mistake:
        assert case.mistake in named(document, case), f"not named: {named(document, case)}"


def test_hint_coverage(grades) -> None:
    """At least 90% of the corpus's real mistake patterns get a hint naming the mistake
    (its id in results.json's extra_data): the figure is printed."""
    real = [case for case in MISTAKES if case.pattern]
    hit = [case for case in real if case.mistake
           and case.mistake in named(grades(JOB_OF[case.id])["document"], case)]
    missed = sorted(case.id for case in real if case not in hit)
    print(f"\nhint coverage: {len(hit)} of {len(real)} real mistakes named "
          f"({len(hit) / len(real):.0%}); not named: {missed}")
    assert len(real) >= 30 and len(hit) >= 0.9 * len(real), missed
