"""isolation/namespaces.py: where unshare is allowed, a fork gets a network namespace of
its own (and with it a PID namespace); the probe says so either way."""

from __future__ import annotations

import os

from autograder.sandbox.isolation import libc, namespaces


def _own_netns(as_root: bool, parent: str | None) -> int:
    namespaces.enter_netns(as_root, (os.getuid(), os.getgid()))
    return 0 if namespaces.netns_of(os.getpid()) != parent else 1


def test_the_probe_and_a_real_unshare_agree() -> None:
    as_root = os.geteuid() == 0
    here = namespaces.netns_of(os.getpid())
    assert here is not None and here.startswith("net:[")
    ok, reason = namespaces.netns_probe(as_root)
    code = libc.in_fork(lambda: _own_netns(as_root, here))
    assert (code == 0) == ok and (reason == "") == ok
