"""Tests for data.datasets: the Dataset type and load_dataset's name handling."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import numpy as np
import pytest

import data
from data.datasets import Dataset, DatasetNotFoundError, load_dataset

BATCHES = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]


def write_tiny_cifar(root: Path) -> Path:
    """Two rows per batch file, bytes keys like the official files."""
    root.mkdir(parents=True)
    for name in BATCHES:
        rows = np.full((2, 3072), 9, dtype=np.uint8)
        (root / name).write_bytes(pickle.dumps({b"data": rows, b"labels": [1, 2]}, protocol=2))
    meta = {b"label_names": [f"c{i}".encode() for i in range(10)]}
    (root / "batches.meta").write_bytes(pickle.dumps(meta, protocol=2))
    return root


@pytest.fixture(autouse=True)
def clean_env(monkeypatch) -> None:
    monkeypatch.delenv("LINCLASS_DATASET", raising=False)
    monkeypatch.delenv("CIFAR10_DIR", raising=False)


@pytest.mark.parametrize("name", ["digits", "DIGITS", " Digits "])
def test_digits_by_name_any_case(name: str) -> None:
    assert load_dataset(name).name == "digits"


def test_cifar10_by_name_uses_cifar_dir(tmp_path: Path) -> None:
    folder = write_tiny_cifar(tmp_path / "c")
    ds = load_dataset("CIFAR10", cifar_dir=folder)
    assert ds.name == "cifar10" and ds.X_train.shape == (10, 32, 32, 3)
    assert ds.class_names[3] == "c3"


def test_default_is_cifar10(tmp_path: Path) -> None:
    missing = tmp_path / "absent"
    with pytest.raises(DatasetNotFoundError, match="absent"):
        load_dataset(cifar_dir=missing)


def test_env_var_chooses_the_dataset(monkeypatch) -> None:
    monkeypatch.setenv("LINCLASS_DATASET", "digits")
    assert load_dataset().name == "digits"


def test_explicit_name_beats_env_var(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LINCLASS_DATASET", "digits")
    folder = write_tiny_cifar(tmp_path / "c")
    assert load_dataset("cifar10", cifar_dir=folder).name == "cifar10"


def test_env_var_also_sets_cifar_folder(monkeypatch, tmp_path: Path) -> None:
    folder = write_tiny_cifar(tmp_path / "c")
    monkeypatch.setenv("CIFAR10_DIR", str(folder))
    assert load_dataset().source == str(folder)


def test_unknown_name_lists_the_choices() -> None:
    with pytest.raises(ValueError, match="'mnist'.*'cifar10', 'digits'"):
        load_dataset("mnist")


def test_unknown_env_name_says_where_it_came_from(monkeypatch) -> None:
    monkeypatch.setenv("LINCLASS_DATASET", "imagenet")
    with pytest.raises(ValueError, match=r"'imagenet' \(from \$LINCLASS_DATASET\)"):
        load_dataset()


def test_not_found_error_is_a_file_not_found_error() -> None:
    assert issubclass(DatasetNotFoundError, FileNotFoundError)


def test_dataset_is_frozen_with_a_short_repr() -> None:
    ds = load_dataset("digits")
    with pytest.raises(dataclasses.FrozenInstanceError):
        ds.name = "other"
    assert repr(ds).startswith("Dataset(name='digits', X_train=(1500, 8, 8, 1)")
    assert len(repr(ds)) < 300
    assert ds.num_classes == 10


def test_package_reexports_the_public_api() -> None:
    assert data.Dataset is Dataset and data.load_dataset is load_dataset
    assert {"load_cifar10", "load_digits", "DatasetNotFoundError"} <= set(data.__all__)
