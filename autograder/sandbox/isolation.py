"""Isolation layers for the untrusted worker (trusted side; Linux only).

``make_plan()`` decides which layers this machine supports and returns a ``Plan``
whose ``apply()`` runs in the worker between fork and exec (``preexec_fn``):

* a separate process with a clean environment and a fresh cwd (always);
* rlimits: CPU, address space, file size, open files, processes, no core dumps;
* as root: a dedicated unprivileged user (``lcgrader``, else ``nobody``), so the
  hidden tests, the reference and the results are out of reach and every
  process of the submission can be killed with one ``kill(-1)`` as that user;
* no-new-privs + a seccomp filter that lets ``socket()`` create only AF_UNIX
  sockets (x86_64 and aarch64; works under Docker's default profile);
* a new network namespace, and with it a PID namespace whose pid 1 is the worker
  server (harness.py forks into it), when a start-up probe shows ``unshare`` is allowed.

The worker then confines itself before any student code runs (worker/confine.py:
Landlock's allowlist and scopes, not dumpable) and reports it in its hello.

The grader itself is made non-dumpable (a same-uid worker cannot ptrace it or
read its /proc files) and a child subreaper (orphans come back to it).
``kill_all()`` removes every process a worker left behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import functools
import json
import os
import pwd
import resource
import shutil
import signal
import socket
import struct
import subprocess
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

DEFAULT_USER = "lcgrader"
TOKEN_VAR = "LCGRADER_SANDBOX"
LOCK_DIR = "/run/lcgrader"

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_SECCOMP = 22
PR_SET_CHILD_SUBREAPER = 36
PR_SET_NO_NEW_PRIVS = 38
SECCOMP_MODE_FILTER = 2
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000


@dataclass(frozen=True)
class Limits:
    """Resource caps for the worker (per process, as rlimits are)."""

    cpu_seconds: int = 300          # the server's whole life; a call also gets its own cap
    # RLIMIT_AS. Gradescope's default container has 768 MB for everything: a worker
    # capped at 512 MB of address space peaked at ~400 MB resident in a memory bomb.
    # One BLAS thread keeps numpy's own mappings small enough to fit.
    address_space: int = 512 << 20
    file_size: int = 16 << 20
    open_files: int = 128
    processes: int = 64             # RLIMIT_NPROC: threads of the uid; root ignores it
    output_chars: int = 64 << 10    # captured stdout+stderr kept per call
    max_frame: int = 64 << 20       # protocol frame cap, both directions


@dataclass(frozen=True)
class SandboxUser:
    """The account the worker runs as; ``dedicated`` = nothing else runs under it."""

    name: str
    uid: int
    gid: int
    dedicated: bool


# ---------------------------------------------------------------- libc access

@functools.lru_cache(maxsize=1)
def _libc() -> ctypes.CDLL:
    """libc with argtypes set once, so the preexec child only calls, never looks up."""
    libc = ctypes.CDLL(None, use_errno=True)
    ul = ctypes.c_ulong
    libc.prctl.argtypes = [ctypes.c_int, ul, ul, ul, ul]
    libc.prctl.restype = ctypes.c_int
    libc.unshare.argtypes = [ctypes.c_int]
    libc.unshare.restype = ctypes.c_int
    return libc


def prctl(option: int, a2: int = 0, a3: int = 0) -> None:
    """prctl(2), raising OSError on failure."""
    if _libc().prctl(option, a2, a3, 0, 0) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"prctl({option}): {os.strerror(err)}")


def unshare(flags: int) -> None:
    """unshare(2) (os.unshare is 3.12+)."""
    if _libc().unshare(flags) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"unshare: {os.strerror(err)}")


def harden_grader() -> list[str]:
    """Make THIS (grader) process non-dumpable and a child subreaper; return what worked."""
    done = []
    for option, value, layer in ((PR_SET_DUMPABLE, 0, "grader-nondumpable"),
                                 (PR_SET_CHILD_SUBREAPER, 1, "grader-subreaper")):
        with contextlib.suppress(OSError):
            prctl(option, value)
            done.append(layer)
    return done


# ---------------------------------------------------------------- user

def ensure_sandbox_user(name: str = DEFAULT_USER) -> SandboxUser:
    """The dedicated system user, created if absent and possible; else ``nobody``."""
    pw = _getpw(name) or _create_user(name)
    if pw is not None and pw.pw_uid != 0 and pw.pw_gid != 0:
        return SandboxUser(name, pw.pw_uid, pw.pw_gid, dedicated=True)
    nobody = pwd.getpwnam("nobody")
    return SandboxUser("nobody", nobody.pw_uid, nobody.pw_gid, dedicated=False)


def _getpw(name: str) -> pwd.struct_passwd | None:
    try:
        return pwd.getpwnam(name)
    except KeyError:
        return None


def _create_user(name: str) -> pwd.struct_passwd | None:
    """useradd --system: no home, no login shell, its own group."""
    tool = shutil.which("useradd", path=os.pathsep.join(
        [os.environ.get("PATH", ""), "/usr/sbin", "/sbin"]))
    if tool is None or os.geteuid() != 0:
        return None
    cmd = [tool, "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
           "--shell", "/usr/sbin/nologin", name]
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        subprocess.run(cmd, check=False, capture_output=True, timeout=30)
    return _getpw(name)


def drop_to(user: SandboxUser) -> None:
    """setgroups([]) + setgid + setuid: real, effective and saved ids all change (as root)."""
    os.setgroups([])
    os.setgid(user.gid)
    os.setuid(user.uid)


# ---------------------------------------------------------------- seccomp

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
    code = _in_fork(lambda: _seccomp_check(filt))
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


def _in_fork(fn: Callable[[], int]) -> int:
    """Run ``fn`` in a forked child (so its process-wide effects stay there); its exit code."""
    pid = os.fork()
    if pid == 0:
        code = 99
        try:
            code = fn()
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


# ---------------------------------------------------------------- namespaces

@functools.lru_cache(maxsize=4)
def netns_probe(as_root: bool, pid: bool = False) -> tuple[bool, str]:
    """Can a worker get its own network (and PID) namespace here (Docker usually says no)?"""
    ids = (os.getuid(), os.getgid())
    code = _in_fork(lambda: _try_netns(as_root, ids, pid))
    if code == 0:
        return True, ""
    return False, f"{'pidns' if pid else 'netns'}: unshare not permitted here"


def _try_netns(as_root: bool, ids: tuple[int, int], pid: bool) -> int:
    try:
        enter_netns(as_root, ids, pid)
    except OSError:
        return 1
    return 0


def enter_netns(as_root: bool, ids: tuple[int, int], pid: bool = False) -> None:
    """New network namespace, and a PID one if asked; without root via a user namespace
    mapping our own ids. The PID namespace holds only the exec'd process's children:
    the worker forks once at start, and that child is its namespace's pid 1."""
    extra = CLONE_NEWPID if pid else 0
    if as_root:
        unshare(CLONE_NEWNET | extra)
        return
    unshare(CLONE_NEWUSER | CLONE_NEWNET | extra)
    # A non-dumpable process (we inherit that from the grader) has root-owned /proc files:
    # be dumpable just long enough to write our own id maps. exec() resets it anyway.
    prctl(PR_SET_DUMPABLE, 1)
    try:
        for name, text in (("setgroups", "deny"), ("uid_map", f"{ids[0]} {ids[0]} 1"),
                           ("gid_map", f"{ids[1]} {ids[1]} 1")):
            fd = os.open(f"/proc/self/{name}", os.O_WRONLY)
            try:
                os.write(fd, text.encode())
            finally:
                os.close(fd)
    finally:
        prctl(PR_SET_DUMPABLE, 0)


