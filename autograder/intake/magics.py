"""IPython's own syntax in a cell (magics, shell escapes, help) -> plain Python.

Only a cell that is not valid Python and has a line that could start an IPython
escape goes through IPython's input transformers (importing them costs ~0.14 s):
IPython decides what a magic is, at the start of a LOGICAL line only, so an
`!= 0` or `% x` continuing an expression is never touched. The calls IPython
turns them into (`get_ipython().run_line_magic(...)`) are then replaced by `pass`
on their own line, so every line keeps its number.
"""

from __future__ import annotations

import ast
import re

from autograder.errors import GraderError

# Cell magics whose body IPython runs as ordinary Python in the notebook's namespace:
# the body's definitions count. Any other (%%bash, %%writefile, %%timeit ...) is skipped.
PYTHON_BODY = frozenset({"time", "capture"})
# A line that may start an escape (%, %%, !, !!) or end in IPython's help `?`.
_MAYBE_ESCAPE = re.compile(r"^[ \t]*[%!]|\?[ \t]*$", re.MULTILINE)
_CELL_MAGIC = re.compile(r"\A(?:[ \t]*\n)*[ \t]*%%(\w*)[^\n]*")


def may_have_escapes(source: str) -> bool:
    return bool(_MAYBE_ESCAPE.search(source))


def cell_magic(source: str) -> tuple[str | None, str]:
    """(the name of a cell magic on the cell's first line, or None; the source with that
    line blanked, so the body keeps its line numbers)."""
    found = _CELL_MAGIC.match(source)
    if found is None:
        return None, source
    blank = "\n" * found.group(0).count("\n")
    return found.group(1), blank + source[found.end():]


def to_python(source: str) -> str:
    """The cell as IPython would run it, with every magic or shell escape a `pass`.

    Same number of lines as `source`; raises GraderError if IPython is missing.
    """
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError as exc:   # a broken install of the grader, not the student's fault
        raise GraderError(f"IPython is needed to read notebook magics: {exc}") from exc
    transformed = TransformerManager().transform_cell(source)
    try:
        tree = ast.parse(transformed)
    except SyntaxError:
        return transformed
    return _neutralised(transformed, tree)


def _neutralised(source: str, tree: ast.Module) -> str:
    lines = source.split("\n")
    for node in ast.walk(tree):
        if _is_ipython_call(node) and node.lineno == node.end_lineno:
            line = lines[node.lineno - 1]
            lines[node.lineno - 1] = line[:node.col_offset] + "pass" + line[node.end_col_offset:]
    return "\n".join(lines)


def _is_ipython_call(node: ast.AST) -> bool:
    """`get_ipython().anything(...)` as a statement of its own."""
    if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)):
        return False
    func = node.value.func
    return (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call)
            and isinstance(func.value.func, ast.Name) and func.value.func.id == "get_ipython")
