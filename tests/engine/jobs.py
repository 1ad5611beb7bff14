"""The jobs of the engine's corpus tests: one call of grade() each, keyed by name."""

from __future__ import annotations

from dataclasses import dataclass

from tests.corpus import Case, alternatives, bundles, by_id, hostile, mistakes

MISTAKES, ALTERNATIVES, HOSTILE = mistakes.CASES, alternatives.CASES, hostile.CASES
CASES = by_id([*MISTAKES, *ALTERNATIVES, *HOSTILE])


@dataclass(frozen=True)
class Job:
    """One call of grade(), run in a lane; `submission` names a special submission."""

    key: str
    cases: tuple[Case, ...] = ()
    submission: str = ""
    lane: str = "main"         # "main", "slow", or "first": alone, before "slow" starts
    call_timeout: float | None = None


def _lane(case: Case) -> str:
    return "first" if case.exclusive else "slow" if case.slow else "main"


JOBS: dict[str, Job] = {}
JOB_OF: dict[str, str] = {}     # case id -> job key
for _kind, _cases in (("mistakes", MISTAKES), ("alternatives", ALTERNATIVES)):
    for _n, _group in enumerate(bundles(_cases)):
        JOBS[f"{_kind}-{_n}"] = Job(f"{_kind}-{_n}", _group)
        JOB_OF.update((c.id, f"{_kind}-{_n}") for c in _group)
for _case in HOSTILE:
    JOBS[_case.id] = Job(_case.id, (_case,), lane=_lane(_case), call_timeout=_case.call_timeout)
    JOB_OF[_case.id] = _case.id

# Special submissions: (score, text in the results' output, text in every test's output).
SUBMISSIONS = {
    "reference": (100, "28 of 28 tests passed.", "Passed."),
    "blank": (0, "0 of 28 tests passed.", "not implemented yet"),
    "renamed": (100, "28 of 28 tests passed.", "Passed."),
    "two_notebooks": (100, "Several notebooks were submitted; graded my_work.ipynb", "Passed."),
    "zip": (100, "28 of 28 tests passed.", "Passed."),
    "not_json": (0, "linear_classifiers.ipynb is not a readable notebook",
                 "linear_classifiers.ipynb is not a readable notebook"),
    "not_a_notebook": (0, "not a Jupyter notebook", "not a Jupyter notebook"),
    "empty_folder": (0, "No Jupyter notebook (.ipynb) was found", "upload"),
    "missing": (0, "Nothing was submitted", "Nothing was submitted"),
}
for _name in SUBMISSIONS:
    JOBS[f"submission-{_name}"] = Job(f"submission-{_name}", submission=_name)
JOBS["speed-margin"] = Job("speed-margin", submission="speed_margin")
GRADED_JOBS = tuple(key for key in JOBS if key != "speed-margin")
