"""The untrusted worker: load the submission once, then serve each request in a fork.

Run as ``python -I -S -B server.py SOURCE CONFIG_JSON`` (messages.Config) with requests
on fd 0 and replies on fd 1 (both moved to private fds at start; fd 0 then reads
/dev/null and fd 1 joins fd 2, a pipe the grader drains for diagnostics). It says
"hello" (startup.py: how it confined itself) before the submission runs, "ready" once
loader.py has loaded it, then one "reply" per "call" (messages.py), each call run in a
fork (fork.py). Everything here is untrusted once the submission has run: the grader
judges only the bytes it receives.
"""

from __future__ import annotations

import os
import sys
import types
from typing import Any

if __package__:
    from . import fork, loader, messages, probes, protocol, registry, startup
else:  # run as a script from the worker copy: siblings are top-level modules
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import startup

    startup.numpy_path()  # before protocol imports numpy
    import fork
    import loader
    import messages
    import probes
    import protocol
    import registry

_exit = os._exit
_landlock_abi = 0  # set by main() when the file-system allowlist is in force


def probe_registry(extra: types.ModuleType | None = None) -> dict[str, Any]:
    """The generic probes, and an assignment's if it brought its own."""
    return {**registry.registry(probes), **(registry.registry(extra) if extra else {})}


def _assignment_probes(cfg: messages.Config) -> types.ModuleType | None:
    """The assignment's probes module beside ours, imported before any student code runs
    (its ``from builtins import ...`` must bind the genuine ones)."""
    if not cfg.probes:
        return None
    import importlib

    return importlib.import_module(messages.ASSIGNMENT_PROBES)


def serve(req: int, rep: int, sub: types.ModuleType, cfg: messages.Config,
          probes_by_name: dict) -> None:
    """Answer requests until the grader closes the request pipe."""
    while True:
        fork.reap_orphans()
        try:
            payload = protocol.read_frame(req, cfg.max_frame)
        except protocol.ProtocolError:
            _exit(3)
        if payload is None:
            _exit(0)
        msg = protocol.decode_payload(payload)
        frame, pid = handle(msg, sub, probes_by_name, cfg, (req, rep))
        protocol.write_all(rep, frame)
        # After the reply: the call's teardown overlaps the grader's checks of its result,
        # and the next request is read only once every process of this call is gone.
        if pid is not None:
            fork.end_call(pid)


def _reply(rid: Any, status: str, **values: Any) -> dict[str, Any]:
    return messages.message(messages.REPLY, id=rid, status=status, **values)


def handle(msg: Any, sub: types.ModuleType, probes_by_name: dict, cfg: messages.Config,
           private: tuple[int, int]) -> tuple[bytes, int | None]:
    """One request -> one reply frame (from the forked child, or a crash report), and
    the pid of the call's child when there was one."""
    call = messages.fields(msg, messages.CALL)
    if call is None:
        err = messages.error_info("BadRequest", "?")
        return protocol.encode_frame(_reply(None, "error", error=err)), None
    rid = call["id"]
    probe = probes_by_name.get(call["probe"]) if type(call["probe"]) is str else None
    if probe is None:
        err = messages.error_info("UnknownProbe", f"no probe named {call['probe']!r}")
        return protocol.encode_frame(_reply(rid, "error", error=err)), None
    frame, death, pid = fork.run_in_child(lambda: _run_probe(probe, call, sub, cfg),
                                          call["timeout"], cfg.max_frame, private, _landlock_abi)
    if frame is None:
        error = {**messages.error_info("Crashed", death["message"]), **death}
        frame = protocol.encode_frame(_reply(rid, "crashed", error=error))
    return frame, pid


def _run_probe(probe: Any, call: dict, sub: types.ModuleType, cfg: messages.Config) -> bytes:
    """Call the probe with captured output; encode ok/error. Never raises."""
    capture = loader.Capture(cfg.output_limit)
    value, status, error = _invoke(probe, sub, call, capture)
    error = None if error is None else loader.describe(error)
    out = {"output": capture.text(), "dropped": capture.dropped}
    rid = call["id"]
    try:
        return protocol.encode_frame(_reply(rid, status, value=value, error=error, **out),
                                     cfg.max_frame)
    except protocol.FrameTooLarge as e:
        err = messages.error_info("ResultTooLarge", str(e))
    except BaseException as e:  # noqa: BLE001 - MemoryError etc. while encoding
        err = messages.error_info("EncodeError", protocol.type_name(type(e)))
    return protocol.encode_frame(_reply(rid, "error", error=err, **out))


def _invoke(probe: Any, sub: types.ModuleType, call: dict, capture: loader.Capture
            ) -> tuple[Any, str, BaseException | None]:
    """The probe under the student's builtins and our capture; ours restored after."""
    sys.stdout = sys.stderr = capture
    args, kwargs = call["args"], call["kwargs"] or {}
    loader.as_student()
    try:
        result: tuple[Any, str, BaseException | None] = (probe(sub, *args, **kwargs), "ok", None)
    except BaseException as e:  # noqa: BLE001 - SystemExit and KeyboardInterrupt too
        result = (None, "error", e)
    loader.as_ours()
    sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    return result


def main(argv: list[str]) -> None:
    """Entry point: ``server.py SOURCE CONFIG_JSON``."""
    cfg = messages.Config.from_json(argv[2])
    if cfg.pidns:
        startup.become_pid1()
    req, rep = startup.take_pipes()
    import faulthandler

    faulthandler.enable()
    startup.become_subreaper()
    probes_by_name = probe_registry(_assignment_probes(cfg))
    # numpy loads numpy.random at its first use. Loaded here, before the submission and
    # every call's fork, its global generator is one state shared by all the forks, as
    # a notebook that drew from it would be; made inside a fork, it would differ per call.
    import numpy.random  # noqa: F401
    confined = (startup.confine_self(argv[1], protocol.np.__file__, list(cfg.writable))
                if cfg.confine else {})
    global _landlock_abi
    _landlock_abi = confined.get("landlock", {}).get("abi", 0) or 0
    # "hello" before any student code runs: silence after it is the submission's doing.
    protocol.write_all(rep, protocol.encode_frame(messages.message(messages.HELLO,
                                                                   confined=confined)))
    sub, ready = loader.load(argv[1], cfg)
    protocol.write_all(rep, protocol.encode_frame(ready, cfg.max_frame))
    serve(req, rep, sub, cfg, probes_by_name)


if __name__ == "__main__":
    main(sys.argv)
