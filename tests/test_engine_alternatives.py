"""Right answers written differently (tests/corpus/alternatives/): each loses nothing.

Graded once per session by the `grades` fixture (tests/engine/__init__.py).
"""

from __future__ import annotations

import pytest

from tests.corpus import Case
from tests.engine.checks import cases, failures_of, show
from tests.engine.jobs import ALTERNATIVES


@pytest.mark.parametrize("case", cases(ALTERNATIVES))
def test_alternative(case: Case, grades) -> None:
    """A right answer written differently loses nothing."""
    document, mine = failures_of(case, grades)
    assert not mine, f"a correct {case.cell} lost points:\n{show(document, mine)}"
