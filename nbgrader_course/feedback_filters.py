"""What `nbgrader generate_feedback` must remove before students read their feedback.

nbgrader 0.9.6 shows the hidden tests in the feedback (it renders the autograded notebook,
whose tests cells hold the source version). `ClearHiddenTests` removes the hidden regions from
the cells' sources, but an error's traceback quotes the lines around the failing one, so a
visible check that fails just below a hidden region would still show it: this preprocessor
also drops those lines from the tracebacks.
"""

from __future__ import annotations

import re

from nbformat import NotebookNode
from nbgrader.preprocessors import ClearHiddenTests

ANSI = re.compile(r"\x1b\[[0-9;]*m")
# A source line quoted in an IPython traceback: "      6 code" or "----> 10 code".
QUOTED = re.compile(r"^\s*(?:-+>\s*)?\d+\s?(?P<code>.*)$")


class ClearHiddenTestsFromFeedback(ClearHiddenTests):
    """ClearHiddenTests, and the hidden lines also out of every traceback of the cell."""

    def preprocess_cell(self, cell: NotebookNode, resources: dict, cell_index: int
                        ) -> tuple[NotebookNode, dict]:
        hidden = self.hidden_lines(cell.source)
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if hidden:
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [strip_quoted(entry, hidden)
                                           for entry in output.get("traceback", [])]
        return cell, resources

    def hidden_lines(self, source: str) -> set[str]:
        """The non-blank lines of the cell's hidden regions, delimiters included, stripped."""
        found, inside = set(), False
        for line in source.split("\n"):
            if self.begin_test_delimeter in line:
                inside = True
            if inside and line.strip():
                found.add(line.strip())
            if self.end_test_delimeter in line:
                inside = False
        return found


def strip_quoted(entry: str, hidden: set[str]) -> str:
    """One traceback entry without the quoted source lines that are in `hidden`."""
    return "\n".join(line for line in entry.split("\n") if not _quotes(line, hidden))


def _quotes(line: str, hidden: set[str]) -> bool:
    match = QUOTED.match(ANSI.sub("", line))
    return bool(match) and match["code"].strip() in hidden
