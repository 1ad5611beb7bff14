"""Wire protocol between the trusted grader and the untrusted worker: values in frames.

A frame is ``>Q length`` + payload (framing.py); the payload is ``>I header length`` + a JSON
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

import json
import struct
from dataclasses import dataclass
from typing import Any

import numpy as np

if __package__:
    from . import framing, npy
else:  # in the worker copy: siblings are top-level modules
    import framing
    import npy

# One framing (framing.py) and one .npy codec (npy.py), named here too for the callers.
DEFAULT_MAX_FRAME, LENGTH, FrameReader = framing.DEFAULT_MAX_FRAME, framing.LENGTH, framing.FrameReader
FrameTooLarge, ProtocolError = framing.FrameTooLarge, framing.ProtocolError
read_exact, read_frame, write_all = framing.read_exact, framing.read_frame, framing.write_all
READ_CHUNK = framing.READ_CHUNK
ALLOWED_KINDS, NPY_MAGIC, load_array, npy_parts = (npy.ALLOWED_KINDS, npy.NPY_MAGIC,
                                                    npy.load_array, npy.npy_parts)

HEADER_LENGTH = struct.Struct(">I")
MAX_DEPTH = 64
MAX_INT_BITS = 8192            # JSON ints above ~2400 digits trip int->str limits

# Bound once at import: student code may later monkeypatch json/numpy in the worker.
_dumps = json.dumps
_loads = json.loads
_view = np.ndarray.view
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
