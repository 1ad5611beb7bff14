"""Reading one pickled CIFAR-10 file safely, and checking what it holds.

A batch file is a pickled dict whose ``data`` entry is an ``(N, 3072)`` uint8 array
and whose ``labels`` entry is a list of N ints; ``batches.meta`` holds
``label_names``. The unpickler refuses every global except the few numpy ones an
array needs (see data/cifar10.py on why pickle at all). Every problem is a
ValueError naming the file.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np

# An image is SIDE x SIDE pixels; a row of 'data' holds its red, then green, then blue
# plane, each PLANE values in row-major order.
SIDE = 32
PLANE = SIDE * SIDE
ROW_LENGTH = 3 * PLANE

# Everything a pickled numpy array or scalar needs, from numpy 1.x and 2.x
# writers and pickle protocols 0-5 -- and nothing that can run a command.
_ALLOWED_GLOBALS = frozenset(
    {
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"),
        ("numpy.core.multiarray", "scalar"),
        ("numpy._core.multiarray", "scalar"),
        ("numpy.core.numeric", "_frombuffer"),
        ("numpy._core.numeric", "_frombuffer"),
        ("_codecs", "encode"),
    }
)

# What unpickling a truncated or foreign file raises (OSError is left alone:
# an unreadable file is a different problem from a malformed one).
_UNPICKLE_ERRORS = (
    pickle.UnpicklingError,
    EOFError,
    ValueError,
    TypeError,
    AttributeError,
    IndexError,
    KeyError,
    ImportError,
)


def read_batch(path: Path, num_classes: int) -> tuple[np.ndarray, np.ndarray]:
    """Read one batch file: rows (N, 3072) uint8 and labels (N,) int64."""
    entries = _unpickle_dict(path)
    rows = _check_rows(_entry(entries, "data", path), path)
    labels = _check_labels(_entry(entries, "labels", path), len(rows), num_classes, path)
    return rows, labels


def read_class_names(path: Path) -> tuple[str, ...]:
    """Read ``label_names`` from batches.meta as a tuple of str."""
    names = _entry(_unpickle_dict(path), "label_names", path)
    if not isinstance(names, (list, tuple)) or not names:
        raise ValueError(f"{path}: 'label_names' should be a non-empty list")
    if not all(isinstance(n, (bytes, str)) for n in names):
        raise ValueError(f"{path}: 'label_names' should hold strings")
    return tuple(n.decode("utf-8") if isinstance(n, bytes) else n for n in names)


class _NumpyOnlyUnpickler(pickle.Unpickler):
    """Unpickler that resolves only the globals a numpy array needs."""

    def find_class(self, module: str, name: str) -> object:
        if (module, name) not in _ALLOWED_GLOBALS:
            raise pickle.UnpicklingError(f"refusing to load global {module}.{name}")
        return super().find_class(module, name)


def _unpickle_dict(path: Path) -> dict[str, object]:
    """Unpickle a CIFAR file as a dict, with bytes keys decoded to str."""
    try:
        with open(path, "rb") as f:
            # encoding="bytes": the official files were written by Python 2.
            obj = _NumpyOnlyUnpickler(f, encoding="bytes").load()
    except _UNPICKLE_ERRORS as exc:
        raise ValueError(f"{path}: not a readable CIFAR-10 pickle ({exc})") from exc
    if not isinstance(obj, dict):
        # ValueError, not TypeError: the file's content is wrong, not our call.
        got = type(obj).__name__
        raise ValueError(f"{path}: expected a pickled dict, got {got}")  # noqa: TRY004
    return {k.decode("latin-1") if isinstance(k, bytes) else k: v for k, v in obj.items()}


def _entry(entries: dict[str, object], key: str, path: Path) -> object:
    """Return ``entries[key]`` or raise a ValueError naming the file."""
    if key not in entries:
        found = ", ".join(sorted(map(str, entries))) or "nothing"
        raise ValueError(f"{path}: missing '{key}' (found: {found})")
    return entries[key]


def _check_rows(rows: object, path: Path) -> np.ndarray:
    """Check that ``rows`` is an (N, 3072) uint8 array."""
    if not isinstance(rows, np.ndarray) or rows.ndim != 2 or rows.shape[1] != ROW_LENGTH:
        got = getattr(rows, "shape", type(rows).__name__)
        raise ValueError(f"{path}: 'data' should be an (N, {ROW_LENGTH}) array, got {got}")
    if rows.dtype != np.uint8:
        raise ValueError(f"{path}: 'data' should be uint8, got {rows.dtype}")
    return rows


def _check_labels(labels: object, n: int, num_classes: int, path: Path) -> np.ndarray:
    """Return ``labels`` as (n,) int64 after checking count and range."""
    y = np.asarray(labels)
    if y.shape != (n,) or (n and y.dtype.kind not in "iu"):
        raise ValueError(
            f"{path}: 'labels' should be {n} integers (one per row of 'data'), "
            f"got shape {y.shape} of {y.dtype}"
        )
    if n and (y.min() < 0 or y.max() >= num_classes):
        raise ValueError(f"{path}: labels should lie in [0, {num_classes})")
    return y.astype(np.int64)


