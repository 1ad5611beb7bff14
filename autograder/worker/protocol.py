"""Wire protocol between the trusted grader and the untrusted worker.

A frame is ``>Q length`` + payload; the payload is ``>I header length`` + a JSON
header + zero or more ``.npy`` blobs. The header is ``{"value": V, "arrays":
[sizes]}`` where V is one encoded value (messages are dicts). Encoding tags every
container so that a student's dict can never be mistaken for a tag:

    None/bool/int/float/str -> JSON      list -> {"L": [...]}   tuple -> {"T": [...]}
    dict (str keys) -> {"D": {...}}      ndarray -> {"A": index}  complex -> {"C": [re, im]}
    anything else -> {"U": "<type name>"}

The encoder never calls an object's own methods (a student's value may lie in
``__eq__``/``__repr__``/``__array__``): subclasses of builtins are converted with
the base type's C methods. The decoder trusts nothing: exact JSON types, bounded
depth, every array referenced exactly once, arrays read only with
``np.load(..., allow_pickle=False)`` after checking their header, numeric/bool
dtypes only. Stdlib + numpy only: this module also runs inside the worker.
"""

from __future__ import annotations

import io
import json
import math
import os
import struct
from dataclasses import dataclass
from typing import Any

import numpy as np

LENGTH = struct.Struct(">Q")
HEADER_LENGTH = struct.Struct(">I")
DEFAULT_MAX_FRAME = 64 << 20
MAX_DEPTH = 64
MAX_INT_BITS = 8192            # JSON ints above ~2400 digits trip int->str limits
ALLOWED_KINDS = frozenset("biufc")
NPY_MAGIC = b"\x93NUMPY"
_READ_CHUNK = 1 << 20

# Bound once at import: student code may later monkeypatch json/numpy in the worker.
_dumps = json.dumps
_loads = json.loads
_view = np.ndarray.view
_tobytes = np.ndarray.tobytes
_BytesIO = io.BytesIO
_read_magic = np.lib.format.read_magic
_read_header = {(1, 0): np.lib.format.read_array_header_1_0,
                (2, 0): np.lib.format.read_array_header_2_0}
_np_load = np.load
_item = np.generic.item
_ndarray = np.ndarray
_generic = np.generic
_type_name_get = type.__dict__["__qualname__"].__get__
_float_of = float.__float__
_int_of = int.__int__
_str_of = str.__str__
_complex_real = complex.real.__get__
_complex_imag = complex.imag.__get__
_list_copy = list.copy
_tuple_items = tuple.__getitem__
_dict_items = dict.items
_os_read = os.read
_os_write = os.write


class ProtocolError(Exception):
    """A frame or message that does not follow the protocol."""


class FrameTooLarge(ProtocolError):
    """A frame above the size cap (refused by the writer or the reader)."""


@dataclass(frozen=True)
class Unsupported:
    """Stands for a value the worker could not send as data (never equal to real data)."""

    type_name: str


def type_name(t: type) -> str:
    """A type's qualified name read from the type slot, never via a metaclass property."""
    try:
        name = _type_name_get(t)
    except Exception:  # noqa: BLE001 - a broken type is still just "unknown"
        return "<unknown>"
    return name[:100] if type(name) is str else "<unknown>"


# ---------------------------------------------------------------- encoding

def encode_value(x: Any, arrays: list, depth: int = 0) -> Any:
    """Turn ``x`` into a JSON-able tree, appending ``.npy`` parts to ``arrays``."""
    t = type(x)
    if x is None or t is bool or t is str or t is float:
        return x
    if t is int:
        return x if x.bit_length() <= MAX_INT_BITS else {"U": "int (too large)"}
    if depth >= MAX_DEPTH:
        return {"U": "too deeply nested"}
    if issubclass(t, _ndarray):
        return _encode_array(x, arrays)
    if issubclass(t, _generic):
        return _encode_numpy_scalar(x)
    return _encode_other(x, t, arrays, depth)


def _encode_other(x: Any, t: type, arrays: list, depth: int) -> Any:
    """Containers and subclasses of builtins, via the base types' own methods."""
    if issubclass(t, list):
        return {"L": [encode_value(v, arrays, depth + 1) for v in _list_copy(x)]}
    if issubclass(t, tuple):
        items = _tuple_items(x, slice(None))
        return {"T": [encode_value(v, arrays, depth + 1) for v in items]}
    if issubclass(t, dict):
        return _encode_dict(x, arrays, depth)
    if issubclass(t, float):
        return _float_of(x)
    if issubclass(t, int):  # bool cannot be subclassed, so this is a real int subclass
        return encode_value(_int_of(x), arrays, depth)
    if issubclass(t, str):
        return _str_of(x)
    if issubclass(t, complex):
        return {"C": [_complex_real(x), _complex_imag(x)]}
    return {"U": type_name(t)}


