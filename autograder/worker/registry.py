"""Which functions of a probes module are probes: its public plain functions defined in it.

The worker registers them (server.py); the grader reads the same rule from the source
(``names_in``) to refuse an unknown probe before any worker starts. Stdlib only.
"""

from __future__ import annotations

import ast
from types import FunctionType, ModuleType
from typing import Any


def registry(module: ModuleType) -> dict[str, Any]:
    """The probes of ``module``: its public plain functions defined in it (not imported),
    each under its own name (a ``def``: no lambda, no alias)."""
    return {k: v for k, v in vars(module).items()
            if not k.startswith("_") and type(v) is FunctionType
            and v.__module__ == module.__name__ and v.__name__ == k}


def names_in(source: str) -> frozenset[str]:
    """What ``registry`` will find in a module of this source, read without running it:
    its public undecorated top-level defs (``async def`` too: a function all the same)."""
    return frozenset(node.name for node in ast.parse(source).body
                     if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                     and not node.decorator_list and not node.name.startswith("_"))
