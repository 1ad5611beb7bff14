"""Tests for data.download against small archives built here (never the real one)."""

from __future__ import annotations

import functools
import hashlib
import http.server
import io
import pickle
import socket
import tarfile
import threading
from pathlib import Path

import numpy as np
import pytest

from data import download
from data.cifar10 import load_cifar10
from data.datasets import DatasetNotFoundError, load_dataset
from data.download import (
    EXPECTED_FILES,
    FOLDER_NAME,
    DownloadError,
    download_cifar10,
    main,
)


def _batch_bytes(name: str) -> bytes:
    """A valid two-row CIFAR pickle (or meta file) for ``name``."""
    if name == "batches.meta":
        return pickle.dumps({b"label_names": [b"a", b"b"]}, protocol=2)
    rows = np.arange(2 * 3072, dtype=np.uint32).astype(np.uint8).reshape(2, 3072)
    return pickle.dumps({b"data": rows, b"labels": [0, 1]}, protocol=2)


def make_archive(path: Path, members: dict[str, bytes] | None = None) -> str:
    """Write a .tar.gz at ``path`` and return its MD5 (default: a complete set)."""
    if members is None:
        members = {f"{FOLDER_NAME}/{n}": _batch_bytes(n) for n in EXPECTED_FILES}
    with tarfile.open(path, "w:gz") as tar:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return hashlib.md5(path.read_bytes()).hexdigest()


@pytest.fixture
def archive(tmp_path: Path) -> tuple[str, str]:
    """A complete small archive as (file:// URL, md5)."""
    path = tmp_path / "served" / "cifar-10-python.tar.gz"
    path.parent.mkdir()
    return path.as_uri(), make_archive(path)


@pytest.fixture
def dest(tmp_path: Path) -> Path:
    folder = tmp_path / "dest"
    folder.mkdir()
    return folder


