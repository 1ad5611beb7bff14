"""Submission notebooks for the grader's tests: the reference with some cells replaced.

Plain JSON in, plain JSON out (like the grader reads them), so the nbgrader metadata of
every cell is kept as it is. `build` writes one notebook for one or more corpus cases.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "solutions" / "linear_classifiers.ipynb"
BLANK = ROOT / "assignment" / "linear_classifiers.ipynb"
NAME = "linear_classifiers.ipynb"


def load(path: Path = REFERENCE) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def grade_id(cell: dict) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def lines(source: str) -> list[str]:
    """A cell source as Jupyter stores it: a list of lines, each but the last ending in \\n."""
    return source.splitlines(keepends=True)


def code_cell(source: str) -> dict:
    return {"cell_type": "code", "execution_count": None, "id": None, "metadata": {},
            "outputs": [], "source": lines(source)}


def apply(notebook: dict, case, substitutions: Mapping[str, str] = ()) -> dict:
    """A copy of `notebook` with `case` applied (see tests/corpus/__init__.py: Case).

    The answer cell `case.cell` gets `case.source`; with `case.cell` None, `case.source`
    is a new code cell at `case.at` ("start" or "end"). `case.helpers` become new code
    cells right after the replaced (or added) one. `substitutions` replace placeholders
    such as __RESULTS__ in every source of the case.
    """
    notebook = copy.deepcopy(notebook)
    cells = notebook["cells"]

    def text(source: str) -> str:
        for key, value in dict(substitutions).items():
            source = source.replace(key, value)
        return source

    if case.cell is None:
        index = 0 if case.at == "start" else len(cells)
        cells.insert(index, code_cell(text(case.source)))
    else:
        found = [i for i, cell in enumerate(cells) if grade_id(cell) == case.cell]
        if len(found) != 1:
            raise KeyError(f"the notebook has {len(found)} cells with grade_id {case.cell!r}")
        index = found[0]
        cells[index]["source"] = lines(text(case.source))
        cells[index]["outputs"], cells[index]["execution_count"] = [], None
    for offset, helper in enumerate(case.helpers, start=1):
        cells.insert(index + offset, code_cell(text(helper)))
    for n, cell in enumerate(cells):  # nbformat 4.5 wants unique cell ids
        if cell.get("id", "") is None:
            cell["id"] = f"corpus-{n}"
    return notebook


def build(directory: Path, cases: Iterable = (), *, base: Path = REFERENCE,
          name: str = NAME, substitutions: Mapping[str, str] = ()) -> Path:
    """Write `base` with every case of `cases` applied to directory/name; return the path."""
    notebook = load(base)
    for case in cases:
        notebook = apply(notebook, case, substitutions)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
