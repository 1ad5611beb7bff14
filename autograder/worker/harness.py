"""The untrusted worker: load the submission once, then serve each request in a fork.

Run as ``python -I -S -B harness.py SOURCE CONFIG_JSON`` with requests on fd 0
and replies on fd 1 (both moved to private fds at start; fd 0 then reads
/dev/null and fd 1 joins fd 2, a pipe the grader drains for diagnostics).
Before the submission runs the worker confines itself (confine.py: not dumpable, a
Landlock allowlist and signal scope) and says so in its "hello"; with a PID namespace
it first forks so that the server is the namespace's pid 1.
Everything here is untrusted once the submission has run: the grader judges
only the bytes it receives. The fork per request keeps one call's state from
leaking into the next and lets a call crash without taking the server down.
"""

from __future__ import annotations

import builtins
import io
import json
import math
import os
import posix
import resource
import select
import signal
import sys
import traceback
import types
from typing import Any


def _script_paths() -> None:
    """As a script under ``-I -S``: our siblings first, then the one site dir holding numpy.

    -S keeps site-packages off sys.path (no .pth files run, no editable installs of the
    grader appear); numpy's directory alone is added back, found here rather than by a
    separate probe process (one interpreter start less per grade).
    """
    import site

    if sys.version_info < (3, 10):  # noqa: UP036 - the grader may be given any interpreter
        sys.exit(f"the worker needs Python 3.10+, this is {sys.version.split()[0]}")
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    for d in _site_dirs(site.getsitepackages()):
        if os.path.isfile(os.path.join(d, "numpy", "__init__.py")):
            sys.path.append(d)
            return


def _site_dirs(base: list[str]) -> list[str]:
    """Where the interpreter would import packages from. Under -S, site.py never reads a
    virtual environment's pyvenv.cfg (sys.prefix is still the base interpreter's): done
    here, keeping the base's dirs only when the venv includes system site packages."""
    bin_dir = os.path.dirname(sys.executable)
    for env in (bin_dir, os.path.dirname(bin_dir)):
        cfg = os.path.join(env, "pyvenv.cfg")
        if os.path.isfile(cfg):
            version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
            with open(cfg, encoding="utf-8", errors="replace") as f:
                pairs = [line.partition("=") for line in f]
            shared = any(k.strip().lower() == "include-system-site-packages"
                         and v.strip().lower() == "true" for k, _, v in pairs)
            return [os.path.join(env, "lib", version, "site-packages"), *(base if shared else [])]
    return base


if __package__:
    from . import confine, probes, protocol
else:  # run as a script from the worker copy: siblings are top-level modules
    _script_paths()
    import confine
    import probes
    import protocol

MAX_MESSAGE = 2000
MAX_TRACEBACK = 8000
MAX_FRAMES = 20
MAX_NAMES = 2000
DISPLAY_NAME = "submission.py"

# Bound before the submission runs: it may monkeypatch os, signal, select, traceback.
_fork, _exit, _pipe, _close = os.fork, os._exit, os.pipe, os.close
_waitpid, _kill, _read = os.waitpid, os.kill, os.read
_getpid, _setpgid = os.getpid, os.setpgid
_select = select.select
_setitimer, _set_handler = signal.setitimer, signal.signal
_extract_tb, _format_list = traceback.extract_tb, traceback.format_list
_format_exception_only = traceback.format_exception_only
_mro_get = type.__dict__["__mro__"].__get__
_scope_self, _wait4 = confine.scope_self, os.wait4
_LANDLOCK_ABI = 0  # set by _confine() when the file-system allowlist is in force
_FunctionType = types.FunctionType
_OUR_BUILTINS = dict(vars(builtins))
_student_builtins = _OUR_BUILTINS


def _swap_builtins(new: dict) -> dict:
    """Install a builtins namespace, returning the one in force (students may patch theirs)."""
    space = vars(builtins)
    old = dict(space)
    space.clear()
    space.update(new)
    return old


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
    return s if len(s) <= MAX_MESSAGE else s[:MAX_MESSAGE] + "..."


