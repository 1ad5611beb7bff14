"""isolation/user.py: the dedicated sandbox user (or nobody), and grading without the drop."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from autograder.sandbox import isolation, runtime
from autograder.sandbox.client import Sandbox
from autograder.sandbox.isolation import SandboxUser

ROOT = os.geteuid() == 0


def test_sandbox_user() -> None:
    user = isolation.ensure_sandbox_user()
    assert user.uid != 0 and user.gid != 0
    if ROOT:
        assert user.dedicated and user.name == "lcgrader"
    with pytest.raises(ValueError, match="root"):
        isolation.kill_uid(SandboxUser("root", 0, 0, True))


@pytest.fixture(scope="module")
def worker_python() -> str:
    return str(runtime.ensure_runtime()) if ROOT else sys.executable


def test_privilege_drop_can_be_disabled(worker_python: str, tmp_path: Path) -> None:
    """The non-root code path (no user switch), also exercised when running as root."""
    readable = tmp_path / "hidden_tests.py"
    readable.write_text("EXPECTED = 42\n")
    src = "import os\ndef who():\n    return os.getuid()\n"
    src += "def read(path):\n    return open(path).read()\n"
    with Sandbox(src, python=worker_python, drop_privileges=False, protected=[readable]) as sb:
        assert sb.call("call", "who").value == os.getuid()
        # Same uid as the grader, yet the allowlist keeps the file out of reach.
        assert sb.call("call", "read", str(readable)).error_type == "PermissionError"
    assert not any(x.startswith("user:") for x in sb.layers)
    assert "protected-paths-outside-allowlist" in sb.layers
    assert any("user drop" in x for x in sb.skipped)
    # As root, running the worker as root is a missing layer, and said so.
    assert ("user-drop" in sb.missing) == ROOT
    assert any("user-drop" in w for w in sb.warnings) == ROOT
