"""worker/npy.py: arrays as .npy bytes, written without numpy's own writer and read only
after their header says plain numbers."""

from __future__ import annotations

import io

import numpy as np
import pytest

from autograder.worker import npy
from autograder.worker.framing import ProtocolError


def _bytes(arr: np.ndarray) -> bytes:
    head, data, size = npy.npy_parts(arr)
    raw = head + (data.tobytes() if isinstance(data, np.ndarray) else data)
    assert len(raw) == size
    return raw


@pytest.mark.parametrize("arr", [np.arange(12.0).reshape(3, 4), np.asfortranarray(
    np.arange(6, dtype=np.int8).reshape(2, 3)), np.zeros((0, 5), bool), np.array(3 + 4j)])
def test_written_arrays_read_back_equal(arr: np.ndarray) -> None:
    back = npy.load_array(_bytes(arr))
    assert back.dtype == arr.dtype and back.shape == arr.shape
    np.testing.assert_array_equal(back, arr)
    np.testing.assert_array_equal(np.load(io.BytesIO(_bytes(arr))), arr)  # numpy agrees


def test_pickles_and_short_data_are_refused() -> None:
    buf = io.BytesIO()
    np.save(buf, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(ProtocolError, match="not numeric"):
        npy.load_array(buf.getvalue())
    with pytest.raises(ProtocolError, match="size does not match"):
        npy.load_array(_bytes(np.arange(4.0))[:-8])
    with pytest.raises(ProtocolError, match="not in .npy format"):
        npy.load_array(b"PK\x03\x04")