@pytest.fixture
def http_url(archive, tmp_path: Path):
    """Serve the archive over HTTP on 127.0.0.1; yield (URL, md5)."""
    handler = functools.partial(_QuietHandler, directory=str(tmp_path / "served"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/cifar-10-python.tar.gz", archive[1]
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def closed_port_url() -> str:
    """A URL on a local port nobody listens on (connection refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/cifar-10-python.tar.gz"


def test_http_download_succeeds_and_leaves_only_the_folder(http_url, dest: Path) -> None:
    url, md5 = http_url
    folder = download_cifar10(dest, url=url, md5=md5, progress=False)
    assert folder == dest / FOLDER_NAME
    assert [p.name for p in dest.iterdir()] == [FOLDER_NAME]
    assert (folder / "test_batch").read_bytes() == _batch_bytes("test_batch")


@pytest.mark.parametrize("tar_filter", [True, False])
def test_main_with_file_url_gives_a_loadable_folder(
    archive, dest: Path, monkeypatch, tar_filter: bool
) -> None:
    # False: what Python 3.10 releases before 3.10.12 have (no "data" filter).
    monkeypatch.setattr(download, "_HAS_TAR_FILTER", tar_filter)
    url, md5 = archive
    assert main(["--dest", str(dest), "--url", url, "--md5", md5, "--no-progress"]) == 0
    ds = load_cifar10(dest / FOLDER_NAME)
    assert ds.X_train.shape == (10, 32, 32, 3) and ds.class_names == ("a", "b")


def test_checksum_mismatch_leaves_nothing(archive, dest: Path, capsys) -> None:
    url, _ = archive
    with pytest.raises(DownloadError, match="MD5 mismatch"):
        download_cifar10(dest, url=url, md5="0" * 32, progress=False)
    assert list(dest.iterdir()) == []
    assert main(["--dest", str(dest), "--url", url, "--md5", "0" * 32, "--no-progress"]) == 1
    assert "MD5 mismatch" in capsys.readouterr().err
    assert list(dest.iterdir()) == []


def test_offline_prints_alternatives_and_exits_1(dest: Path, capsys) -> None:
    url = closed_port_url()
    assert main(["--dest", str(dest), "--url", url, "--no-progress"]) == 1
    err = capsys.readouterr().err
    assert f"Could not download {url}" in err
    assert "CIFAR10_DIR=" in err and "LINCLASS_DATASET=digits" in err
    assert str(dest) in err and "Traceback" not in err
    assert list(dest.iterdir()) == []


def test_http_error_is_reported(http_url, dest: Path, capsys) -> None:
    url, _ = http_url
    assert main(["--dest", str(dest), "--url", url + ".missing", "--no-progress"]) == 1
    assert "HTTP 404" in capsys.readouterr().err
    assert list(dest.iterdir()) == []


def test_complete_folder_is_left_alone(dest: Path, capsys) -> None:
    folder = dest / FOLDER_NAME
    folder.mkdir()
    for name in EXPECTED_FILES:
        (folder / name).write_bytes(b"keep me")
    # An unreachable URL proves nothing was fetched.
    assert main(["--dest", str(dest), "--url", closed_port_url(), "--no-progress"]) == 0
    assert "already" in capsys.readouterr().out
    assert (folder / "data_batch_1").read_bytes() == b"keep me"


def test_partial_folder_is_not_overwritten(archive, dest: Path) -> None:
    (dest / FOLDER_NAME).mkdir()
    (dest / FOLDER_NAME / "data_batch_1").write_bytes(b"mine")
    url, md5 = archive
    with pytest.raises(DownloadError, match="remove it"):
        download_cifar10(dest, url=url, md5=md5, progress=False)
    assert (dest / FOLDER_NAME / "data_batch_1").read_bytes() == b"mine"


@pytest.mark.parametrize("bad_name", ["../evil", "/tmp/evil-abs", "cifar-10-batches-py/../../evil"])
def test_escaping_member_is_rejected(tmp_path: Path, dest: Path, bad_name: str) -> None:
    path = tmp_path / "evil.tar.gz"
    md5 = make_archive(path, {f"{FOLDER_NAME}/data_batch_1": b"x", bad_name: b"owned"})
    with pytest.raises(DownloadError, match="unsafe path"):
        download_cifar10(dest, url=path.as_uri(), md5=md5, progress=False)
    assert not (tmp_path / "evil").exists() and not Path("/tmp/evil-abs").exists()
    assert list(dest.iterdir()) == []


def test_link_member_is_rejected(tmp_path: Path, dest: Path) -> None:
    path = tmp_path / "link.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        info = tarfile.TarInfo(f"{FOLDER_NAME}/test_batch")
        info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tar.addfile(info)
    md5 = hashlib.md5(path.read_bytes()).hexdigest()
    with pytest.raises(DownloadError, match="link"):
        download_cifar10(dest, url=path.as_uri(), md5=md5, progress=False)
    assert list(dest.iterdir()) == []


def test_archive_without_expected_files_is_rejected(tmp_path: Path, dest: Path) -> None:
    path = tmp_path / "short.tar.gz"
    md5 = make_archive(path, {f"{FOLDER_NAME}/data_batch_1": b"x"})
    with pytest.raises(DownloadError, match="test_batch"):
        download_cifar10(dest, url=path.as_uri(), md5=md5, progress=False)
    assert list(dest.iterdir()) == []


def test_ctrl_c_mid_way_cleans_up(archive, dest: Path, monkeypatch, capsys) -> None:
    def interrupted(*args) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(download, "_safe_extract", interrupted)
    url, md5 = archive
    assert main(["--dest", str(dest), "--url", url, "--md5", md5, "--no-progress"]) == 130
    assert "interrupted" in capsys.readouterr().err
    assert list(dest.iterdir()) == []


def test_notebook_loader_without_network_points_to_the_digits(
        tmp_path: Path, monkeypatch) -> None:
    """What a student sees when CIFAR-10 is missing and the archive cannot be reached."""
    url = closed_port_url()
    monkeypatch.setenv(download.URL_ENV, url)
    folder = tmp_path / FOLDER_NAME
    with pytest.raises(DatasetNotFoundError) as info:
        load_dataset("cifar10", folder, download=True)
    message = str(info.value)
    assert f"Could not download {url}" in message
    assert 'set DATASET = "digits"' in message and "CIFAR10_DIR=" in message
    assert list(tmp_path.iterdir()) == []


def test_notebook_loader_reports_a_corrupt_download(archive, tmp_path: Path,
                                                   monkeypatch) -> None:
    url, _ = archive  # reachable, but not the archive whose MD5 the downloader expects
    monkeypatch.setenv(download.URL_ENV, url)
    with pytest.raises(DatasetNotFoundError) as info:
        load_dataset("cifar10", tmp_path / "dest" / FOLDER_NAME, download=True)
    assert "MD5 mismatch" in str(info.value) and 'DATASET = "digits"' in str(info.value)
    assert list((tmp_path / "dest").iterdir()) == []
