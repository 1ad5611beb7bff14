"""Leases on this machine's sandbox users, as flocks in one folder private to root.

- `lease_user`: which user a grade runs as. Each concurrent grade on a machine takes its
  own (processes of one uid may signal and trace each other), whoever started it: a pool,
  a Dask worker, two TAs' batches, a test suite beside another.
- `UidLease`: a shared flock per sandbox uid; kill(-1) as that uid only while nobody else
  holds it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator

from autograder.errors import GraderError
from autograder.sandbox.isolation.user import DEFAULT_USER

LOCK_DIR = "/run/lcgrader"
MAX_USERS = 64   # concurrent grades per machine: far above its cores
_FLAGS = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW


def _lock_file(lock_dir: str, name: str) -> int:
    os.makedirs(lock_dir, mode=0o700, exist_ok=True)
    st = os.lstat(lock_dir)
    if st.st_uid != os.geteuid() or st.st_mode & 0o077:
        raise PermissionError(f"{lock_dir} is not private to the grader")
    return os.open(os.path.join(lock_dir, name), _FLAGS, 0o600)


def user_names(base: str = DEFAULT_USER) -> Iterator[str]:
    """lcgrader, lcgrader1, lcgrader2, ...: a lone grade keeps the plain name."""
    yield base
    for n in range(1, MAX_USERS):
        yield f"{base}{n}"


@contextlib.contextmanager
def lease_user(base: str = DEFAULT_USER, lock_dir: str = LOCK_DIR) -> Iterator[str]:
    """The first sandbox user no other grade on this machine holds, for as long as the
    `with` lasts. Without root the worker keeps our own uid, so any name will do."""
    if os.geteuid() != 0:
        yield base
        return
    for name in user_names(base):
        fd = _lock_file(lock_dir, f"user-{name}.lock")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        try:
            yield name
        finally:
            os.close(fd)
        return
    raise GraderError(f"all {MAX_USERS} sandbox users are busy on this machine")


class UidLease:
    """A shared flock per sandbox uid: kill(-1) is allowed only while nobody else holds it."""

    def __init__(self, uid: int, lock_dir: str = LOCK_DIR) -> None:
        self.fd = _lock_file(lock_dir, f"uid-{uid}.lock")
        fcntl.flock(self.fd, fcntl.LOCK_SH)

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[bool]:
        """Yield True while we are the only sandbox of this uid (on this machine)."""
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fcntl.flock(self.fd, fcntl.LOCK_SH)  # a failed upgrade dropped our shared lock
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(self.fd, fcntl.LOCK_SH)

    def close(self) -> None:
        """Give the lease up (closing the fd releases the flock)."""
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
