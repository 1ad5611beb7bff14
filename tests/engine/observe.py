"""What a lane reads after a grade: files the submission left, processes it started."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as problem:
        return f"unreadable: {problem}"


def pids(path: Path) -> list[str]:
    """"pid@pid-namespace" of each process the submission started (its own view: the
    worker may have a PID namespace of its own)."""
    return sorted({p for p in path.read_text().split() if "@" in p} if path.exists()
                  else set())


def alive(path: Path) -> list[str]:
    """Processes listed in `path` that still run (zombies count as gone), found in their
    own PID namespace by the last entry of NSpid."""
    wanted = set(pids(path))
    found = []
    for entry in Path("/proc").iterdir():
        try:
            status = (entry / "status").read_text()
            ns = os.readlink(entry / "ns" / "pid")
        except OSError:
            continue
        inner = status.split("\nNSpid:")[1].split("\n")[0].split()[-1]
        if f"{inner}@{ns}" in wanted and not any(f"\nState:\t{s}" in status for s in "ZX"):
            found.append(f"{inner}@{ns}")
    return sorted(found)


def code(submission: Path) -> str:
    """The code cells of a notebook submission (for telling secrets from its own code)."""
    if submission.suffix != ".ipynb" or not submission.is_file():
        return ""
    try:
        cells = json.loads(submission.read_text())["cells"]
    except (OSError, ValueError, KeyError):
        return ""
    return "\n".join("".join(c["source"]) for c in cells if c.get("cell_type") == "code")
