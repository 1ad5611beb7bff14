"""no-new-privs + a seccomp filter that lets ``socket()`` create only AF_UNIX sockets.

x86_64 and aarch64 (works under Docker's default profile); io_uring, which can open
sockets too, is refused, and so are x32 syscalls.
"""

from __future__ import annotations

import ctypes
import functools
import os
import socket
import struct

from autograder.sandbox.isolation.libc import (
    PR_SET_NO_NEW_PRIVS,
    PR_SET_SECCOMP,
    _libc,
    in_fork,
    prctl,
)

SECCOMP_MODE_FILTER = 2

_AUDIT = {  # machine -> (AUDIT_ARCH_*, __NR_socket, has x32 ABI)
    "x86_64": (0xC000003E, 41, True),
    "aarch64": (0xC00000B7, 198, False),
}
_IO_URING = (425, 426, 427)       # same numbers on both: io_uring can open sockets
_BPF_LD_W_ABS, _BPF_JEQ, _BPF_JGE, _BPF_RET = 0x20, 0x15, 0x35, 0x06
_RET_ALLOW, _RET_ERRNO, _RET_KILL_PROCESS = 0x7FFF0000, 0x00050000, 0x80000000
_EACCES, _ENOSYS = 13, 38


def seccomp_program(machine: str | None = None) -> tuple[bytes | None, str]:
    """The BPF filter (packed ``sock_filter`` array) for this machine, or why there is none."""
    machine = machine or os.uname().machine
    if machine not in _AUDIT:
        return None, f"seccomp: unsupported architecture {machine}"
    arch, nr_socket, x32 = _AUDIT[machine]
    items: list[tuple] = [("ld", 4), ("jeq", arch, None, "kill"), ("ld", 0)]
    if x32:  # x32 syscalls share the arch but set bit 30: refuse them wholesale
        items.append(("jge", 0x40000000, "enosys", None))
    items += [("jeq", nr, "enosys", None) for nr in _IO_URING]
    items += [("jeq", nr_socket, None, "allow"), ("ld", 16),
              ("jeq", socket.AF_UNIX, "allow", "eacces"),
              ("label", "allow"), ("ret", _RET_ALLOW),
              ("label", "eacces"), ("ret", _RET_ERRNO | _EACCES),
              ("label", "enosys"), ("ret", _RET_ERRNO | _ENOSYS),
              ("label", "kill"), ("ret", _RET_KILL_PROCESS)]
    return _assemble(items), ""


def _assemble(items: list[tuple]) -> bytes:
    """Resolve labels into classic-BPF relative jumps; None means fall through."""
    labels, code = {}, []
    for it in items:
        if it[0] == "label":
            labels[it[1]] = len(code)
        else:
            code.append(it)
    out = []
    for pc, it in enumerate(code):
        if it[0] in ("ld", "ret"):
            out.append(struct.pack("=HBBI", _BPF_LD_W_ABS if it[0] == "ld" else _BPF_RET,
                                   0, 0, it[1]))
            continue
        jt, jf = (0 if t is None else labels[t] - pc - 1 for t in it[2:4])
        out.append(struct.pack("=HBBI", _BPF_JEQ if it[0] == "jeq" else _BPF_JGE, jt, jf, it[1]))
    return b"".join(out)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


class SeccompFilter:
    """A filter prepared in the parent; ``install()`` is safe to call after fork."""

    def __init__(self, program: bytes) -> None:
        self._buf = ctypes.create_string_buffer(program, len(program))
        self._prog = _SockFprog(len(program) // 8, ctypes.addressof(self._buf))
        _libc()

    def install(self) -> None:
        """no_new_privs (required for an unprivileged filter), then the filter itself."""
        prctl(PR_SET_NO_NEW_PRIVS, 1)
        prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(self._prog))


@functools.lru_cache(maxsize=1)
def seccomp_probe() -> tuple[bool, str]:
    """Does the filter install here and turn AF_INET into EACCES while AF_UNIX still works?"""
    program, reason = seccomp_program()
    if program is None:
        return False, reason
    filt = SeccompFilter(program)
    code = in_fork(lambda: _seccomp_check(filt))
    reasons = {0: "", 1: "seccomp: filter did not block AF_INET",
               2: "seccomp: could not install the filter", 3: "seccomp: AF_UNIX broken"}
    return code == 0, reasons.get(code, f"seccomp: probe failed ({code})")


def _seccomp_check(filt: SeccompFilter) -> int:
    try:
        filt.install()
    except OSError:
        return 2
    try:
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
        return 1
    except PermissionError:
        pass
    try:
        socket.socket(socket.AF_UNIX, socket.SOCK_STREAM).close()
    except OSError:
        return 3
    return 0
