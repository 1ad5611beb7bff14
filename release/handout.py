"""The student handout: one folder and its zip that run without the kit.

    dist/linear_classifiers/        the folder (also what nbgrader's course source carries)
    dist/linear_classifiers.zip     the same files under linear_classifiers/, for download

Its files come from the kit at build time, never from a second committed copy: the
released notebook, the student packages `linclass/` (checks, plots, running a notebook, the
submission helper) and `data/` (loaders, the CIFAR-10 downloader, the embedded digits set),
and the handout's own top-level files in release/handout/ (README, requirements, submit.py).
The zip's bytes depend only on those files: fixed timestamps, sorted entries, fixed modes.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

from linclass.assignment import NOTEBOOK
from linclass.files import write_atomic

ROOT = Path(__file__).resolve().parent.parent
NAME = Path(NOTEBOOK).stem      # the handout folder and zip are named after the notebook
DIST = ROOT / "dist"
TOP_LEVEL = ROOT / "release" / "handout"
# Each student package and the files of it that ship: never caches, never a downloaded
# CIFAR-10 (data/cifar-10-batches-py), never anything new that nobody chose to ship.
PACKAGES = {"linclass": ("*.py",), "data": ("*.py", "digits.npz", "README.md")}
FIXED_TIME = (2020, 1, 1, 0, 0, 0)
FILE_MODE = 0o644


def student_files() -> dict[str, Path]:
    """{path in the handout: file in the kit} of everything but the notebook, sorted."""
    files = {path.name: path for path in TOP_LEVEL.iterdir() if path.is_file()}
    for package, patterns in PACKAGES.items():
        for pattern in patterns:
            files.update({f"{package}/{p.name}": p for p in (ROOT / package).glob(pattern)})
    return dict(sorted(files.items()))


def contents(notebook_text: str) -> dict[str, bytes]:
    """{path in the handout: bytes} of the whole handout, sorted by path."""
    files = {name: path.read_bytes() for name, path in student_files().items()}
    files[NOTEBOOK] = notebook_text.encode("utf-8")
    return dict(sorted(files.items()))


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """The handout zip: every file under NAME/, reproducible to the byte."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files.items()):
            info = zipfile.ZipInfo(f"{NAME}/{name}", FIXED_TIME)
            info.external_attr = (0o100000 | FILE_MODE) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def write_tree(target: Path, files: dict[str, bytes]) -> Path:
    """Make `target` a folder holding exactly `files`, swapped in whole."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}."))
    try:
        for name, data in files.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_bytes(data)
            os.chmod(staging / name, FILE_MODE)
        for folder in [staging, *(p for p in staging.rglob("*") if p.is_dir())]:
            os.chmod(folder, 0o755)  # mkdtemp's 0700 would hide the folder from students
        _swap(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _swap(new: Path, target: Path) -> None:
    """Replace the folder `target` by `new` (two renames; the old one is then deleted)."""
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.rename(target, old)
    os.rename(new, target)
    shutil.rmtree(old, ignore_errors=True)


def build(notebook_text: str, dist: Path | None = None) -> tuple[Path, Path]:
    """Write dist/NAME/ and dist/NAME.zip (default: the kit's dist/) for the released
    notebook; return both paths."""
    dist = dist or DIST
    files = contents(notebook_text)
    folder = write_tree(dist / NAME, files)
    archive = write_atomic(dist / f"{NAME}.zip", zip_bytes(files))
    return folder, archive


def carry_student_files(source_folder: Path) -> list[Path]:
    """Give an nbgrader source folder the handout's files (its notebook stays as it is), so
    that the folder `nbgrader generate_assignment` releases runs on its own: real copies,
    because nbgrader does not descend into linked folders."""
    files = student_files()
    written = [write_atomic(source_folder / name, path.read_bytes())
               for name, path in files.items()]
    for package in PACKAGES:
        keep = {source_folder / n for n in files if n.startswith(f"{package}/")}
        for stale in set((source_folder / package).glob("*")) - keep:
            if stale.is_file():
                stale.unlink()
    return written
