"""The one message schema between the grader and the worker, and what the grader hands over.

Every message is a dict ``{"kind": KIND, **fields}`` sent as one frame (protocol.py).
``SCHEMA`` lists each kind's fields with their defaults; the worker builds messages with
``message()``, the grader reads them with ``fields()`` (sandbox/messages.py then checks
every value, since nothing the worker sends is trusted):

    worker -> grader  hello  before any student code runs: the layers it applied itself
                      ready  the submission is loaded: names, load error, output, failures
                      reply  one call's outcome: status (REPLY_STATUSES), value or error
    grader -> worker  call   run probe ``probe`` with ``args``/``kwargs`` within ``timeout``

An error is ``error_info()``'s dict: type, its class names (mro), message, traceback;
a call's process that died without replying adds ``signal`` and ``cpu_limited``.
The worker starts with one ``Config`` (JSON on its command line) and the submission in
one file: its code, or the notebook's ``Chunks``. Stdlib only: this runs in the worker.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

HELLO, READY, CALL, REPLY = "hello", "ready", "call", "reply"
REPLY_STATUSES = ("ok", "error", "crashed")
SCHEMA: dict[str, dict[str, Any]] = {
    HELLO: {"confined": None},
    READY: {"names": None, "error": None, "output": "", "dropped": 0, "failures": ()},
    CALL: {"id": None, "probe": None, "args": (), "kwargs": None, "timeout": None},
    REPLY: {"id": None, "status": "error", "value": None, "error": None, "output": "",
            "dropped": 0},
}
MAX_NAMES = 2000          # top-level names listed in "ready"
MAX_FAILURES = 20         # chunks whose failure "ready" reports
MAX_FAILURE_CHARS = 300   # of each such failure
MAX_MESSAGE = 2000        # characters of an exception's message
MAX_TRACEBACK = 8000      # characters of a traceback
MAX_FRAMES = 20           # traceback entries kept (the student's own)
DISPLAY_NAME = "submission.py"    # what tracebacks call the student's code
ASSIGNMENT_PROBES = "assignment_probes"  # an assignment's probes, beside the generic ones


def message(kind: str, **values: Any) -> dict[str, Any]:
    """A message of ``kind``: every field of the schema, defaults where not given."""
    unknown = set(values) - set(SCHEMA[kind])
    if unknown:
        raise ValueError(f"{kind} has no fields {sorted(unknown)}")
    return {"kind": kind, **SCHEMA[kind], **values}


def fields(msg: Any, kind: str) -> dict[str, Any] | None:
    """The schema's fields of ``msg`` if it is a message of ``kind`` (defaults for missing
    ones), else None. The values are still the peer's: the reader checks each one."""
    if type(msg) is not dict or msg.get("kind") != kind:
        return None
    return {name: msg.get(name, default) for name, default in SCHEMA[kind].items()}


def error_info(kind: str, message: str, traceback: str | None = None,
               mro: list[str] | None = None) -> dict[str, Any]:
    """An error's fields; without a traceback, one line naming it."""
    return {"type": kind, "mro": mro or [kind], "message": message,
            "traceback": f"{kind}: {message}\n" if traceback is None else traceback}


@dataclass(frozen=True)
class Config:
    """How the grader starts the worker (sent as JSON on its command line)."""

    load_timeout: float
    output_limit: int       # characters of stdout+stderr kept per load or call
    max_frame: int          # protocol frame cap, both directions
    confine: bool = True    # Landlock and not dumpable (False only to measure them)
    pidns: bool = False     # fork into the PID namespace the grader unshared
    writable: tuple[str, ...] = ()  # folders the worker may write besides its own
    chunked: bool = False   # the submission file holds Chunks, not code
    probes: bool = False    # an assignment's probes lie beside the generic ones

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Config:
        values = json.loads(text)
        return cls(**{**values, "writable": tuple(values.get("writable", ()))})


@dataclass(frozen=True)
class Chunks:
    """A notebook's definitions as separately run pieces: (name, code) each, named after
    their cell, and the ``from __future__`` features every piece is compiled with."""

    pieces: tuple[tuple[str, str], ...]
    features: tuple[str, ...] = ()

    def to_json(self) -> bytes:
        return json.dumps({"pieces": self.pieces, "features": self.features}).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Chunks:
        values = json.loads(raw)
        return cls(tuple((str(n), str(t)) for n, t in values["pieces"]),
                   tuple(values["features"]))
