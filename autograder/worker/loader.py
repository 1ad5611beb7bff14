"""Load the submission once, in the worker: its code whole, or a notebook's chunks one by one.

The load runs under a deadline (SIGALRM) with bounded output and ``os._exit`` turned
into SystemExit. Chunks run separately, so one failing chunk (an import of the
notebook's plotting helpers, say) does not stop the ones after it: what failed goes to
the grader in the "ready" message. Afterwards our own code runs on pristine builtins
and every call gets the student's (which they may have patched) back.
"""

from __future__ import annotations

import builtins
import io
import os
import posix
import signal
import sys
import traceback
import types
from typing import Any

if __package__:
    from . import messages, protocol
else:  # in the worker copy: siblings are top-level modules
    import messages
    import protocol

# Bound before the submission runs: it may monkeypatch os, signal, traceback.
_exit, _getpid = os._exit, os.getpid
_setitimer, _set_handler = signal.setitimer, signal.signal
_extract_tb, _format_list = traceback.extract_tb, traceback.format_list
_format_exception_only = traceback.format_exception_only
_mro_get = type.__dict__["__mro__"].__get__
_compile, _exec = compile, exec
_OUR_BUILTINS = dict(vars(builtins))
_student_builtins = _OUR_BUILTINS


def _swap_builtins(new: dict) -> dict:
    """Install a builtins namespace, returning the one in force (students may patch theirs)."""
    space = vars(builtins)
    old = dict(space)
    space.clear()
    space.update(new)
    return old


def as_student() -> None:
    """The student's builtins, for a call into their code."""
    _swap_builtins(_student_builtins)


def as_ours() -> None:
    """Our pristine builtins, after a call."""
    _swap_builtins(_OUR_BUILTINS)


class Capture(io.TextIOBase):
    """A bounded stdout/stderr sink: keeps the first ``limit`` characters, counts the rest."""

    encoding = "utf-8"
    errors = "replace"

    def __init__(self, limit: int) -> None:
        super().__init__()
        self._parts: list[str] = []
        self._room = limit
        self.dropped = 0

    def write(self, s: Any) -> int:
        """Keep what fits; a 100 MB print costs one slice, not 100 MB of memory."""
        if not isinstance(s, str):
            raise TypeError(f"write() argument must be str, not {protocol.type_name(type(s))}")
        s = str.__str__(s)
        keep = s[: max(self._room, 0)]
        if keep:
            self._parts.append(keep)
            self._room -= len(keep)
        self.dropped += len(s) - len(keep)
        return len(s)

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def text(self) -> str:
        """Everything kept so far."""
        return "".join(self._parts)


class LoadTimeout(BaseException):
    """Raised into the submission when loading it takes too long."""


# ------------------------------------------------------------ describing errors

def _safe_str(exc: BaseException) -> str:
    """str(exc), which runs student code for student exceptions: guard it."""
    try:
        s = str(exc)
    except BaseException:  # noqa: BLE001 - even KeyboardInterrupt from a hostile __str__
        return "<exception message could not be printed>"
    limit = messages.MAX_MESSAGE
    return s if len(s) <= limit else s[:limit] + "..."


def describe(exc: BaseException) -> dict[str, Any]:
    """Type, message and a traceback keeping only the submission's own frames."""
    try:
        return _describe(exc)
    except Exception:  # noqa: BLE001 - e.g. linecache patched by the student
        return messages.error_info(protocol.type_name(type(exc)), _safe_str(exc), "")


def _describe(exc: BaseException) -> dict[str, Any]:
    t = type(exc)
    name = protocol.type_name(t)
    msg = _safe_str(exc)
    if issubclass(t, SyntaxError):
        text = "".join(_format_exception_only(t, exc))
    else:
        frames = [f for f in _extract_tb(exc.__traceback__)
                  if f.filename == messages.DISPLAY_NAME]
        text = "".join(_format_list(frames[-messages.MAX_FRAMES:]))
        text = ("Traceback (most recent call last):\n" + text if text else "")
        text += f"{name}: {msg}\n" if msg else f"{name}\n"
    mro = [protocol.type_name(c) for c in _mro_get(t)]
    return messages.error_info(name, msg, text[-messages.MAX_TRACEBACK:], mro)


# ------------------------------------------------------------ loading

def _register(name: str, text: str) -> None:
    """Make tracebacks show the student's lines under ``name``."""
    import linecache

    linecache.cache[name] = (len(text), None, text.splitlines(keepends=True), name)


