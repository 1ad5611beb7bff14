"""isolation/seccomp.py: the filter per architecture, and in force only AF_UNIX sockets."""

from __future__ import annotations

import os
import socket

import pytest

from autograder.sandbox import isolation

SECCOMP_ARCH = os.uname().machine in ("x86_64", "aarch64")


def test_seccomp_program_per_architecture() -> None:
    x86, _ = isolation.seccomp_program("x86_64")
    arm, _ = isolation.seccomp_program("aarch64")
    none, reason = isolation.seccomp_program("riscv64")
    assert len(x86) % 8 == 0 and len(arm) % 8 == 0 and len(x86) == len(arm) + 8  # x32 check
    assert none is None and "riscv64" in reason


def _socket_matrix() -> int:
    """In a forked child with the filter: a bitmask of what went wrong (0 = all as expected)."""
    isolation.SeccompFilter(isolation.seccomp_program()[0]).install()
    bad = 0
    for i, family in enumerate((socket.AF_INET, socket.AF_INET6, socket.AF_NETLINK,
                                socket.AF_PACKET)):
        try:
            socket.socket(family, socket.SOCK_DGRAM).close()
            bad |= 1 << i
        except PermissionError:
            pass
        except OSError:
            bad |= 1 << (i + 8)
    a, b = socket.socketpair(socket.AF_UNIX)
    a.close()
    b.close()
    return bad


@pytest.mark.skipif(not SECCOMP_ARCH, reason="seccomp filter only for x86_64/aarch64")
def test_seccomp_denies_every_family_but_unix() -> None:
    assert isolation.seccomp_probe() == (True, "")
    assert isolation.libc.in_fork(_socket_matrix) == 0