def _encode_dict(x: dict, arrays: list, depth: int) -> Any:
    """A dict with str keys; any other key makes the whole dict unsupported."""
    out = {}
    for k, v in list(_dict_items(x)):
        if not issubclass(type(k), str):
            return {"U": "dict with non-str keys"}
        out[_str_of(k)] = encode_value(v, arrays, depth + 1)
    return {"D": out}


def _encode_numpy_scalar(x: Any) -> Any:
    """A numpy scalar as the Python value its dtype maps to (bool/int/float/complex/str)."""
    try:
        v = _item(x)
    except Exception:  # noqa: BLE001
        return {"U": type_name(type(x))}
    t = type(v)
    if t is bool or t is float or t is str:
        return v
    if t is int:
        return v if v.bit_length() <= MAX_INT_BITS else {"U": "int (too large)"}
    if t is complex:
        return {"C": [v.real, v.imag]}
    return {"U": type_name(type(x))}


def _encode_array(x: Any, arrays: list) -> Any:
    """An ndarray (or subclass, viewed as a plain ndarray) as one ``.npy`` blob."""
    plain = _view(x, _ndarray)
    dt = plain.dtype
    if dt.kind not in ALLOWED_KINDS or dt.fields is not None or dt.subdtype is not None:
        return {"U": f"ndarray[{dt.str}]"}
    arrays.append(npy_parts(plain))
    return {"A": len(arrays) - 1}


def npy_parts(plain: np.ndarray) -> tuple[bytes, Any, int]:
    """``.npy`` v1.0 header and data of a plain numeric array, built here rather than by
    np.save: only C-level ndarray methods run, so a numpy patched by a student cannot
    interfere, and a C-contiguous array is not copied until the frame is joined."""
    header = f"{{'descr': {plain.dtype.str!r}, 'fortran_order': False, 'shape': {plain.shape!r}, }}"
    header += " " * (-(len(NPY_MAGIC) + 4 + len(header) + 1) % 64) + "\n"
    head = b"".join([NPY_MAGIC, b"\x01\x00", struct.pack("<H", len(header)),
                     header.encode("latin1")])
    data = plain if plain.flags.c_contiguous else _tobytes(plain, "C")
    return head, data, len(head) + plain.nbytes


def encode_frame(message: Any, max_frame: int = DEFAULT_MAX_FRAME) -> bytes:
    """One complete frame (length prefix included) carrying ``message``."""
    arrays: list[tuple[bytes, Any, int]] = []
    value = encode_value(message, arrays)
    sizes = [size for _, _, size in arrays]
    head = {"value": value, "arrays": sizes}
    head_bytes = _dumps(head, separators=(",", ":")).encode("ascii")
    size = HEADER_LENGTH.size + len(head_bytes) + sum(sizes)
    if size > max_frame:
        raise FrameTooLarge(f"frame of {size} bytes exceeds the cap of {max_frame}")
    parts = [LENGTH.pack(size), HEADER_LENGTH.pack(len(head_bytes)), head_bytes]
    for head_part, data, _ in arrays:
        parts += [head_part, data]
    return b"".join(parts)


# ---------------------------------------------------------------- decoding

def decode_payload(payload: bytes, max_depth: int = MAX_DEPTH + 2) -> Any:
    """The message of one frame payload (without the length prefix); ProtocolError if bad."""
    head, blobs = _split_payload(payload)
    arrays = [load_array(b) for b in blobs]
    used: set[int] = set()
    value = _decode_value(head["value"], arrays, used, 0, max_depth)
    if len(used) != len(arrays):
        raise ProtocolError(f"{len(arrays) - len(used)} attached arrays are not referenced")
    return value


def _split_payload(payload: bytes) -> tuple[dict, list[memoryview]]:
    """Parse the JSON header and cut the array blobs out of the payload."""
    view = memoryview(payload)
    if len(view) < HEADER_LENGTH.size:
        raise ProtocolError("payload shorter than its header length")
    (hlen,) = HEADER_LENGTH.unpack_from(view)
    end = HEADER_LENGTH.size + hlen
    if end > len(view):
        raise ProtocolError("header longer than the payload")
    head = _parse_json(bytes(view[HEADER_LENGTH.size:end]))
    sizes = head.get("arrays") if type(head) is dict else None
    if type(sizes) is not list or "value" not in head or any(
            type(n) is not int or n < 0 for n in sizes):
        raise ProtocolError("malformed frame header")
    if sum(sizes) != len(view) - end:
        raise ProtocolError("array sizes do not add up to the payload length")
    blobs, pos = [], end
    for n in sizes:
        blobs.append(view[pos:pos + n])
        pos += n
    return head, blobs


