"""Find Python-level loops in a submitted function, on its syntax tree only.

Counts for/while loops, comprehensions and the loop-in-disguise helpers
(np.vectorize, map, ...), inside the function and inside every function of the
notebook that it calls, directly or not. Nothing is executed.
"""

from __future__ import annotations

import ast

from autograder.intake.extraction import Extraction

_LOOPS = {ast.For: "a for loop", ast.AsyncFor: "a for loop", ast.While: "a while loop",
          ast.ListComp: "a list comprehension", ast.SetComp: "a set comprehension",
          ast.DictComp: "a dict comprehension", ast.GeneratorExp: "a generator expression"}
_DISGUISED = {"vectorize", "apply_along_axis", "apply_over_axes", "frompyfunc", "fromiter",
              "map", "filter"}
# Code reached through these cannot be followed on the syntax tree, so it is not allowed.
_DYNAMIC = {"globals", "locals", "vars", "eval", "exec", "getattr", "__import__", "compile"}


def definitions(extraction: Extraction) -> dict[str, ast.AST]:
    """The last top-level definition of each function, class or lambda, as the notebook
    leaves it; a class counts as a whole (its methods may run)."""
    found: dict[str, ast.AST] = {}
    for chunk in extraction.chunks:
        for node in ast.parse(chunk.source).body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                found[node.name] = node
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Lambda):
                found.update({t.id: node for t in node.targets if isinstance(t, ast.Name)})
    return found


def python_loops(extraction: Extraction, function: str) -> list[str]:
    """Descriptions of the loops `function` runs, e.g. 'a for loop in helper (line 3)'."""
    functions = definitions(extraction)
    seen: set[str] = set()
    pending = [function]
    loops: list[str] = []
    while pending:
        name = pending.pop()
        if name in seen or name not in functions:
            continue
        seen.add(name)
        for node in ast.walk(functions[name]):
            loops.extend(_describe(node, name, getattr(functions[name], "lineno", 1)))
            if isinstance(node, ast.Name) and node.id in functions:
                pending.append(node.id)
    return loops


def _describe(node: ast.AST, owner: str, first_line: int) -> list[str]:
    where = f"in {owner} (line {getattr(node, 'lineno', first_line) - first_line + 1})"
    if type(node) in _LOOPS:
        return [f"{_LOOPS[type(node)]} {where}"]
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in _DISGUISED:
            return [f"a call to {name} (a Python loop in disguise) {where}"]
    if isinstance(node, ast.Name) and node.id in _DYNAMIC:
        return [f"a use of {node.id}, which hides what runs from this check, {where}"]
    return []
