"""Kernel confinement the worker applies to itself: Landlock, no-new-privs, not dumpable.

Stdlib only (ctypes), Linux only. Used by startup.py before any student code runs,
and by the grader to probe what this kernel offers (``abi()``, a single syscall).

Landlock (mainline since 5.13) needs no privilege: a process restricts itself and
every process it forks, for good. The ABI version says which rights the kernel
knows; a right the ruleset does not *handle* stays allowed, so the handled set is
every right of this ABI, and only the rules below grant any back:

    ABI 1  files: execute, read, write, read dir, make/remove anything
    ABI 2  refer (rename/link across directories)     ABI 3  truncate
    ABI 4  TCP bind/connect (no rule: both denied)    ABI 5  ioctl on devices
    ABI 6  scopes: signals and abstract unix sockets only within the domain
"""

from __future__ import annotations

import ctypes
import os

# Syscall numbers are the same on x86_64 and aarch64 (the generic table from 5.13).
SYS_CREATE_RULESET, SYS_ADD_RULE, SYS_RESTRICT_SELF = 444, 445, 446
CREATE_RULESET_VERSION = 1
RULE_PATH_BENEATH = 1
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_NO_NEW_PRIVS = 1, 4, 38
SIGKILL = 9
# The worker's exit status when it could not start for a passing reason (no process slot
# left for its uid yet): the grader starts it again, as after a foreign kill.
EXIT_TEMPFAIL = 75

EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
REMOVE_DIR, REMOVE_FILE, MAKE_CHAR, MAKE_DIR = 1 << 4, 1 << 5, 1 << 6, 1 << 7
MAKE_REG, MAKE_SOCK, MAKE_FIFO, MAKE_BLOCK, MAKE_SYM = 1 << 8, 1 << 9, 1 << 10, 1 << 11, 1 << 12
REFER, TRUNCATE, IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
NET_BIND_TCP, NET_CONNECT_TCP = 1 << 0, 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1

FS_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 5: (1 << 16) - 1}
FILE_RIGHTS = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV  # allowed on a file
READ = READ_FILE | READ_DIR  # no EXECUTE: nothing is exec'd once the worker runs
WRITE = (WRITE_FILE | REMOVE_DIR | REMOVE_FILE | MAKE_DIR | MAKE_REG | REFER | TRUNCATE)
SCOPE_ABI, NET_ABI = 6, 4


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1  # the kernel's struct is __attribute__((packed)): 12 bytes
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long
_libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong,
                        ctypes.c_ulong]


def _check(result: int, what: str) -> int:
    if result < 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")
    return result


def prctl(option: int, value: int) -> None:
    """prctl(2) with one argument, raising OSError."""
    _check(_libc.prctl(option, value, 0, 0, 0), f"prctl({option})")


def abi() -> int:
    """The kernel's Landlock ABI version; 0 when Landlock is absent or disabled."""
    version = _libc.syscall(ctypes.c_long(SYS_CREATE_RULESET), None, ctypes.c_size_t(0),
                            ctypes.c_uint32(CREATE_RULESET_VERSION))
    return max(int(version), 0)


def handled_fs(version: int) -> int:
    """Every file-system right this ABI knows (ABI 4, 6, 7 add none)."""
    return FS_BY_ABI[max(k for k in FS_BY_ABI if k <= version)] if version >= 1 else 0


def _ruleset(version: int, fs: bool, scope: bool) -> int:
    attr = _RulesetAttr(handled_fs(version) if fs else 0,
                        NET_BIND_TCP | NET_CONNECT_TCP if fs and version >= NET_ABI else 0,
                        SCOPE_SIGNAL | SCOPE_ABSTRACT_UNIX_SOCKET
                        if scope and version >= SCOPE_ABI else 0)
    size = ctypes.sizeof(_RulesetAttr) if version >= SCOPE_ABI else 16 if version >= NET_ABI \
        else 8
    return _check(_libc.syscall(ctypes.c_long(SYS_CREATE_RULESET), ctypes.byref(attr),
                                ctypes.c_size_t(size), ctypes.c_uint32(0)),
                  "landlock_create_ruleset")


