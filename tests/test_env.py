"""isolation/env.py: the worker's environment inherits nothing."""

from __future__ import annotations

from autograder.sandbox import isolation


def test_clean_env_inherits_nothing(monkeypatch) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "x")
    env = isolation.clean_env("/work", "tok")
    assert "AWS_SECRET_ACCESS_KEY" not in env and env[isolation.TOKEN_VAR] == "tok"
    assert env["HOME"] == env["TMPDIR"] == "/work"
