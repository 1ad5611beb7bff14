"""grade-all on an existing Dask cluster: `--scheduler ADDRESS` (the TA's extra,
requirements-cluster.txt; this module alone imports dask, and only with that option).

Each job (jobs.py) goes to the scheduler through `Client.get_executor()`, the
`concurrent.futures` interface the local pool offers too. A Dask worker grades it in a
warm grading process of its own (graders.py), so every grade still has its own isolated
worker and sandbox user on that machine, and returns results.json's content: the workers
write nothing the client reads. A Dask worker that dies mid-grade loses nothing: the
scheduler gives its tasks to another (`distributed.scheduler.allowed-failures` times), and
the client files each submission once, under its key, whichever attempt finished it.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from typing import Any

from autograder.batch import graders
from autograder.batch.jobs import fingerprint
from autograder.batch.pool import Executor
from autograder.errors import GraderError

CONNECT_TIMEOUT = 10.0     # s: to reach the scheduler, and then for a first worker to join
PREFLIGHT_TIMEOUT = 120.0  # s: a worker's first grade, its grading process's start included
INSTALL = "pip install -r requirements-cluster.txt (README: more than one machine)"


@contextlib.contextmanager
def connect(address: str, assignment: str, strict: bool = False,
            timeout: float = CONNECT_TIMEOUT) -> Iterator[Executor]:
    """An executor on the cluster at `address`, once every worker has shown it grades as
    the client would; a `GraderError` before any work otherwise."""
    client = _client(address, timeout)
    with client:
        threads = _check_workers(client, address, (assignment, strict), timeout)
        # pure=False: a regrade of the same job must run again, not reuse a result.
        executor = client.get_executor(pure=False)
        yield Executor(functools.partial(executor.submit, graders.grade), max(8, 2 * threads))


def _client(address: str, timeout: float) -> Any:
    try:
        from distributed import Client
    except ImportError as missing:
        raise GraderError(f"--scheduler needs dask's distributed ({missing}): {INSTALL}"
                          ) from None
    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as problem:
        raise GraderError(f"cannot reach the Dask scheduler at {address} ({problem}); "
                          "nothing was graded") from None


def _check_workers(client: Any, address: str, how: tuple[str, bool], timeout: float) -> int:
    """The cluster's worker threads, once each worker has graded the reference to full
    marks with the client's grader (graders.check)."""
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError:
        raise GraderError(f"no Dask worker joined the scheduler at {address} within "
                          f"{timeout:g} s; nothing was graded") from None
    theirs, broken = _preflight(client, how)
    if broken:
        raise GraderError("Dask workers cannot grade; nothing was graded. Each worker machine "
                          "needs the kit's environment (README: more than one machine): "
                          + "; ".join(f"{w}: {problem}" for w, problem in sorted(broken.items())))
    if other := sorted(w for w, digest in theirs.items() if digest != fingerprint(how[0])):
        raise GraderError(f"Dask workers {', '.join(other)} run another version of the "
                          "grader or the assignment: install the client's commit there")
    return sum(client.nthreads().values())


def _preflight(client: Any, how: tuple[str, bool]) -> tuple[dict[str, str], dict[str, str]]:
    """Each worker's fingerprint, or what stopped it from grading the reference."""
    futures = {worker: client.submit(graders.check, *how, workers=[worker], pure=False,
                                     allow_other_workers=False)
               for worker in client.scheduler_info()["workers"]}
    theirs, broken = {}, {}
    for worker, future in futures.items():
        try:
            theirs[worker] = future.result(timeout=PREFLIGHT_TIMEOUT)
        except Exception as problem:  # noqa: BLE001 - whatever a worker raised, say so
            broken[worker] = f"{type(problem).__name__}: {problem}"
    return theirs, broken
