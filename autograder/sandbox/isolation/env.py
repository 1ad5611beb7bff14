"""The worker's whole environment: nothing inherited, BLAS pinned to one thread, and a
token by which cleanup.py recognises every process the worker starts."""

from __future__ import annotations

from autograder import BLAS_THREADS

TOKEN_VAR = "LCGRADER_SANDBOX"

def clean_env(home: str, token: str) -> dict[str, str]:
    """The worker's whole environment: nothing inherited, BLAS pinned to one thread."""
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": home, "TMPDIR": home,
           "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "MPLBACKEND": "Agg", TOKEN_VAR: token}
    for var in BLAS_THREADS:
        env[var] = "1"
    return env
