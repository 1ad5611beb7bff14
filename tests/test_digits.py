"""Tests for the embedded digits dataset (data/digits.npz)."""

from __future__ import annotations

import numpy as np
import pytest

from data.digits import DIGITS_FILE, load_digits

# Row 0 of scikit-learn's digits.csv.gz, a "0": the first 16 of its 64 pixels.
FIRST_IMAGE_START = [0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0]


@pytest.fixture(scope="module")
def digits():
    return load_digits()


def test_shapes_and_dtypes(digits) -> None:
    assert digits.X_train.shape == (1500, 8, 8, 1)
    assert digits.X_test.shape == (297, 8, 8, 1)
    assert digits.X_train.dtype == np.uint8 and digits.X_test.dtype == np.uint8
    assert digits.y_train.shape == (1500,) and digits.y_train.dtype == np.int64
    assert digits.y_test.shape == (297,) and digits.y_test.dtype == np.int64


def test_values_and_names(digits) -> None:
    assert digits.name == "digits"
    assert digits.class_names == tuple("0123456789")
    assert digits.X_train.max() == 16 and digits.X_test.max() <= 16
    assert digits.source == str(DIGITS_FILE)


def test_all_classes_in_both_splits_and_stratified(digits) -> None:
    train_counts = np.bincount(digits.y_train, minlength=10)
    test_counts = np.bincount(digits.y_test, minlength=10)
    assert len(train_counts) == len(test_counts) == 10
    assert train_counts.min() > 140
    # Stratified: each class gives 297/1797 of its images, rounded.
    totals = train_counts + test_counts
    assert np.all(np.abs(test_counts - totals * 297 / 1797) < 1)


def test_split_is_stored_disjoint_and_covers_the_source() -> None:
    with np.load(DIGITS_FILE) as npz:
        train_index, test_index = npz["train_index"], npz["test_index"]
    assert not set(train_index) & set(test_index)
    assert sorted([*train_index, *test_index]) == list(range(1797))


def test_images_are_the_real_uci_digits(digits) -> None:
    with np.load(DIGITS_FILE) as npz:
        in_train = 0 in npz["train_index"]
        index = np.flatnonzero(npz["train_index" if in_train else "test_index"] == 0)[0]
    image = (digits.X_train if in_train else digits.X_test)[index]
    label = (digits.y_train if in_train else digits.y_test)[index]
    assert image.ravel()[:16].tolist() == FIRST_IMAGE_START
    assert label == 0


def test_file_is_small() -> None:
    assert DIGITS_FILE.stat().st_size < 200 * 1024
