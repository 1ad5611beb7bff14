"""batch/jobs.py: a submission packed into a self-contained job, unpacked as it was handed in."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from autograder.batch import jobs
from autograder.batch.discovery import Entry
from autograder.errors import GraderError
from tests import notebooks


def entry(path: Path) -> Entry:
    return Entry("key", path.name, path)


def test_a_folder_travels_as_its_notebooks_only(tmp_path: Path) -> None:
    folder = tmp_path / "submission_1"
    notebooks.build(folder / "work", name="linear_classifiers (2).ipynb")
    (folder / "work" / "data.bin").write_bytes(b"\0" * 4096)      # never graded: stays home
    (folder / ".ipynb_checkpoints").mkdir()
    (folder / ".ipynb_checkpoints" / "old.ipynb").write_text("{}")
    job = jobs.pack(entry(folder), "linear_classifiers", strict=False)
    assert [name for name, _ in job.files] == ["work/linear_classifiers (2).ipynb"]
    path = jobs.unpack(job, tmp_path / "scratch")
    assert path == tmp_path / "scratch" / "submission_1"
    assert ((path / "work" / "linear_classifiers (2).ipynb").read_bytes()
            == (folder / "work" / "linear_classifiers (2).ipynb").read_bytes())


def test_a_single_notebook_keeps_its_name(tmp_path: Path) -> None:
    path = notebooks.build(tmp_path, name="jane doe.ipynb")
    job = jobs.pack(entry(path), "linear_classifiers", strict=True)
    unpacked = jobs.unpack(job, tmp_path / "scratch")
    assert unpacked.name == "jane doe.ipynb" and unpacked.read_bytes() == path.read_bytes()
    assert job.strict and job.grader == jobs.fingerprint("linear_classifiers")


def test_a_missing_submission_is_graded_as_missing(tmp_path: Path) -> None:
    job = jobs.pack(entry(tmp_path / "gone.ipynb"), "linear_classifiers", strict=False)
    assert job.files == ()
    document = jobs.grade_here(job)
    assert document["score"] == 0 and "Nothing was submitted" in document["output"]


def test_unpack_refuses_a_path_outside_its_folder(tmp_path: Path) -> None:
    job = jobs.Job("key", "sub", True, (("../escaped.ipynb", b"{}"),), "linear_classifiers",
                   False, "")
    with pytest.raises(GraderError, match="unsafe path"):
        jobs.unpack(job, tmp_path / "scratch")
    assert not (tmp_path / "escaped.ipynb").exists()


def test_grade_here_grades_the_job(tmp_path: Path) -> None:
    job = jobs.pack(entry(notebooks.REFERENCE), "linear_classifiers", strict=False)
    assert jobs.grade_here(job)["score"] == 100


def test_the_fingerprint_tells_grader_versions_apart() -> None:
    ours = jobs.fingerprint("linear_classifiers")
    assert ours == jobs.fingerprint("linear_classifiers") != jobs.fingerprint("linear_regression")
    assert len(ours) == 16
    assert dataclasses.is_dataclass(jobs.Job)
