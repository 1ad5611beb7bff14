"""The worker's messages as the grader believes them: every field checked and bounded.

The schema (kinds, fields, defaults) is worker/messages.py's; here an untrusted
"ready" or "reply" becomes a ``Ready`` or ``Reply`` whose errors are ``ErrorInfo``.
Anything malformed raises protocol.ProtocolError.
"""

from __future__ import annotations

import signal
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from autograder.worker import messages, protocol

# "lost": killed twice by a signal the grader did not send: not the student's doing.
STATUSES = ("ok", "error", "timeout", "crashed", "protocol_error", "lost")
# What the OOM killer, a TA's `kill` or another grader's sweep sends. The submission cannot
# send them to the server (Landlock's signal scope) and its calls' CPU cap is known; a
# submission that sends them to its own call earns a regrade, never points.
FOREIGN_SIGNALS = frozenset({signal.SIGKILL, signal.SIGTERM, signal.SIGHUP, signal.SIGINT})
# Bounds on what the grader keeps of each field (characters, or items).
TYPE_CHARS, NAME_CHARS, MESSAGE_CHARS, TRACEBACK_CHARS = 100, 200, 4000, 16000
MRO_ITEMS = 50


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
    failures: tuple[str, ...] = ()  # chunks of a notebook that failed to load, in words

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


def failure(kind: str, message: str) -> ErrorInfo:
    """An ErrorInfo of the grader's own making (a timeout, a death, a garbled stream)."""
    return ErrorInfo(kind, message, f"{kind}: {message}\n", (kind,))


def _text(v: Any, limit: int) -> str:
    """A str field from the worker, bounded; anything else counts as empty."""
    return v[:limit] if type(v) is str else ""


def error_info(v: Any) -> ErrorInfo | None:
    """An ErrorInfo from an untrusted dict (missing/odd fields become defaults)."""
    if v is None:
        return None
    if type(v) is not dict:
        raise protocol.ProtocolError("malformed error field")
    mro = v.get("mro")
    mro = (tuple(m[:TYPE_CHARS] for m in mro[:MRO_ITEMS] if type(m) is str)
           if type(mro) is list else ())
    sig = v.get("signal")
    foreign = type(sig) is int and sig in FOREIGN_SIGNALS and v.get("cpu_limited") is False
    return ErrorInfo(_text(v.get("type"), TYPE_CHARS) or "Error",
                     _text(v.get("message"), MESSAGE_CHARS),
                     _text(v.get("traceback"), TRACEBACK_CHARS), mro, foreign)


def _output(msg: dict, limit: int) -> tuple[str, int]:
    text, dropped = msg["output"], msg["dropped"]
    text = text if type(text) is str else ""
    dropped = dropped if type(dropped) is int and dropped >= 0 else 0
    return text[:limit], dropped + max(len(text) - limit, 0)


def _failures(v: Any) -> tuple[str, ...]:
    items = v if type(v) in (list, tuple) else ()
    return tuple(f[:messages.MAX_FAILURE_CHARS] for f in items[:messages.MAX_FAILURES]
                 if type(f) is str)


def is_hello(msg: Any) -> bool:
    return messages.fields(msg, messages.HELLO) is not None


def hello_fields(msg: Any) -> dict:
    """A hello's fields ("confined" is still the worker's word: report.from_hello checks it)."""
    return messages.fields(msg, messages.HELLO) or {"confined": None}


def ready_from(msg: Any, elapsed: float, limit: int) -> Ready:
    """Validate the worker's ready message."""
    ready = messages.fields(msg, messages.READY)
    if ready is None or type(ready["names"]) is not dict:
        raise protocol.ProtocolError("malformed ready message")
    names = {k[:NAME_CHARS]: _text(v, TYPE_CHARS)
             for k, v in list(ready["names"].items())[:messages.MAX_NAMES]}
    stdout, dropped = _output(ready, limit)
    return Ready(MappingProxyType(names), error_info(ready["error"]), stdout, dropped,
                 elapsed, failures=_failures(ready["failures"]))


def reply_from(msg: Any, limit: int) -> Reply:
    """Validate a reply message (its id was checked by the caller)."""
    reply = messages.fields(msg, messages.REPLY)
    status = reply["status"] if reply is not None else None
    if status not in messages.REPLY_STATUSES:
        raise protocol.ProtocolError("malformed reply status")
    error = error_info(reply["error"])
    if status != "ok" and error is None:
        error = failure("Error", "no details")
    stdout, dropped = _output(reply, limit)
    value = reply["value"] if status == "ok" else None
    return Reply(status, value, None if status == "ok" else error, stdout, dropped)


def call(rid: int, probe: str, args: tuple, kwargs: dict, timeout: float) -> dict:
    """The request for one call."""
    return messages.message(messages.CALL, id=rid, probe=probe, args=args, kwargs=kwargs,
                            timeout=timeout)
