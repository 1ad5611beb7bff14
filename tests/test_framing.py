"""worker/framing.py: frames split and joined on any byte boundary, capped both ways,
truncation detected on a real pipe."""

from __future__ import annotations

import os
import struct

import numpy as np
import pytest

from autograder.worker import framing
from autograder.worker.framing import FrameReader, FrameTooLarge, ProtocolError
from autograder.worker.protocol import decode_payload, encode_frame


def test_oversize_frames_are_refused_both_ways() -> None:
    with pytest.raises(FrameTooLarge):
        encode_frame(np.zeros(1000), max_frame=1000)
    reader = FrameReader(max_frame=1000)
    with pytest.raises(FrameTooLarge):
        reader.feed(struct.pack(">Q", 10**12))


def test_frame_reader_splits_and_joins_frames() -> None:
    stream = encode_frame({"a": 1}) + encode_frame(np.arange(3)) + encode_frame("tail")
    reader, got = FrameReader(), []
    for i in range(0, len(stream), 7):  # dribble the bytes in
        got += reader.feed(stream[i:i + 7])
    decoded = [decode_payload(p) for p in got]
    assert decoded[0] == {"a": 1} and decoded[2] == "tail" and len(got) == 3
    assert reader.pending == 0


def test_blocking_reads_detect_truncation() -> None:
    r, w = os.pipe()
    frame = encode_frame({"x": np.ones(3)})
    os.write(w, frame + frame[:10])
    os.close(w)
    try:
        assert decode_payload(framing.read_frame(r))["x"].shape == (3,)
        with pytest.raises(ProtocolError, match="truncated"):
            framing.read_frame(r)
    finally:
        os.close(r)