def describe(exc: BaseException) -> dict[str, Any]:
    """Type, message and a traceback keeping only the submission's own frames."""
    try:
        return _describe(exc)
    except Exception:  # noqa: BLE001 - e.g. linecache patched by the student
        name = protocol.type_name(type(exc))
        return {"type": name, "mro": [name], "message": _safe_str(exc), "traceback": ""}


def _describe(exc: BaseException) -> dict[str, Any]:
    t = type(exc)
    name = protocol.type_name(t)
    msg = _safe_str(exc)
    if issubclass(t, SyntaxError):
        text = "".join(_format_exception_only(t, exc))
    else:
        frames = [f for f in _extract_tb(exc.__traceback__) if f.filename == DISPLAY_NAME]
        text = "".join(_format_list(frames[-MAX_FRAMES:]))
        text = ("Traceback (most recent call last):\n" + text if text else "")
        text += f"{name}: {msg}\n" if msg else f"{name}\n"
    mro = [protocol.type_name(c) for c in _mro_get(t)]
    return {"type": name, "mro": mro, "message": msg, "traceback": text[-MAX_TRACEBACK:]}


# ------------------------------------------------------------ loading

def _register_source(source: str) -> None:
    """Make tracebacks show the student's lines under the short name ``submission.py``."""
    import linecache

    lines = source.splitlines(keepends=True)
    linecache.cache[DISPLAY_NAME] = (len(source), None, lines, DISPLAY_NAME)


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


def load(path: str, timeout: float, output_limit: int) -> tuple[types.ModuleType, dict]:
    """Execute the source once as module ``submission``; return it and the ready message."""
    mod = types.ModuleType("submission")
    mod.__file__ = DISPLAY_NAME
    sys.modules["submission"] = mod
    sys.argv = [DISPLAY_NAME]  # as if run as a script; the config is none of its business
    capture = Capture(output_limit)
    with open(path, "rb") as f:
        raw = f.read()
    _register_source(raw.decode("utf-8", "replace"))
    with _LoadGuard(timeout, capture) as guard:
        error = _execute(raw, mod, guard)
    if _getpid() != guard.pid:
        _exit(0)  # a fork made at import fell through: it must never become a second server
    global _student_builtins
    # Our code runs on pristine builtins; the student's calls get theirs back.
    _student_builtins = _swap_builtins(_OUR_BUILTINS)
    ready = {"kind": "ready", "names": _defined_names(mod),
             "error": None if error is None else describe(error),
             "output": capture.text(), "dropped": capture.dropped}
    return mod, ready


def _execute(raw: bytes, mod: types.ModuleType, guard: _LoadGuard) -> BaseException | None:
    """Run the source in the module's namespace; what it raised, if anything."""
    try:
        try:
            exec(compile(raw, DISPLAY_NAME, "exec", dont_inherit=True), vars(mod))  # noqa: S102
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
            if len(out) >= MAX_NAMES:
                break
    return out


# ------------------------------------------------------------ serving

def probe_registry() -> dict[str, Any]:
    """Public functions defined in probes.py: the only things a request may run."""
    return {k: v for k, v in vars(probes).items()
            if not k.startswith("_") and type(v) is _FunctionType
            and v.__module__ == probes.__name__}


def _reply(rid: Any, status: str, **fields: Any) -> dict[str, Any]:
    base = {"kind": "reply", "id": rid, "status": status, "value": None, "error": None,
            "output": "", "dropped": 0}
    base.update(fields)
    return base


def _error(kind: str, message: str) -> dict[str, Any]:
    return {"type": kind, "mro": [kind], "message": message, "traceback": f"{kind}: {message}\n"}


