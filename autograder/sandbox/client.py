"""The trusted handle on one untrusted worker process (see worker/harness.py).

    with Sandbox(Path("submission.py"), protected=[hidden_dir]) as sb:
        ready = sb.start()                       # names defined, load error, output
        reply = sb.call("call", "svm_loss_naive", W, X, y, 0.1)
        if reply.ok: loss, dW = reply.value      # plain data only

The grader only ever reads frames from the worker's pipe and decodes them with
protocol.py (JSON + numeric ``.npy``); it never unpickles or calls into anything
the worker made. Deadlines are enforced here with poll(); a worker that dies,
hangs or garbles its stream is killed (with everything it spawned) and started
again, re-running the submission once, for the next call.
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import dataclasses
import fcntl
import itertools
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from types import FunctionType, MappingProxyType
from typing import Any

from autograder import paths
from autograder.errors import GraderError
from autograder.sandbox import isolation, layers
from autograder.sandbox.isolation import Limits, Plan
from autograder.worker import confine, probes, protocol

__all__ = ["STATUSES", "ErrorInfo", "Limits", "Ready", "Reply", "Sandbox"]

# "lost": killed twice by a signal the grader did not send: not the student's doing.
STATUSES = ("ok", "error", "timeout", "crashed", "protocol_error", "lost")
# What the OOM killer, a TA's `kill` or another grader's sweep sends. The submission cannot
# send them to the server (Landlock's signal scope) and its calls' CPU cap is known; a
# submission that sends them to its own call earns a regrade, never points.
FOREIGN_SIGNALS = frozenset({signal.SIGKILL, signal.SIGTERM, signal.SIGHUP, signal.SIGINT})
WORKER_DIR = paths.WORKER
PYTHON_ENV = "AUTOGRADER_WORKER_PYTHON"
PROVISION_HINT = ("run `python3 -m autograder.sandbox.runtime provision /opt/lcgrader-python` as root "
                  f"and set {PYTHON_ENV}=/opt/lcgrader-python/bin/python (or pass python=...)")
LOG_KEEP = 8192
F_SETPIPE_SZ = 1031
STARTUP_GRACE = 20.0   # interpreter start + numpy import, before any student code runs
LOAD_GRACE = 1.0       # past the load timeout, for code that swallows the harness's alarm
MAX_DEATHS = 5         # consecutive worker deaths before giving up on restarts


@dataclass(frozen=True)
class ErrorInfo:
    """An exception (or failure) as reported about the student's code."""

    type: str
    message: str
    traceback: str = ""
    mro: tuple[str, ...] = ()
    foreign: bool = False  # killed by a signal neither the grader nor the code sent

    def is_a(self, name: str) -> bool:
        """True if the exception class or one of its bases is called ``name``."""
        return name == self.type or name in self.mro


@dataclass(frozen=True)
class Ready:
    """Outcome of loading the submission."""

    names: MappingProxyType  # top-level name -> type name
    error: ErrorInfo | None
    stdout: str
    dropped: int
    elapsed: float
    fatal: bool = False  # the worker died or hung while loading: calls cannot work
    log: str = ""        # raw fd 1/2 output of the worker while loading, tail

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class Reply:
    """Outcome of one call: ``status`` is one of STATUSES."""

    status: str
    value: Any = None
    error: ErrorInfo | None = None
    stdout: str = ""      # the student's stdout+stderr, truncated
    dropped: int = 0      # characters of output not kept
    elapsed: float = 0.0
    log: str = ""         # raw fd 1/2 output of the worker (interpreter crashes), tail

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def error_type(self) -> str | None:
        return self.error.type if self.error else None

    @property
    def error_message(self) -> str | None:
        return self.error.message if self.error else None

    @property
    def traceback(self) -> str:
        return self.error.traceback if self.error else ""


def _err(kind: str, message: str) -> ErrorInfo:
    return ErrorInfo(kind, message, f"{kind}: {message}\n", (kind,))


# ---------------------------------------------------------------- decoding messages

def _text(v: Any, limit: int) -> str:
    """A str field from the worker, bounded; anything else counts as empty."""
    return v[:limit] if type(v) is str else ""


