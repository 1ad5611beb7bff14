"""What every graded document must satisfy, and how the corpus tests read one."""

from __future__ import annotations

import json

import pytest

from assignments.linear_classifiers import ASSIGNMENT
from assignments.linear_classifiers.rubric import ITEMS
from tests.corpus import Case
from tests.engine.jobs import JOB_OF, JOBS

TEST_OF_TITLE = {item.title: item.test for item in ITEMS}


def check_document(document: dict) -> None:
    """A complete Gradescope results document: every rubric item scored, in order."""
    json.dumps(document)
    tests = document["tests"]
    assert [t["name"] for t in tests] == [item.title for item in ITEMS]
    for test, item in zip(tests, ITEMS, strict=True):
        assert test["max_score"] == item.points
        assert test["status"] in ("passed", "failed")
        assert test["score"] == (item.points if test["status"] == "passed" else 0)
        assert isinstance(test["output"], str) and test["output"].strip()
        # Machine-readable for the class report: every mistake id is a known one.
        assert set(test["extra_data"]["mistakes"]) <= ASSIGNMENT.labels.keys(), test["extra_data"]
    assert document["score"] == pytest.approx(sum(t["score"] for t in tests))
    assert isinstance(document["output"], str)


def outputs(document: dict) -> dict[str, str]:
    return {TEST_OF_TITLE[t["name"]]: t["output"] for t in document["tests"]}


def failed(document: dict) -> set[str]:
    return {TEST_OF_TITLE[t["name"]] for t in document["tests"] if t["status"] != "passed"}


def show(document: dict, tests: set[str]) -> str:
    out = outputs(document)
    return "\n".join(f"  {test}: {out[test][:300]}" for test in sorted(tests))


def named(document: dict, case: Case) -> set[str]:
    """The mistake ids that the failing tests of the case's cells name (extra_data)."""
    return {m for t in document["tests"] if t["status"] != "passed"
            and TEST_OF_TITLE[t["name"]] in case.scope for m in t["extra_data"]["mistakes"]}


def failures_of(case: Case, grades) -> tuple[dict, set[str]]:
    """Grade the case's job; (document, this case's failed tests),
    after checking that no test outside every case of the job failed."""
    job = JOBS[JOB_OF[case.id]]
    document = grades(job.key)["document"]
    check_document(document)
    failing = failed(document)
    others = failing - frozenset().union(*(c.scope for c in job.cases))
    assert not others, f"tests of no case of {job.key} failed:\n{show(document, others)}"
    return document, (failing & case.scope) - case.flaky


def cases(kind: list[Case]) -> list:
    """`kind` as test parameters, the cases with a known grader bug as strict xfails."""
    return [pytest.param(c, id=c.id, marks=[pytest.mark.xfail(
        strict=True, raises=AssertionError, reason=f"grader bug: {c.bug}")] if c.bug else [])
        for c in kind]


def job(key: str | tuple[str, ...]):
    """Mark a test function with the job(s) it reads, so that `grades` grades them early."""
    def mark(fn):
        fn.job = key
        return fn
    return mark
