"""sandbox/transport.py on real pipes to a real process: frames both ways, deadlines, the
end of the peer, and a log that never grows past its bound."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from autograder.sandbox import limits, transport
from autograder.worker import protocol

# A peer that echoes every frame back, first writing a lot to its fd 2.
ECHO = """
import os, sys
sys.stderr.write("x" * 100000); sys.stderr.flush()
while True:
    head = os.read(0, 8)
    if not head:
        break
    n = int.from_bytes(head, "big")
    body = b""
    while len(body) < n:
        body += os.read(0, n - len(body))
    os.write(1, head + body)
"""


def _peer(code: str) -> transport.Pipes:
    (req_r, req_w), (rep_r, rep_w), (err_r, err_w) = os.pipe(), os.pipe(), os.pipe()
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=req_r, stdout=rep_w,
                            stderr=err_w)
    for fd in (req_r, rep_w, err_w):
        os.close(fd)
    return transport.connect(proc, req_w, rep_r, err_r, 1 << 20)


@pytest.fixture
def echo() -> Iterator[transport.Pipes]:
    pipes = _peer(ECHO)
    yield pipes
    pipes.proc.kill()
    pipes.proc.wait()
    pipes.close_fds()


def test_frames_go_and_come_back(echo: transport.Pipes) -> None:
    deadline = time.monotonic() + 10
    for i in range(3):
        echo.send(protocol.encode_frame({"id": i, "pad": "y" * 200_000}), deadline)
    got = [echo.next_message(deadline, lambda m: m["id"] != 1)["id"] for _ in range(2)]
    assert got == [0, 2]  # the unwanted one is dropped


def test_the_log_keeps_only_its_tail(echo: transport.Pipes) -> None:
    deadline = time.monotonic() + 10
    echo.send(protocol.encode_frame({"id": 0}), deadline)
    echo.next_message(deadline)
    echo.drain_log()
    assert echo.log_text() == "x" * limits.LOG_KEEP


def test_a_silent_peer_times_out(echo: transport.Pipes) -> None:
    t0 = time.monotonic()
    with pytest.raises(transport.Timeout):
        echo.next_message(t0 + 0.3)
    assert time.monotonic() - t0 >= 0.3


def test_a_peer_that_ends_is_eof_and_says_how() -> None:
    pipes = _peer("import os, signal; os.kill(os.getpid(), signal.SIGTERM)")
    try:
        with pytest.raises(transport.Eof) as ended:
            pipes.next_message(time.monotonic() + 10)
        assert ended.value.foreign and "signal 15" in str(ended.value)
    finally:
        pipes.close_fds()