def _error_info(v: Any) -> ErrorInfo | None:
    """An ErrorInfo from an untrusted dict (missing/odd fields become defaults)."""
    if v is None:
        return None
    if type(v) is not dict:
        raise protocol.ProtocolError("malformed error field")
    mro = v.get("mro")
    mro = tuple(m[:100] for m in mro[:50] if type(m) is str) if type(mro) is list else ()
    sig = v.get("signal")
    foreign = type(sig) is int and sig in FOREIGN_SIGNALS and v.get("cpu_limited") is False
    return ErrorInfo(_text(v.get("type"), 100) or "Error", _text(v.get("message"), 4000),
                     _text(v.get("traceback"), 16000), mro, foreign)


def _output(msg: dict, limit: int) -> tuple[str, int]:
    text = msg.get("output")
    dropped = msg.get("dropped")
    text = text if type(text) is str else ""
    dropped = dropped if type(dropped) is int and dropped >= 0 else 0
    return text[:limit], dropped + max(len(text) - limit, 0)


def _ready_from(msg: Any, elapsed: float, limit: int) -> Ready:
    """Validate the worker's ready message."""
    if type(msg) is not dict or msg.get("kind") != "ready" or type(msg.get("names")) is not dict:
        raise protocol.ProtocolError("malformed ready message")
    names = {k[:200]: _text(v, 100) for k, v in list(msg["names"].items())[:2000]}
    stdout, dropped = _output(msg, limit)
    return Ready(MappingProxyType(names), _error_info(msg.get("error")), stdout, dropped,
                 elapsed)


def _reply_from(msg: Any, limit: int) -> Reply:
    """Validate a reply message (its id was checked by the caller)."""
    status = msg.get("status")
    if status not in ("ok", "error", "crashed"):
        raise protocol.ProtocolError("malformed reply status")
    error = _error_info(msg.get("error"))
    if status != "ok" and error is None:
        error = _err("Error", "no details")
    stdout, dropped = _output(msg, limit)
    value = msg.get("value") if status == "ok" else None
    return Reply(status, value, None if status == "ok" else error, stdout, dropped)


# ---------------------------------------------------------------- one worker process

@dataclass
class _Worker:
    """A running worker: its process, our ends of its pipes, and a framer."""

    proc: subprocess.Popen
    req: int
    rep: int
    err: int | None
    reader: protocol.FrameReader
    log: bytearray = field(default_factory=bytearray)
    frames: collections.deque = field(default_factory=collections.deque)

    def drain_log(self) -> None:
        """Keep the tail of what the worker wrote to fd 1/2 (never blocks, never grows)."""
        if self.err is None:
            return
        while True:
            try:
                chunk = os.read(self.err, 1 << 16)
            except BlockingIOError:
                return
            if not chunk:
                os.close(self.err)
                self.err = None
                return
            self.log += chunk
            del self.log[:-LOG_KEEP]

    def log_text(self) -> str:
        return bytes(self.log).decode(errors="replace")

    def close_fds(self) -> None:
        for fd in (self.req, self.rep, self.err):
            if fd is not None and fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self.req = self.rep = -1
        self.err = None


class _Timeout(Exception):
    pass


class _Eof(Exception):
    """The worker closed its reply pipe; ``foreign``: a signal the grader did not send."""

    def __init__(self, message: str, foreign: bool = False) -> None:
        super().__init__(message)
        self.foreign = foreign


class _Killed(Exception):
    """The worker was killed by a foreign signal before its hello."""


def _killed_by_foreign(code: int | None) -> bool:
    """A worker (server) exit status meaning a signal from outside: the submission's code
    cannot signal its server (Landlock scope), and the grader reaps what it kills itself."""
    return code is not None and code < 0 and -code in FOREIGN_SIGNALS


def _foreign(reply: Reply) -> bool:
    """The call's process (or its server) was killed by a signal the grader did not send."""
    return reply.error is not None and reply.error.foreign


def _start_failed_for_now(code: int | None) -> bool:
    """Before its hello: killed from outside, or no process slot for the uid yet."""
    return _killed_by_foreign(code) or code == confine.EXIT_TEMPFAIL


