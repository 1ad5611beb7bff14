"""The wire protocol: round-trips, hostile values, and malformed frames."""

from __future__ import annotations

import io
import json
import struct

import numpy as np
import pytest

from autograder.worker import protocol
from autograder.worker.protocol import (
    FrameReader,
    ProtocolError,
    Unsupported,
    decode_payload,
    encode_frame,
)


def roundtrip(value, max_frame: int = protocol.DEFAULT_MAX_FRAME):
    """Encode one value, split the stream with FrameReader, decode it."""
    frames = FrameReader(max_frame).feed(encode_frame(value, max_frame))
    assert len(frames) == 1
    return decode_payload(frames[0])


def frame_of(head: dict | bytes, *blobs: bytes) -> bytes:
    """A hand-made payload (no length prefix) with a raw header and blobs."""
    raw = head if isinstance(head, bytes) else json.dumps(head).encode()
    return struct.pack(">I", len(raw)) + raw + b"".join(blobs)


def npy(arr: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, arr, allow_pickle=True)
    return buf.getvalue()


@pytest.mark.parametrize("arr", [
    np.arange(12, dtype=np.float64).reshape(3, 4),
    np.arange(5, dtype=np.float32),
    np.array([-3, 0, 7], dtype=np.int8),
    np.array([1, 2**40], dtype=np.int64),
    np.array([0, 255], dtype=np.uint8),
    np.array([True, False]),
    np.array([1 + 2j, -1j]),
    np.array(3.5),                                       # 0-d
    np.zeros((0, 3)),                                    # empty
    np.arange(12.0).reshape(3, 4).T,                     # Fortran order
    np.arange(20.0)[::3],                                # non-contiguous
    np.arange(4, dtype=">f8"),                           # big-endian
], ids=lambda a: f"{a.dtype.str}{a.shape}")
def test_array_roundtrip(arr: np.ndarray) -> None:
    out = roundtrip(arr)
    assert type(out) is np.ndarray
    assert out.dtype == arr.dtype and out.shape == arr.shape
    np.testing.assert_array_equal(out, arr)


def test_nested_containers_keep_their_kind() -> None:
    value = {"loss": 1.5, "grads": (np.ones(2), [np.zeros(1), (1, "a", None)]),
             "flags": [True, False], "nested": {"x": {"y": ()}}, "big": 2**100}
    out = roundtrip(value)
    assert type(out["grads"]) is tuple and type(out["grads"][1]) is list
    assert out["grads"][1][1] == (1, "a", None)
    assert out["nested"] == {"x": {"y": ()}} and out["big"] == 2**100
    np.testing.assert_array_equal(out["grads"][0], np.ones(2))


def test_special_floats_and_strings() -> None:
    out = roundtrip([float("nan"), float("inf"), -0.0, "\ud800 é \x00", 1 + 2j])
    assert np.isnan(out[0]) and out[1] == float("inf") and str(out[2]) == "-0.0"
    assert out[3] == "\ud800 é \x00" and out[4] == 1 + 2j


def test_numpy_scalars_become_python_values() -> None:
    out = roundtrip([np.float64(1.5), np.float32(0.25), np.int64(7), np.bool_(True),
                     np.uint8(3), np.complex64(1j), np.str_("s")])
    assert out == [1.5, 0.25, 7, True, 3, 1j, "s"]
    assert [type(v) for v in out] == [float, float, int, bool, int, complex, str]


class LyingFloat(float):
    def __eq__(self, other):  # the lie under test
        return True

    __hash__ = float.__hash__

    def __repr__(self) -> str:
        return "1e300"

    def __float__(self) -> float:
        return 42.0


class LyingInt(int):
    def __int__(self) -> int:
        return 0

    def __index__(self) -> int:
        return 0


class LyingStr(str):
    def __str__(self) -> str:
        return "forged"


class LyingList(list):
    def __iter__(self):
        return iter([99])


def test_builtin_subclasses_are_sent_as_their_base_value() -> None:
    out = roundtrip([LyingFloat(2.5), LyingInt(5), LyingStr("real"), LyingList([1, 2])])
    assert out == [2.5, 5, "real", [1, 2]]
    assert [type(v) for v in out[:3]] == [float, int, str]


class LyingArray(np.ndarray):
    def __array__(self, *args, **kwargs):
        return np.full(self.shape, 7.0)

    def __eq__(self, other):
        return True

    def __array_finalize__(self, obj) -> None:
        if obj is not None and getattr(obj, "boom", False):
            raise RuntimeError("finalize called")


