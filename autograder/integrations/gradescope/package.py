"""Build Gradescope's autograder.zip: setup.sh and run_autograder at its root.

Inside: the engine (but its batch/), the default assignment's folder (hidden tests included), its
reference notebook and the few student-side modules its spec imports; nothing else of
the kit. The archive is byte-for-byte reproducible (fixed
timestamps, sorted entries) and written atomically.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path

from autograder import paths, spec

ROOT = paths.KIT
GRADESCOPE = paths.GRADESCOPE
# (file in the kit, name in the zip)
TOP_LEVEL = [(GRADESCOPE / "setup.sh", "setup.sh"),
             (GRADESCOPE / "run_autograder", "run_autograder"),
             (GRADESCOPE / "requirements.txt", "requirements-grader.txt")]
EXECUTABLE = {"setup.sh", "run_autograder"}
FIXED_TIME = (2020, 1, 1, 0, 0, 0)


def contents() -> list[tuple[Path, str]]:
    """Every file of the zip, sorted by its name in the zip: the engine, the default
    assignment's folder, its reference and the kit files its package imports."""
    assignment = spec.load()
    trees = (paths.ENGINE, assignment.folder)
    files = [path for folder in trees for path in folder.rglob("*")
             if path.is_file() and "__pycache__" not in path.parts
             and path.suffix in {".py", ".txt", ".sh", ""} and not _batch_only(path)]
    files += [paths.ASSIGNMENTS / "__init__.py", assignment.reference, *assignment.uses]
    named = [*TOP_LEVEL, *((path, path.relative_to(ROOT).as_posix()) for path in files)]
    return sorted(named, key=lambda item: item[1])


def _batch_only(path: Path) -> bool:
    """Gradescope grades one submission at a time: a batch's modules have no place there."""
    return path.is_relative_to(paths.ENGINE / "batch")


def build(target: Path) -> Path:
    """Write the zip to `target` (replacing it in one step); return its path."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".zip")
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
            for path, name in contents():
                info = zipfile.ZipInfo(name, FIXED_TIME)
                mode = 0o755 if name in EXECUTABLE or name.endswith("/run_autograder") else 0o644
                info.external_attr = (0o100000 | mode) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, path.read_bytes())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
