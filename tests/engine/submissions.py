"""The file a job hands to grade(): a corpus notebook or one of the special submissions."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

from tests import notebooks
from tests.engine.jobs import Job

ROOT = notebooks.ROOT


def readable_secrets(work: Path) -> dict[str, str]:
    """A copy of the solutions and a home with a secret, both open to everyone (0755)."""
    copy, home = work / "copy", work / "home"
    for folder in (copy, home):
        folder.mkdir()
        folder.chmod(0o755)
    shutil.copy(ROOT / "solutions" / "linear_classifiers.ipynb", copy)
    (home / ".lcgrader-secret").write_text("secret\n")
    for path in (copy / "linear_classifiers.ipynb", home / ".lcgrader-secret"):
        path.chmod(0o644)
    return {"__COPY__": str(copy), "__HOME__": str(home)}


def build(job: Job, work: Path, results: Path, shared: Path) -> Path:
    """The submission of `job`, written under `work` (placeholders: tests/corpus)."""
    substitutions = {"__ROOT__": str(ROOT), "__RESULTS__": str(results),
                     "__SHARED__": str(shared), **readable_secrets(work)}
    if job.cases:
        return notebooks.build(work / "submission", job.cases, substitutions=substitutions)
    folder = work / "submission"
    folder.mkdir()
    return special(job.submission, work, folder)


def special(kind: str, work: Path, folder: Path) -> Path:
    """Reference, blank, renamed, several notebooks, a zip, unreadable and missing ones."""
    if kind == "reference":
        return notebooks.REFERENCE
    if kind == "blank":
        return notebooks.BLANK
    if kind == "renamed":
        return notebooks.build(folder, name="linear_classifiers (1).ipynb")
    if kind == "two_notebooks":
        notebooks.build(folder, name="my_work.ipynb")
        scratch = {"cells": [notebooks.code_cell("print('scratch')")], "metadata": {},
                   "nbformat": 4, "nbformat_minor": 5}
        (folder / "scratch.ipynb").write_text(json.dumps(scratch))
        return folder
    if kind == "zip":
        return _zip(work)
    if kind == "not_json":
        path = folder / "linear_classifiers.ipynb"
        path.write_text("def svm_loss_naive(W, X, y, reg):\n    pass\n")
        return path
    if kind == "not_a_notebook":
        path = folder / "linear_classifiers.ipynb"
        path.write_text(json.dumps({"nbformat": 4, "worksheets": []}))
        return path
    if kind == "empty_folder":
        return folder
    if kind == "missing":
        return folder / "nothing_here.ipynb"
    raise ValueError(f"unknown submission {kind!r}")


def _zip(work: Path) -> Path:
    """The reference in a folder of a zip, beside a checkpoint, macOS junk and notes."""
    archive = work / "submission.zip"
    reference = notebooks.build(work / "unzipped")
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(reference, "hw2/linear_classifiers.ipynb")
        zf.writestr("hw2/.ipynb_checkpoints/linear_classifiers-checkpoint.ipynb",
                    notebooks.BLANK.read_text())
        zf.writestr("__MACOSX/hw2/._linear_classifiers.ipynb", b"\x00\x05\x16\x07junk")
        zf.writestr("hw2/notes.txt", "read me")
    return archive
