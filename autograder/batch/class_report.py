"""What to teach again: a class's known mistakes and each test's pass rate.

Reads only the results documents of a batch (each test's status and its
machine-readable `extra_data`: `mistakes`, ids of the assignment's mistakes
(Assignment.labels), and `grader_error`), never the feedback's wording. Writes, in the
batch's folder:
    summary.txt         the scores, the most failed tests, the known mistakes, pass rates
    class_report.csv    one row per test (pass rate) and per known mistake (submissions)
    class_report.png    the score histogram, bars per test and per mistake
    class_report.html   the same, self-contained (the PNG embedded), for a browser
A test the grader itself failed on is left out of that test's pass rate.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import statistics
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.report.files import write_atomic

NAME = "class_report"


@dataclass(frozen=True)
class Report:
    scores: list[float]                  # one per submission
    tests: list[str]                     # test titles, in rubric order
    passed: dict[str, int]               # title -> submissions that passed it
    graded: dict[str, int]               # title -> submissions graded on it (no grader error)
    mistakes: Counter[str]               # mistake id -> submissions that show it
    labels: Mapping[str, str]            # mistake id -> what the instructor reads

    def rate(self, test: str) -> float:
        return self.passed[test] / self.graded[test] if self.graded[test] else 0.0

    def label(self, mistake: str) -> str:
        return self.labels.get(mistake, mistake)


def build(documents: list[dict[str, Any]], labels: Mapping[str, str]) -> Report:
    """The class's figures from its results.json documents; `labels`: Assignment.labels."""
    tests = [t["name"] for t in documents[0]["tests"]] if documents else []
    passed, graded, mistakes = Counter(), Counter(), Counter()
    for document in documents:
        for test in document["tests"]:
            extra = test.get("extra_data") or {}
            if not extra.get("grader_error"):
                graded[test["name"]] += 1
                passed[test["name"]] += test["status"] == "passed"
        mistakes.update({m for t in document["tests"]
                         for m in (t.get("extra_data") or {}).get("mistakes", [])})
    return Report([d["score"] for d in documents], tests, dict(passed), dict(graded), mistakes,
                  labels)


def summary(report: Report) -> str:
    """summary.txt: the scores, then what failed most and which known mistakes, how often."""
    n, scores = len(report.scores), report.scores
    lines = [(f"{n} submissions, mean score {sum(scores) / n:.1f}, median "
             f"{statistics.median(scores):g}"), "", "Most often failed tests:"]
    failed = sorted(report.tests, key=lambda t: report.rate(t))[:10]
    lines += [f"  {report.graded[t] - report.passed[t]:4d}  {t}" for t in failed
              if report.passed[t] < report.graded[t]]
    lines += ["", "Known mistakes across the class:"]
    lines += [f"  {count:4d} submission{'s' if count != 1 else ''}: {report.label(m)}"
              for m, count in report.mistakes.most_common()] or ["  none"]
    lines += ["", "Pass rate per test:"]
    lines += [f"  {report.rate(t):6.0%}  {t}" for t in report.tests]
    return "\n".join(lines) + "\n"


def table(report: Report) -> str:
    """class_report.csv: kind, name, count, out of, share."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["kind", "name", "count", "of", "share"])
    for test in report.tests:
        writer.writerow(["test", test, report.passed[test], report.graded[test],
                         f"{report.rate(test):.3f}"])
    n = len(report.scores)
    for mistake, count in report.mistakes.most_common():
        writer.writerow(["mistake", report.label(mistake), count, n, f"{count / n:.3f}"])
    return buffer.getvalue()


def figure(report: Report) -> bytes:
    """One PNG: the score histogram, the pass rate of every test, the known mistakes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    mistakes = report.mistakes.most_common(15)
    fig, (hist, tests, known) = plt.subplots(
        3, 1, figsize=(10, 4 + 0.22 * (len(report.tests) + len(mistakes))),
        gridspec_kw={"height_ratios": [3, max(len(report.tests), 1) / 3,
                                       max(len(mistakes), 1) / 3 + 0.5]})
    hist.hist(report.scores, bins=range(0, 105, 5), edgecolor="white")
    hist.set(xlabel="score", ylabel="submissions", title=f"{len(report.scores)} submissions")
    hist.yaxis.set_major_locator(MaxNLocator(integer=True))
    rates = [report.rate(t) for t in report.tests]
    tests.barh(report.tests[::-1], rates[::-1], color="tab:green")
    tests.xaxis.set_major_formatter(PercentFormatter(1.0))
    tests.set(xlim=(0, 1), title="pass rate per test")
    tests.tick_params(axis="y", labelsize=7)
    known.barh([report.label(m) for m, _ in mistakes][::-1], [c for _, c in mistakes][::-1],
               color="tab:red")
    known.xaxis.set_major_locator(MaxNLocator(integer=True))
    known.set(xlabel="submissions", title="known mistakes")
    known.tick_params(axis="y", labelsize=7)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90, bbox_inches="tight")   # long labels kept whole
    plt.close(fig)
    return buffer.getvalue()


def page(report: Report, png: bytes) -> str:
    """class_report.html: self-contained, the figure embedded as a data URL."""
    rows = "".join(f"<tr><td>{html.escape(t)}</td><td>{report.passed[t]} / "
                   f"{report.graded[t]}</td><td>{report.rate(t):.0%}</td></tr>"
                   for t in report.tests)
    known = "".join(f"<tr><td>{html.escape(report.label(m))}</td><td>{c}</td></tr>"
                    for m, c in report.mistakes.most_common()) or "<tr><td>none</td></tr>"
    image = base64.b64encode(png).decode("ascii")
    return (f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>Class report</title>"
            f"<style>body{{font-family:sans-serif;max-width:60em}}td{{padding:0 1em}}</style>"
            f"</head><body><h1>Class report</h1><pre>{html.escape(summary(report))}</pre>"
            f"<img alt='score histogram, pass rates and known mistakes' "
            f"src='data:image/png;base64,{image}'>"
            f"<h2>Known mistakes</h2><table><tr><th>mistake</th><th>submissions</th></tr>"
            f"{known}</table><h2>Tests</h2><table><tr><th>test</th><th>passed</th>"
            f"<th>rate</th></tr>{rows}</table></body></html>\n")


def write(out: Path, documents: list[dict[str, Any]], labels: Mapping[str, str]) -> Report:
    """Write summary.txt and the class report's CSV, PNG and HTML into `out`."""
    report = build(documents, labels)
    png = figure(report)
    write_atomic(out / "summary.txt", summary(report))
    write_atomic(out / f"{NAME}.csv", table(report))
    write_atomic(out / f"{NAME}.png", png)
    write_atomic(out / f"{NAME}.html", page(report, png))
    return report
