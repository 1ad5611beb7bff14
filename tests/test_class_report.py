"""The class report counts what results.json says, machine-readably, never its wording."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from assignments.linear_classifiers import ASSIGNMENT
from autograder.batch import class_report


def document(score: float, tests: list[tuple[str, bool, list[str], bool]]) -> dict:
    """A results.json document: (title, passed, mistake ids, grader error) per test."""
    return {"score": score, "tests": [
        {"name": name, "status": "passed" if ok else "failed",
         "output": "words the report must not read",
         "extra_data": {"grader_error": error, "mistakes": mistakes}}
        for name, ok, mistakes, error in tests]}


CLASS = [
    document(80, [("loss", True, [], False), ("gradient", False, ["reg_grad_not_doubled"], False)]),
    document(40, [("loss", False, ["no_reg"], False),
                  ("gradient", False, ["reg_grad_not_doubled", "no_reg_grad"], False)]),
    document(100, [("loss", True, [], False), ("gradient", True, [], False)]),
    document(50, [("loss", True, [], False), ("gradient", False, [], True)]),  # grader failed
]


def test_mistakes_are_counted_once_per_submission() -> None:
    report = class_report.build(CLASS, ASSIGNMENT.labels)
    assert report.mistakes == {"reg_grad_not_doubled": 2, "no_reg": 1, "no_reg_grad": 1}


def test_pass_rates_leave_out_the_graders_own_failures() -> None:
    report = class_report.build(CLASS, ASSIGNMENT.labels)
    assert (report.passed, report.graded) == ({"loss": 3, "gradient": 1},
                                              {"loss": 4, "gradient": 3})
    assert report.rate("gradient") == 1 / 3


def test_summary_names_each_mistake_with_its_count() -> None:
    text = class_report.summary(class_report.build(CLASS, ASSIGNMENT.labels))
    assert text.startswith("4 submissions, mean score 67.5, median 65")
    assert f"   2 submissions: {ASSIGNMENT.labels['reg_grad_not_doubled']}" in text
    assert f"   1 submission: {ASSIGNMENT.labels['no_reg']}" in text
    assert "    33%  gradient" in text and "words the report" not in text


def test_csv_has_a_row_per_test_and_per_mistake() -> None:
    report = class_report.build(CLASS, ASSIGNMENT.labels)
    rows = list(csv.reader(io.StringIO(class_report.table(report))))
    assert rows[0] == ["kind", "name", "count", "of", "share"]
    assert ["test", "gradient", "1", "3", "0.333"] in rows
    assert ["mistake", ASSIGNMENT.labels["reg_grad_not_doubled"], "2", "4", "0.500"] in rows


def test_every_file_is_written_and_the_page_is_self_contained(tmp_path: Path) -> None:
    class_report.write(tmp_path, CLASS, ASSIGNMENT.labels)
    page = (tmp_path / "class_report.html").read_text()
    assert "data:image/png;base64," in page and "src='http" not in page
    assert ASSIGNMENT.labels["reg_grad_not_doubled"] in page
    assert (tmp_path / "class_report.png").read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "summary.txt").read_text().startswith("4 submissions")
