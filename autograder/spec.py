"""What the engine knows of an assignment: only what its folder under assignments/ declares.

An assignment is a package `assignments/<name>/` whose `__init__.py` defines `ASSIGNMENT`,
an `Assignment`. Beside it: `hidden/` (the pytest cases, run in the grader's trusted
process), optionally `probes.py` (what the hidden tests may ask the sandboxed worker to
run) and anything its tests import (a mistakes catalogue, shared cases). The engine
reads nothing else of the homework: no name, cell or path of it appears in autograder/.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from autograder import paths
from autograder.errors import GraderError

# Gradescope: "visible" shows a test at once; "after_published" only once grades are
# published; "hidden" never, and then Gradescope also hides the total score from the
# student.
VISIBILITIES = ("visible", "after_due_date", "after_published", "hidden")
# Mistakes any assignment's feedback may name (autograder/checking/calls.py finds them).
GENERIC_MISTAKES = {
    "unfinished": "function left unfinished (stub, pass, zeros or NotImplementedError)",
    "syntax_error": "cell skipped for a syntax error (Python 2 print, mixed tabs and spaces)",
    "python2": "Python 2 code (xrange, print statement)",
}


@dataclass(frozen=True)
class Item:
    """One rubric line: a hidden test, what it grades and what it is worth."""

    test: str        # the hidden test function's name
    function: str    # what it grades, as the student named it ("f" or "Class.method")
    points: float
    title: str       # what the student reads on Gradescope


@dataclass(frozen=True)
class Assignment:
    """One homework, as its folder declares it (see the module docstring)."""

    folder: Path                            # assignments/<name>/
    notebook: str                           # the file name students hand in
    reference: Path                         # the solutions notebook
    answers: Mapping[str, tuple[str, ...]]  # answer cell's nbgrader grade_id -> names it defines
    items: tuple[Item, ...]                 # the rubric, in the order students read it
    release: Path | None = None             # the student notebook as released (blank), if any
    mistakes: Mapping[str, str] = field(default_factory=dict)  # id -> the class report's words
    # Kit files outside its folder that its package imports (shipped in autograder.zip).
    uses: tuple[Path, ...] = ()
    visibility: str = "visible"
    # The student code's own printing is noise in the feedback and may echo hidden inputs.
    stdout_visibility: str = "hidden"

    def __post_init__(self) -> None:
        graded = {n for names in self.answers.values() for n in names}
        stray = [i.test for i in self.items if i.function.split(".")[0] not in graded]
        bad = {self.visibility, self.stdout_visibility} - set(VISIBILITIES)
        if stray or bad:
            raise GraderError(f"assignment {self.name}: rubric items {stray} grade no answer "
                              f"cell's name, or visibility {sorted(bad)} is not Gradescope's")

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def hidden(self) -> Path:
        return self.folder / "hidden"

    @property
    def probes(self) -> Path | None:
        path = self.folder / "probes.py"
        return path if path.is_file() else None

    @cached_property
    def by_test(self) -> dict[str, Item]:
        return {item.test: item for item in self.items}

    @property
    def total(self) -> float:
        return sum(item.points for item in self.items)

    @property
    def defined(self) -> tuple[str, ...]:
        """Every name the answer cells define: the reference must define them all."""
        return tuple(n for names in self.answers.values() for n in names)

    @property
    def labels(self) -> dict[str, str]:
        """Every mistake id this assignment's feedback may name, with its description."""
        return {**GENERIC_MISTAKES, **self.mistakes}

    def items_of(self, cell: str) -> tuple[Item, ...]:
        """The rubric items that grade what answer cell `cell` defines."""
        names = self.answers.get(cell, ())
        return tuple(i for i in self.items if i.function.split(".")[0] in names)


@cache
def load(name: str | None = None) -> Assignment:
    """The assignment `name` (a folder of assignments/), or the kit's default one."""
    name = name or default_name()
    package = f"{paths.ASSIGNMENTS.name}.{name}"
    try:
        module = importlib.import_module(package)
    except ModuleNotFoundError as exc:
        if exc.name != package:   # the assignment is there; something it imports is not
            raise GraderError(f"assignment {name!r} cannot be loaded: {exc}") from exc
        known = ", ".join(sorted(p.parent.name for p in paths.ASSIGNMENTS.glob("*/__init__.py")))
        raise GraderError(f"no assignment {name!r} in {paths.ASSIGNMENTS} (there: {known})"
                          ) from exc
    assignment = getattr(module, "ASSIGNMENT", None)
    if not isinstance(assignment, Assignment):
        raise GraderError(f"{paths.ASSIGNMENTS / name}/__init__.py defines no ASSIGNMENT")
    return assignment


def default_name() -> str:
    """The assignment the kit grades when none is named: assignments.DEFAULT."""
    return importlib.import_module(paths.ASSIGNMENTS.name).DEFAULT
