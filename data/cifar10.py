"""Loader for CIFAR-10 in the official "python version" layout.

The folder (``cifar-10-batches-py``, as unpacked from the official archive)
holds ``data_batch_1`` .. ``data_batch_5``, ``test_batch`` and
``batches.meta``. Each batch is a pickled dict whose ``data`` entry is an
``(N, 3072)`` uint8 array -- per row 1024 red, then 1024 green, then 1024
blue values, each a row-major 32x32 plane -- and whose ``labels`` entry is a
list of N ints. :func:`load_cifar10` returns the images as
``(N, 32, 32, 3)`` uint8 arrays.

Security: pickle is the official format, and unpickling an untrusted file
can run arbitrary code. Only load files from a source you trust (the
official archive, checked by ``python -m data.download``). As a safeguard
the unpickler here refuses every global except the few numpy ones an array
needs, but treat that as defence in depth, not a guarantee.

Cache: after the first load, the arrays are saved uncompressed to
``.linclass-cache.npy`` next to the batches when that folder is writable, so
later loads skip unpickling and reshuffling. The cache is keyed on the batch
files' sizes and modification times and rebuilt when they change; it is
skipped silently when the folder is read-only. Delete it to reclaim ~185 MB.
"""

from __future__ import annotations

import os
import pickle
import tempfile
import urllib.error
from pathlib import Path

import numpy as np

from .datasets import Dataset, DatasetNotFoundError

CIFAR10_ENV = "CIFAR10_DIR"
FOLDER_NAME = "cifar-10-batches-py"
TRAIN_FILES = tuple(f"data_batch_{i}" for i in range(1, 6))
TEST_FILE = "test_batch"
META_FILE = "batches.meta"
REQUIRED_FILES = (*TRAIN_FILES, TEST_FILE, META_FILE)

CACHE_NAME = ".linclass-cache.npy"
_CACHE_VERSION = "1"
_CACHE_ARRAYS = ("X_train", "y_train", "X_test", "y_test")
# Tiny folders (the kit's tests write them) load in microseconds; caching them
# gains nothing and could go stale when a file is rewritten within the same
# coarse mtime tick.
CACHE_MIN_ROWS = 10_000

_SIDE = 32
_PLANE = _SIDE * _SIDE
_ROW_LENGTH = 3 * _PLANE

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

_ALTERNATIVES = (
    "Either:\n"
    "  - download it (170 MB):          python -m data.download\n"
    f"  - point at an existing copy:     {CIFAR10_ENV}=/path/to/{FOLDER_NAME}\n"
    "  - work offline on the small digits set shipped in data/: set DATASET = \"digits\"\n"
    "    in the notebook (LINCLASS_DATASET=digits for scripts)"
)
Arrays = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
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


def default_root() -> Path:
    """``$CIFAR10_DIR`` if set, else ``<repo>/data/cifar-10-batches-py``."""
    env = os.environ.get(CIFAR10_ENV)
    if env:
        return Path(env).expanduser()
    return Path(__file__).resolve().parent / FOLDER_NAME


def load_cifar10(root: str | os.PathLike | None = None, *, download: bool = False) -> Dataset:
    """Load CIFAR-10 from a ``cifar-10-batches-py`` folder.

    Args:
        root: the folder (or its parent); defaults to :func:`default_root`.
        download: when the folder is missing, download it first (170 MB, see
            :mod:`data.download`); a failed download says how to go on offline.

    Returns:
        A Dataset with ``X_train`` (N_train, 32, 32, 3) uint8, ``y_train``
        (N_train,) int64, and likewise ``X_test``/``y_test``. The official
        files give N_train = 50000 and N_test = 10000, but any number of rows
        per batch file is accepted.

    Raises:
        DatasetNotFoundError: the folder or one of its files is missing.
        ValueError: a file is not a well-formed CIFAR-10 pickle.
    """
    folder = _resolve_folder(Path(root).expanduser() if root else default_root())
    if download and folder.name == FOLDER_NAME and not folder.exists():
        _download(folder)
    _check_files(folder)
    class_names = _read_class_names(folder / META_FILE)
    arrays = _load_arrays(folder, len(class_names))
    return Dataset("cifar10", *arrays, class_names=class_names, source=str(folder))


def _resolve_folder(folder: Path) -> Path:
    """Accept the parent of ``cifar-10-batches-py`` too (a common mix-up)."""
    nested = folder / FOLDER_NAME
    if not (folder / META_FILE).exists() and (nested / META_FILE).exists():
        return nested
    return folder