def serve(req: int, rep: int, sub: types.ModuleType, cfg: dict) -> None:
    """Answer requests until the grader closes the request pipe."""
    registry = probe_registry()
    while True:
        _reap_orphans()
        try:
            payload = protocol.read_frame(req, cfg["max_frame"])
        except protocol.ProtocolError:
            _exit(3)
        if payload is None:
            _exit(0)
        msg = protocol.decode_payload(payload)
        frame, pid = handle(msg, sub, registry, cfg, (req, rep))
        protocol.write_all(rep, frame)
        # After the reply: the call's teardown overlaps the grader's checks of its result,
        # and the next request is read only once every process of this call is gone.
        if pid is not None:
            end_call(pid)


def handle(msg: Any, sub: types.ModuleType, registry: dict, cfg: dict,
           private: tuple[int, int]) -> tuple[bytes, int | None]:
    """One request -> one reply frame (from the forked child, or a crash report), and
    the pid of the call's child when there was one."""
    if type(msg) is not dict or msg.get("kind") != "call":
        return protocol.encode_frame(_reply(None, "error", error=_error("BadRequest", "?"))), None
    rid = msg.get("id")
    probe = registry.get(msg.get("probe"))
    if probe is None:
        err = _error("UnknownProbe", f"no probe named {msg.get('probe')!r}")
        return protocol.encode_frame(_reply(rid, "error", error=err)), None
    frame, death, pid = run_in_child(probe, msg, sub, cfg, private)
    if frame is None:
        error = {**_error("Crashed", death["message"]), **death}
        frame = protocol.encode_frame(_reply(rid, "crashed", error=error))
    return frame, pid


def run_in_child(probe: Any, msg: dict, sub: types.ModuleType, cfg: dict,
                 private: tuple[int, int]) -> tuple[bytes | None, dict, int | None]:
    """Fork, run the probe in the child: its reply frame or how it died without one, and
    its pid (still to be ended with `end_call`)."""
    r, w = _pipe()
    try:
        pid = _fork()
    except OSError as e:
        _close(r)
        _close(w)
        return None, {"message": f"could not start the call: {e.strerror}"}, None
    if pid == 0:
        _close(r)
        _child(w, probe, msg, sub, cfg, private)
    _close(w)
    try:
        return (*_collect(r, pid, cfg["max_frame"], _cpu_cap(msg.get("timeout"))), pid)
    finally:
        _close(r)


def end_call(pid: int) -> None:
    """Kill the call's child (it may linger after replying), reap it, then its group."""
    try:
        done, _ = _waitpid(pid, os.WNOHANG)
        if not done:  # still our unreaped child, so its pid cannot have been reused
            _kill(pid, signal.SIGKILL)
            _waitpid(pid, 0)
    except ChildProcessError:  # reaped already: the call died without replying
        pass
    _kill_group(pid)


def _kill_group(pgid: int) -> None:
    """Kill what the call left in its group (a fork bomb keeps forking: repeat)."""
    for _ in range(100):
        try:
            _kill(-pgid, signal.SIGKILL)
        except OSError:
            break
    _reap_orphans()


def _child(w: int, probe: Any, msg: dict, sub: types.ModuleType, cfg: dict,
           private: tuple[int, int]) -> None:
    """In the fork: run the probe, write one frame, and never return to the server loop."""
    code = 70
    try:
        _setpgid(0, 0)  # its own group: whatever the call forks is killed with it
        _scope_call()
        for fd in private:
            _close(fd)
        _limit_cpu(msg.get("timeout"))
        protocol.write_all(w, _run_probe(probe, msg, sub, cfg))
        code = 0
    finally:
        _exit(code)


def _scope_call() -> None:
    """A nested Landlock domain for the call: it may signal only itself and its own
    children, so a SIGKILL that ends the server is never the call's doing."""
    if _LANDLOCK_ABI:
        try:
            _scope_self(_LANDLOCK_ABI)
        except OSError:  # never the student's loss: a server it kills is retried anyway
            pass


