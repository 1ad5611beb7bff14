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