class _LoadGuard:
    """During the load: a deadline (SIGALRM), bounded output, os._exit turned into SystemExit."""

    def __init__(self, timeout: float, capture: Capture) -> None:
        self.timeout, self.capture, self.armed = timeout, capture, False
        self.pid = _getpid()

    def _alarm(self, signum: int, frame: Any) -> None:
        if self.armed:
            raise LoadTimeout(f"loading the submission took more than {self.timeout:g} s")

    def _trapped_exit(self, code: int = 0) -> None:
        if _getpid() != self.pid:
            _exit(code)  # a process the submission forked: it really ends here
        raise SystemExit(f"os._exit({code!r}) called while loading the submission")

    def __enter__(self) -> _LoadGuard:  # noqa: PYI034 - typing.Self is 3.11+
        sys.stdout = sys.stderr = self.capture
        os._exit = posix._exit = self._trapped_exit
        _set_handler(signal.SIGALRM, self._alarm)
        self.armed = True
        _setitimer(signal.ITIMER_REAL, self.timeout)
        return self

    def __exit__(self, *exc: object) -> None:
        self.armed = False
        _setitimer(signal.ITIMER_REAL, 0)
        _set_handler(signal.SIGALRM, signal.SIG_DFL)
        os._exit = posix._exit = _exit
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__


def load(path: str, cfg: messages.Config) -> tuple[types.ModuleType, dict]:
    """Execute the submission once as module ``submission``; return it and "ready"."""
    mod = types.ModuleType("submission")
    mod.__file__ = messages.DISPLAY_NAME
    sys.modules["submission"] = mod
    sys.argv = [messages.DISPLAY_NAME]  # as if run as a script; the config is none of its business
    capture = Capture(cfg.output_limit)
    with open(path, "rb") as f:
        raw = f.read()
    failures: list[str] = []
    if cfg.chunked:
        chunks = messages.Chunks.from_json(raw)
        run = lambda: failures.extend(run_chunks(chunks, vars(mod)))
    else:
        _register(messages.DISPLAY_NAME, raw.decode("utf-8", "replace"))
        run = lambda: _exec(_compile(raw, messages.DISPLAY_NAME, "exec",
                                     dont_inherit=True), vars(mod))
    with _LoadGuard(cfg.load_timeout, capture) as guard:
        error = _execute(run, guard)
    if _getpid() != guard.pid:
        _exit(0)  # a fork made at import fell through: it must never become a second server
    global _student_builtins
    # Our code runs on pristine builtins; the student's calls get theirs back.
    _student_builtins = _swap_builtins(_OUR_BUILTINS)
    ready = messages.message(
        messages.READY, names=_defined_names(mod),
        error=None if error is None else describe(error), output=capture.text(),
        dropped=capture.dropped,
        failures=[f[:messages.MAX_FAILURE_CHARS] for f in failures[:messages.MAX_FAILURES]])
    return mod, ready


def run_chunks(chunks: messages.Chunks, namespace: dict) -> list[str]:
    """Run each chunk in ``namespace``, named after its cell so that tracebacks read
    "cell 12, line 4"; the chunks that failed, in words. An exception that is neither an
    Exception nor SystemExit (the load's deadline, KeyboardInterrupt) stops the load."""
    import __future__

    flags = 0
    for feature in chunks.features:
        flags |= getattr(__future__, feature).compiler_flag
    failures = []
    for name, text in chunks.pieces:
        _register(name, text)
        try:
            _exec(_compile(text, name, "exec", flags, dont_inherit=True), namespace)
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - one chunk, not the load
            failures.append(f"{name}: {type(exc).__name__}: {exc}"[:messages.MAX_FAILURE_CHARS])
    return failures


def _execute(run: Any, guard: _LoadGuard) -> BaseException | None:
    """Run the submission; what it raised, if anything."""
    try:
        try:
            run()
        finally:
            guard.armed = False  # a late alarm lands in the except below, never past it
    except BaseException as e:  # noqa: BLE001 - SystemExit, KeyboardInterrupt, LoadTimeout
        return e
    return None


def _defined_names(mod: types.ModuleType) -> dict[str, str]:
    """Top-level names (no dunders) -> their type's name."""
    out = {}
    for k, v in list(vars(mod).items()):
        if type(k) is str and not (k.startswith("__") and k.endswith("__")):
            out[k] = protocol.type_name(type(v))
            if len(out) >= messages.MAX_NAMES:
                break
    return out
