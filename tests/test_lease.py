"""isolation/lease.py: a uid sweep only while one sandbox holds the uid alone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from autograder.sandbox import isolation


def test_uid_lease_allows_a_sweep_only_when_alone(tmp_path: Path) -> None:
    lock_dir = str(tmp_path / "locks")
    a = isolation.UidLease(4242, lock_dir)
    b = isolation.UidLease(4242, lock_dir)
    with a.exclusive() as alone:
        assert not alone
    b.close()
    with a.exclusive() as alone:
        assert alone
    a.close()
    os.chmod(lock_dir, 0o777)
    with pytest.raises(PermissionError):
        isolation.UidLease(4242, lock_dir)


def test_each_concurrent_grade_takes_its_own_user(tmp_path: Path) -> None:
    """As root, two grades at once get two users; a user given back is taken again, the
    first first. Without root the worker keeps our uid, and every grade the one name."""
    lock_dir = str(tmp_path / "locks")
    with isolation.lease_user("lcgrader", lock_dir) as first, \
            isolation.lease_user("lcgrader", lock_dir) as second:
        if os.geteuid() != 0:
            assert first == second == "lcgrader"
            return
        assert (first, second) == ("lcgrader", "lcgrader1")
        with isolation.lease_user("lcgrader", lock_dir) as third:
            assert third == "lcgrader2"
    with isolation.lease_user("lcgrader", lock_dir) as again:
        assert again == "lcgrader"


def test_a_lease_is_held_across_processes(tmp_path: Path) -> None:
    """Another process (a second batch, a Dask worker) sees the user as taken."""
    lock_dir = str(tmp_path / "locks")
    if os.geteuid() != 0:
        with isolation.lease_user("lcgrader", lock_dir) as name:
            assert name == "lcgrader"   # the worker keeps our uid: nothing to share
        return
    with isolation.lease_user("lcgrader", lock_dir):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:   # a fresh open file description, as another process has
            with isolation.lease_user("lcgrader", lock_dir) as name:
                os.write(write, name.encode())
            os._exit(0)
        os.waitpid(pid, 0)
        assert os.read(read, 100) == b"lcgrader1"
