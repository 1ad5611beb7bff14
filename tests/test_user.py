"""isolation/user.py: the dedicated sandbox user (or nobody)."""

from __future__ import annotations

import os

import pytest

from autograder.sandbox import isolation
from autograder.sandbox.isolation import SandboxUser

ROOT = os.geteuid() == 0


def test_sandbox_user() -> None:
    user = isolation.ensure_sandbox_user()
    assert user.uid != 0 and user.gid != 0
    if ROOT:
        assert user.dedicated and user.name == "lcgrader"
    with pytest.raises(ValueError, match="root"):
        isolation.kill_uid(SandboxUser("root", 0, 0, True))
