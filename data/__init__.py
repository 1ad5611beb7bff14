"""Datasets for the linear-classifier homework.

Every loader returns a :class:`Dataset` whose images are ``(N, H, W, C)``
uint8 arrays and whose labels are ``(N,)`` int64 arrays:

* ``load_cifar10(root=None)`` -- CIFAR-10, (N, 32, 32, 3), from the official
  "python version" folder: ``$CIFAR10_DIR`` or ``data/cifar-10-batches-py``
  (fetch it with ``python -m data.download``).
* ``load_digits()`` -- 8x8 handwritten digits, (N, 8, 8, 1), embedded in the
  repository: works offline.
* ``load_dataset(name=None)`` -- either of them by name; the default is
  ``$LINCLASS_DATASET``, else ``"cifar10"``.
"""

from .cifar10 import load_cifar10
from .datasets import Dataset, DatasetNotFoundError, load_dataset
from .digits import load_digits

__all__ = [
    "Dataset",
    "DatasetNotFoundError",
    "load_cifar10",
    "load_dataset",
    "load_digits",
]
