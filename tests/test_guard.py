"""sandbox/guard.py: the folders one sandbox prepares for its worker, and their removal."""

from __future__ import annotations

import os
import stat

from autograder import paths
from autograder.sandbox.guard import ENTRY, WORK_FOLDER, WORKER_FOLDER, Guard, Settings
from autograder.sandbox.limits import Limits
from autograder.worker import messages

PROBES = paths.ASSIGNMENTS / "linear_classifiers" / "probes.py"


def _mode(path: str) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_worker_copy_the_submission_and_the_work_folder() -> None:
    guard = Guard(Settings(Limits()))
    guard.prepare(b"x = 1\n", "submission.py", PROBES)
    try:
        assert _mode(guard.tmp) == 0o711 and _mode(guard.path(WORKER_FOLDER)) == 0o755
        copied = sorted(os.listdir(guard.path(WORKER_FOLDER)))
        assert ENTRY in copied and f"{messages.ASSIGNMENT_PROBES}.py" in copied
        assert {p.name for p in paths.WORKER.glob("*.py")} < set(copied)
        with open(guard.path(WORKER_FOLDER, f"{messages.ASSIGNMENT_PROBES}.py"), "rb") as f:
            assert f.read() == PROBES.read_bytes()
        with open(guard.path("submission.py"), "rb") as f:
            assert f.read() == b"x = 1\n"
        assert _mode(guard.path("submission.py")) == 0o644
        work = os.stat(guard.path(WORK_FOLDER))
        assert stat.S_IMODE(work.st_mode) == 0o700
        owner = guard.plan.user.uid if guard.plan.user else os.geteuid()
        assert work.st_uid == owner
        assert "process" in guard.layers and guard.layers[-1].startswith("cleanup:")
    finally:
        guard.close()
    assert not os.path.exists(guard.tmp)


def test_without_assignment_probes_only_the_workers_files() -> None:
    guard = Guard(Settings(Limits()))
    guard.prepare(b"{}", "submission.json", None)
    try:
        assert sorted(os.listdir(guard.path(WORKER_FOLDER))) == sorted(
            p.name for p in paths.WORKER.glob("*.py"))
        assert os.path.isfile(guard.path("submission.json"))
    finally:
        guard.close()
