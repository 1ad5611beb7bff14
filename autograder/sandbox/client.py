"""The trusted handle on one untrusted worker process (see worker/server.py).

    with Sandbox(Path("submission.py"), protected=[hidden_dir]) as sb:
        ready = sb.start()                       # names defined, load error, output
        reply = sb.call("call", "loss", W, X, y, 0.1)
        if reply.ok: loss, dW = reply.value      # plain data only

The grader only ever reads frames from the worker's pipe and decodes them with
protocol.py (JSON + numeric ``.npy``); it never unpickles or calls into anything
the worker made. Deadlines are enforced with poll() (transport.py); a worker that
dies, hangs or garbles its stream is killed (with everything it spawned) and started
again, re-running the submission once, for the next call (spawn.py).
"""

from __future__ import annotations

import atexit
import dataclasses
import itertools
import os
import sys
import time
from pathlib import Path
from typing import Any

from autograder import paths
from autograder.errors import GraderError
from autograder.sandbox import isolation, limits, messages
from autograder.sandbox.guard import Guard, Settings
from autograder.sandbox.limits import Limits
from autograder.sandbox.messages import STATUSES, ErrorInfo, Ready, Reply
from autograder.sandbox.runtime import PYTHON_ENV
from autograder.sandbox.spawn import Lifecycle
from autograder.sandbox.transport import Eof, Timeout
from autograder.worker import protocol, registry
from autograder.worker.messages import Chunks, Config

__all__ = ["STATUSES", "ErrorInfo", "Limits", "Ready", "Reply", "Sandbox"]
GENERIC_PROBES = paths.WORKER / "probes.py"


def probe_names(probes: Path | None) -> frozenset[str]:
    """The probes the worker will register: the generic ones and the assignment's."""
    files = [GENERIC_PROBES, *([probes] if probes else [])]
    return frozenset().union(*(registry.names_in(f.read_text()) for f in files))


