"""sandbox/runtime.py: a worker interpreter the sandbox user can run."""

from __future__ import annotations

import os
from pathlib import Path

from autograder.sandbox import runtime

ROOT = os.geteuid() == 0


# ---------------------------------------------------------------- runtime

def test_runtime_checks(tmp_path: Path) -> None:
    assert not runtime.works(tmp_path)  # no interpreter there
    if ROOT:
        python = runtime.ensure_runtime()
        assert runtime.works(python.parent.parent)
        assert runtime.main(["provision", str(python.parent.parent)]) == 0  # cached: fast
    os.chmod(tmp_path, 0o700)
    assert not runtime._world_usable(tmp_path)
