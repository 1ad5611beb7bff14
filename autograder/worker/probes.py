"""Probes: what a request may ask the worker to do with the loaded submission.

Every PUBLIC FUNCTION defined in this module is a probe, called as
``probe(submission_module, *args, **kwargs)`` in a fresh forked child; its return
value is sent back as data (see protocol.py). These are the generic ones; an
assignment adds its own in one module of the same kind (``Sandbox(probes=...)``, for
example assignments/<name>/probes.py), registered by the same rule
(registry.py). Keep helpers private (leading underscore). Runs inside the untrusted
worker: stdlib + numpy only, and nothing a student must not see.
"""

from __future__ import annotations

from builtins import callable, str, type, vars  # noqa: UP029 - see below
from types import ModuleType
from typing import Any

# Probes run under the STUDENT's builtins (they call student code, which may have
# patched builtins.len & co.): import every builtin a probe uses, as above, so the
# probe's own lookups find the genuine ones in this module's globals first.

_MISSING = object()


class MissingFunction(Exception):
    """The submission does not define the requested name (or it is not callable)."""


def call(sub: ModuleType, name: str, *args: Any, **kwargs: Any) -> Any:
    """Call the submission's top-level ``name(*args, **kwargs)`` and return its result."""
    if type(name) is not str:
        raise TypeError("function name must be a str")
    # vars(), not getattr(): a module-level __getattr__ must not invent functions.
    fn = vars(sub).get(name, _MISSING)
    if fn is _MISSING:
        raise MissingFunction(f"submission does not define `{name}`")
    if not callable(fn):
        raise MissingFunction(f"`{name}` in the submission is not a function")
    return fn(*args, **kwargs)


def repeat(sub: ModuleType, name: str, *args: Any) -> list:
    """``name(*fixed, v)[0]`` for each v of the last argument (a list), in one request: the
    grader times the whole request and checks every result, so the calls must really
    happen; only each result's first item travels back (a loss without its gradient)."""
    *fixed, values = args
    return [call(sub, name, *fixed, v)[0] for v in values]
