"""The grading engine on whole submissions, and its behaviour on the whole corpus.

How the corpus is graded (jobs, lanes, the `grades` fixture): tests/engine/__init__.py.
The corpus's own tests: test_engine_mistakes.py, test_engine_alternatives.py and
test_engine_hostile.py; here, the corpus's form, the special submissions (reference,
blank, renamed, zipped, unreadable), the speed check's margin, and every score, test
status and named mistake compared with tests/corpus/scores.json.

Run as root, the fixtures set AUTOGRADER_WORKER_PYTHON (tests/conftest.py), provisioning
/opt/lcgrader-python first if needed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from assignments.linear_classifiers import ASSIGNMENT
from assignments.linear_classifiers.hidden.speed import THRESHOLD
from tests import notebooks
from tests.corpus import SPEED_TESTS, Case
from tests.engine.checks import TEST_OF_TITLE, check_document, failed, job, outputs, show
from tests.engine.jobs import (
    ALTERNATIVES,
    CASES,
    GRADED_JOBS,
    HOSTILE,
    JOB_OF,
    JOBS,
    MISTAKES,
    SUBMISSIONS,
)

SCORES = notebooks.ROOT / "tests" / "corpus" / "scores.json"
RECORD = "KIT_RECORD_SCORES"   # set to 1 to rewrite the table (after a deliberate change)


# ---------------------------------------------------------------- the corpus itself

def test_corpus_is_well_formed() -> None:
    assert len(MISTAKES) >= 20 and len(ALTERNATIVES) >= 8 and len(HOSTILE) >= 15
    for case in MISTAKES:
        assert case.fails, f"{case.id}: a mistake must lose points"
        assert case.fails <= case.scope, f"{case.id}: fails outside its cells"
        for test in case.fails:
            assert all(case.hint_for(test)), f"{case.id}: no hint for {test}"
    for case in MISTAKES:
        assert bool(case.pattern) == bool(case.forks), f"{case.id}: a pattern needs its forks"
        assert not case.mistake or case.mistake in ASSIGNMENT.labels, case.id
    for case in ALTERNATIVES:
        assert not case.fails and case.cell is not None, case.id
    for case in HOSTILE:
        assert case.score is not None and case.score == case.honest_score, case.id
    for case in CASES.values():
        assert not case.flaky & case.fails, case.id
        assert case.flaky <= SPEED_TESTS, f"{case.id}: only the speed checks are flaky"
    for key, one in JOBS.items():
        cells = [c.cell for c in one.cases]
        assert len(cells) == len(set(cells)), f"{key}: two cases replace one cell"


def test_notebook_helper_keeps_nbgrader_metadata(tmp_path: Path) -> None:
    case = MISTAKES[0]
    built = json.loads(notebooks.build(tmp_path, [case]).read_text())
    reference = notebooks.load()
    assert len(built["cells"]) == len(reference["cells"])
    for mine, theirs in zip(built["cells"], reference["cells"], strict=True):
        assert mine["metadata"] == theirs["metadata"]
        changed = notebooks.grade_id(mine) == case.cell
        assert (mine["source"] != theirs["source"]) == changed
    assert "".join(next(c for c in built["cells"] if notebooks.grade_id(c) == case.cell)
                   ["source"]) == case.source


def test_case_ids_name_their_jobs() -> None:
    assert set(JOB_OF) == set(CASES)
    assert all(key in JOBS for key in JOB_OF.values())
    assert ASSIGNMENT.by_test.keys() >= SPEED_TESTS


# ---------------------------------------------------------------- whole submissions

@pytest.mark.parametrize("submission", list(SUBMISSIONS))
def test_submission(submission: str, grades) -> None:
    """Reference, blank, renamed, several notebooks, a zip and unreadable hand-ins: a
    complete results document with a clear message each time."""
    score, summary, every_test = SUBMISSIONS[submission]
    result = grades(f"submission-{submission}")
    document = result["document"]
    check_document(document)
    assert document["score"] == score, show(document, failed(document))
    assert summary in document["output"], document["output"]
    for test, out in outputs(document).items():
        assert every_test in out, f"{test}: {out[:300]}"
    assert result["results_file"] == document
    assert result["seconds"] < 30


# ---------------------------------------------------------------- the speed checks

@job("speed-margin")
def test_speed_check_has_a_margin(grades) -> None:
    """The reference's speed ratio, measured as the grader does, stays well above the
    threshold (one measurement, not a timed test: the margin is a factor of 3 or more)."""
    ratios = grades("speed-margin")["ratios"]
    assert min(ratios) >= 3 * THRESHOLD, f"ratios {[round(r, 1) for r in ratios]}"


# ---------------------------------------------------------------- behaviour unchanged

def _outcomes(grades) -> dict[str, dict[str, Any]]:
    """Per case (or special submission): the status and named mistakes of every test it
    may change, and the whole grade's score where the case is graded alone."""
    table: dict[str, dict[str, Any]] = {}
    for key in GRADED_JOBS:
        one, document = JOBS[key], grades(key)["document"]
        tests = {TEST_OF_TITLE[t["name"]]: t for t in document["tests"]}
        for case in one.cases or (Case(key, None, "pass\n"),):
            entry: dict[str, Any] = {"tests": {
                test: [tests[test]["status"], sorted(tests[test]["extra_data"]["mistakes"])]
                for test in sorted(case.scope - case.flaky)}}
            if len(one.cases) <= 1 and not case.flaky:
                entry["score"] = document["score"]
            table[case.id] = entry
    return table


@job(GRADED_JOBS)
def test_behaviour_unchanged(grades) -> None:
    """Every score, test status and named mistake of the whole corpus equals the table
    recorded before the engine was restructured (tests/corpus/scores.json)."""
    table = _outcomes(grades)
    if os.environ.get(RECORD) == "1":
        SCORES.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n")
    stored = json.loads(SCORES.read_text())
    changed = sorted(k for k in stored.keys() | table.keys() if stored.get(k) != table.get(k))
    assert not changed, "\n".join(f"{k}: was {stored.get(k)}, now {table.get(k)}"
                                   for k in changed[:10])