# ---------------------------------------------------------------- the plan

@dataclass
class Plan:
    """What ``apply()`` does in the worker between fork and exec, and what it amounts to."""

    user: SandboxUser | None
    rlimits: list[tuple[int, int]]
    netns: bool = False
    pidns: bool = False             # with netns only: one unshare() makes both
    netns_as_root: bool = True
    seccomp: SeccompFilter | None = None
    layers: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    ids: tuple[int, int] = (0, 0)

    def apply(self) -> None:
        """preexec_fn, between fork and exec. The order is forced:

        1. unshare first: as root it needs CAP_SYS_ADMIN, which the drop below removes;
           without root the user namespace maps our own ids, so no id may change before.
        2. rlimits before the drop: as root they may be set above the current hard limits.
        3. the drop (setgroups, setgid, setuid), then pdeathsig: a uid change clears it.
        4. seccomp last of all, with no-new-privs (which an unprivileged filter requires).
        Landlock comes after exec, in the worker itself (worker/confine.py): exec needs the
        interpreter to be executable, and the worker grants no execute right at all; its
        rules name paths only the started interpreter knows (its stdlib, numpy, the loaded
        libraries). It restricts itself before any student code runs.
        """
        if self.netns:
            enter_netns(self.netns_as_root, self.ids, self.pidns)
        for res, value in self.rlimits:
            hard = resource.getrlimit(res)[1]  # without root we may only lower a hard limit
            if hard != resource.RLIM_INFINITY and os.geteuid() != 0:
                value = min(value, hard)
            resource.setrlimit(res, (value, value))
        if self.user is not None:
            drop_to(self.user)
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if self.seccomp is not None:
            self.seccomp.install()
        os.umask(0o077)


