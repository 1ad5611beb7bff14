"""The one message schema (worker/messages.py) and the grader's reading of it (sandbox/messages.py)."""

from __future__ import annotations

import pytest

from autograder.sandbox import messages as grader_side
from autograder.worker import messages, protocol
from autograder.worker.messages import Chunks, Config


def test_a_message_has_every_field_of_its_kind() -> None:
    msg = messages.message(messages.REPLY, id=3, status="ok", value=[1])
    assert msg == {"kind": "reply", "id": 3, "status": "ok", "value": [1], "error": None,
                   "output": "", "dropped": 0}
    with pytest.raises(ValueError, match="no fields"):
        messages.message(messages.HELLO, names={})


def test_fields_fill_defaults_and_refuse_another_kind() -> None:
    assert messages.fields({"kind": "ready", "names": {}}, messages.READY)["failures"] == ()
    assert messages.fields({"kind": "reply"}, messages.READY) is None
    assert messages.fields(["ready"], messages.READY) is None


def test_config_and_chunks_survive_their_encoding() -> None:
    cfg = Config(2.5, 100, 1 << 20, writable=("/w",), chunked=True, probes=True)
    assert Config.from_json(cfg.to_json()) == cfg
    chunks = Chunks((("cell 0", "x = 1"), ("cell 2", "\n\ndef f():\n    return x")),
                    ("annotations",))
    assert Chunks.from_json(chunks.to_json()) == chunks


def _decoded(msg: dict) -> object:
    """A message as it reaches the grader: framed, then decoded."""
    frame = protocol.encode_frame(msg)
    return protocol.decode_payload(frame[protocol.LENGTH.size:])


def test_ready_carries_the_failures_bounded() -> None:
    sent = messages.message(messages.READY, names={"f": "function"},
                            failures=["x" * 900, 7] + ["cell 1: E"] * 30)
    ready = grader_side.ready_from(_decoded(sent), 0.1, 100)
    assert ready.ok and dict(ready.names) == {"f": "function"}
    assert ready.failures[0] == "x" * messages.MAX_FAILURE_CHARS
    assert len(ready.failures) == messages.MAX_FAILURES - 1  # 7 is not a str: dropped


def test_a_reply_of_another_kind_or_status_is_a_protocol_error() -> None:
    for bad in ({"kind": "ready", "id": 1, "status": "ok"},
                messages.message(messages.REPLY, id=1, status="great")):
        with pytest.raises(protocol.ProtocolError):
            grader_side.reply_from(_decoded(bad), 100)


def test_an_error_reply_without_details_still_says_so() -> None:
    reply = grader_side.reply_from(_decoded(messages.message(messages.REPLY, id=1)), 100)
    assert reply.status == "error" and reply.error.type == "Error"


def test_error_info_bounds_and_foreign_signals() -> None:
    err = messages.error_info("Crashed", "killed")
    info = grader_side.error_info({**err, "signal": 9, "cpu_limited": False,
                                   "mro": ["A" * 500] * 80})
    assert info.foreign and len(info.mro) == grader_side.MRO_ITEMS
    assert info.mro[0] == "A" * grader_side.TYPE_CHARS
    assert not grader_side.error_info({**err, "signal": 9, "cpu_limited": True}).foreign
