"""The kit's layout rules (issue 12), checked mechanically: no module outside bench/ over
300 lines, no class over 150, and every module of the shipped packages with its tests.

A module is tested by tests/test_<its name>.py that imports it, or says where it is
tested on a line of tests/README.md that names its path and a test file.
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import kit

ROOT = Path(kit.__file__).resolve().parent
MAX_MODULE_LINES = 300
MAX_CLASS_LINES = 150
# The kit's own code (what its lint covers), without the measurement scripts of bench/.
CODE = tuple(name for name in kit.CODE if name != "bench")
GENERATED = ("nbgrader_course/source",)   # copies written by `python -m release`
# The packages whose every module has its tests: the engine, the homework, the student's.
TESTED = ("autograder", "assignments", "linclass", "data", "release")
README = ROOT / "tests" / "README.md"
TEST_FILE = re.compile(r"\btest_\w+\.py\b|\btests/\w+")


def modules(tops: tuple[str, ...]) -> list[Path]:
    """Every .py file under `tops` (folders or files of the kit), relative to the kit;
    symbolic links are not followed (assignment/ and solutions/ link to data/, linclass/)."""
    found = []
    for top in tops:
        if (ROOT / top).is_file():
            found.append(Path(top))
            continue
        for folder, dirs, files in os.walk(ROOT / top):
            here = Path(folder).relative_to(ROOT)
            dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__pycache__"))
                             and (here / d).as_posix() not in GENERATED)
            found += [here / f for f in sorted(files) if f.endswith(".py")]
    return found


def line_count(path: Path) -> int:
    return len((ROOT / path).read_text(encoding="utf-8").splitlines())


def long_classes(path: Path) -> list[str]:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    return [f"{path}: class {node.name} has {node.end_lineno - node.lineno + 1} lines, "
            f"over {MAX_CLASS_LINES}" for node in ast.walk(tree)
            if isinstance(node, ast.ClassDef)
            and node.end_lineno - node.lineno + 1 > MAX_CLASS_LINES]


def defines_nothing(path: Path) -> bool:
    """An __init__.py with no function or class: a docstring and imports at most."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    return path.name == "__init__.py" and not any(
        isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        for node in ast.walk(tree))


def imports(test: Path, module: Path) -> bool:
    """Whether `test` imports `module` (a path such as autograder/report/files.py)."""
    dotted = ".".join(module.with_suffix("").parts)
    package, _, name = dotted.rpartition(".")
    text = test.read_text(encoding="utf-8")
    return bool(re.search(rf"^\s*(from {re.escape(dotted)} import|import {re.escape(dotted)}\b"
                          rf"|from {re.escape(package)} import [^\n]*\b{name}\b)", text,
                          re.MULTILINE))


def readme_says_where(module: Path, lines: list[str]) -> bool:
    path = module.as_posix()
    return any(path in line and TEST_FILE.search(line.replace(path, "")) for line in lines)


def test_no_module_is_over_300_lines() -> None:
    over = [f"{path}: {n} lines, over {MAX_MODULE_LINES}" for path in modules(CODE)
            if (n := line_count(path)) > MAX_MODULE_LINES]
    assert not over, "split these modules by what they hold:\n" + "\n".join(over)


def test_no_class_is_over_150_lines() -> None:
    over = [problem for path in modules(CODE) for problem in long_classes(path)]
    assert not over, "split these classes:\n" + "\n".join(over)


def test_every_module_has_its_tests() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    untested = []
    for module in modules(TESTED):
        if defines_nothing(module):
            continue
        test = ROOT / "tests" / f"test_{module.stem}.py"
        if not (test.is_file() and imports(test, module)) and not readme_says_where(module,
                                                                                    lines):
            untested.append(f"{module}: no tests/test_{module.stem}.py importing it, and no "
                            "line of tests/README.md naming it and where it is tested")
    assert not untested, "\n".join(untested)


def test_readme_names_only_files_that_exist() -> None:
    """A file renamed or removed takes its line of tests/README.md with it."""
    text = README.read_text(encoding="utf-8")
    named = set(re.findall(r"[\w./-]+\.(?:py|md|json)\b", text))
    missing = sorted(name for name in named if "/" in name and not (ROOT / name).exists()
                     and not (ROOT / "tests" / name).exists())
    missing += sorted(name for name in named if "/" not in name and name.startswith("test_")
                      and not (ROOT / "tests" / name).exists())
    assert not missing, f"tests/README.md names files that do not exist: {missing}"


def test_the_checks_see_the_kit() -> None:
    """The rules above look at the real tree: its modules, and no generated copy."""
    found = {path.as_posix() for path in modules(CODE)}
    assert {"autograder/grade.py", "tests/test_layout.py", "kit.py"} <= found
    assert not any(p.startswith(("bench/", "nbgrader_course/source/", ".venv/", "dist/"))
                   for p in found)
    assert not any("__pycache__" in p for p in found)
    assert any(path.as_posix() == "data/cifar10.py" for path in modules(TESTED))
