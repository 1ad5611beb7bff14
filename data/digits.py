"""The small real dataset embedded in the repository: 8x8 handwritten digits.

``digits.npz`` (next to this file) holds the UCI "Optical Recognition of
Handwritten Digits" images as shipped with scikit-learn, already split into
1,500 training and 297 test images (stratified, seeded); see README.md in
this folder for provenance, license and how the split was made. Pixel values
are counts of set pixels in 4x4 blocks, so they range over 0..16, not 0..255.
It needs no download and no scikit-learn, which makes it the offline
fallback (``LINCLASS_DATASET=digits``) and the kit's test data.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .datasets import Dataset, DatasetNotFoundError

DIGITS_FILE = Path(__file__).resolve().parent / "digits.npz"
CLASS_NAMES = tuple(str(d) for d in range(10))


def load_digits() -> Dataset:
    """Load the embedded digits dataset.

    Returns:
        A Dataset with ``X_train`` (1500, 8, 8, 1) and ``X_test``
        (297, 8, 8, 1) uint8 images (values 0..16), ``y_train`` (1500,) and
        ``y_test`` (297,) int64 labels 0..9, class names "0".."9".

    Raises:
        DatasetNotFoundError: digits.npz is missing from the checkout.
    """
    if not DIGITS_FILE.is_file():
        raise DatasetNotFoundError(
            f"{DIGITS_FILE} is missing: it ships with the course's code, so download "
            "the handout again (in the kit: git checkout -- data/digits.npz)"
        )
    with np.load(DIGITS_FILE, allow_pickle=False) as npz:
        return Dataset(
            name="digits",
            X_train=npz["X_train"].astype(np.uint8, copy=False),
            y_train=npz["y_train"].astype(np.int64, copy=False),
            X_test=npz["X_test"].astype(np.uint8, copy=False),
            y_test=npz["y_test"].astype(np.int64, copy=False),
            class_names=CLASS_NAMES,
            source=str(DIGITS_FILE),
        )