def _download(folder: Path) -> None:
    """Download CIFAR-10 into ``folder``; on failure, the ways to go on without it."""
    from . import download  # imported here: only a first run needs it

    try:
        download.download_cifar10(folder.parent)
    except urllib.error.HTTPError as exc:
        raise DatasetNotFoundError(f"{download.default_url()}: HTTP {exc.code} {exc.reason}. "
                                   + _ALTERNATIVES) from exc
    except download.NETWORK_ERRORS as exc:
        reason = getattr(exc, "reason", None) or exc
        raise DatasetNotFoundError(download.offline_message(
            download.default_url(), reason, folder.parent)) from exc
    except download.DownloadError as exc:
        raise DatasetNotFoundError(f"{exc}. {_ALTERNATIVES}") from exc


def _check_files(folder: Path) -> None:
    """Raise DatasetNotFoundError naming the folder and the ways to fix it."""
    if not folder.is_dir():
        problem = f"CIFAR-10 folder {folder} does not exist."
    else:
        missing = [n for n in REQUIRED_FILES if not (folder / n).is_file()]
        if not missing:
            return
        problem = f"CIFAR-10 folder {folder} lacks {', '.join(missing)}."
    raise DatasetNotFoundError(f"{problem} {_ALTERNATIVES}")


def _load_arrays(folder: Path, num_classes: int) -> Arrays:
    """Return (X_train, y_train, X_test, y_test), from the cache if valid."""
    key = _cache_key(folder)
    cached = _read_cache(folder / CACHE_NAME, key)
    if cached is not None:
        return cached
    X_train, y_train = _read_split([folder / n for n in TRAIN_FILES], num_classes)
    X_test, y_test = _read_split([folder / TEST_FILE], num_classes)
    arrays = (X_train, y_train, X_test, y_test)
    if len(y_train) + len(y_test) >= CACHE_MIN_ROWS:
        _write_cache(folder, key, arrays)
    return arrays


def _read_split(paths: list[Path], num_classes: int) -> tuple[np.ndarray, np.ndarray]:
    """Read batch files into images (N, 32, 32, 3) uint8 and labels (N,) int64."""
    batches = [_read_batch(p, num_classes) for p in paths]
    images = _rows_to_images([rows for rows, _ in batches])
    labels = np.concatenate([y for _, y in batches])
    return images, labels


def _rows_to_images(batches: list[np.ndarray]) -> np.ndarray:
    """Convert (n_i, 3072) planar RGB rows to one (sum n_i, 32, 32, 3) array."""
    total = sum(len(rows) for rows in batches)
    out = np.empty((total, _PLANE, 3), dtype=np.uint8)
    start = 0
    for rows in batches:
        planes = rows.reshape(len(rows), 3, _PLANE)
        target = out[start : start + len(rows)]
        # One channel at a time reads contiguous planes: about twice as fast
        # as a single 4-D transpose copy on the full training set.
        for channel in range(3):
            target[:, :, channel] = planes[:, channel]
        start += len(rows)
    return out.reshape(total, _SIDE, _SIDE, 3)


def _read_batch(path: Path, num_classes: int) -> tuple[np.ndarray, np.ndarray]:
    """Read one batch file: rows (N, 3072) uint8 and labels (N,) int64."""
    entries = _unpickle_dict(path)
    rows = _check_rows(_entry(entries, "data", path), path)
    labels = _check_labels(_entry(entries, "labels", path), len(rows), num_classes, path)
    return rows, labels


def _read_class_names(path: Path) -> tuple[str, ...]:
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
    if not isinstance(rows, np.ndarray) or rows.ndim != 2 or rows.shape[1] != _ROW_LENGTH:
        got = getattr(rows, "shape", type(rows).__name__)
        raise ValueError(f"{path}: 'data' should be an (N, {_ROW_LENGTH}) array, got {got}")
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


def _cache_key(folder: Path) -> str:
    """Fingerprint of the data files: their sizes and mtimes."""
    parts = [f"v{_CACHE_VERSION}"]
    # batches.meta too: the labels in the cache were checked against it.
    for name in REQUIRED_FILES:
        st = (folder / name).stat()
        parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
    return ";".join(parts)


def _read_cache(path: Path, key: str) -> Arrays | None:
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


def _write_cache(folder: Path, key: str, arrays: Arrays) -> None:
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