def _cpu_cap(timeout: Any) -> int:
    """CPU seconds for a call (0: none): a backstop behind the grader's wall-clock deadline."""
    if type(timeout) not in (int, float) or not timeout > 0:
        return 0
    soft = math.ceil(timeout) + 1
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    return soft if hard == resource.RLIM_INFINITY else min(soft, hard)


def _limit_cpu(timeout: Any) -> None:
    """SIGXCPU at the cap, the kernel's SIGKILL a second later."""
    soft = _cpu_cap(timeout)
    if soft:
        hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
        resource.setrlimit(resource.RLIMIT_CPU, (soft, soft if hard == soft else soft + 1))


def _run_probe(probe: Any, msg: dict, sub: types.ModuleType, cfg: dict) -> bytes:
    """Call the probe with captured output; encode ok/error. Never raises."""
    capture = Capture(cfg["output_limit"])
    value, status, error = _invoke(probe, sub, msg, capture)
    error = None if error is None else describe(error)
    out = {"output": capture.text(), "dropped": capture.dropped}
    try:
        return protocol.encode_frame(_reply(msg.get("id"), status, value=value, error=error,
                                            **out), cfg["max_frame"])
    except protocol.FrameTooLarge as e:
        err = _error("ResultTooLarge", str(e))
    except BaseException as e:  # noqa: BLE001 - MemoryError etc. while encoding
        err = _error("EncodeError", protocol.type_name(type(e)))
    return protocol.encode_frame(_reply(msg.get("id"), "error", error=err, **out))


def _invoke(probe: Any, sub: types.ModuleType, msg: dict, capture: Capture
            ) -> tuple[Any, str, BaseException | None]:
    """The probe under the student's builtins and our capture; ours restored after."""
    sys.stdout = sys.stderr = capture
    args, kwargs = msg.get("args", ()), msg.get("kwargs", {})
    _swap_builtins(_student_builtins)
    try:
        result: tuple[Any, str, BaseException | None] = (probe(sub, *args, **kwargs), "ok", None)
    except BaseException as e:  # noqa: BLE001 - SystemExit and KeyboardInterrupt too
        result = (None, "error", e)
    _swap_builtins(_OUR_BUILTINS)
    sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    return result


def _collect(r: int, pid: int, max_frame: int, cpu: int) -> tuple[bytes | None, dict]:
    """Read exactly one frame from the child; do not wait for EOF (daemons may hold it).
    Without a frame: how the child ended (see `_death`)."""
    os.set_blocking(r, False)
    reader = protocol.FrameReader(max_frame)
    ended = None
    while True:
        if ended is None:
            _select([r], [], [], 0.05)
        data = _read_some(r)
        if data:
            try:
                frames = reader.feed(data)
            except protocol.ProtocolError as e:
                return None, {"message": f"invalid reply: {e}"}
            if frames:
                return protocol.LENGTH.pack(len(frames[0])) + frames[0], {}
            continue
        if data is None and ended is None:
            done, st, usage = _wait4(pid, os.WNOHANG)
            ended = (st, usage) if done else None
            continue
        if ended is None:  # EOF: every writer is gone
            ended = _wait4(pid, 0)[1:]
        return None, _death(*ended, cpu)


def _read_some(fd: int) -> bytes | None:
    """Available bytes, b"" at EOF, None when nothing is there yet."""
    try:
        return _read(fd, 1 << 20)
    except BlockingIOError:
        return None


def _death(status: int, usage: Any, cpu: int) -> dict:
    """How a call's process ended without replying: words, its signal, and whether its CPU
    time reached the call's cap (then the kernel's SIGKILL/SIGXCPU is the call's doing)."""
    used = usage.ru_utime + usage.ru_stime
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = str(sig)
        return {"message": f"the call's process was killed by signal {sig} ({name})",
                "signal": sig, "cpu_limited": bool(cpu) and used >= cpu - 0.05}
    return {"message": f"the call's process exited with status {os.WEXITSTATUS(status)} "
                       "without replying"}