def _parse_json(raw: bytes) -> Any:
    """JSON from the peer; any failure (bad UTF-8, syntax, nesting, huge ints) is protocol."""
    try:
        return _loads(raw.decode("utf-8"))
    except (ValueError, RecursionError, MemoryError) as e:
        raise ProtocolError(f"malformed JSON header: {type(e).__name__}") from None


def _decode_value(j: Any, arrays: list, used: set[int], depth: int, max_depth: int) -> Any:
    """Rebuild a value from its tagged JSON tree."""
    t = type(j)
    if j is None or t is bool or t is int or t is float or t is str:
        return j
    if depth > max_depth:
        raise ProtocolError("value nested too deeply")
    if t is not dict or len(j) != 1:
        raise ProtocolError("malformed value")
    ((tag, body),) = j.items()
    bt = type(body)
    if tag in ("L", "T") and bt is list:
        items = [_decode_value(v, arrays, used, depth + 1, max_depth) for v in body]
        return items if tag == "L" else tuple(items)
    if tag == "D" and bt is dict:
        return {k: _decode_value(v, arrays, used, depth + 1, max_depth) for k, v in body.items()}
    return _decode_leaf(tag, body, arrays, used)


def _decode_leaf(tag: str, body: Any, arrays: list, used: set[int]) -> Any:
    """Array references, complex numbers and unsupported markers."""
    bt = type(body)
    if tag == "A" and bt is int:
        if not 0 <= body < len(arrays) or body in used:
            raise ProtocolError(f"bad array reference {body}")
        used.add(body)
        return arrays[body]
    if tag == "U" and bt is str:
        return Unsupported(body[:200])
    if tag == "C" and bt is list and len(body) == 2 and all(
            type(v) in (int, float) for v in body):
        return complex(float(body[0]), float(body[1]))
    raise ProtocolError(f"unknown value tag {str(tag)[:20]!r}")


def load_array(blob: bytes | memoryview) -> np.ndarray:
    """A numeric/bool ndarray from ``.npy`` bytes; header checked before numpy reads it."""
    raw = bytes(blob)
    if not raw.startswith(NPY_MAGIC):
        raise ProtocolError("array blob is not in .npy format")
    bio = _BytesIO(raw)
    shape, dtype = _check_npy_header(bio)
    count = math.prod(shape)
    if count * dtype.itemsize != len(raw) - bio.tell():
        raise ProtocolError("array data size does not match its header")
    try:
        arr = _np_load(_BytesIO(raw), allow_pickle=False)
    except Exception as e:  # noqa: BLE001 - any numpy complaint is a bad frame
        raise ProtocolError(f"unreadable array: {type(e).__name__}") from None
    if type(arr) is not np.ndarray or arr.shape != shape or arr.dtype != dtype:
        raise ProtocolError("array does not match its header")
    return arr


def _check_npy_header(bio: io.BytesIO) -> tuple[tuple[int, ...], np.dtype]:
    """Shape and dtype from an npy header, refusing pickles, objects and structures."""
    try:
        version = _read_magic(bio)
        reader = _read_header.get(version)
        if reader is None:
            raise ProtocolError(f"unsupported .npy version {version}")
        shape, _fortran, dtype = reader(bio)
    except ProtocolError:
        raise
    except Exception as e:  # noqa: BLE001 - numpy raises ValueError/SyntaxError/...
        raise ProtocolError(f"bad .npy header: {type(e).__name__}") from None
    if not isinstance(dtype, np.dtype):
        raise ProtocolError("bad dtype")
    if (dtype.kind not in ALLOWED_KINDS or dtype.hasobject or dtype.fields is not None
            or dtype.subdtype is not None):
        raise ProtocolError(f"array dtype {dtype.str!r} is not numeric")
    if type(shape) is not tuple or any(type(n) is not int or n < 0 for n in shape):
        raise ProtocolError("bad array shape")
    return shape, dtype


# ---------------------------------------------------------------- framing

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
        chunk = _os_read(fd, min(n - got, _READ_CHUNK))
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