class Sandbox:
    """One submission in one isolated worker; calls are answered by forks of it."""

    def __init__(self, source: str | Path, *, call_timeout: float = 10.0,
                 load_timeout: float = 30.0, limits: Limits | None = None,
                 python: str | None = None, protected: list[str | Path] | tuple = (),
                 drop_privileges: bool = True, user_name: str = isolation.DEFAULT_USER,
                 strict: bool = False, confined: bool = True,
                 writable: list[str | Path] | tuple = ()) -> None:
        """``source``: a Path to a file, or the code itself as a str. ``strict``: refuse
        (GraderError) when a required isolation layer is missing (see layers.py);
        ``confined=False`` (only for measuring what they cost, and for showing what they
        prevent): no Landlock, no PID namespace, a dumpable server. ``writable``: folders
        the worker may write besides its own (tests watch what a submission did there)."""
        self._code = Path(source).read_bytes() if isinstance(source, Path) else source.encode()
        self.call_timeout, self.load_timeout = call_timeout, load_timeout
        self.limits = limits or Limits()
        self.python = python or os.environ.get(PYTHON_ENV) or sys.executable
        self.protected = [os.fspath(p) for p in protected]
        self.drop_privileges, self.user_name = drop_privileges, user_name
        self.strict, self.confined = strict, confined
        self.writable = [os.fspath(p) for p in writable]
        self.missing: dict[str, str] = {}  # required layer -> what the worker can reach
        self._held: set[str] = set()
        self._broken: str | None = None  # a grader failure every later call repeats
        self.layers: list[str] = []
        self.warnings: list[str] = []
        self.skipped: list[str] = []
        self.ready: Ready | None = None
        self.restarts = 0
        self._deaths = 0  # worker deaths since the last answered call
        self._ids = itertools.count(1)
        self._worker: _Worker | None = None
        self._fatal: ErrorInfo | None = None
        self._tmp: str | None = None
        self._plan: Plan | None = None
        self._lease: isolation.UidLease | None = None
        self._token = ""
        self._netns: str | None = None
        self._closed = False
        self._launched: float | None = None  # monotonic time of the first worker's spawn

    # ------------------------------------------------------------ lifecycle

    def __enter__(self) -> Sandbox:  # noqa: PYI034 - typing.Self is 3.11+
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def launch(self) -> None:
        """Prepare isolation and start the worker without waiting for it: whatever the
        grader does next overlaps the worker's start (interpreter, numpy, submission)."""
        if self._launched is not None or self.ready is not None:
            return
        if self._closed:
            raise GraderError("sandbox already closed")
        atexit.register(self.close)  # a forgotten close() still kills the submission's processes
        try:
            self._prepare()
            self._launched = time.monotonic()
            self._worker = self._spawn()
        except BaseException:
            self.close()
            raise

    def start(self) -> Ready:
        """Launch if not yet done and wait until the submission is loaded (once)."""
        if self.ready is not None:
            return self.ready
        if self._broken is not None:
            raise GraderError(self._broken)
        self.launch()
        try:
            self.ready = self._await_load(self._worker, self._launched)
        except BaseException as e:
            # Every later call repeats it (the worker is gone): a grader failure, not the code's.
            self._broken = str(e) if isinstance(e, GraderError) else f"{type(e).__name__}: {e}"
            self.close()
            raise
        return self.ready

    def _prepare(self) -> None:
        """Layers, temp dirs, protected-path check, uid lease."""
        hardened = isolation.harden_grader()
        self._plan = plan = isolation.make_plan(self.limits, drop_privileges=self.drop_privileges,
                                                user_name=self.user_name)
        if not self.confined and plan.pidns:  # the harness will not fork into it
            plan.pidns = False
            plan.layers.remove("pidns")
        self.skipped = list(plan.skipped)
        self._held = layers.expected(as_root=os.geteuid() == 0, dropped=plan.user is not None,
                                     seccomp=plan.seccomp is not None)
        abi = confine.abi() if self.confined else 0
        if self.strict:  # refuse before anything starts when the kernel lacks a layer
            self._refuse_if_missing(self._held | layers.offered(abi))
        # The lease first: while we hold it, no other sandbox of our uid sweeps its processes.
        lease = self._take_lease(plan)
        self._tmp = self._make_dirs(plan)
        self.layers = hardened + plan.layers + [lease]
        if not abi:  # without the allowlist only file permissions keep the worker out
            self._check_protected(plan)

    def _refuse_if_missing(self, held: set[str]) -> None:
        """Record the missing required layers; under --strict, refuse."""
        found = layers.report([], held, as_root=os.geteuid() == 0)
        self.missing = found.missing
        if self.strict and found.missing:
            raise GraderError(layers.refusal(found.missing))

    def _confined(self, hello: dict) -> None:
        """The worker's own layers (it reported them before any student code ran)."""
        shown, held = layers.from_hello(hello.get("confined"))
        self.layers += [x for x in shown if x not in self.layers]
        self._refuse_if_missing(self._held | held)
        for line in (f"WARNING: {m}" for m in layers.describe_missing(self.missing)):
            if line not in self.warnings:  # once, though every restart says hello again
                self._warn(line)
        landlock = hello["confined"].get("landlock") if "landlock-fs" in held else None
        if landlock and self.protected:
            reached = layers.inside_allowlist(
                self.protected, [*landlock.get("read", []), *landlock.get("write", [])])
            if reached:
                self._warn(f"WARNING: protected paths inside the worker's allowlist: "
                           f"{', '.join(reached[:5])}")
            elif "protected-paths-outside-allowlist" not in self.layers:
                self.layers.append("protected-paths-outside-allowlist")

    def _warn(self, msg: str) -> None:
        self.layers.append(msg)
        self.warnings.append(msg)
        warnings.warn(msg, RuntimeWarning, stacklevel=4)

    def close(self) -> None:
        """Kill every process the submission left, wait for them, remove the temp dir."""
        if self._closed:
            return
        self._closed = True
        atexit.unregister(self.close)
        self._stop_worker()
        if self._lease is not None:
            self._lease.close()
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)

    # ------------------------------------------------------------ preparation

    def _make_dirs(self, plan: Plan) -> str:
        """tmp (0711) / worker copy + submission.py (world-readable) / work (the user's cwd)."""
        tmp = tempfile.mkdtemp(prefix="lcgrader-")
        os.chmod(tmp, 0o711)
        wdir = os.path.join(tmp, "worker")
        os.mkdir(wdir)
        os.chmod(wdir, 0o755)  # explicit: the grader's umask may be 077
        for src in WORKER_DIR.glob("*.py"):
            shutil.copyfile(src, os.path.join(wdir, src.name))
            os.chmod(os.path.join(wdir, src.name), 0o644)
        with open(os.path.join(tmp, "submission.py"), "wb") as f:
            f.write(self._code)
        os.chmod(f.name, 0o644)
        work = os.path.join(tmp, "work")
        os.mkdir(work, 0o700)
        if plan.user is not None:
            os.chown(work, plan.user.uid, plan.user.gid)
        return tmp

    def _python_problem(self, why: str) -> str:
        """What to tell the TA when the worker's interpreter does not start with numpy."""
        plan = self._plan
        who = f"the sandbox user {plan.user.name!r}" if plan and plan.user else "the worker"
        hint = f" Fix: {PROVISION_HINT}." if plan and plan.user else ""
        return f"{who} cannot run {self.python} with numpy (Python 3.10+): {why}.{hint}"

    def _take_lease(self, plan: Plan) -> str:
        """With a dedicated uid, hold a shared lease and clear leftovers of older runs."""
        if plan.user is None or not plan.user.dedicated:
            return "cleanup:process-tree"
        try:
            self._lease = isolation.UidLease(plan.user.uid)
        except OSError as e:
            self.skipped.append(f"uid sweep: {e}")
            return "cleanup:process-tree"
        with self._lease.exclusive() as alone:
            if alone:
                isolation.kill_uid(plan.user)
        return "cleanup:uid-sweep"

    def _check_protected(self, plan: Plan) -> None:
        """Probe, as the sandbox user, that no protected path is readable or writable."""
        if not self.protected:
            return
        readable = isolation.readable_paths(self.protected, plan.user)
        if readable:
            shown = ", ".join(readable[:5]) + (" ..." if len(readable) > 5 else "")
            self._warn(f"WARNING: protected paths readable or writable by the worker: {shown}")
        else:
            self.layers.append("protected-paths-unreadable")

    # ------------------------------------------------------------ the worker process

    def _spawn(self) -> _Worker:
        """Start harness.py under the isolation plan, with three pipes."""
        (req_r, req_w), (rep_r, rep_w), (err_r, err_w) = os.pipe(), os.pipe(), os.pipe()
        self._token = os.urandom(12).hex()
        try:
            proc = self._popen(req_r, rep_w, err_w)
        except (OSError, subprocess.SubprocessError) as e:
            for fd in (req_w, rep_r, err_r):
                os.close(fd)
            raise GraderError(self._python_problem(str(e))) from e
        finally:
            for fd in (req_r, rep_w, err_w):
                os.close(fd)
        if self._plan.netns:  # its own netns: a mark no descendant loses by scrubbing env
            self._netns = isolation.netns_of(proc.pid)
            self._netns = None if self._netns == isolation.netns_of(os.getpid()) else self._netns
        for fd in (req_w, rep_r, err_r):
            os.set_blocking(fd, False)
        for fd in (req_w, rep_r):  # 1 MB pipes: multi-MB arrays in fewer wake-ups
            with contextlib.suppress(OSError):
                fcntl.fcntl(fd, F_SETPIPE_SZ, 1 << 20)
        return _Worker(proc, req_w, rep_r, err_r, protocol.FrameReader(self.limits.max_frame))

    def _popen(self, stdin: int, stdout: int, stderr: int) -> subprocess.Popen:
        """``python -I -S -B harness.py SOURCE CONFIG``: -S skips site (no .pth files, no
        editable installs of the grader), so only numpy's own dir is added to sys.path."""
        cfg = {"load_timeout": self.load_timeout, "confine": self.confined,
               "pidns": self._plan.pidns,
               "writable": self.writable,
               "max_frame": self.limits.max_frame, "output_limit": self.limits.output_chars}
        cmd = [self.python, "-I", "-S", "-B", os.path.join(self._tmp, "worker", "harness.py"),
               os.path.join(self._tmp, "submission.py"), json.dumps(cfg)]
        work = os.path.join(self._tmp, "work")
        return subprocess.Popen(cmd, stdin=stdin, stdout=stdout, stderr=stderr, cwd=work,
                                env=isolation.clean_env(work, self._token),
                                # preexec is the only hook between fork and exec;
                                # Plan.apply only makes syscalls prepared beforehand.
                                preexec_fn=self._plan.apply,  # noqa: PLW1509
                                start_new_session=True)

    def _spawn_and_load(self) -> Ready:
        """Start a worker and wait for hello + ready; a death here is fatal for the session."""
        t0 = time.monotonic()
        self._worker = self._spawn()
        return self._await_load(self._worker, t0)

    def _await_load(self, w: _Worker, t0: float) -> Ready:
        """The worker's hello, then the loaded submission's ready message. A worker killed
        by a foreign signal (before its hello, or while loading) is started once more."""
        for attempt in (1, 2):
            try:
                self._await_hello(w, t0)
            except _Killed:
                if attempt == 2:
                    raise GraderError("the worker was killed twice before it started, by a "
                                      "signal the grader did not send (the OOM killer or "
                                      "another process), or found no process slot: not "
                                      "your code, this submission will be regraded") from None
                w, t0 = self._respawn()
                continue
            # The harness interrupts a slow load; the extra second is for stubborn code.
            ready = self._await_ready(w, t0, time.monotonic() + self.load_timeout + LOAD_GRACE)
            if not (ready.fatal and ready.error.foreign):
                return ready
            if attempt == 2:
                return self._lost_load(ready)
            self._fatal = None
            w, t0 = self._respawn()
        raise AssertionError("unreachable")

    def _respawn(self) -> tuple[_Worker, float]:
        self.restarts += 1
        self._worker = self._spawn()
        return self._worker, time.monotonic()

    def _lost_load(self, ready: Ready) -> Ready:
        """Killed twice while loading: every call reports a grader failure ("lost")."""
        self._fatal = dataclasses.replace(ready.error, type="WorkerLost")
        return dataclasses.replace(ready, error=self._fatal)

    def _await_hello(self, w: _Worker, t0: float) -> None:
        try:
            hello = self._next_message(w, t0 + STARTUP_GRACE, lambda m: True)
            if type(hello) is not dict or hello.get("kind") != "hello":
                raise protocol.ProtocolError("no hello from the worker")
        except (_Timeout, _Eof, protocol.ProtocolError) as e:
            log = w.log_text().strip()
            self._stop_worker()
            if not isinstance(e, _Timeout) and _start_failed_for_now(w.proc.returncode):
                raise _Killed from e
            # Before "hello" no student code has run: a missing numpy, an old Python or an
            # interpreter the sandbox user cannot execute.
            why = log.splitlines()[-1] if log else f"no hello ({type(e).__name__})"
            raise GraderError(self._python_problem(why)) from e
        self._confined(hello)

    def _await_ready(self, w: _Worker, t0: float, deadline: float) -> Ready:
        try:
            msg = self._next_message(w, deadline, lambda m: True)
            ready = _ready_from(msg, time.monotonic() - t0, self.limits.output_chars)
            return dataclasses.replace(ready, log=w.log_text())
        except (_Timeout, _Eof, protocol.ProtocolError) as e:
            self._fatal = self._load_failure(e)
        self._stop_worker()
        return Ready(MappingProxyType({}), self._fatal, "", 0, time.monotonic() - t0, fatal=True,
                     log=w.log_text())

    def _load_failure(self, e: Exception) -> ErrorInfo:
        if isinstance(e, _Timeout):
            return _err("LoadTimeout", f"loading the submission took more than "
                                       f"{self.load_timeout:g} s and could not be interrupted")
        if isinstance(e, _Eof):
            info = _err("LoadCrashed", f"the worker died while loading the submission ({e})")
            return dataclasses.replace(info, foreign=e.foreign)
        return _err("ProtocolError", f"garbled output while loading the submission: {e}")

    def _stop_worker(self) -> None:
        """Kill the worker and everything it spawned (daemons, fork bombs), then reap."""
        w, self._worker = self._worker, None
        if w is None:
            return
        # Kill first: a live server still links every orphan (it is their subreaper).
        survivors = self._kill_everything(w.proc.pid)
        with contextlib.suppress(subprocess.TimeoutExpired):
            w.proc.wait(timeout=5)
        w.close_fds()
        if survivors:
            msg = f"WARNING: worker processes survived cleanup: {survivors[:10]}"
            self.warnings.append(msg)
            warnings.warn(msg, RuntimeWarning, stacklevel=3)

    def _kill_everything(self, pid: int) -> list[int]:
        user = self._plan.user if self._plan else None
        env_uid = user.uid if user else os.geteuid()
        spec = isolation.KillSpec(pid, self._token, env_uid, None, self._netns)
        if self._lease is None or self._lease.fd < 0:
            return isolation.kill_all(spec, keep_zombie=pid)
        with self._lease.exclusive() as alone:
            if alone:
                spec = dataclasses.replace(spec, sweep_user=user)
            return isolation.kill_all(spec, keep_zombie=pid)

    # ------------------------------------------------------------ calls

    def call(self, probe: str, *args: Any, timeout: float | None = None, **kwargs: Any) -> Reply:
        """Run ``probes.<probe>(submission, *args, **kwargs)`` in a fresh fork of the worker."""
        if not self._is_probe(probe):
            raise GraderError(f"unknown probe {probe!r}: probes are the public functions "
                              f"of autograder/worker/probes.py")
        self.start()
        if self._broken is not None:
            raise GraderError(self._broken)
        if self._closed:
            raise GraderError("sandbox already closed")
        timeout = self.call_timeout if timeout is None else timeout
        reply = self._call_once(probe, args, kwargs, timeout)
        if _foreign(reply):  # killed by a signal nobody here sent: once more, fresh worker
            self._stop_worker()
            reply = self._call_once(probe, args, kwargs, timeout)
            if _foreign(reply):
                return dataclasses.replace(reply, status="lost", error=dataclasses.replace(
                    reply.error, type="WorkerLost"))
        return reply

    def _call_once(self, probe: str, args: tuple, kwargs: dict, timeout: float) -> Reply:
        t0 = time.monotonic()
        if self._fatal is None and self._worker is None:
            try:
                self._restart()
            except GraderError as e:  # the fresh worker did not start: so for every call
                self._broken = str(e)
                raise
        if self._fatal is not None:
            status = "lost" if self._fatal.type == "WorkerLost" else "crashed"
            return Reply(status, error=self._fatal, elapsed=time.monotonic() - t0)
        rid = next(self._ids)
        frame = self._request(rid, probe, args, kwargs, timeout)
        t1 = time.monotonic()
        reply = self._exchange(frame, rid, t1 + timeout, timeout)
        return dataclasses.replace(reply, elapsed=time.monotonic() - t1)

    def _request(self, rid: int, probe: str, args: tuple, kwargs: dict, timeout: float
                 ) -> bytes:
        message = {"kind": "call", "id": rid, "probe": probe, "args": args, "kwargs": kwargs,
                   "timeout": timeout}
        try:
            return protocol.encode_frame(message, self.limits.max_frame)
        except protocol.FrameTooLarge as e:
            raise GraderError(f"arguments too large for one frame: {e}") from e

    def _restart(self) -> None:
        """Start a fresh worker (re-running the submission) unless it keeps dying."""
        if self._deaths >= MAX_DEATHS:
            self._fatal = _err("WorkerDied", f"the worker died {self._deaths} times in a row "
                                             "without answering; no more restarts")
            return
        self.restarts += 1
        self._spawn_and_load()

    @staticmethod
    def _is_probe(name: Any) -> bool:
        """Public functions defined in probes.py, exactly as the worker's registry sees them."""
        fn = vars(probes).get(name) if type(name) is str and not name.startswith("_") else None
        return type(fn) is FunctionType and fn.__module__ == probes.__name__

    def _exchange(self, frame: bytes, rid: int, deadline: float, timeout: float) -> Reply:
        """Send one request, wait for its reply; any failure is this call's status."""
        w = self._worker
        del w.log[:]
        try:
            self._send(w, frame, deadline)
            msg = self._next_message(w, deadline, lambda m: m.get("id") == rid)
            reply = _reply_from(msg, self.limits.output_chars)
            self._deaths = 0
        except _Timeout:
            reply = Reply("timeout", error=_err("Timeout", f"the call took longer than "
                                                           f"{timeout:g} s"))
            self._stop_worker()
        except _Eof as e:
            reply = Reply("crashed", error=dataclasses.replace(_err("WorkerDied", str(e)),
                                                               foreign=e.foreign))
            self._deaths += 1
            self._stop_worker()
        except protocol.ProtocolError as e:
            reply = Reply("protocol_error", error=_err("ProtocolError", str(e)))
            if w.reader.pending or isinstance(e, protocol.FrameTooLarge):
                self._stop_worker()  # the stream is out of step: start afresh next time
        return dataclasses.replace(reply, log=w.log_text())

    def _send(self, w: _Worker, frame: bytes, deadline: float) -> None:
        """Write the whole request without blocking past the deadline (the worker may hang)."""
        view = memoryview(frame)
        while view:
            self._wait(w, deadline, want_write=True)
            try:
                view = view[os.write(w.req, view[: 1 << 20]):]
            except BlockingIOError:
                continue
            except BrokenPipeError:
                raise _Eof(self._death(w), _killed_by_foreign(w.proc.returncode)) from None

    def _wait(self, w: _Worker, deadline: float, want_write: bool = False) -> None:
        """poll() the reply pipe (or request pipe) until ready, draining the log pipe meanwhile."""
        main = (w.req, select.POLLOUT) if want_write else (w.rep, select.POLLIN)
        while True:
            poller = select.poll()
            poller.register(*main)
            if w.err is not None:
                poller.register(w.err, select.POLLIN)
            left = deadline - time.monotonic()
            if left <= 0:
                raise _Timeout
            events = dict(poller.poll(max(1, int(left * 1000))))
            if w.err in events:
                w.drain_log()
            if main[0] in events:
                return

    def _next_message(self, w: _Worker, deadline: float, wanted: Any) -> Any:
        """The next decoded message for which ``wanted(msg)`` holds; others are dropped."""
        while True:
            while w.frames:  # one read may have brought several frames
                msg = protocol.decode_payload(w.frames.popleft())
                if type(msg) is dict and wanted(msg):
                    return msg
            self._wait(w, deadline)
            try:
                data = os.read(w.rep, 1 << 20)
            except BlockingIOError:
                continue
            if not data:
                w.drain_log()
                raise _Eof(self._death(w), _killed_by_foreign(w.proc.returncode))
            w.frames.extend(w.reader.feed(data))

    def _death(self, w: _Worker) -> str:
        """Describe how the worker ended (it closed its reply pipe)."""
        try:
            code = w.proc.wait(timeout=1)
        except subprocess.TimeoutExpired:
            return "the worker closed its reply pipe"
        if code < 0:
            return f"the worker was killed by signal {-code}"
        return f"the worker exited with status {code}"
