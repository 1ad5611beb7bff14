"""Every limit and timeout is defined once, in sandbox/limits.py: the grader's Options,
the Sandbox's defaults and the frame cap all read it."""

from __future__ import annotations

import inspect

from autograder.grade import Options
from autograder.sandbox import limits
from autograder.sandbox.client import Sandbox
from autograder.worker import protocol


def test_grading_and_the_sandbox_share_the_timeouts() -> None:
    defaults = inspect.signature(Sandbox).parameters
    assert Options().call_timeout == defaults["call_timeout"].default == limits.CALL_TIMEOUT
    assert Options().load_timeout == defaults["load_timeout"].default == limits.LOAD_TIMEOUT
    assert limits.LOAD_TIMEOUT == 10.0  # what grading has always used


def test_the_frame_cap_is_the_protocols() -> None:
    assert limits.Limits().max_frame == protocol.DEFAULT_MAX_FRAME
