"""Gradescope's results.json, from the outcomes and the rubric, written atomically."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.report.files import write_atomic
from autograder.spec import Assignment, Item


@dataclass(frozen=True)
class Outcome:
    """One hidden test's result, as the runner saw it."""

    passed: bool
    message: str          # what the student reads
    grader_error: bool    # True when the grader, not the student's code, failed
    seconds: float
    mistakes: tuple[str, ...] = ()   # ids of the known mistakes named (Assignment.labels)


# Every grader failure tells the student this; machines read extra_data["grader_error"].
REGRADED = "not your code: this submission will be regraded"
NOT_RUN = Outcome(False, f"This test did not run: the grader failed before it, {REGRADED}.",
                  True, 0.0)


def build(assignment: Assignment, outcomes: dict[str, Outcome], *, summary: str,
          seconds: float) -> dict[str, Any]:
    """The results.json document: one entry per rubric item, in rubric order."""
    tests = [_test(number, item, outcomes.get(item.test, NOT_RUN), assignment.visibility)
             for number, item in enumerate(assignment.items, start=1)]
    return {
        "score": round(sum(t["score"] for t in tests), 4),
        "execution_time": round(seconds, 3),
        "output": summary,
        "stdout_visibility": assignment.stdout_visibility,
        "visibility": assignment.visibility,
        "tests": tests,
    }


def _test(number: int, item: Item, outcome: Outcome, visibility: str) -> dict[str, Any]:
    return {
        "name": item.title,
        "number": str(number),
        "score": item.points if outcome.passed else 0,
        "max_score": item.points,
        "status": "passed" if outcome.passed else "failed",
        "output": outcome.message,
        "visibility": visibility,
        "extra_data": {"grader_error": outcome.grader_error, "mistakes": list(outcome.mistakes)},
    }


def grader_errors(outcomes: dict[str, Outcome]) -> list[str]:
    return [name for name, outcome in outcomes.items() if outcome.grader_error]


def is_grader_error(test: dict[str, Any]) -> bool:
    """A results.json test entry that the grader, not the student's code, failed."""
    extra = test.get("extra_data")
    return type(extra) is dict and extra.get("grader_error") is True


def write(path: Path, results: dict[str, Any]) -> None:
    """Write results.json atomically."""
    write_atomic(path, json.dumps(results, indent=2) + "\n")


def table(results: dict[str, Any]) -> str:
    """A plain-text score table for humans."""
    lines = [f"{'#':>3}  {'score':>11}  test"]
    for t in results["tests"]:
        mark = "ok  " if t["status"] == "passed" else "FAIL"
        lines.append(f"{t['number']:>3}  {t['score']:>4g} / {t['max_score']:<4g} {mark} {t['name']}")
    total = sum(t["max_score"] for t in results["tests"])
    lines.append(f"     {results['score']:>4g} / {total:<4g} total")
    return "\n".join(lines)
