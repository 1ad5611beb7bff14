"""isolation/plan.py: which layers a machine gets, from what its probes found (pure)."""

from __future__ import annotations

import os
import resource

from autograder.sandbox import isolation
from autograder.sandbox.isolation import Limits, SandboxUser, plan_isolation

ROOT = os.geteuid() == 0
USER = SandboxUser("lcgrader", 999, 995, dedicated=True)
NO_NETNS = (False, "netns: unshare not permitted here")


def fake_filter() -> isolation.SeccompFilter:
    return isolation.SeccompFilter(isolation.seccomp_program("x86_64")[0])


def test_root_with_drop_selects_user_and_fixed_nproc() -> None:
    plan = plan_isolation(Limits(processes=40), euid=0, drop_privileges=True, user=USER,
                          netns=(True, ""), seccomp=(fake_filter(), ""), user_threads=500,
                          pidns=(True, ""))
    assert plan.user == USER and "user:lcgrader(999)" in plan.layers and plan.pidns
    assert {"rlimits", "netns", "pidns", "no-new-privs",
            "seccomp:socket-af_unix-only"} <= set(plan.layers)
    assert dict(plan.rlimits)[resource.RLIMIT_NPROC] == 40 and plan.skipped == []


def test_non_root_keeps_room_for_the_users_own_threads() -> None:
    plan = plan_isolation(Limits(processes=40), euid=1000, drop_privileges=True, user=None,
                          netns=(True, ""), seccomp=(None, "seccomp: unsupported architecture"),
                          user_threads=300)
    assert plan.user is None and "userns+netns" in plan.layers and "rlimits" in plan.layers
    assert dict(plan.rlimits)[resource.RLIMIT_NPROC] == 340
    assert "user drop: not running as root" in plan.skipped
    assert "seccomp: unsupported architecture" in plan.skipped
    assert not any(x.startswith("seccomp:") for x in plan.layers)


def test_root_without_drop_says_nproc_is_not_enforced() -> None:
    plan = plan_isolation(Limits(), euid=0, drop_privileges=False, user=None, netns=NO_NETNS,
                          seccomp=(fake_filter(), ""))
    assert plan.user is None and "rlimits(nproc unenforced: root)" in plan.layers
    assert "user drop: disabled" in plan.skipped and NO_NETNS[1] in plan.skipped


def test_shared_fallback_user_is_flagged() -> None:
    nobody = SandboxUser("nobody", 65534, 65534, dedicated=False)
    plan = plan_isolation(Limits(), euid=0, drop_privileges=True, user=nobody, netns=NO_NETNS,
                          seccomp=(None, "x"))
    assert "user:nobody(65534),shared" in plan.layers
