"""Download CIFAR-10 ("python version") into ``data/cifar-10-batches-py``.

Usage::

    python -m data.download [--dest DIR]

The notebook downloads it by itself on first use (``load_dataset("cifar10",
download=True)``); ``$CIFAR10_URL`` names a mirror.

The download is atomic: the archive goes to a temporary file inside DIR, its
MD5 is checked, it is unpacked into a temporary folder inside DIR, the
expected files are checked, and only then is the folder renamed into place.
On any error or Ctrl-C the temporary file and folder are removed, so DIR
never holds a half-downloaded archive or a half-extracted folder.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import os
import shutil
import sys
import tarfile
import tempfile
import urllib.error
import urllib.request
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
URL_ENV = "CIFAR10_URL"  # a course's mirror of the same archive (same MD5)
MD5 = "c58f30108f718f92721af3b95e74349a"
FOLDER_NAME = "cifar-10-batches-py"
# Kept in step with data.cifar10.REQUIRED_FILES; not imported from there so
# that this script needs only the standard library (and tqdm).
EXPECTED_FILES = (
    *(f"data_batch_{i}" for i in range(1, 6)),
    "test_batch",
    "batches.meta",
)
DEFAULT_DEST = Path(__file__).resolve().parent
_CHUNK = 1 << 20
_TIMEOUT_S = 60
# tarfile's "data" filter: Python 3.12+, backported to 3.10.12 and 3.11.4.
_HAS_TAR_FILTER = hasattr(tarfile, "data_filter")


# What an unreachable server or a lost connection raises (HTTPError, a server's answer, is
# a URLError too: callers that want to tell it apart catch it first).
NETWORK_ERRORS = (urllib.error.URLError, TimeoutError, ConnectionError,
                  http.client.HTTPException)


class DownloadError(Exception):
    """The download or its archive is unusable; the message says why."""


def default_url() -> str:
    """``$CIFAR10_URL`` if set, else the official archive's address."""
    return os.environ.get(URL_ENV) or URL


def download_cifar10(
    dest: str | os.PathLike | None = None,
    *,
    url: str | None = None,
    md5: str = MD5,
    progress: bool = True,
) -> Path:
    """Download and unpack CIFAR-10 into ``<dest>/cifar-10-batches-py``.

    Args:
        dest: parent folder; defaults to this package's folder (``data/``).
        url: archive address (``https://``, ``http://`` or ``file://``);
            defaults to :func:`default_url`.
        md5: expected hex MD5 of the archive.
        progress: show a tqdm progress bar.

    Returns:
        The path of the complete ``cifar-10-batches-py`` folder.

    Raises:
        DownloadError: bad checksum, unsafe or incomplete archive, or a
            partial folder already in the way.
        urllib.error.URLError, OSError: the network or the disk failed.
    """
    dest = Path(dest).expanduser() if dest else DEFAULT_DEST
    url = url or default_url()
    final = dest / FOLDER_NAME
    if _is_complete(final):
        print(f"CIFAR-10 is already in {final}; nothing to do.")
        return final
    if final.exists():
        raise DownloadError(
            f"{final} exists but lacks {', '.join(_missing(final))}; remove it and run again"
        )
    dest.mkdir(parents=True, exist_ok=True)
    _fetch_and_unpack(dest, final, url, md5, progress)
    print(f"CIFAR-10 is ready in {final}")
    return final


def _fetch_and_unpack(dest: Path, final: Path, url: str, md5: str, progress: bool) -> None:
    """Download, verify, extract and move into ``final``; clean up always."""
    archive = staging = None
    try:
        fd, archive = tempfile.mkstemp(dir=dest, prefix=".cifar-10-", suffix=".tar.gz.part")
        os.close(fd)
        staging = tempfile.mkdtemp(dir=dest, prefix=".cifar-10-extract-")
        _download(url, Path(archive), md5, progress)
        _safe_extract(Path(archive), Path(staging))
        unpacked = Path(staging) / FOLDER_NAME
        if not _is_complete(unpacked):
            raise DownloadError(f"{url}: archive lacks {', '.join(_missing(unpacked))}")
        os.rename(unpacked, final)
    finally:
        # Runs on KeyboardInterrupt too: never leave partial files behind.
        if archive:
            Path(archive).unlink(missing_ok=True)
        if staging:
            shutil.rmtree(staging, ignore_errors=True)


