"""Google Colab: install what its image lacks, and nothing it already has.

Colab comes with numpy, matplotlib and Jupyter; replacing an imported numpy would need a
restart of the runtime, so only the packages that cannot be imported at all are installed,
each at the version pinned in the handout's requirements.txt.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

from linclass.assignment import CODE_FOLDER

REQUIREMENTS = CODE_FOLDER / "requirements.txt"
PIN = re.compile(r"^\s*(?P<name>[A-Za-z0-9_.-]+)\s*==\s*[^\s#;]+")


def pinned(requirements: Path = REQUIREMENTS) -> dict[str, str]:
    """{distribution name: its `name==version` line} of a requirements file."""
    found = {}
    for line in requirements.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            found[match["name"]] = match.group(0).strip()
    return found


def missing(requirements: Path = REQUIREMENTS) -> list[str]:
    """The pins whose package cannot be imported here (import name = distribution name)."""
    return [pin for name, pin in pinned(requirements).items()
            if importlib.util.find_spec(name.lower().replace("-", "_")) is None]


def install_missing(requirements: Path = REQUIREMENTS) -> list[str]:
    """pip-install the missing pins into this interpreter; return them."""
    pins = missing(requirements)
    if pins:
        print(f"installing {', '.join(pins)}", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", *pins], check=True)
    return pins