class Sandbox:
    """One submission in one isolated worker; calls are answered by forks of it."""

    def __init__(self, source: str | Path | Chunks, *, probes: Path | None = None,
                 call_timeout: float = limits.CALL_TIMEOUT,
                 load_timeout: float = limits.LOAD_TIMEOUT, limits: Limits | None = None,
                 python: str | None = None, protected: list[str | Path] | tuple = (),
                 drop_privileges: bool = True, user_name: str = isolation.DEFAULT_USER,
                 strict: bool = False, confined: bool = True,
                 writable: list[str | Path] | tuple = ()) -> None:
        """``source``: a Path to a file, the code itself as a str, or a notebook's Chunks
        (each run on its own). ``probes``: the assignment's probes module, beside the
        generic ones. ``strict``: refuse (GraderError) when a required isolation layer is
        missing (isolation/report.py); ``confined=False`` (only for measuring what they
        cost, and for showing what they prevent): no Landlock, no PID namespace, a
        dumpable server. ``writable``: folders the worker may write besides its own."""
        chunked = isinstance(source, Chunks)
        self._code = (source.to_json() if chunked else Path(source).read_bytes()
                      if isinstance(source, Path) else source.encode())
        self.call_timeout, self.load_timeout, self.probes = call_timeout, load_timeout, probes
        self.limits = limits or Limits()
        self.python = python or os.environ.get(PYTHON_ENV) or sys.executable
        self.guard = Guard(Settings(self.limits, tuple(map(os.fspath, protected)),
                                    drop_privileges, user_name, strict, confined))
        config = Config(load_timeout, self.limits.output_chars, self.limits.max_frame,
                        confined, writable=tuple(map(os.fspath, writable)), chunked=chunked,
                        probes=probes is not None)
        self.life = Lifecycle(self.guard, self.python, config,
                              "submission.json" if chunked else "submission.py")
        self._probes = probe_names(probes)
        self.ready: Ready | None = None
        self._broken: str | None = None  # a grader failure every later call repeats
        self._ids = itertools.count(1)
        self._closed = False
        self._launched: float | None = None  # monotonic time of the first worker's spawn

    # What held and what did not (isolation/report.py), for the TA's log.
    layers = property(lambda self: self.guard.layers)
    warnings = property(lambda self: self.guard.warnings)
    skipped = property(lambda self: self.guard.skipped)
    missing = property(lambda self: self.guard.missing)
    restarts = property(lambda self: self.life.restarts)

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
            self.guard.prepare(self._code, self.life.submission, self.probes)
            if self.life.config.pidns != self.guard.plan.pidns:
                self.life.config = dataclasses.replace(self.life.config,
                                                       pidns=self.guard.plan.pidns)
            self._launched = time.monotonic()
            self.life.spawn()
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
            self.ready = self.life.await_load(self.life.worker, self._launched)
        except BaseException as e:
            # Every later call repeats it (the worker is gone): a grader failure, not the code's.
            self._broken = str(e) if isinstance(e, GraderError) else f"{type(e).__name__}: {e}"
            self.close()
            raise
        return self.ready

    def close(self) -> None:
        """Kill every process the submission left, wait for them, remove the temp dir."""
        if self._closed:
            return
        self._closed = True
        atexit.unregister(self.close)
        self.life.stop()
        self.guard.close()

    def call(self, probe: str, *args: Any, timeout: float | None = None, **kwargs: Any) -> Reply:
        """Run ``<probe>(submission, *args, **kwargs)`` in a fresh fork of the worker."""
        if type(probe) is not str or probe not in self._probes:
            raise GraderError(f"unknown probe {probe!r}: probes are the public functions of "
                              f"autograder/worker/probes.py and of the assignment's probes")
        self.start()
        if self._broken is not None:
            raise GraderError(self._broken)
        if self._closed:
            raise GraderError("sandbox already closed")
        timeout = self.call_timeout if timeout is None else timeout
        reply = self._call_once(probe, args, kwargs, timeout)
        if _foreign(reply):  # killed by a signal nobody here sent: once more, fresh worker
            self.life.stop()
            reply = self._call_once(probe, args, kwargs, timeout)
            if _foreign(reply):
                return dataclasses.replace(reply, status="lost", error=dataclasses.replace(
                    reply.error, type="WorkerLost"))
        return reply

    def _call_once(self, probe: str, args: tuple, kwargs: dict, timeout: float) -> Reply:
        t0 = time.monotonic()
        life = self.life
        if life.fatal is None and life.worker is None:
            try:
                life.restart()
            except GraderError as e:  # the fresh worker did not start: so for every call
                self._broken = str(e)
                raise
        if life.fatal is not None:
            status = "lost" if life.fatal.type == "WorkerLost" else "crashed"
            return Reply(status, error=life.fatal, elapsed=time.monotonic() - t0)
        rid = next(self._ids)
        try:
            frame = protocol.encode_frame(messages.call(rid, probe, args, kwargs, timeout),
                                          self.limits.max_frame)
        except protocol.FrameTooLarge as e:
            raise GraderError(f"arguments too large for one frame: {e}") from e
        t1 = time.monotonic()
        reply = _exchange(life, frame, rid, t1 + timeout, timeout, self.limits.output_chars)
        return dataclasses.replace(reply, elapsed=time.monotonic() - t1)


def _exchange(life: Lifecycle, frame: bytes, rid: int, deadline: float, timeout: float,
              output_chars: int) -> Reply:
    """Send one request, wait for its reply; any failure is this call's status."""
    w = life.worker
    del w.log[:]
    try:
        w.send(frame, deadline)
        msg = w.next_message(deadline, lambda m: m.get("id") == rid)
        reply = messages.reply_from(msg, output_chars)
        life.deaths = 0
    except Timeout:
        reply = Reply("timeout", error=messages.failure(
            "Timeout", f"the call took longer than {timeout:g} s"))
        life.stop()
    except Eof as e:
        reply = Reply("crashed", error=dataclasses.replace(
            messages.failure("WorkerDied", str(e)), foreign=e.foreign))
        life.deaths += 1
        life.stop()
    except protocol.ProtocolError as e:
        reply = Reply("protocol_error", error=messages.failure("ProtocolError", str(e)))
        if w.reader.pending or isinstance(e, protocol.FrameTooLarge):
            life.stop()  # the stream is out of step: start afresh next time
    return dataclasses.replace(reply, log=w.log_text())


def _foreign(reply: Reply) -> bool:
    """The call's process (or its server) was killed by a signal the grader did not send."""
    return reply.error is not None and reply.error.foreign
