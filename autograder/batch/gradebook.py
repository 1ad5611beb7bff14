"""gradebook.csv: one row per student, as Gradescope's own exports, with per-test scores."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from autograder.batch.discovery import Person
from autograder.report import results
from autograder.report.files import write_atomic
from autograder.spec import Assignment


def write_gradebook(path: Path, rows: list[dict[str, Any]], assignment: Assignment) -> None:
    """One row per student of `rows` (pool.grade_one's), a column per rubric item."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "name", "email", "sid", *(i.test for i in assignment.items), "total",
                     "grading_errors"])
    for row in rows:
        tests = row["document"]["tests"]
        errors = [t["name"] for t in tests if results.is_grader_error(t)]
        # One row per student, as Gradescope's own exports: a group's members share scores.
        for person in row["people"] or (Person(row["identity"]),):
            writer.writerow([row["key"], person.name, person.email, person.sid,
                             *(t["score"] for t in tests), row["document"]["score"],
                             "; ".join(errors)])
    write_atomic(path, buffer.getvalue())
