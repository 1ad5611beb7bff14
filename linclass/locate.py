"""Which notebook to check and package: the student's, wherever the helper is run from."""

from __future__ import annotations

import json
from pathlib import Path

from linclass.assignment import CODE_FOLDER, GRADED_CELLS, NOTEBOOK, HandinError, grade_ids


def find_notebook(given: Path | None, cwd: Path) -> tuple[Path, list[str]]:
    """The notebook to package and what the student should know about the choice.

    `given`: the path on the command line (a notebook or a folder), or None: then the
    current folder, else the handout folder (the one holding linclass/).
    """
    if given is not None:
        if not given.exists():
            raise HandinError(f"{given} does not exist: give the path of your "
                              f"{NOTEBOOK}, or run this in the folder that holds it")
        return _in_folder(given, []) if given.is_dir() else (given, renamed_notes(given))
    try:
        return _in_folder(cwd, [])
    except HandinError as problem:
        if cwd.resolve() == CODE_FOLDER or not (CODE_FOLDER / NOTEBOOK).is_file():
            raise HandinError(
                f"{problem}. Run this in the handout folder (the one with {NOTEBOOK}, "
                f"linclass/ and data/): cd path/to/linear_classifiers && python submit.py; "
                f"or give the notebook's path: python submit.py path/to/{NOTEBOOK}") from None
    return CODE_FOLDER / NOTEBOOK, [
        (f"you ran this from {cwd}, outside the handout folder: checked the notebook in "
        f"{CODE_FOLDER}")]


def _in_folder(folder: Path, notes: list[str]) -> tuple[Path, list[str]]:
    """`folder`/NOTEBOOK, or the one notebook there that holds this assignment's cells."""
    if (folder / NOTEBOOK).is_file():
        return folder / NOTEBOOK, notes
    ours = [p for p in sorted(folder.glob("*.ipynb")) if _holds_assignment(p)]
    if len(ours) == 1:
        return ours[0], notes + renamed_notes(ours[0])
    if ours:
        raise HandinError(f"no {NOTEBOOK} in {folder}, but {len(ours)} notebooks with this "
                          f"assignment's cells ({', '.join(p.name for p in ours)}): rename the "
                          f"one you worked in to {NOTEBOOK}, or give its path")
    raise HandinError(f"no {NOTEBOOK} in {folder}")


def renamed_notes(path: Path) -> list[str]:
    if path.name == NOTEBOOK:
        return []
    return [(f"your notebook is named {path.name!r}, not {NOTEBOOK!r}: the zip stores it as "
            f"{NOTEBOOK}; rename your file back too (Jupyter: File > Rename) so that the next "
            "submission finds it")]


def _holds_assignment(path: Path) -> bool:
    try:
        return bool(set(grade_ids(json.loads(path.read_text(encoding="utf-8"))))
                    & set(GRADED_CELLS))
    except (OSError, ValueError):
        return False
