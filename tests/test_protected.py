"""isolation/protected.py: which protected paths the worker's account can reach."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from autograder.sandbox import isolation

ROOT = os.geteuid() == 0


def test_readable_paths_as_the_sandbox_user(tmp_path: Path) -> None:
    secret_dir = tmp_path / "hidden"
    secret_dir.mkdir()
    (secret_dir / "test_losses.py").write_text("EXPECTED = 1\n")
    public = Path(tempfile.mkdtemp())
    os.chmod(public, 0o755)
    (public / "open.txt").write_text("hi")
    os.chmod(public / "open.txt", 0o644)
    try:
        user = isolation.ensure_sandbox_user() if ROOT else None
        os.chmod(tmp_path, 0o700)
        assert isolation.readable_paths([public], user) == [str(public),
                                                            str(public / "open.txt")]
        hidden = isolation.readable_paths([secret_dir, tmp_path / "nope"], user)
        assert hidden == ([] if ROOT else [str(secret_dir), str(secret_dir / "test_losses.py")])
        drop_box = public / "results"  # not listable, but anyone may drop files in it
        drop_box.mkdir()
        os.chmod(drop_box, 0o733)
        assert isolation.readable_paths([drop_box], user) == [str(drop_box)]
    finally:
        shutil.rmtree(public)


def test_expand_paths_is_bounded(tmp_path: Path) -> None:
    for i in range(30):
        (tmp_path / f"f{i}").touch()
    assert len(isolation.expand_paths([tmp_path], limit=10)) == 10