def _reap_orphans() -> None:
    """As a subreaper the server inherits orphaned descendants: reap the dead ones."""
    while True:
        try:
            pid, _ = _waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


# ------------------------------------------------------------ start-up

def _take_pipes() -> tuple[int, int]:
    """Move the request/reply pipes off fds 0/1 so stray prints cannot corrupt the stream."""
    req, rep = os.dup(0), os.dup(1)  # dup() fds are close-on-exec
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(2, 1)
    os.close(null)
    return req, rep


def _become_subreaper() -> None:
    """Orphaned grandchildren (daemons) then stay our descendants, findable by the grader."""
    import contextlib
    import ctypes

    with contextlib.suppress(Exception):  # only a convenience for the grader's cleanup
        ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


def _confine(source: str, cfg: dict) -> dict:
    """Not dumpable, then (unless the grader said not to) the Landlock allowlist. Runs
    before any student code; what held goes to the grader in "hello"."""
    global _LANDLOCK_ABI
    done: dict[str, Any] = {}
    if not cfg.get("confine", True):
        return done
    try:
        confine.not_dumpable()
        done["nondumpable"] = True
    except OSError as e:
        done["nondumpable"] = str(e)
    numpy_dir = os.path.dirname(os.path.dirname(protocol.np.__file__))
    packages = [os.path.join(numpy_dir, name) for name in ("numpy", "numpy.libs")]
    try:
        read, write = confine.allowlist(source, os.getcwd(), packages)
        done["landlock"] = confine.restrict(read, write + list(cfg.get("writable", [])))
        _LANDLOCK_ABI = done["landlock"]["abi"]
    except OSError as e:
        done["landlock"] = {"error": str(e)}
    return done


def _become_pid1() -> None:
    """Plan.apply unshared a PID namespace, which only our children enter: fork, and the
    child goes on as the namespace's pid 1. Nothing inside can signal it, and when it
    ends the kernel kills everything left inside. The parent holds no pipe, waits, and
    ends the same way, so the grader sees the server's own end."""
    for _ in range(50):  # EAGAIN: our uid's process cap, while an earlier grade's die
        try:
            pid = _fork()
            break
        except BlockingIOError:
            _select([], [], [], 0.02)
    else:
        sys.stderr.write("the worker could not fork into its PID namespace (EAGAIN)\n")
        _exit(confine.EXIT_TEMPFAIL)
    if pid == 0:
        confine.die_with_parent()  # the parent killed from outside: the namespace goes too
        return
    for fd in (0, 1, 2):
        _close(fd)
    _set_handler(signal.SIGINT, signal.SIG_DFL)
    status = _waitpid(pid, 0)[1]
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig not in (signal.SIGKILL, signal.SIGSTOP):  # those two cannot be handled
            _set_handler(sig, signal.SIG_DFL)
        _kill(_getpid(), sig)
        _exit(128 + sig)  # a signal that does not end us (SIGCHLD...): say it anyway
    _exit(os.waitstatus_to_exitcode(status) & 0xFF)


def main(argv: list[str]) -> None:
    """Entry point: ``harness.py SOURCE CONFIG_JSON``."""
    cfg = json.loads(argv[2])
    if cfg.get("pidns"):
        _become_pid1()
    req, rep = _take_pipes()
    import faulthandler

    faulthandler.enable()
    _become_subreaper()
    confined = _confine(argv[1], cfg)
    # "hello" before any student code runs: silence after it is the submission's doing.
    protocol.write_all(rep, protocol.encode_frame({"kind": "hello", "confined": confined}))
    sub, ready = load(argv[1], cfg["load_timeout"], cfg["output_limit"])
    protocol.write_all(rep, protocol.encode_frame(ready, cfg["max_frame"]))
    serve(req, rep, sub, cfg)


if __name__ == "__main__":
    main(sys.argv)