def _download(url: str, target: Path, md5: str, progress: bool) -> None:
    """Stream ``url`` to ``target`` in chunks, then check its MD5."""
    digest = hashlib.md5(usedforsecurity=False)
    with urllib.request.urlopen(url, timeout=_TIMEOUT_S) as response:
        size = response.headers.get("Content-Length")
        with open(target, "wb") as out, _progress_bar(size, progress) as bar:
            while chunk := response.read(_CHUNK):
                out.write(chunk)
                digest.update(chunk)
                bar.update(len(chunk))
    if digest.hexdigest() != md5.lower():
        raise DownloadError(
            f"{url}: MD5 mismatch (expected {md5}, got {digest.hexdigest()}); "
            "the download is corrupt or the file was changed"
        )


def _progress_bar(size: str | None, enabled: bool) -> Any:
    """A tqdm byte counter for a Content-Length of ``size`` (no-op if disabled)."""
    from tqdm import tqdm  # imported here: only the downloader needs it

    total = int(size) if size and size.isdigit() else None
    return tqdm(
        total=total,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        desc="cifar-10-python.tar.gz",
        disable=not enabled,
    )


def _safe_extract(archive: Path, target: Path) -> None:
    """Extract ``archive`` into ``target``, refusing members that escape it."""
    try:
        with tarfile.open(archive, "r:*") as tar:
            members = tar.getmembers()
            for member in members:
                _check_member(member)
            # Where available the "data" filter repeats these checks inside
            # tarfile; older 3.10 releases rely on ours alone.
            options = {"filter": "data"} if _HAS_TAR_FILTER else {}
            tar.extractall(target, members=members, **options)
    except tarfile.TarError as exc:
        raise DownloadError(f"{archive.name}: not a readable tar archive ({exc})") from exc


def _check_member(member: tarfile.TarInfo) -> None:
    """Reject links, devices, absolute paths and ``..`` in a tar member."""
    name = member.name
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if PurePosixPath(name).is_absolute() or PureWindowsPath(name).drive or ".." in parts:
        raise DownloadError(f"refusing unsafe path in archive: {name!r}")
    if not (member.isfile() or member.isdir()):
        raise DownloadError(f"refusing link or special file in archive: {name!r}")


def _missing(folder: Path) -> list[str]:
    """Expected CIFAR-10 files not present in ``folder``."""
    return [n for n in EXPECTED_FILES if not (folder / n).is_file()]


def _is_complete(folder: Path) -> bool:
    """True if ``folder`` holds every expected CIFAR-10 file."""
    return folder.is_dir() and not _missing(folder)


def offline_message(url: str, reason: object, dest: Path) -> str:
    """The one message shown (here and by the notebook's loader) when the archive
    cannot be reached."""
    return (
        f"Could not download {url} ({reason}).\n"
        "Alternatives:\n"
        "  - work offline on the small digits set shipped in data/: set DATASET = \"digits\"\n"
        "    in the notebook (LINCLASS_DATASET=digits for scripts)\n"
        "  - use an existing copy:         CIFAR10_DIR=/path/to/cifar-10-batches-py\n"
        f"  - download {url} by hand and unpack it into {dest}"
    )


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        prog="python -m data.download", description="Download CIFAR-10 (python version)."
    )
    parser.add_argument(
        "--dest",
        type=Path,
        default=DEFAULT_DEST,
        help=f"parent folder for {FOLDER_NAME}/ (default: {DEFAULT_DEST})",
    )
    parser.add_argument("--url", default=default_url(),
                        help=f"archive URL, e.g. a mirror (default: ${URL_ENV} or {URL})")
    parser.add_argument("--md5", default=MD5, help="expected MD5 of the archive")
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    args = _parse_args(argv)
    try:
        download_cifar10(args.dest, url=args.url, md5=args.md5, progress=not args.no_progress)
    except urllib.error.HTTPError as exc:
        # A server that answers is not "offline": report what it said.
        print(f"error: {args.url}: HTTP {exc.code} {exc.reason}", file=sys.stderr)
        return 1
    except NETWORK_ERRORS as exc:
        reason = getattr(exc, "reason", None) or exc
        print(offline_message(args.url, reason, args.dest), file=sys.stderr)
        return 1
    except (DownloadError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; partial files removed", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
