"""Notebook -> the student's definitions, without running their experiments.

From every code cell we keep the imports, function and class definitions and
constant assignments, so that a helper defined in another cell counts, while a
slow or broken training or plotting cell never runs during grading. Nothing
here executes student code: it only parses it.
"""

from __future__ import annotations

import ast
import builtins
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from autograder.errors import SubmissionError
from autograder.intake.magics import PYTHON_BODY, cell_magic, may_have_escapes, to_python
from autograder.worker.messages import Chunks

_DEFINITIONS = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_BUILTINS = frozenset(dir(builtins))
# `from M import f` makes f callable in constants only for these: importing a
# helper from the notebook's own packages (`from data import load_dataset`) must
# not make `data = load_dataset()` look like a constant.
# Imports that only serve the notebook's data loading and plots, or the nbgrader bridge of
# its hidden test cells: skipped, because graded functions never need them and matplotlib
# alone costs ~0.4 s per worker.
_NOTEBOOK_ONLY = frozenset({"matplotlib", "linclass", "data", "autograder", "threadpoolctl",
                            "IPython", "tqdm", "seaborn"})
# What a cell that does not parse seems to define: its unindented def and class lines.
_DEFINED = re.compile(r"^(?:async[ \t]+)?(?:def|class)[ \t]+([A-Za-z_]\w*)", re.MULTILINE)
_PURE_MODULES = frozenset({"numpy", "math", "cmath", "itertools", "functools", "operator",
                           "collections", "fractions", "decimal", "string", "re", "typing"})


@dataclass(frozen=True)
class Chunk:
    """One top-level statement kept from a cell: run separately, so one failure stays local."""

    cell: int            # index of the cell in the notebook
    grade_id: str | None
    line: int            # first line of the statement within its cell (1-based)
    source: str


@dataclass(frozen=True)
class Skipped:
    """A cell not loaded at all, and the functions and classes it seems to define."""

    names: frozenset[str]
    reason: str           # "Cell 12 was skipped: syntax error at line 4: ..."


@dataclass(frozen=True)
class Extraction:
    chunks: tuple[Chunk, ...]
    notes: tuple[str, ...]     # cells skipped and why, shown to the student
    future: tuple[str, ...] = ()  # `from __future__ import` features, for every chunk
    skipped: tuple[Skipped, ...] = ()

    def why_missing(self, name: str) -> str | None:
        """Why `name` (a function, or "Class.method") may be missing: its cell's note."""
        root = name.split(".")[0]
        return next((s.reason for s in reversed(self.skipped) if root in s.names), None)


def read_notebook(path: Path) -> dict:
    """Parse a notebook file as plain JSON (nbformat's validation is too slow here)."""
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SubmissionError(f"{path.name} is not a readable notebook: {exc}") from exc
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise SubmissionError(f"{path.name} is not a Jupyter notebook (no list of cells)")
    return notebook


def cell_source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def grade_id(cell: dict) -> str | None:
    meta = cell.get("metadata")
    nbgrader = meta.get("nbgrader") if isinstance(meta, dict) else None
    value = nbgrader.get("grade_id") if isinstance(nbgrader, dict) else None
    return value if isinstance(value, str) else None


def extract(notebook: dict) -> Extraction:
    """Keep the definitions of every code cell, in notebook order."""
    chunks: list[Chunk] = []
    notes: list[str] = []
    scope = _Scope()
    future: set[str] = set()
    skipped: list[Skipped] = []
    for index, cell in enumerate(notebook["cells"]):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source, tree, note = _parse(cell_source(cell), index)
        if note:
            notes.append(note)
        if tree is None:
            skipped.append(Skipped(frozenset(_DEFINED.findall(source)), note or ""))
        else:
            future.update(_future_features(tree))
            chunks.extend(_kept(tree, source, index, grade_id(cell), scope))
    return Extraction(tuple(chunks), tuple(notes), tuple(sorted(future)), tuple(skipped))


def _future_features(tree: ast.Module) -> set[str]:
    return {alias.name for node in tree.body if isinstance(node, ast.ImportFrom)
            and node.module == "__future__" for alias in node.names}


@dataclass
class _Scope:
    names: set[str] = field(default_factory=set)      # bound by kept statements so far
    callers: set[str] = field(default_factory=set)    # roots that constants may call


