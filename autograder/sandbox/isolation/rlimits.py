"""rlimits for the worker: CPU, address space, file size, open files, processes, no cores."""

from __future__ import annotations

import resource

from autograder.sandbox.limits import Limits


def rlimits_for(limits: Limits, nproc: int) -> list[tuple[int, int]]:
    """(resource, value) pairs; soft == hard so the student cannot raise them."""
    return [(resource.RLIMIT_CPU, limits.cpu_seconds),
            (resource.RLIMIT_AS, limits.address_space),
            (resource.RLIMIT_FSIZE, limits.file_size),
            (resource.RLIMIT_NOFILE, limits.open_files),
            (resource.RLIMIT_NPROC, nproc),
            (resource.RLIMIT_CORE, 0)]
