"""The Landlock part of the plan: what this kernel's ABI lets the worker apply to itself
(it does so in worker/confine.py, after exec), and whether its allowlist reaches into
a protected path."""

from __future__ import annotations

import os

from autograder.worker import confine


def kernel_abi() -> int:
    """This kernel's Landlock ABI (0: none), one syscall."""
    return confine.abi()


def offered(abi: int) -> set[str]:
    """The worker's own layers a kernel with this Landlock ABI (0: none) will let it apply."""
    return {"nondumpable"} | ({"landlock-fs"} if abi >= 1 else set()) | (
        {"landlock-scope"} if abi >= 6 else set())


def inside_allowlist(protected: list[str], allowed: list[str]) -> list[str]:
    """Protected paths the allowlist reaches into (a path under an allowed one, or an
    allowed one under a protected folder): should be none."""
    real = [os.path.realpath(a) for a in allowed]
    out = []
    for p in map(os.path.realpath, protected):
        if any(_under(p, a) or _under(a, p) for a in real):
            out.append(p)
    return out


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")