def rlimits_for(limits: Limits, nproc: int) -> list[tuple[int, int]]:
    """(resource, value) pairs; soft == hard so the student cannot raise them."""
    return [(resource.RLIMIT_CPU, limits.cpu_seconds),
            (resource.RLIMIT_AS, limits.address_space),
            (resource.RLIMIT_FSIZE, limits.file_size),
            (resource.RLIMIT_NOFILE, limits.open_files),
            (resource.RLIMIT_NPROC, nproc),
            (resource.RLIMIT_CORE, 0)]


def plan_isolation(limits: Limits, *, euid: int, drop_privileges: bool,
                   user: SandboxUser | None, netns: tuple[bool, str],
                   seccomp: tuple[SeccompFilter | None, str], user_threads: int = 0,
                   pidns: tuple[bool, str] = (False, "pidns: not tried")) -> Plan:
    """Pure layer selection from what the probes found (unit-testable)."""
    privileged = euid == 0 and drop_privileges and user is not None
    layers = ["process", "clean-env", "fresh-cwd"]
    skipped = []
    # RLIMIT_NPROC counts every thread of the real uid: without a drop, leave room for ours.
    nproc = limits.processes if privileged else user_threads + limits.processes
    layers.append("rlimits" if privileged or euid != 0 else "rlimits(nproc unenforced: root)")
    if privileged:
        layers.append(f"user:{user.name}({user.uid})" + ("" if user.dedicated else ",shared"))
    else:
        skipped.append("user drop: " + ("disabled" if euid == 0 else "not running as root"))
    if netns[0]:
        layers.append("netns" if euid == 0 else "userns+netns")
    else:
        skipped.append(netns[1])
    if netns[0] and pidns[0]:
        layers.append("pidns")
    else:
        skipped.append(pidns[1])
    if seccomp[0] is not None:
        layers += ["no-new-privs", "seccomp:socket-af_unix-only"]
    else:
        skipped.append(seccomp[1])
    layers.append("pdeathsig")
    return Plan(user=user if privileged else None, rlimits=rlimits_for(limits, nproc),
                netns=netns[0], pidns=netns[0] and pidns[0], netns_as_root=euid == 0,
                seccomp=seccomp[0],
                layers=layers, skipped=skipped, ids=(os.getuid(), os.getgid()))


