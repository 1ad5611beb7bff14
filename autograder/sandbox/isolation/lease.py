"""A shared flock per sandbox uid: kill(-1) as that uid only while nobody else holds it."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator

LOCK_DIR = "/run/lcgrader"

class UidLease:
    """A shared flock per sandbox uid: kill(-1) is allowed only while nobody else holds it."""

    def __init__(self, uid: int, lock_dir: str = LOCK_DIR) -> None:
        os.makedirs(lock_dir, mode=0o700, exist_ok=True)
        st = os.lstat(lock_dir)
        if st.st_uid != os.geteuid() or st.st_mode & 0o077:
            raise PermissionError(f"{lock_dir} is not private to the grader")
        flags = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW
        self.fd = os.open(os.path.join(lock_dir, f"uid-{uid}.lock"), flags, 0o600)
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
