"""isolation/libc.py: prctl through libc, and a check run in a fork whose effects stay there."""

from __future__ import annotations

import os

import pytest

from autograder.sandbox.isolation import libc


def test_in_fork_returns_the_exit_code_and_keeps_effects_there() -> None:
    umask = os.umask(0o022)
    os.umask(umask)
    assert libc.in_fork(lambda: 7) == 7
    assert libc.in_fork(lambda: os.umask(0o077) and 0) == 0
    assert os.umask(umask) == umask  # the fork's umask stayed in the fork


def test_prctl_failure_is_an_oserror() -> None:
    with pytest.raises(OSError, match="prctl"):
        libc.prctl(-1)


def test_the_grader_hardens_itself_in_a_fork() -> None:
    done = libc.in_fork(lambda: 0 if "grader-nondumpable" in libc.harden_grader() else 1)
    assert done == 0
