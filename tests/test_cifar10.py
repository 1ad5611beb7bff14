"""Tests for data.cifar10, data.cifar10_batches and data.cifar10_cache, on tiny
CIFAR-format folders written by the tests."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import numpy as np
import pytest

from data import cifar10
from data.cifar10 import CACHE_NAME, TRAIN_FILES, load_cifar10
from data.datasets import DatasetNotFoundError

NAMES = [b"airplane", b"automobile", b"bird", b"cat", b"deer",
         b"dog", b"frog", b"horse", b"ship", b"truck"]  # fmt: skip


def write_pickle(path: Path, entries: dict, *, str_keys: bool = False, protocol: int = 2) -> None:
    """Pickle ``entries`` (bytes keys, like the official Python 2 files)."""
    if str_keys:
        entries = {k.decode(): v for k, v in entries.items()}
    path.write_bytes(pickle.dumps(entries, protocol=protocol))


def write_cifar(root: Path, rows_per_file=(7, 7, 7, 7, 7, 7), seed=0, **kw) -> dict:
    """Write data_batch_1..5 + test_batch (+ meta); return {file: (rows, labels)}."""
    rng = np.random.default_rng(seed)
    root.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, n in zip((*TRAIN_FILES, "test_batch"), rows_per_file, strict=True):
        rows = rng.integers(0, 256, size=(n, 3072), dtype=np.uint8)
        labels = [int(v) for v in rng.integers(0, 10, size=n)]
        write_pickle(root / name, {b"data": rows, b"labels": labels, b"batch_label": b"x"}, **kw)
        written[name] = (rows, labels)
    write_pickle(root / "batches.meta", {b"label_names": NAMES, b"num_vis": 3072}, **kw)
    return written


def reference_images(rows: np.ndarray) -> np.ndarray:
    """Slow, index-by-index conversion used to check the fast one."""
    out = np.zeros((len(rows), 32, 32, 3), dtype=np.uint8)
    for c in range(3):
        for r in range(32):
            for k in range(32):
                out[:, r, k, c] = rows[:, c * 1024 + r * 32 + k]
    return out


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "cifar-10-batches-py"


def test_known_pixel_lands_at_row_col_channel(folder: Path) -> None:
    rows = np.zeros((7, 3072), dtype=np.uint8)
    rows[3, 1 * 1024 + 5 * 32 + 17] = 201  # image 3, green, row 5, col 17
    write_cifar(folder)
    write_pickle(folder / "data_batch_2", {b"data": rows, b"labels": [0] * 7})
    X = load_cifar10(folder).X_train[7:14]
    assert X[3, 5, 17, 1] == 201
    assert np.count_nonzero(X) == 1


def test_layout_matches_reference_for_every_pixel(folder: Path) -> None:
    written = write_cifar(folder)
    ds = load_cifar10(folder)
    train_rows = np.concatenate([written[n][0] for n in TRAIN_FILES])
    np.testing.assert_array_equal(ds.X_train, reference_images(train_rows))
    np.testing.assert_array_equal(ds.X_test, reference_images(written["test_batch"][0]))


def test_shapes_dtypes_labels_and_names(folder: Path) -> None:
    written = write_cifar(folder)
    ds = load_cifar10(folder)
    assert ds.X_train.shape == (35, 32, 32, 3) and ds.X_train.dtype == np.uint8
    assert ds.X_test.shape == (7, 32, 32, 3) and ds.X_test.dtype == np.uint8
    assert ds.y_train.shape == (35,) and ds.y_train.dtype == np.int64
    assert ds.y_test.dtype == np.int64
    assert ds.y_train.tolist() == [y for n in TRAIN_FILES for y in written[n][1]]
    assert ds.y_test.tolist() == written["test_batch"][1]
    assert ds.class_names[0] == "airplane" and len(ds.class_names) == 10
    assert (ds.name, ds.source) == ("cifar10", str(folder))


@pytest.mark.parametrize("protocol", [2, 4, 5])
def test_str_keys_and_any_protocol(folder: Path, protocol: int) -> None:
    written = write_cifar(folder, str_keys=True, protocol=protocol)
    ds = load_cifar10(folder)
    np.testing.assert_array_equal(ds.X_test, reference_images(written["test_batch"][0]))
    assert ds.class_names[-1] == "truck"


def test_any_number_of_rows_per_batch(folder: Path) -> None:
    write_cifar(folder, rows_per_file=(3, 1, 4, 1, 5, 2))
    ds = load_cifar10(folder)
    assert ds.X_train.shape == (14, 32, 32, 3)
    assert ds.y_test.shape == (2,)


def test_missing_folder_names_folder_and_alternatives(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(DatasetNotFoundError) as info:
        load_cifar10(missing)
    message = str(info.value)
    assert isinstance(info.value, FileNotFoundError)
    assert str(missing) in message
    assert "python -m data.download" in message
    assert "CIFAR10_DIR=/path/to/cifar-10-batches-py" in message
    assert "LINCLASS_DATASET=digits" in message


def test_missing_file_is_named(folder: Path) -> None:
    write_cifar(folder)
    (folder / "data_batch_3").unlink()
    with pytest.raises(DatasetNotFoundError, match="data_batch_3"):
        load_cifar10(folder)


def test_parent_folder_is_accepted(folder: Path) -> None:
    write_cifar(folder)
    assert load_cifar10(folder.parent).source == str(folder)


@pytest.mark.parametrize(
    "entries, message",
    [
        ({b"data": np.zeros((7, 100), np.uint8), b"labels": [0] * 7}, "3072"),
        ({b"data": np.zeros((7, 3072), np.float32), b"labels": [0] * 7}, "uint8"),
        ({b"data": np.zeros((7, 3072), np.uint8), b"labels": [0] * 6}, "labels"),
        ({b"data": np.zeros((7, 3072), np.uint8), b"labels": [10] * 7}, r"\[0, 10\)"),
        ({b"labels": [0] * 7}, "missing 'data'"),
    ],
)
def test_malformed_batch_names_the_file(folder: Path, entries: dict, message: str) -> None:
    write_cifar(folder)
    write_pickle(folder / "data_batch_4", entries)
    with pytest.raises(ValueError, match=message) as info:
        load_cifar10(folder)
    assert "data_batch_4" in str(info.value)


@pytest.mark.parametrize("content", [b"not a pickle at all", b"", pickle.dumps([1, 2])])
def test_unreadable_file_is_a_value_error(folder: Path, content: bytes) -> None:
    write_cifar(folder)
    (folder / "test_batch").write_bytes(content)
    with pytest.raises(ValueError, match="test_batch"):
        load_cifar10(folder)


class _Payload:
    """Unpickling this would create a folder: the loader must refuse it."""

    def __init__(self, target: str) -> None:
        self.target = target

    def __reduce__(self):
        return (os.mkdir, (self.target,))


def test_pickle_with_code_is_refused(folder: Path, tmp_path: Path) -> None:
    write_cifar(folder)
    target = tmp_path / "pwned"
    (folder / "batches.meta").write_bytes(pickle.dumps({"label_names": _Payload(str(target))}))
    with pytest.raises(ValueError, match="batches.meta.*refusing"):
        load_cifar10(folder)
    assert not target.exists()


def test_env_var_sets_the_default_folder(folder: Path, monkeypatch) -> None:
    write_cifar(folder)
    monkeypatch.setenv("CIFAR10_DIR", str(folder))
    assert load_cifar10().source == str(folder)


def test_default_folder_without_env_is_in_the_repo(monkeypatch) -> None:
    monkeypatch.delenv("CIFAR10_DIR", raising=False)
    expected = Path(cifar10.__file__).resolve().parent / "cifar-10-batches-py"
    assert cifar10.default_root() == expected


def test_tiny_folders_get_no_cache(folder: Path) -> None:
    write_cifar(folder)
    load_cifar10(folder)
    assert not (folder / CACHE_NAME).exists()


def test_cache_is_used_then_invalidated(folder: Path, monkeypatch) -> None:
    monkeypatch.setattr(cifar10, "CACHE_MIN_ROWS", 0)
    write_cifar(folder)
    first = load_cifar10(folder)
    assert (folder / CACHE_NAME).is_file()
    assert [p.name for p in folder.iterdir() if p.suffix == ".tmp"] == []

    def no_reading(*args):
        raise AssertionError("batches were read despite a valid cache")

    with monkeypatch.context() as m:
        m.setattr(cifar10, "read_batch", no_reading)
        second = load_cifar10(folder)
    np.testing.assert_array_equal(second.X_train, first.X_train)
    np.testing.assert_array_equal(second.y_test, first.y_test)

    written = write_cifar(folder, rows_per_file=(7, 7, 7, 7, 7, 3), seed=1)
    third = load_cifar10(folder)  # test_batch changed size: cache is stale
    np.testing.assert_array_equal(third.X_test, reference_images(written["test_batch"][0]))


def test_damaged_cache_falls_back_to_batches(folder: Path, monkeypatch) -> None:
    monkeypatch.setattr(cifar10, "CACHE_MIN_ROWS", 0)
    written = write_cifar(folder)
    load_cifar10(folder)
    cache = folder / CACHE_NAME
    cache.write_bytes(cache.read_bytes()[:-100])
    ds = load_cifar10(folder)
    np.testing.assert_array_equal(ds.X_test, reference_images(written["test_batch"][0]))


def test_read_only_folder_gets_no_cache(folder: Path, monkeypatch) -> None:
    monkeypatch.setattr(cifar10, "CACHE_MIN_ROWS", 0)
    write_cifar(folder)
    folder.chmod(0o555)
    try:
        assert load_cifar10(folder).X_train.shape == (35, 32, 32, 3)
        assert sorted(p.name for p in folder.iterdir()) == sorted(
            [*TRAIN_FILES, "test_batch", "batches.meta"]
        )
    finally:
        folder.chmod(0o755)
