"""Every limit and timeout of the sandbox, defined once (grade.py's Options use these).

Per call and per load the grader enforces a wall-clock deadline; the worker adds its own
alarm (the load) and a CPU cap (each call) behind it. The rlimits hold per process.
"""

from __future__ import annotations

from dataclasses import dataclass

from autograder.worker import protocol

CALL_TIMEOUT = 10.0    # seconds per call of a hidden test
# Loading runs only definitions (extraction.py), never experiments: seconds are plenty.
LOAD_TIMEOUT = 10.0
STARTUP_GRACE = 20.0   # interpreter start + numpy import, before any student code runs
LOAD_GRACE = 1.0       # past the load timeout, for code that swallows the worker's alarm
MAX_DEATHS = 5         # consecutive worker deaths before giving up on restarts
LOG_KEEP = 8192        # bytes of the worker's raw fd 1/2 output kept (its tail)
PIPE_SIZE = 1 << 20    # request/reply pipes and each read or write on them: fewer wake-ups
STOP_WAIT = 5.0        # seconds to wait for a killed worker (and its processes) to go


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
    max_frame: int = protocol.DEFAULT_MAX_FRAME  # protocol frame cap, both directions
