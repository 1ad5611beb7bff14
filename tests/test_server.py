"""worker/server.py as the grader's client never drives it: requests it must refuse on its
own (the worker trusts nothing either), talked to over a real worker's pipes."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator

import pytest

from autograder.sandbox import runtime
from autograder.sandbox.client import Sandbox
from autograder.worker import messages, protocol


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    python = str(runtime.ensure_runtime()) if os.geteuid() == 0 else sys.executable
    with Sandbox("def f():\n    return 5\n", python=python) as sb:
        sb.start()
        yield sb


def _ask(sb: Sandbox, message: object) -> dict:
    """One raw request on the worker's pipe, and its reply's fields."""
    w = sb.life.worker
    deadline = time.monotonic() + 10
    w.send(protocol.encode_frame(message), deadline)
    return messages.fields(w.next_message(deadline), messages.REPLY)


def test_an_unknown_probe_is_refused_by_the_worker(sandbox: Sandbox) -> None:
    reply = _ask(sandbox, messages.message(messages.CALL, id=7, probe="load_failures"))
    assert reply["id"] == 7 and reply["status"] == "error"
    assert reply["error"]["type"] == "UnknownProbe"


def test_a_request_that_is_no_call_is_a_bad_request(sandbox: Sandbox) -> None:
    for request in ({"kind": "hello"}, [1, 2], messages.message(messages.CALL, probe=["x"])):
        reply = _ask(sandbox, request)
        assert reply["status"] == "error"
        assert reply["error"]["type"] in ("BadRequest", "UnknownProbe")


def test_the_server_still_answers_after_them(sandbox: Sandbox) -> None:
    assert sandbox.call("call", "f").value == 5
