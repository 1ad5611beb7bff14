"""The protected-path check: which of the grader's paths the worker's account could read
or write (as that user, in a fork). Used when Landlock's allowlist is not in force."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable

from autograder.sandbox.isolation.user import SandboxUser, drop_to


def expand_paths(paths: Iterable[str | os.PathLike], limit: int = 2000) -> list[str]:
    """Existing paths plus everything under the directories among them (bounded)."""
    out: list[str] = []
    for p in map(os.fspath, paths):
        if not os.path.lexists(p):
            continue
        out.append(p)
        if os.path.isdir(p) and not os.path.islink(p):
            for root, dirs, files in os.walk(p):
                out += [os.path.join(root, n) for n in dirs + files]
                if len(out) >= limit:
                    return out[:limit]
    return out[:limit]


def _can_touch(path: str) -> bool:
    """Readable (a dir: listable) or writable by the current real uid."""
    if os.access(path, os.W_OK, follow_symlinks=False) or (
            os.path.isdir(path) and os.access(path, os.W_OK)):
        return True
    try:
        if os.path.isdir(path):
            os.listdir(path)
        else:
            os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY))
    except OSError:
        return False
    return True


def readable_paths(paths: Iterable[str | os.PathLike], user: SandboxUser | None) -> list[str]:
    """Which of ``paths`` (recursively) the worker's account can read or write: should be none."""
    candidates = expand_paths(paths)
    if not candidates or user is None:
        return [p for p in candidates if _can_touch(p)]
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(r)
            drop_to(user)
            os.write(w, json.dumps([p for p in candidates if _can_touch(p)]).encode())
        finally:
            os._exit(0)
    os.close(w)
    with os.fdopen(r, "rb") as f:
        data = f.read()
    os.waitpid(pid, 0)
    try:
        return json.loads(data)
    except ValueError:
        return candidates  # could not check: assume the worst
