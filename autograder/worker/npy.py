"""Arrays as ``.npy`` bytes, both ways, without trusting either side's numpy methods.

Writing builds the v1.0 header by hand (only C-level ndarray methods run, so a numpy
patched by a student cannot interfere); reading checks the header before numpy sees
the data and refuses pickles, objects and structured dtypes. Stdlib + numpy only:
this module also runs inside the worker.
"""

from __future__ import annotations

import io
import math
import struct
from typing import Any

import numpy as np

if __package__:
    from .framing import ProtocolError
else:  # in the worker copy: siblings are top-level modules
    from framing import ProtocolError

ALLOWED_KINDS = frozenset("biufc")
NPY_MAGIC = b"\x93NUMPY"

# Bound once at import: student code may later monkeypatch numpy in the worker.
_tobytes = np.ndarray.tobytes
_BytesIO = io.BytesIO
_read_magic = np.lib.format.read_magic
_read_header = {(1, 0): np.lib.format.read_array_header_1_0,
                (2, 0): np.lib.format.read_array_header_2_0}
_np_load = np.load


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
