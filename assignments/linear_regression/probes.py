"""This assignment's probe: what its hidden tests may run inside the student's worker.

Runs in the untrusted worker under the student's builtins (see autograder/worker/probes.py):
every builtin used is imported, so the genuine one is found first.
"""

from __future__ import annotations

from builtins import TypeError, callable, list, vars  # noqa: UP029 - see the docstring
from types import ModuleType
from typing import Any


def call_and_return_inputs(sub: ModuleType, name: str, *args: Any) -> dict:
    """Call the submission's `name(*args)`; return its result and the arguments after it."""
    fn = vars(sub).get(name)
    if not callable(fn):
        raise TypeError(f"the submission defines no function `{name}`")
    return {"result": fn(*args), "args": list(args)}
