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
the unpickler (data/cifar10_batches.py) refuses every global except the few
numpy ones an array needs, but treat that as defence in depth, not a guarantee.

Cache: after the first load, the arrays are saved uncompressed to
``.linclass-cache.npy`` next to the batches when that folder is writable, so
later loads skip unpickling and reshuffling. The cache is keyed on the batch
files' sizes and modification times and rebuilt when they change; it is
skipped silently when the folder is read-only. Delete it to reclaim ~185 MB
(data/cifar10_cache.py).
"""

from __future__ import annotations

import os
import urllib.error
from pathlib import Path

import numpy as np

from . import cifar10_cache as cache
from .cifar10_batches import PLANE, SIDE, read_batch, read_class_names
from .cifar10_cache import CACHE_NAME, Arrays
from .datasets import Dataset, DatasetNotFoundError

CIFAR10_ENV = "CIFAR10_DIR"
FOLDER_NAME = "cifar-10-batches-py"
TRAIN_FILES = tuple(f"data_batch_{i}" for i in range(1, 6))
TEST_FILE = "test_batch"
META_FILE = "batches.meta"
REQUIRED_FILES = (*TRAIN_FILES, TEST_FILE, META_FILE)

# Tiny folders (the kit's tests write them) load in microseconds; caching them
# gains nothing and could go stale when a file is rewritten within the same
# coarse mtime tick.
CACHE_MIN_ROWS = 10_000

_ALTERNATIVES = (
    "Either:\n"
    "  - download it (170 MB):          python -m data.download\n"
    f"  - point at an existing copy:     {CIFAR10_ENV}=/path/to/{FOLDER_NAME}\n"
    "  - work offline on the small digits set shipped in data/: set DATASET = \"digits\"\n"
    "    in the notebook (LINCLASS_DATASET=digits for scripts)"
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
    class_names = read_class_names(folder / META_FILE)
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
    # batches.meta too: the labels in the cache were checked against it.
    key = cache.key(folder, REQUIRED_FILES)
    cached = cache.read(folder / CACHE_NAME, key)
    if cached is not None:
        return cached
    X_train, y_train = _read_split([folder / n for n in TRAIN_FILES], num_classes)
    X_test, y_test = _read_split([folder / TEST_FILE], num_classes)
    arrays = (X_train, y_train, X_test, y_test)
    if len(y_train) + len(y_test) >= CACHE_MIN_ROWS:
        cache.write(folder, key, arrays)
    return arrays


def _read_split(paths: list[Path], num_classes: int) -> tuple[np.ndarray, np.ndarray]:
    """Read batch files into images (N, 32, 32, 3) uint8 and labels (N,) int64."""
    batches = [read_batch(p, num_classes) for p in paths]
    images = _rows_to_images([rows for rows, _ in batches])
    labels = np.concatenate([y for _, y in batches])
    return images, labels


def _rows_to_images(batches: list[np.ndarray]) -> np.ndarray:
    """Convert (n_i, 3072) planar RGB rows to one (sum n_i, 32, 32, 3) array."""
    total = sum(len(rows) for rows in batches)
    out = np.empty((total, PLANE, 3), dtype=np.uint8)
    start = 0
    for rows in batches:
        planes = rows.reshape(len(rows), 3, PLANE)
        target = out[start : start + len(rows)]
        # One channel at a time reads contiguous planes: about twice as fast
        # as a single 4-D transpose copy on the full training set.
        for channel in range(3):
            target[:, :, channel] = planes[:, channel]
        start += len(rows)
    return out.reshape(total, SIDE, SIDE, 3)
