"""grade-all on an existing Dask cluster: `--scheduler ADDRESS` (the TA's extra,
requirements-cluster.txt; this module alone imports dask, and only with that option).

Each job (jobs.py) goes to the scheduler through `Client.get_executor()`, the
`concurrent.futures` interface the local pool offers too; a Dask worker grades it in a
warm grading process of its own (graders.py), so every grade still has its own
isolated worker and sandbox user on that machine, and returns results.json's content: the
workers write nothing the client reads. A Dask worker that dies mid-grade loses nothing: the scheduler gives its
tasks to another (`distributed.scheduler.allowed-failures` times), and the client files
each submission once, under its key, whichever attempt finished it.
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

CONNECT_TIMEOUT = 10.0   # s: to reach the scheduler, and then for a first worker to join
INSTALL = "pip install -r requirements-cluster.txt (README: more than one machine)"


@contextlib.contextmanager
def connect(address: str, assignment: str, timeout: float = CONNECT_TIMEOUT
            ) -> Iterator[Executor]:
    """An executor on the cluster at `address`, after checking that every worker grades
    with the client's grader; a `GraderError` before any work otherwise."""
    client = _client(address, timeout)
    with client:
        threads = _check_workers(client, address, assignment, timeout)
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


def _check_workers(client: Any, address: str, assignment: str, timeout: float) -> int:
    """The cluster's worker threads, once each worker is known to run our grader."""
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError:
        raise GraderError(f"no Dask worker joined the scheduler at {address} within "
                          f"{timeout:g} s; nothing was graded") from None
    try:
        theirs = client.run(fingerprint, assignment)
    except Exception as problem:  # noqa: BLE001 - whatever a worker raised, say so
        raise GraderError(f"a Dask worker cannot load the grader ({type(problem).__name__}: "
                          f"{problem}); each worker machine needs the kit's environment: "
                          "README, more than one machine") from None
    ours = fingerprint(assignment)
    if other := sorted(worker for worker, digest in theirs.items() if digest != ours):
        raise GraderError(f"Dask workers {', '.join(other)} run another version of the "
                          "grader or the assignment: install the client's commit there")
    return sum(client.nthreads().values())
