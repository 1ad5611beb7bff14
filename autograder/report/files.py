"""Atomic file writes: a reader (or a crash) sees the old file or the whole new one, never half.

The kit's one implementation. The student side uses it too: linclass/files.py is a link to
this file, and the handout ships a copy (the handout runs without the kit), so this module
imports nothing but the standard library.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: str | bytes) -> Path:
    """Write `data` (text as UTF-8, bytes as they are) to `path` through a temporary file
    in the same folder; returns `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide the file from its readers
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