def _parse(source: str, index: int) -> tuple[str, ast.Module | None, str | None]:
    """Parse a cell as IPython would run it: magics and shell escapes become `pass`."""
    magic, source = cell_magic(source)
    if magic is not None and magic not in PYTHON_BODY:
        return source, None, f"Cell {index} was skipped: it is a %%{magic} cell magic"
    try:
        return source, ast.parse(source), None
    except SyntaxError as exc:
        error = exc
    if may_have_escapes(source):
        source = to_python(source)
        try:
            return source, ast.parse(source), None
        except SyntaxError as exc:
            error = exc
    return source, None, syntax_note(index, error)


def syntax_note(index: int, error: SyntaxError) -> str:
    """Which cell, which line and Python's own words (a Python 2 print, mixed tabs ...)."""
    return f"Cell {index} was skipped: syntax error at line {error.lineno}: {error.msg}"


def _kept(tree: ast.Module, source: str, index: int, gid: str | None,
          scope: _Scope) -> list[Chunk]:
    lines = source.split("\n")
    kept = []
    for node in tree.body:
        if _is_skipped_import(node):
            continue
        if not (isinstance(node, _DEFINITIONS) or _is_constant(node, scope)):
            continue
        scope.names.update(_bound_names(node))
        if isinstance(node, ast.Import) or (
                isinstance(node, ast.ImportFrom) and _root(node.module) in _PURE_MODULES):
            scope.callers.update(_bound_names(node))
        start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
        text = "\n".join(lines[start - 1:node.end_lineno])
        if node.col_offset or _shares_line(node, tree):
            text = ast.unparse(node)  # `a = 1; b = f()`: keep only this statement
        kept.append(Chunk(index, gid, start, text))
    return kept


def _is_skipped_import(node: ast.stmt) -> bool:
    if isinstance(node, ast.ImportFrom):
        return node.module == "__future__" or _root(node.module) in _NOTEBOOK_ONLY
    return isinstance(node, ast.Import) and all(
        _root(alias.name) in _NOTEBOOK_ONLY for alias in node.names)


def _shares_line(node: ast.stmt, tree: ast.Module) -> bool:
    return any(other is not node and other.lineno <= node.end_lineno
               and other.end_lineno >= node.lineno for other in tree.body)


def _is_constant(node: ast.stmt, scope: _Scope) -> bool:
    """An assignment computed only from literals, builtins and names kept so far.

    Calls go only to builtins and imported modules such as numpy, never to the
    notebook's own functions or classes, so `svm = LinearSVM()` is not run.
    """
    if not isinstance(node, (ast.Assign, ast.AnnAssign)) or node.value is None:
        return False
    if isinstance(node.value, ast.Lambda):
        return True  # `f = lambda x: ...` is a definition: its body runs only when called
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    if not all(isinstance(n, (ast.Name, ast.Tuple, ast.List, ast.Starred, ast.Store))
               for t in targets for n in ast.walk(t)):
        return False  # `plt.rcParams[k] = v` changes another object: not a constant
    for sub in ast.walk(node.value):
        if isinstance(sub, ast.Name) and sub.id not in scope.names | _BUILTINS:
            return False
        if isinstance(sub, ast.Call) and not _may_call(sub.func, scope):
            return False
        if isinstance(sub, (ast.Lambda, ast.NamedExpr, ast.Await, ast.Yield, ast.YieldFrom)):
            return False
    return True


def _may_call(func: ast.expr, scope: _Scope) -> bool:
    while isinstance(func, (ast.Attribute, ast.Call, ast.Subscript)):
        func = func.func if isinstance(func, ast.Call) else func.value
    return isinstance(func, ast.Name) and (func.id in scope.callers or func.id in _BUILTINS)


def _root(module: str | None) -> str:
    return (module or "").split(".")[0]


def _bound_names(node: ast.stmt) -> set[str]:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}


def worker_source(extraction: Extraction) -> Chunks:
    """What the extraction kept, chunk by chunk: the worker runs each on its own (named
    after its cell, at its line), so a failing chunk does not stop the ones after it."""
    pieces = tuple((f"cell {c.cell}", "\n" * (c.line - 1) + c.source) for c in extraction.chunks)
    return Chunks(pieces, extraction.future)
