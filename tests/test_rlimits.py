"""isolation/rlimits.py: every cap hard (soft == hard) and none missing."""

from __future__ import annotations

import resource

from autograder.sandbox import isolation
from autograder.sandbox.isolation import Limits


def test_rlimits_are_hard_and_complete() -> None:
    lim = dict(isolation.rlimits_for(Limits(address_space=1 << 30, file_size=1 << 20), 9))
    assert lim[resource.RLIMIT_AS] == 1 << 30 and lim[resource.RLIMIT_FSIZE] == 1 << 20
    assert lim[resource.RLIMIT_CORE] == 0 and lim[resource.RLIMIT_NPROC] == 9
    assert resource.RLIMIT_CPU in lim and resource.RLIMIT_NOFILE in lim
