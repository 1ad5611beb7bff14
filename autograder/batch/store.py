"""The batch's output folder, per submission: `<key>/results.json` and `<key>/feedback.txt`.

Only the client (the process running grade-all) writes here, each file atomically, as each
grade comes back: a batch stopped half-way keeps every grade it finished, and the next run
takes them as they are (`graded`) unless told to regrade.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from autograder.batch.discovery import Entry
from autograder.report import results
from autograder.report.files import write_atomic


def graded(out: Path, entry: Entry) -> dict[str, Any] | None:
    """The results a previous run left for `entry`, if whole and free of grader failures
    (those are graded again: they were never the student's)."""
    try:
        document = json.loads((out / entry.key / "results.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    tests = document.get("tests") if isinstance(document, dict) else None
    if not isinstance(tests, list) or not tests or any(map(results.is_grader_error, tests)):
        return None
    return document


def save(out: Path, entry: Entry, document: dict[str, Any]) -> None:
    folder = out / entry.key
    # results.json last: its presence is what marks the submission as graded.
    write_atomic(folder / "feedback.txt", feedback(entry, document))
    results.write(folder / "results.json", document)


def row(entry: Entry, document: dict[str, Any]) -> dict[str, Any]:
    """What the gradebook and the class report read of one submission."""
    return {"key": entry.key, "identity": entry.identity, "people": entry.people,
            "document": document}


def feedback(entry: Entry, document: dict[str, Any]) -> str:
    total = sum(t["max_score"] for t in document["tests"])
    parts = [f"{entry.identity}: {document['score']:g} / {total:g}", results.table(document),
             document.get("output", "")]
    parts += [f"[{t['number']}] {t['name']}\n{t['output']}" for t in document["tests"]
              if t["status"] != "passed"]
    return "\n\n".join(p for p in parts if p) + "\n"
