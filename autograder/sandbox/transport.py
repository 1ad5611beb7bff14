"""Our ends of one worker's pipes: frames out and in under deadlines, its log drained.

Requests go to the worker's fd 0, replies come from its fd 1, and its fd 2 (where stray
output and interpreter crashes land) is kept as a bounded log. Every wait is a poll()
with a deadline; the worker may hang, die or garble its stream at any moment.
"""

from __future__ import annotations

import collections
import contextlib
import os
import select
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from autograder.sandbox import limits
from autograder.sandbox.messages import FOREIGN_SIGNALS
from autograder.worker import protocol


class Timeout(Exception):
    """The deadline passed."""


class Eof(Exception):
    """The worker closed its reply pipe; ``foreign``: a signal the grader did not send."""

    def __init__(self, message: str, foreign: bool = False) -> None:
        super().__init__(message)
        self.foreign = foreign


def killed_by_foreign(code: int | None) -> bool:
    """A worker (server) exit status meaning a signal from outside: the submission's code
    cannot signal its server (Landlock scope), and the grader reaps what it kills itself."""
    return code is not None and code < 0 and -code in FOREIGN_SIGNALS


@dataclass
class Pipes:
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
            del self.log[:-limits.LOG_KEEP]

    def log_text(self) -> str:
        """The tail so far. Drained first: what the worker wrote before a reply sits in the
        pipe already, though the reply's frame may have been read before it."""
        self.drain_log()
        return bytes(self.log).decode(errors="replace")

    def close_fds(self) -> None:
        for fd in (self.req, self.rep, self.err):
            if fd is not None and fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self.req = self.rep = -1
        self.err = None

    def send(self, frame: bytes, deadline: float) -> None:
        """Write the whole request without blocking past the deadline (the worker may hang)."""
        view = memoryview(frame)
        while view:
            self.wait(deadline, want_write=True)
            try:
                view = view[os.write(self.req, view[:limits.PIPE_SIZE]):]
            except BlockingIOError:
                continue
            except BrokenPipeError:
                raise Eof(self.death(), killed_by_foreign(self.proc.returncode)) from None

    def wait(self, deadline: float, want_write: bool = False) -> None:
        """poll() the reply pipe (or request pipe) until ready, draining the log meanwhile."""
        main = (self.req, select.POLLOUT) if want_write else (self.rep, select.POLLIN)
        while True:
            poller = select.poll()
            poller.register(*main)
            if self.err is not None:
                poller.register(self.err, select.POLLIN)
            left = deadline - time.monotonic()
            if left <= 0:
                raise Timeout
            events = dict(poller.poll(max(1, int(left * 1000))))
            if self.err in events:
                self.drain_log()
            if main[0] in events:
                return

    def next_message(self, deadline: float, wanted: Callable[[dict], bool] = lambda m: True
                     ) -> Any:
        """The next decoded message for which ``wanted(msg)`` holds; others are dropped."""
        while True:
            while self.frames:  # one read may have brought several frames
                msg = protocol.decode_payload(self.frames.popleft())
                if type(msg) is dict and wanted(msg):
                    return msg
            self.wait(deadline)
            try:
                data = os.read(self.rep, limits.PIPE_SIZE)
            except BlockingIOError:
                continue
            if not data:
                self.drain_log()
                raise Eof(self.death(), killed_by_foreign(self.proc.returncode))
            self.frames.extend(self.reader.feed(data))

    def death(self) -> str:
        """Describe how the worker ended (it closed its reply pipe)."""
        try:
            code = self.proc.wait(timeout=1)
        except subprocess.TimeoutExpired:
            return "the worker closed its reply pipe"
        if code < 0:
            return f"the worker was killed by signal {-code}"
        return f"the worker exited with status {code}"


def connect(proc: subprocess.Popen, req: int, rep: int, err: int, max_frame: int) -> Pipes:
    """Our ends of a started worker's pipes, non-blocking, the two data pipes enlarged."""
    for fd in (req, rep, err):
        os.set_blocking(fd, False)
    for fd in (req, rep):
        with contextlib.suppress(OSError):
            fcntl_setpipe(fd, limits.PIPE_SIZE)
    return Pipes(proc, req, rep, err, protocol.FrameReader(max_frame))


def fcntl_setpipe(fd: int, size: int) -> None:
    """F_SETPIPE_SZ (Linux; the fcntl module names it only from Python 3.10 on Linux)."""
    import fcntl

    fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), size)
