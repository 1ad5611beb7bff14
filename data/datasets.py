"""The :class:`Dataset` type shared by every loader, and :func:`load_dataset`.

Every loader returns images as ``(N, H, W, C)`` uint8 arrays and labels as
``(N,)`` int64 arrays, so the notebook's code does not depend on which
dataset it was given.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

DATASET_ENV = "LINCLASS_DATASET"
DATASET_NAMES = ("cifar10", "digits")
DEFAULT_DATASET = "cifar10"


class DatasetNotFoundError(FileNotFoundError):
    """A dataset's files are not where the loader looked for them."""


# eq=False: the generated __eq__ would compare arrays element-wise and raise.
@dataclass(frozen=True, eq=False)
class Dataset:
    """A labelled image dataset split into a training and a test set.

    Attributes:
        name: ``"cifar10"`` or ``"digits"``.
        X_train: ``(N_train, H, W, C)`` uint8 images.
        y_train: ``(N_train,)`` int64 labels in ``[0, num_classes)``.
        X_test: ``(N_test, H, W, C)`` uint8 images.
        y_test: ``(N_test,)`` int64 labels in ``[0, num_classes)``.
        class_names: one human-readable name per label.
        source: the folder or file the data was loaded from.
    """

    name: str
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple[str, ...]
    source: str

    @property
    def num_classes(self) -> int:
        """Number of classes, ``len(class_names)``."""
        return len(self.class_names)

    def __repr__(self) -> str:
        # The default repr would print every pixel of both splits.
        return (
            f"Dataset(name={self.name!r}, X_train={self.X_train.shape}, "
            f"X_test={self.X_test.shape}, num_classes={self.num_classes}, "
            f"source={self.source!r})"
        )


def load_dataset(name: str | None = None, cifar_dir: str | os.PathLike | None = None, *,
                 download: bool = False) -> Dataset:
    """Load a dataset by name.

    Args:
        name: ``"cifar10"`` or ``"digits"`` (case-insensitive). Defaults to
            the ``LINCLASS_DATASET`` environment variable, else ``"cifar10"``.
        cifar_dir: CIFAR-10 folder, passed to :func:`data.cifar10.load_cifar10`
            (ignored for ``"digits"``).
        download: download CIFAR-10 first when it is missing (ignored for
            ``"digits"``, which ships with the code).

    Raises:
        ValueError: ``name`` is not one of the known datasets.
    """
    chosen = _dataset_name(name)
    # Imported here: both loaders import this module for Dataset.
    if chosen == "cifar10":
        from .cifar10 import load_cifar10

        return load_cifar10(cifar_dir, download=download)
    from .digits import load_digits

    return load_digits()


def _dataset_name(name: str | None) -> str:
    """Normalise ``name`` (or ``$LINCLASS_DATASET``) to one of DATASET_NAMES."""
    from_env = not name and bool(os.environ.get(DATASET_ENV))
    raw = name or os.environ.get(DATASET_ENV) or DEFAULT_DATASET
    chosen = raw.strip().lower()
    if chosen in DATASET_NAMES:
        return chosen
    where = f" (from ${DATASET_ENV})" if from_env else ""
    choices = ", ".join(repr(n) for n in DATASET_NAMES)
    raise ValueError(f"unknown dataset {raw!r}{where}: choose one of {choices}")
