"""The unprivileged account the worker runs as when the grader is root, and the drop to it.

A dedicated system user (``lcgrader``, else ``nobody``): the hidden tests, the reference
and the results are out of reach, and every process of the submission can be killed
with one ``kill(-1)`` as that user (cleanup.py).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
from dataclasses import dataclass

DEFAULT_USER = "lcgrader"

@dataclass(frozen=True)
class SandboxUser:
    """The account the worker runs as; ``dedicated`` = nothing else runs under it."""

    name: str
    uid: int
    gid: int
    dedicated: bool



def ensure_sandbox_user(name: str = DEFAULT_USER) -> SandboxUser:
    """The dedicated system user, created if absent and possible; else ``nobody``."""
    pw = _getpw(name) or _create_user(name)
    if pw is not None and pw.pw_uid != 0 and pw.pw_gid != 0:
        return SandboxUser(name, pw.pw_uid, pw.pw_gid, dedicated=True)
    nobody = pwd.getpwnam("nobody")
    return SandboxUser("nobody", nobody.pw_uid, nobody.pw_gid, dedicated=False)


def _getpw(name: str) -> pwd.struct_passwd | None:
    try:
        return pwd.getpwnam(name)
    except KeyError:
        return None


def _create_user(name: str) -> pwd.struct_passwd | None:
    """useradd --system: no home, no login shell, its own group."""
    tool = shutil.which("useradd", path=os.pathsep.join(
        [os.environ.get("PATH", ""), "/usr/sbin", "/sbin"]))
    if tool is None or os.geteuid() != 0:
        return None
    cmd = [tool, "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
           "--shell", "/usr/sbin/nologin", name]
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        subprocess.run(cmd, check=False, capture_output=True, timeout=30)
    return _getpw(name)


def drop_to(user: SandboxUser) -> None:
    """setgroups([]) + setgid + setuid: real, effective and saved ids all change (as root)."""
    os.setgroups([])
    os.setgid(user.gid)
    os.setuid(user.uid)
