"""isolation/landlock.py: what a kernel's Landlock ABI offers the worker, and whether an
allowlist reaches into a protected path."""

from __future__ import annotations

from autograder.sandbox.isolation import landlock
from autograder.worker import confine


def test_offered_by_abi() -> None:
    assert landlock.offered(0) == {"nondumpable"}
    assert landlock.offered(5) == {"nondumpable", "landlock-fs"}
    assert landlock.offered(7) == {"nondumpable", "landlock-fs", "landlock-scope"}


def test_protected_inside_allowlist() -> None:
    assert landlock.inside_allowlist(["/a/b"], ["/a"]) == ["/a/b"]
    assert landlock.inside_allowlist(["/a"], ["/a/b/c.so"]) == ["/a"]
    assert landlock.inside_allowlist(["/a/b"], ["/a/bc", "/x"]) == []


def test_the_kernels_abi_is_the_workers() -> None:
    assert landlock.kernel_abi() == confine.abi() >= 0
