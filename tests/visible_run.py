"""The notebook's visible checks, case by case, in one real Jupyter kernel (nbclient).

One kernel runs the student notebook's setup and data cells once (on the digits), then
the reference answer cells. For each corpus case it executes the case's cell (and its
helper cells) in place of the answer cell, then the cells that follow that answer up to
the next answer cell (its check cell), and records the first error. Before each case it
deletes every name defined since the setup and re-executes the other reference answers,
so that no case sees what another defined.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbformat import NotebookNode

from linclass.run import kernel_env
from tests.corpus import CELLS, Case
from tests.notebooks import BLANK, REFERENCE, grade_id

ANSI = re.compile(r"\x1b\[[0-9;]*m")
# The names and values after the setup cells; _visible_reset() goes back to them: names
# defined since are deleted, names rebound since get their old values again.
SNAPSHOT = """
def _visible_reset(saved=dict(globals())):
    names = globals()
    for name in set(names) - set(saved) - {"_visible_reset"}:
        del names[name]
    names.update(saved)
"""
RESET = "_visible_reset()"


@dataclass(frozen=True)
class Outcome:
    failed: bool      # a cell raised: what the student sees as a failing visible check
    error: str        # the first error as shown: ename, evalue and traceback, ANSI removed
    stdout: str       # everything printed, the OK lines included


def answer_sources() -> dict[str, str]:
    """grade_id -> the reference source of every answer cell."""
    cells = nbformat.read(REFERENCE, as_version=4).cells
    return {grade_id(c): c.source for c in cells if grade_id(c) in CELLS}


class CheckKernel:
    """A kernel with the notebook's setup done: run(case) -> Outcome."""

    def __init__(self, client: NotebookClient, notebook: NotebookNode) -> None:
        self.client, self.cells = client, notebook.cells
        self.answers = answer_sources()
        self.position = {grade_id(c): i for i, c in enumerate(self.cells) if grade_id(c)}

    def execute(self, source: str) -> NotebookNode:
        cell = nbformat.v4.new_code_cell(source)
        self.client.execute_cell(cell, 0)
        return cell

    def following(self, answer: str) -> list[str]:
        """The code cells after `answer` up to the next answer cell: its checks."""
        sources = []
        for cell in self.cells[self.position[answer] + 1:]:
            if grade_id(cell) in CELLS:
                break
            if grade_id(cell) == "subclasses" or (grade_id(cell) or "").startswith("check_"):
                sources.append(cell.source)
        return sources

    def reset(self, but: str | None = None, others: bool = True) -> None:
        """Forget every name defined since setup; define the reference answers again
        (all but `but`, which the case replaces; none unless `others`) and the
        classifier's subclasses."""
        self.execute(RESET)
        for answer in CELLS:
            if answer != but and others:
                self.execute(self.answers[answer])
        if but != "linear_classifier":
            self.execute(self.cells[self.position["subclasses"]].source)

    def run(self, case: Case, *, alone: bool = False) -> Outcome:
        """The case's cell and helpers, then its check cells; the first error stops.
        `alone`: no other answer is defined (a check needs only its own function)."""
        self.reset(but=case.cell, others=not alone)
        error, stdout = "", []
        for source in (case.source, *case.helpers, *self.following(case.cell)):
            cell = self.execute(source)
            stdout += [o.get("text", "") for o in cell.outputs if o.output_type == "stream"]
            errors = [o for o in cell.outputs if o.output_type == "error"]
            if errors:
                error = _shown(errors[0])
                break
        return Outcome(bool(error), error, "".join(stdout))


def _shown(output: NotebookNode) -> str:
    lines = [f"{output.ename}: {output.evalue}", *output.get("traceback", [])]
    return ANSI.sub("", "\n".join(lines))


@contextmanager
def check_kernel(workdir: Path) -> Iterator[CheckKernel]:
    """The student notebook's cells up to the first answer run once, on the digits."""
    notebook = nbformat.read(BLANK, as_version=4)
    client = NotebookClient(notebook, timeout=120, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(workdir)}})
    with client.setup_kernel(env=kernel_env("digits")):
        kernel = CheckKernel(client, notebook)
        first = kernel.position["svm_loss_naive"]
        for cell in notebook.cells[:first]:
            if cell.cell_type == "code":
                kernel.execute(cell.source)
        kernel.execute(SNAPSHOT)
        yield kernel