def make_plan(limits: Limits, *, drop_privileges: bool = True,
              user_name: str = DEFAULT_USER) -> Plan:
    """Probe this machine and choose the layers."""
    euid = os.geteuid()
    user = ensure_sandbox_user(user_name) if euid == 0 and drop_privileges else None
    ok, reason = seccomp_probe()
    filt = SeccompFilter(seccomp_program()[0]) if ok else None
    threads = 0 if user is not None else count_threads(os.getuid())
    return plan_isolation(limits, euid=euid, drop_privileges=drop_privileges, user=user,
                          netns=netns_probe(euid == 0), seccomp=(filt, reason),
                          pidns=netns_probe(euid == 0, pid=True),
                          user_threads=threads)


def clean_env(home: str, token: str) -> dict[str, str]:
    """The worker's whole environment: nothing inherited, BLAS pinned to one thread."""
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": home, "TMPDIR": home,
           "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "MPLBACKEND": "Agg", TOKEN_VAR: token}
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS"):
        env[var] = "1"
    return env


# ---------------------------------------------------------------- protected paths

def expand_paths(paths: Iterable[str | os.PathLike], limit: int = 2000) -> list[str]:
    """Existing paths plus everything under the directories among them (bounded)."""
    out: list[str] = []
    for p in map(os.fspath, paths):
        if not os.path.lexists(p):
            continue
        out.append(p)
        if os.path.isdir(p) and not os.path.islink(p):
            for root, dirs, files in os.walk(p):
                out += [os.path.join(root, n) for n in dirs + files]
                if len(out) >= limit:
                    return out[:limit]
    return out[:limit]


def _can_touch(path: str) -> bool:
    """Readable (a dir: listable) or writable by the current real uid."""
    if os.access(path, os.W_OK, follow_symlinks=False) or (
            os.path.isdir(path) and os.access(path, os.W_OK)):
        return True
    try:
        if os.path.isdir(path):
            os.listdir(path)
        else:
            os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY))
    except OSError:
        return False
    return True


def readable_paths(paths: Iterable[str | os.PathLike], user: SandboxUser | None) -> list[str]:
    """Which of ``paths`` (recursively) the worker's account can read or write: should be none."""
    candidates = expand_paths(paths)
    if not candidates or user is None:
        return [p for p in candidates if _can_touch(p)]
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(r)
            drop_to(user)
            os.write(w, json.dumps([p for p in candidates if _can_touch(p)]).encode())
        finally:
            os._exit(0)
    os.close(w)
    with os.fdopen(r, "rb") as f:
        data = f.read()
    os.waitpid(pid, 0)
    try:
        return json.loads(data)
    except ValueError:
        return candidates  # could not check: assume the worst


# ---------------------------------------------------------------- killing

@dataclass(frozen=True)
class Proc:
    """One line of the process table."""

    pid: int
    ppid: int
    sid: int
    state: str
    uid: int
    threads: int


def scan_processes() -> dict[int, Proc]:
    """The process table from /proc (real uid from status, which non-dumpable can't hide)."""
    out = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
            with open(f"/proc/{name}/status", "rb") as f:
                status = f.read()
        except OSError:
            continue
        rest = stat[stat.rindex(b")") + 2:].split()
        uid = int(status.split(b"\nUid:")[1].split()[0])
        threads = int(status.split(b"\nThreads:")[1].split()[0])
        out[int(name)] = Proc(int(name), int(rest[1]), int(rest[3]), rest[0].decode(), uid,
                              threads)
    return out


def count_threads(uid: int) -> int:
    """Threads of ``uid``: what RLIMIT_NPROC counts."""
    return sum(p.threads for p in scan_processes().values() if p.uid == uid)


def _has_token(pid: int, token: bytes) -> bool:
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            return token in f.read().split(b"\0")
    except OSError:
        return False


def netns_of(pid: int) -> str | None:
    """The network namespace of ``pid`` (e.g. ``net:[4026532]``), if we may look."""
    try:
        return os.readlink(f"/proc/{pid}/ns/net")
    except OSError:
        return None


