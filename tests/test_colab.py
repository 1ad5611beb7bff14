"""Colab's setup: only the pinned packages that cannot be imported get installed."""

from __future__ import annotations

from pathlib import Path

from linclass import colab
from release import handout


def test_handout_requirements_are_read_as_pins() -> None:
    pins = colab.pinned(handout.TOP_LEVEL / "requirements.txt")
    assert pins["numpy"].startswith("numpy==") and len(pins) == 8


def test_only_what_cannot_be_imported_is_missing(tmp_path: Path) -> None:
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("# a comment\nnumpy==1.0.0\nno-such-package-here==2.1  # why\n"
                            "threadpoolctl==0.1\n")
    assert colab.missing(requirements) == ["no-such-package-here==2.1"]


def test_nothing_to_install_runs_nothing(tmp_path: Path) -> None:
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("numpy==1.0.0\n")
    assert colab.install_missing(requirements) == []