def test_ndarray_subclass_is_sent_as_plain_data() -> None:
    arr = np.arange(6.0).reshape(2, 3).view(LyingArray)
    out = roundtrip({"a": arr, "masked": np.ma.masked_array([1.0, 2.0], mask=[1, 0])})
    assert type(out["a"]) is np.ndarray and type(out["masked"]) is np.ndarray
    np.testing.assert_array_equal(out["a"], np.arange(6.0).reshape(2, 3))


class Liar:
    def __eq__(self, other):
        return True

    __hash__ = object.__hash__


def test_unsupported_values_are_marked_not_fatal() -> None:
    loop: list = []
    loop.append(loop)
    out = roundtrip([Liar(), {1: "int key"}, lambda: 0, loop, 10**5000, b"bytes"])
    assert out[0] == Unsupported("Liar") and out[0] != 0
    assert out[1] == Unsupported("dict with non-str keys")
    assert out[2] == Unsupported("function")
    assert isinstance(out[3][0], list)  # the cycle is cut at the depth limit
    assert out[4] == Unsupported("int (too large)") and out[5] == Unsupported("bytes")


@pytest.mark.parametrize("arr", [
    np.array([1, "x", None], dtype=object),
    np.array(["a", "b"]),
    np.array([(1, 2.0)], dtype=[("a", "i4"), ("b", "f8")]),
    np.array([b"ab"], dtype="V2"),
    np.array(["2020-01-01"], dtype="datetime64[D]"),
], ids=["object", "str", "structured", "void", "datetime"])
def test_non_numeric_arrays_are_not_sent(arr: np.ndarray) -> None:
    assert isinstance(roundtrip([arr])[0], Unsupported)


@pytest.mark.parametrize("arr", [
    np.array([1, "x"], dtype=object),
    np.array(["a"]),
    np.array([(1, 2.0)], dtype=[("a", "i4"), ("b", "f8")]),
], ids=["object-pickle", "str", "structured"])
def test_decoder_rejects_forged_non_numeric_arrays(arr: np.ndarray) -> None:
    blob = npy(arr)
    with pytest.raises(ProtocolError):
        decode_payload(frame_of({"value": {"A": 0}, "arrays": [len(blob)]}, blob))


def test_decoder_rejects_lying_array_header() -> None:
    blob = npy(np.zeros(4))
    head = io.BytesIO()  # a well-formed header claiming 80 GB for 32 bytes of data
    np.lib.format.write_array_header_1_0(
        head, {"descr": "<f8", "fortran_order": False, "shape": (10**10,)})
    forged = head.getvalue() + blob[-32:]
    for bad in (forged, blob[:-8], blob + b"extra", b"PK\x03\x04" + blob, b"\x80\x04garbage"):
        with pytest.raises(ProtocolError):
            decode_payload(frame_of({"value": {"A": 0}, "arrays": [len(bad)]}, bad))


@pytest.mark.parametrize("head", [
    b"{not json", b"\xff\xfe", b"[]", b'{"value": 1}', b'{"value": 1, "arrays": [-1]}',
    b'{"value": [1, 2], "arrays": []}', b'{"value": {"Z": 1}, "arrays": []}',
    b'{"value": {"A": 0}, "arrays": []}', b'{"value": {"L": 1, "T": 2}, "arrays": []}',
    b'{"value": ' + b'{"L": [' * 500 + b"]}" * 500 + b', "arrays": []}',
    b'{"value": ' + b"9" * 5000 + b', "arrays": []}',
], ids=lambda h: h[:24].decode(errors="replace"))
def test_malformed_headers_are_protocol_errors(head: bytes) -> None:
    with pytest.raises(ProtocolError):
        decode_payload(frame_of(head))


def test_wrong_array_count_is_a_protocol_error() -> None:
    blob = npy(np.ones(2))
    with pytest.raises(ProtocolError, match="not referenced"):
        decode_payload(frame_of({"value": None, "arrays": [len(blob)]}, blob))
    with pytest.raises(ProtocolError):  # a blob referenced twice
        decode_payload(frame_of({"value": {"L": [{"A": 0}, {"A": 0}]}, "arrays": [len(blob)]},
                                blob))
    with pytest.raises(ProtocolError):  # sizes that do not add up
        decode_payload(frame_of({"value": {"A": 0}, "arrays": [len(blob) + 1]}, blob))


def test_garbage_stream_never_crashes_the_decoder() -> None:
    rng = np.random.default_rng(0)
    for n in (0, 3, 4, 9, 100, 5000):
        junk = rng.integers(0, 256, n, dtype=np.uint8).tobytes()
        with pytest.raises(ProtocolError):
            decode_payload(junk)


def test_large_arrays_fit() -> None:
    X = np.random.default_rng(1).standard_normal((500, 3073))
    np.testing.assert_array_equal(roundtrip((X, np.arange(500)))[0], X)
