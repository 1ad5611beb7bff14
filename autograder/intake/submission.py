"""Find the student's notebook in what they handed in: a notebook, a folder or a zip.

Students upload "homework (1).ipynb", several notebooks, or a zip of
their folder. The notebook to grade is the one holding the most of the
assignment's answer cells (by nbgrader grade_id), whatever its name.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from autograder.errors import SubmissionError
from autograder.intake.extraction import grade_id, read_notebook
from autograder.spec import Assignment

MAX_UNZIPPED = 200 * 2**20   # a zip bomb must not fill the grader's disk
MAX_NOTEBOOKS = 50


@dataclass(frozen=True)
class Found:
    notebook: dict
    path: Path
    notes: tuple[str, ...]   # what the student should know about the choice


def locate(path: Path, scratch: Path, assignment: Assignment) -> Found:
    """Pick the notebook to grade; `scratch` receives the contents of a zip."""
    if not path.exists():
        raise SubmissionError(f"Nothing was submitted at {path}.")
    if path.is_file() and zipfile.is_zipfile(path):
        path = unzip(path, scratch)
    candidates = [path] if path.is_file() else notebooks_in(path)
    if not candidates:
        raise SubmissionError(f"No Jupyter notebook (.ipynb) was found in the submission: "
                              f"upload {assignment.notebook}.")
    return choose(candidates, assignment)


def notebooks_in(folder: Path) -> list[Path]:
    found = sorted(p for p in folder.rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts and "__MACOSX" not in p.parts)
    return found[:MAX_NOTEBOOKS]


def choose(candidates: list[Path], assignment: Assignment) -> Found:
    """The candidate with the most graded cells; ties go to the expected file name."""
    scored, problems = [], []
    for path in candidates:
        try:
            notebook = read_notebook(path)
        except SubmissionError as problem:
            problems.append(str(problem))
            continue
        ids = {grade_id(cell) for cell in notebook["cells"] if isinstance(cell, dict)}
        scored.append((len(ids & assignment.answers.keys()), path.name == assignment.notebook,
                       path, notebook))
    if not scored:
        raise SubmissionError(" ".join(problems) + " Upload the .ipynb file that Jupyter saved.")
    count, _, path, notebook = max(scored, key=lambda s: (s[0], s[1], str(s[2])))
    return Found(notebook, path, _notes(count, len(assignment.answers), path, len(scored)))


def _notes(count: int, answers: int, path: Path, readable: int) -> tuple[str, ...]:
    notes = []
    if readable > 1:
        notes.append(f"Several notebooks were submitted; graded {path.name}, which holds the "
                     "most of this assignment's answer cells.")
    if count < answers:
        notes.append(f"{path.name} has {count} of the {answers} answer cells of the "
                     "assignment (were cells deleted or copied into a new notebook?); "
                     "functions are looked up by name in all its code cells.")
    return tuple(notes)


def unzip(archive: Path, scratch: Path) -> Path:
    """Extract only the notebooks of a zip, safely, into `scratch`."""
    try:
        with zipfile.ZipFile(archive) as zf:
            members = [m for m in zf.infolist() if m.filename.endswith(".ipynb")
                       and not m.is_dir()][:MAX_NOTEBOOKS]
            if sum(m.file_size for m in members) > MAX_UNZIPPED:
                raise SubmissionError(f"{archive.name} unpacks to more than 200 MB of notebooks.")
            for index, member in enumerate(members):
                # Our own file names: a member named ../../x must not escape scratch.
                target = scratch / f"{index:02d}" / Path(member.filename).name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(zf.read(member))
    except (zipfile.BadZipFile, OSError) as exc:
        raise SubmissionError(f"{archive.name} is not a readable zip file: {exc}") from exc
    return scratch