def _marked(p: Proc, spec: KillSpec, token: bytes) -> bool:
    """Carries the sandbox's token, or lives in the sandbox's own network namespace."""
    if p.uid != spec.env_uid:
        return False
    return _has_token(p.pid, token) or (spec.netns is not None and netns_of(p.pid) == spec.netns)


@dataclass(frozen=True)
class KillSpec:
    """How to recognise a worker's processes."""

    root_pid: int                   # the worker server (also its session id)
    token: str                      # TOKEN_VAR value in their environment
    env_uid: int                    # whose environments / namespaces are worth reading
    sweep_user: SandboxUser | None  # dedicated uid we hold exclusively: kill(-1) as it
    netns: str | None = None        # the worker's own network namespace, if it got one


def _select(procs: dict[int, Proc], spec: KillSpec, known: set[int]) -> set[int]:
    """Known pids, the worker's session, marked ones, the swept uid, and all their children."""
    me = os.getpid()
    token = f"{TOKEN_VAR}={spec.token}".encode()
    sweep_uid = spec.sweep_user.uid if spec.sweep_user else None
    found = {p.pid for p in procs.values() if p.pid in known or p.sid == spec.root_pid
             or p.uid == sweep_uid or _marked(p, spec, token)}
    grew = True
    while grew:
        more = {p.pid for p in procs.values() if p.ppid in found and p.pid not in found}
        found |= more
        grew = bool(more)
    return found - {me, 1, 0}


def kill_uid(user: SandboxUser) -> None:
    """kill(-1, SIGKILL) as the sandbox user: every process of that uid dies at once."""
    if user.uid == 0:
        raise ValueError("refusing to kill(-1) as root")
    pid = os.fork()
    if pid == 0:
        try:
            os.setgid(user.gid)
            os.setuid(user.uid)
            # Never as anyone else: kill(-1) as root would take the machine down.
            if os.getuid() == os.geteuid() == user.uid:
                os.kill(-1, signal.SIGKILL)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def kill_all(spec: KillSpec, timeout: float = 5.0, keep_zombie: int | None = None) -> list[int]:
    """SIGKILL every process of the worker until none is left; return survivors (if any)."""
    known = {spec.root_pid}
    deadline = time.monotonic() + timeout
    delay = 0.001
    while True:
        if spec.sweep_user is not None:
            kill_uid(spec.sweep_user)
        procs = scan_processes()
        known |= _select(procs, spec, known)
        live = [pid for pid in known if pid in procs and procs[pid].state not in "ZX"]
        for pid in live:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        _reap(procs, known, keep_zombie)
        if not live or time.monotonic() > deadline:
            return live
        time.sleep(delay)
        delay = min(delay * 2, 0.05)


def _reap(procs: dict[int, Proc], pids: set[int], keep: int | None) -> None:
    """Reap our own dead children among ``pids`` (orphans came to us as subreaper)."""
    me = os.getpid()
    for pid in pids:
        p = procs.get(pid)
        if p is not None and p.ppid == me and p.state in "ZX" and pid != keep:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)


class UidLease:
    """A shared flock per sandbox uid: kill(-1) is allowed only while nobody else holds it."""

    def __init__(self, uid: int, lock_dir: str = LOCK_DIR) -> None:
        os.makedirs(lock_dir, mode=0o700, exist_ok=True)
        st = os.lstat(lock_dir)
        if st.st_uid != os.geteuid() or st.st_mode & 0o077:
            raise PermissionError(f"{lock_dir} is not private to the grader")
        flags = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW
        self.fd = os.open(os.path.join(lock_dir, f"uid-{uid}.lock"), flags, 0o600)
        fcntl.flock(self.fd, fcntl.LOCK_SH)

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[bool]:
        """Yield True while we are the only sandbox of this uid (on this machine)."""
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fcntl.flock(self.fd, fcntl.LOCK_SH)  # a failed upgrade dropped our shared lock
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(self.fd, fcntl.LOCK_SH)

    def close(self) -> None:
        """Give the lease up (closing the fd releases the flock)."""
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
