"""The grader's test corpus: submissions as data, each a small edit of the reference.

A `Case` replaces the source of ONE answer cell of solutions/linear_classifiers.ipynb
(by its nbgrader grade_id), or adds a new code cell (`cell=None`), for code that acts
while the notebook loads. tests/notebooks.py turns cases into notebooks and
tests/test_engine*.py grade them:

* mistakes/: wrong answers; exactly the tests in `fails` fail, each with its hint;
* alternatives/: right answers written differently; each scores 100;
* hostile/: attacks on the grader; each scores `score`, its honest value, at most.

Each is a package of modules by function family (or by what is attacked) whose
__init__.py assembles CASES.

A case with `bug` set shows a known grader bug (the test is a strict xfail).

Sources may hold placeholders, replaced when the notebook is built:
__ROOT__ (the repository), __RESULTS__ (the results.json path given to grade()),
__SHARED__ (a world-writable scratch dir, for pid and heartbeat files).
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from assignments.linear_classifiers import ASSIGNMENT

# The answer cells of the notebook and the hidden tests that grade each (from the rubric).
CELLS = {cell: tuple(item.test for item in ASSIGNMENT.items_of(cell))
         for cell in ASSIGNMENT.answers}
# Timed against the student's own naive version, and flaky (see tests/engine/__init__.py).
SPEED_TESTS = frozenset({"test_svm_vectorized_is_faster", "test_softmax_vectorized_is_faster"})


@dataclass(frozen=True)
class Case:
    id: str
    cell: str | None              # grade_id of the answer cell replaced; None: a new cell
    source: str
    # The hidden tests that fail (mistakes, hostile): all others pass.
    fails: frozenset[str] = frozenset()
    # mistakes: what each failing test's output contains: one text for all of them, or
    # {test: text}; a text is a str or a tuple of strs that must all be there (where the
    # grader has no hint for a mistake: the function's name and what differed).
    hint: str | tuple[str, ...] | Mapping[str, str | tuple[str, ...]] = ""
    helpers: tuple[str, ...] = ()  # more new code cells, right after the case's cell
    at: str = "end"               # where a new cell (cell=None) goes: "start" or "end"
    # Other answer cells whose tests this case may change (a vectorized loss that calls
    # the naive one; a naive one whose speed the vectorized speed check compares with).
    depends: frozenset[str] = frozenset()
    bug: str = ""                 # a known grader bug makes this case fail: why
    # mistakes from real student code: the pattern of the research catalogue (see
    # tests/corpus/mistakes/__init__.py) this case stands for, the public forks it was seen in
    # (owner/repo:path@commit), and the id (ASSIGNMENT.labels) the grader should name for
    # it in results.json, "" where it names none (a miss in the coverage).
    pattern: str = ""
    forks: tuple[str, ...] = ()
    mistake: str = ""
    # Tests whose outcome depends on timing alone (the speed checks, see tests/engine/):
    # asserted neither way. Only with a reason in a comment.
    flaky: frozenset[str] = frozenset()
    # hostile only
    score: float | None = None    # what an honest grader gives: 100 minus `fails`
    budget: float = 30.0          # seconds grade() may take
    lingers: bool = False         # starts processes meant to outlive grading
    evidence: str = ""            # text in the feedback that shows the attack did run
    call_timeout: float | None = None   # Options.call_timeout, to keep slow cases short
    slow: bool = False            # long by design: graded beside the others
    exclusive: bool = False       # exhausts the sandbox user's limits: graded alone

    def __post_init__(self) -> None:
        object.__setattr__(self, "source", textwrap.dedent(self.source).strip("\n") + "\n")
        object.__setattr__(self, "helpers", tuple(textwrap.dedent(h).strip("\n") + "\n"
                                                  for h in self.helpers))
        object.__setattr__(self, "fails", frozenset(self.fails))
        object.__setattr__(self, "depends", frozenset(self.depends))
        object.__setattr__(self, "flaky", frozenset(self.flaky))
        unknown = [t for t in self.fails | self.flaky if t not in ASSIGNMENT.by_test]
        unknown += [c for c in {self.cell, *self.depends} - {None} if c not in CELLS]
        if unknown or self.at not in ("start", "end"):
            raise ValueError(f"{self.id}: unknown tests or cells {unknown} (or bad `at`)")

    def hint_for(self, test: str) -> tuple[str, ...]:
        """The texts that the output of failing `test` must contain."""
        hint = self.hint.get(test, ()) if isinstance(self.hint, Mapping) else self.hint
        return (hint,) if isinstance(hint, str) else tuple(hint)

    @property
    def scope(self) -> frozenset[str]:
        """The hidden tests this case may change: its cell's and those of `depends`."""
        if self.cell is None:
            return frozenset(ASSIGNMENT.by_test)
        return frozenset(t for cell in {self.cell, *self.depends} for t in CELLS[cell])

    @property
    def honest_score(self) -> float:
        return 100 - sum(ASSIGNMENT.by_test[t].points for t in self.fails)


def bundles(cases: Iterable[Case]) -> list[tuple[Case, ...]]:
    """Cases grouped into notebooks: no two cases of a group touch the same cell or test.

    One grade (about a second) then serves a whole group, and each case's assertions
    still look only at the tests of its own cells (`scope`).
    """
    groups: list[list[Case]] = []
    for case in cases:
        if case.cell is None:
            groups.append([case])
            continue
        for group in groups:
            taken = {c.cell for c in group} | {d for c in group for d in c.depends}
            tests = set().union(*(c.scope for c in group))
            if not ({case.cell, *case.depends} & taken or case.scope & tests):
                group.append(case)
                break
        else:
            groups.append([case])
    return [tuple(group) for group in groups]


def by_id(cases: Iterable[Case]) -> dict[str, Case]:
    found: dict[str, Case] = {}
    for case in cases:
        if case.id in found:
            raise ValueError(f"two cases are called {case.id!r}")
        found[case.id] = case
    return found