def _allow(ruleset: int, path: str, rights: int, version: int) -> None:
    """Grant ``rights`` on ``path`` and everything beneath it (a file: file rights only)."""
    fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    try:
        if not os.path.isdir(path):
            rights &= FILE_RIGHTS
        rule = _PathBeneath(rights & handled_fs(version), fd)
        _check(_libc.syscall(ctypes.c_long(SYS_ADD_RULE), ctypes.c_int(ruleset),
                             ctypes.c_int(RULE_PATH_BENEATH), ctypes.byref(rule),
                             ctypes.c_uint32(0)), f"landlock_add_rule({path})")
    finally:
        os.close(fd)


def _enforce(ruleset: int) -> None:
    """no_new_privs (what lets an unprivileged process restrict itself), then restrict."""
    try:
        prctl(PR_SET_NO_NEW_PRIVS, 1)
        _check(_libc.syscall(ctypes.c_long(SYS_RESTRICT_SELF), ctypes.c_int(ruleset),
                             ctypes.c_uint32(0)), "landlock_restrict_self")
    finally:
        os.close(ruleset)


def restrict(read: list[str], write: list[str]) -> dict:
    """Allow only reading ``read`` and reading+writing ``write`` (paths that exist), and
    scope signals and abstract sockets to this domain (ABI 6+). Returns what was done."""
    version = abi()
    if version < 1:
        raise OSError(0, "Landlock is not available in this kernel")
    ruleset = _ruleset(version, fs=True, scope=True)
    try:
        for paths, rights in ((read, READ), (write, READ | WRITE)):
            for path in dict.fromkeys(p for p in paths if os.path.exists(p)):
                _allow(ruleset, path, rights, version)
    except BaseException:
        os.close(ruleset)
        raise
    _enforce(ruleset)
    return {"abi": version, "read": read, "write": write, "scoped": version >= SCOPE_ABI}


def scope_self(version: int) -> bool:
    """A nested domain that only scopes signals and sockets (a call's fork: it may then
    signal only itself and its own children, never the server). True when applied."""
    if version < SCOPE_ABI:
        return False
    _enforce(_ruleset(version, fs=False, scope=True))
    return True


def die_with_parent() -> None:
    """SIGKILL when the parent process ends."""
    prctl(PR_SET_PDEATHSIG, SIGKILL)


def not_dumpable() -> None:
    """No core dumps, no ptrace and root-owned /proc/PID files for this process and its
    forks (until exec): a call's fork cannot read the server's memory or environment."""
    prctl(PR_SET_DUMPABLE, 0)


def mapped_files() -> list[str]:
    """The files this process has mapped (the loader, libc, libpython, OpenBLAS ...):
    read once before the restriction, they are all a later dlopen of them needs."""
    with open("/proc/self/maps") as f:
        fields = [line.split(None, 5) for line in f]
    paths = {f[5].strip() for f in fields if len(f) == 6}
    return sorted(p for p in paths if p.startswith("/") and os.path.isfile(p))


def allowlist(source: str, work: str, packages: list[str]) -> tuple[list[str], list[str]]:
    """(read, read+write) for the worker: its own copy of worker/ and the submission, the
    standard library, numpy's own folders, the shared libraries already loaded, the
    loader's cache (dlopen of a library by name reads it), the random and null devices;
    its own work folder read+write. Nothing else: no home, no kit, no /proc."""
    here = os.path.dirname(os.path.abspath(__file__))
    stdlib = os.path.dirname(os.__file__)
    read = [here, source, stdlib, *packages, *mapped_files(), "/etc/ld.so.cache",
            "/dev/urandom"]
    return read, [work, "/dev/null"]
