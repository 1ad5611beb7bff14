"""batch/graders.py: a Dask worker's warm grading processes, as real subprocesses."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from autograder.batch import graders, jobs
from autograder.batch.discovery import Entry
from autograder.errors import GraderError
from tests import notebooks


def job_for(path: Path) -> jobs.Job:
    return jobs.pack(Entry(path.stem, path.name, path), "linear_classifiers", strict=False)


def test_one_grading_process_grades_one_job_after_another() -> None:
    grader = graders.Grader()
    try:
        assert grader.grade(job_for(notebooks.REFERENCE))["score"] == 100
        assert grader.grade(job_for(notebooks.BLANK))["score"] == 0
        assert grader.process.poll() is None          # still warm for the next one
    finally:
        grader.process.stdin.close()
    assert grader.process.wait(timeout=30) == 0       # end of file: it exits


def test_a_dead_grading_process_is_the_graders_failure_and_not_reused() -> None:
    grader = graders.Grader()
    grader.process.kill()
    grader.process.wait()
    with pytest.raises(GraderError, match="died"):
        grader.grade(job_for(notebooks.REFERENCE))


def test_the_task_reuses_an_idle_process() -> None:
    assert graders.grade(job_for(notebooks.BLANK))["score"] == 0
    warm = graders._idle.get_nowait()
    graders._idle.put(warm)
    assert graders.grade(job_for(notebooks.REFERENCE))["score"] == 100
    assert graders._idle.get_nowait() is warm          # the same process, given back
    assert graders._idle.empty()
    warm.process.stdin.close()


def test_a_job_from_another_grader_version_is_refused() -> None:
    job = dataclasses.replace(job_for(notebooks.REFERENCE), grader="an older grader")
    with pytest.raises(GraderError, match="another version of the grader"):
        graders.grade(job)


def test_an_idle_process_that_died_is_replaced() -> None:
    """A grading process killed while idle (the OOM killer) costs no submission."""
    assert graders.grade(job_for(notebooks.BLANK))["score"] == 0
    dead = graders._idle.get_nowait()
    dead.process.kill()
    dead.process.wait()
    graders._idle.put(dead)
    assert graders.grade(job_for(notebooks.REFERENCE))["score"] == 100
    fresh = graders._idle.get_nowait()
    assert fresh is not dead and fresh.process.poll() is None
    fresh.process.stdin.close()
