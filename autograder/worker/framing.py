"""Frames on a pipe: ``>Q length`` + payload, with a size cap in both directions.

Stdlib only: this module also runs inside the worker (protocol.py puts values in the
payloads).
"""

from __future__ import annotations

import os
import struct

LENGTH = struct.Struct(">Q")
DEFAULT_MAX_FRAME = 64 << 20
READ_CHUNK = 1 << 20

# Bound once at import: student code may later monkeypatch os in the worker.
_os_read = os.read
_os_write = os.write


class ProtocolError(Exception):
    """A frame or message that does not follow the protocol."""


class FrameTooLarge(ProtocolError):
    """A frame above the size cap (refused by the writer or the reader)."""


class FrameReader:
    """Incremental frame splitter for non-blocking reads (used by the grader)."""

    def __init__(self, max_frame: int = DEFAULT_MAX_FRAME) -> None:
        self.max_frame = max_frame
        self._head = bytearray()      # the length prefix being read
        self._parts: list[bytes] = []  # payload chunks of the current frame
        self._have = 0
        self._need: int | None = None

    @property
    def pending(self) -> int:
        """Bytes of an incomplete frame held so far (0 at a frame boundary)."""
        return len(self._head) + self._have + (self._need is not None)

    def _start(self, view: memoryview) -> memoryview:
        """Consume length-prefix bytes; set ``_need`` once all 8 are there."""
        take = LENGTH.size - len(self._head)
        self._head += view[:take]
        if len(self._head) == LENGTH.size:
            (n,) = LENGTH.unpack(self._head)
            if n > self.max_frame:
                raise FrameTooLarge(f"peer announced a frame of {n} bytes (cap {self.max_frame})")
            self._need = n
            self._head.clear()
        return view[take:]

    def feed(self, data: bytes) -> list[bytes]:
        """Add bytes; return the payloads of all frames completed by them."""
        out, view = [], memoryview(data)
        while True:
            if self._need is None:
                view = self._start(view)
                if self._need is None:
                    return out
            take = min(self._need - self._have, len(view))
            if take:
                self._parts.append(view[:take].tobytes())
                self._have += take
                view = view[take:]
            if self._have < self._need:
                return out
            out.append(b"".join(self._parts))
            self._parts, self._have, self._need = [], 0, None


def read_exact(fd: int, n: int) -> bytes:
    """Exactly ``n`` bytes from a blocking fd; shorter only at EOF."""
    parts, got = [], 0
    while got < n:
        chunk = _os_read(fd, min(n - got, READ_CHUNK))
        if not chunk:
            break
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


def read_frame(fd: int, max_frame: int = DEFAULT_MAX_FRAME) -> bytes | None:
    """One payload from a blocking fd; None on EOF at a frame boundary."""
    prefix = read_exact(fd, LENGTH.size)
    if not prefix:
        return None
    if len(prefix) < LENGTH.size:
        raise ProtocolError("truncated frame length")
    (n,) = LENGTH.unpack(prefix)
    if n > max_frame:
        raise FrameTooLarge(f"frame of {n} bytes exceeds the cap of {max_frame}")
    payload = read_exact(fd, n)
    if len(payload) < n:
        raise ProtocolError("truncated frame")
    return payload


def write_all(fd: int, data: bytes) -> None:
    """Write every byte to a blocking fd."""
    view = memoryview(data)
    while view:
        view = view[_os_write(fd, view):]
