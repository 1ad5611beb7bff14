"""The worker's life: started under the isolation plan, awaited until loaded, stopped with
everything it spawned, and started again (re-running the submission) when it died.

A worker killed by a foreign signal (one the grader did not send: the OOM killer, a
TA's ``kill``) before its hello or while loading is started once more; one that keeps
dying without answering is given up after MAX_DEATHS.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import subprocess
import time
import warnings
from types import MappingProxyType

from autograder.errors import GraderError
from autograder.sandbox import isolation, limits, messages, transport
from autograder.sandbox.guard import ENTRY, WORK_FOLDER, WORKER_FOLDER, Guard
from autograder.sandbox.messages import ErrorInfo, Ready
from autograder.sandbox.transport import Eof, Pipes, Timeout
from autograder.worker import confine, protocol
from autograder.worker.messages import Config

KILLED_TWICE = ("the worker was killed twice before it started, by a signal the grader did "
                "not send (the OOM killer or another process), or found no process slot: not "
                "your code, this submission will be regraded")


class _Killed(Exception):
    """The worker was killed by a foreign signal before its hello."""


def _start_failed_for_now(code: int | None) -> bool:
    """Before its hello: killed from outside, or no process slot for the uid yet."""
    return transport.killed_by_foreign(code) or code == confine.EXIT_TEMPFAIL


class Lifecycle:
    """Start, await, stop and restart the worker of one sandbox (one at a time)."""

    def __init__(self, guard: Guard, python: str, config: Config, submission: str) -> None:
        self.guard, self.python, self.config, self.submission = guard, python, config, submission
        self.worker: Pipes | None = None
        self.fatal: ErrorInfo | None = None  # the load failed for good: every call says so
        self.restarts = 0
        self.deaths = 0  # worker deaths since the last answered call
        self.token = ""
        self._netns: str | None = None

    def spawn(self) -> Pipes:
        """Start the worker's server under the isolation plan, with three pipes."""
        (req_r, req_w), (rep_r, rep_w), (err_r, err_w) = os.pipe(), os.pipe(), os.pipe()
        self.token = os.urandom(12).hex()
        try:
            proc = self._popen(req_r, rep_w, err_w)
        except (OSError, subprocess.SubprocessError) as e:
            for fd in (req_w, rep_r, err_r):
                os.close(fd)
            raise GraderError(self.guard.python_problem(self.python, str(e))) from e
        finally:
            for fd in (req_r, rep_w, err_w):
                os.close(fd)
        if self.guard.plan.netns:  # its own netns: a mark no descendant loses by scrubbing env
            self._netns = isolation.netns_of(proc.pid)
            self._netns = None if self._netns == isolation.netns_of(os.getpid()) else self._netns
        self.worker = transport.connect(proc, req_w, rep_r, err_r, self.config.max_frame)
        return self.worker

    def _popen(self, stdin: int, stdout: int, stderr: int) -> subprocess.Popen:
        """``python -I -S -B server.py SOURCE CONFIG``: -S skips site (no .pth files, no
        editable installs of the grader), so only numpy's own dir is added to sys.path."""
        cmd = [self.python, "-I", "-S", "-B", self.guard.path(WORKER_FOLDER, ENTRY),
               self.guard.path(self.submission), self.config.to_json()]
        work = self.guard.path(WORK_FOLDER)
        return subprocess.Popen(cmd, stdin=stdin, stdout=stdout, stderr=stderr, cwd=work,
                                env=isolation.clean_env(work, self.token),
                                # preexec is the only hook between fork and exec;
                                # Plan.apply only makes syscalls prepared beforehand.
                                preexec_fn=self.guard.plan.apply,  # noqa: PLW1509
                                start_new_session=True)

    def await_load(self, w: Pipes, t0: float) -> Ready:
        """The worker's hello, then the loaded submission's ready message. A worker killed
        by a foreign signal (before its hello, or while loading) is started once more."""
        for attempt in (1, 2):
            try:
                self._await_hello(w, t0)
            except _Killed:
                if attempt == 2:
                    raise GraderError(KILLED_TWICE) from None
                w, t0 = self._respawn()
                continue
            # The worker interrupts a slow load; the extra second is for stubborn code.
            deadline = time.monotonic() + self.config.load_timeout + limits.LOAD_GRACE
            ready = self._await_ready(w, t0, deadline)
            if not (ready.fatal and ready.error.foreign):
                return ready
            if attempt == 2:
                return self._lost_load(ready)
            self.fatal = None
            w, t0 = self._respawn()
        raise AssertionError("unreachable")

    def restart(self) -> None:
        """Start a fresh worker (re-running the submission) unless it keeps dying."""
        if self.deaths >= limits.MAX_DEATHS:
            self.fatal = messages.failure("WorkerDied", f"the worker died {self.deaths} times "
                                                        "in a row without answering; no more "
                                                        "restarts")
            return
        self.restarts += 1
        t0 = time.monotonic()
        self.await_load(self.spawn(), t0)

    def _respawn(self) -> tuple[Pipes, float]:
        self.restarts += 1
        return self.spawn(), time.monotonic()

    def _lost_load(self, ready: Ready) -> Ready:
        """Killed twice while loading: every call reports a grader failure ("lost")."""
        self.fatal = dataclasses.replace(ready.error, type="WorkerLost")
        return dataclasses.replace(ready, error=self.fatal)

    def _await_hello(self, w: Pipes, t0: float) -> None:
        try:
            hello = w.next_message(t0 + limits.STARTUP_GRACE)
            if not messages.is_hello(hello):
                raise protocol.ProtocolError("no hello from the worker")
        except (Timeout, Eof, protocol.ProtocolError) as e:
            log = w.log_text().strip()
            self.stop()
            if not isinstance(e, Timeout) and _start_failed_for_now(w.proc.returncode):
                raise _Killed from e
            # Before "hello" no student code has run: a missing numpy, an old Python or an
            # interpreter the sandbox user cannot execute.
            why = log.splitlines()[-1] if log else f"no hello ({type(e).__name__})"
            raise GraderError(self.guard.python_problem(self.python, why)) from e
        self.guard.confined(messages.hello_fields(hello))

    def _await_ready(self, w: Pipes, t0: float, deadline: float) -> Ready:
        try:
            msg = w.next_message(deadline)
            ready = messages.ready_from(msg, time.monotonic() - t0, self.config.output_limit)
            return dataclasses.replace(ready, log=w.log_text())
        except (Timeout, Eof, protocol.ProtocolError) as e:
            self.fatal = self._load_failure(e)
        self.stop()
        return Ready(MappingProxyType({}), self.fatal, "", 0, time.monotonic() - t0, fatal=True,
                     log=w.log_text())

    def _load_failure(self, e: Exception) -> ErrorInfo:
        if isinstance(e, Timeout):
            return messages.failure("LoadTimeout", "loading the submission took more than "
                                    f"{self.config.load_timeout:g} s and could not be "
                                    "interrupted")
        if isinstance(e, Eof):
            info = messages.failure("LoadCrashed", "the worker died while loading the "
                                                   f"submission ({e})")
            return dataclasses.replace(info, foreign=e.foreign)
        return messages.failure("ProtocolError", f"garbled output while loading the "
                                                 f"submission: {e}")

    def stop(self) -> None:
        """Kill the worker and everything it spawned (daemons, fork bombs), then reap."""
        w, self.worker = self.worker, None
        if w is None:
            return
        # Kill first: a live server still links every orphan (it is their subreaper).
        survivors = self.guard.kill_everything(w.proc.pid, self.token, self._netns)
        with contextlib.suppress(subprocess.TimeoutExpired):
            w.proc.wait(timeout=limits.STOP_WAIT)
        w.close_fds()
        if survivors:
            msg = f"WARNING: worker processes survived cleanup: {survivors[:10]}"
            self.guard.warnings.append(msg)
            warnings.warn(msg, RuntimeWarning, stacklevel=3)
