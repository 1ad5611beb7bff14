"""The cache of a loaded CIFAR-10 folder: its arrays in one uncompressed file beside it.

Keyed on the data files' sizes and modification times (`key`), read back only when the
key matches, written atomically and only where the folder is writable by intent; a
damaged or stale cache is never fatal, the batches are still there to read.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np

CACHE_NAME = ".linclass-cache.npy"
_CACHE_VERSION = "1"
_CACHE_ARRAYS = ("X_train", "y_train", "X_test", "y_test")
Arrays = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def key(folder: Path, names: Iterable[str]) -> str:
    """Fingerprint of the files `names` of `folder`: their sizes and mtimes."""
    parts = [f"v{_CACHE_VERSION}"]
    for name in names:
        st = (folder / name).stat()
        parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
    return ";".join(parts)


def read(path: Path, key: str) -> Arrays | None:
    """Return the cached arrays, or None if absent, stale or unreadable."""
    if not path.is_file():
        return None
    try:
        with open(path, "rb") as f:
            if str(np.load(f, allow_pickle=False)) != key:
                return None
            arrays = tuple(np.load(f, allow_pickle=False) for _ in _CACHE_ARRAYS)
    # A damaged cache is never fatal: the batches are still there to read.
    except (OSError, ValueError, EOFError):
        return None
    X_train, y_train, X_test, y_test = arrays
    if X_train.dtype != np.uint8 or len(X_train) != len(y_train) or len(X_test) != len(y_test):
        return None
    return arrays


def _is_writable(folder: Path) -> bool:
    """True if we may add files to ``folder``."""
    # Root passes os.access() everywhere, so also honour the mode bits: a
    # shared dr-xr-xr-x copy is read-only by intent and must stay untouched.
    return os.access(folder, os.W_OK) and bool(folder.stat().st_mode & 0o222)


def write(folder: Path, key: str, arrays: Arrays) -> None:
    """Save ``arrays`` next to the batches atomically; skip silently if we can't."""
    if not _is_writable(folder):
        return
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".linclass-cache-", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            # Plain .npy records back to back: no zip CRC to compute on
            # either side, and np.load reads each straight into its array.
            for array in (np.array(key), *arrays):
                np.save(f, array, allow_pickle=False)
        os.chmod(tmp, 0o644)  # mkstemp makes it 0600; others may read it too
        os.replace(tmp, folder / CACHE_NAME)
    except OSError:
        pass  # e.g. a full disk: the data is loaded, only the speed-up is lost
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
