"""Colab's setup: only the pinned packages that cannot be imported get installed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from linclass import colab
from release import handout

ROOT = Path(__file__).resolve().parent.parent


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


def test_importing_it_needs_nothing_that_might_be_missing() -> None:
    """The Colab cell imports linclass.colab before anything is installed."""
    code = ("import sys, linclass.colab; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "{'numpy', 'matplotlib', 'nbformat', 'nbclient', 'nbconvert', 'tqdm', 'data'}))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    assert done.stdout.strip() == "[]"
