"""nbgrader's hidden tests, answered by the real autograder.

Each "autograded tests" cell of the solutions notebook starts with a hidden section

    ### BEGIN HIDDEN TESTS
    from autograder.integrations.nbgrader import report_score
    report_score("<answer cell's grade_id>")
    ### END HIDDEN TESTS

that students never see (nbgrader's ClearHiddenTests removes it from the release and, with
nbgrader_course/nbgrader_config.py, from the feedback). Under `nbgrader autograde`,
`report_score` grades the notebook being autograded with `python -m autograder grade` in a
subprocess, once per kernel, so the student's code is graded in the autograder's isolated
worker and never in this kernel; it prints the function's tests (the failed ones with their
feedback) and shows the function's points as the cell's result.

Why first in the cell and not after the visible checks: nbgrader takes the first
`execute_result` of a grade cell as partial credit and gives 0 only for an error or stderr
output *before* it (nbgrader.utils.determine_grade). A score shown first therefore survives a
visible check that fails below it, as when a vectorized function is compared with a wrong
naive one: nbgrader's score of each cell is exactly the autograder's.

Anywhere else (a plain Jupyter run of the solutions notebook, `nbgrader validate`) the
hidden section does nothing, so the reference still runs top to bottom without grading.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from autograder import paths, spec
from autograder.report.results import is_grader_error
from autograder.sandbox.runtime import PYTHON_ENV as WORKER_PYTHON_ENV
from autograder.spec import Item

KIT = paths.KIT
# nbgrader sets NBGRADER_EXECUTION=autograde in the environment its kernels inherit.
EXECUTION_ENV = "NBGRADER_EXECUTION"
GRADE_TIMEOUT = 900.0  # seconds; a grade takes ~2 s, every call to the student has its own limit


class GraderFailure(RuntimeError):
    """The autograder could not grade the notebook: a TA must look, not a 0 in silence."""


# Per kernel: one grade of each notebook (or why it failed), shared by its eight tests cells.
_graded: dict[Path, dict[str, Any] | GraderFailure] = {}


def items_of(grade_id: str) -> tuple[Item, ...]:
    """The rubric items that the answer cell `grade_id` is graded on (the kit's default
    assignment: nbgrader grades the notebook of its course, assignments.DEFAULT)."""
    items = spec.load().items_of(grade_id)
    if not items:
        raise KeyError(f"no autograder test grades the answer cell {grade_id!r}")
    return items


def _tests_of(document: dict[str, Any], grade_id: str) -> list[dict[str, Any]]:
    """results.json's entries for `grade_id`: entries are numbered in rubric order."""
    items = spec.load().items
    wanted = {index for index, item in enumerate(items, start=1) if item in items_of(grade_id)}
    return [test for test in document["tests"] if int(test["number"]) in wanted]


def score(document: dict[str, Any], grade_id: str) -> float:
    """The points the autograder gave to the functions of answer cell `grade_id`."""
    return round(sum(float(test["score"]) for test in _tests_of(document, grade_id)), 4)


def feedback(document: dict[str, Any], grade_id: str) -> str:
    """What the TA (and the student, in the feedback) reads: each test, and why one failed."""
    tests = _tests_of(document, grade_id)
    total = sum(float(test["max_score"]) for test in tests)
    lines = [f"Autograder: {score(document, grade_id):g} / {total:g} points for {grade_id}"]
    for test in tests:
        mark = "ok  " if test["status"] == "passed" else "FAIL"
        lines.append(f"  {mark} {test['score']:g} / {test['max_score']:g}  {test['name']}")
        if test["status"] != "passed":
            lines.append(f"         {test['output']}")
    return "\n".join(lines)


def find_notebook(folder: Path) -> Path:
    """The notebook nbgrader is autograding: its kernel runs in the notebook's folder."""
    name = spec.load().notebook
    expected = folder / name
    if expected.is_file():
        return expected
    found = sorted(folder.glob("*.ipynb"))
    if len(found) != 1:
        raise GraderFailure(f"cannot tell which notebook to grade in {folder}: expected "
                            f"{name} or a single .ipynb, found {len(found)}")
    return found[0]


def grader_env() -> dict[str, str]:
    """The grader's environment: the kit importable and, as root, a worker interpreter that
    the unprivileged worker user may run (as `kit.py` provides it)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(KIT), os.environ.get("PYTHONPATH", "")) if p)}
    if os.name == "posix" and os.geteuid() == 0 and WORKER_PYTHON_ENV not in env:
        from autograder.sandbox.runtime import ensure_runtime

        env[WORKER_PYTHON_ENV] = str(ensure_runtime())
    return env


def run_grader(notebook: Path) -> dict[str, Any]:
    """results.json for `notebook`, from `python -m autograder grade` in a subprocess."""
    with tempfile.TemporaryDirectory(prefix="nbgrader-bridge-") as scratch:
        results = Path(scratch) / "results.json"
        command = [sys.executable, "-m", "autograder", "grade", str(notebook),
                   "--results", str(results)]
        # Captured, stderr included: any stderr output in a grade cell scores it 0.
        done = subprocess.run(command, cwd=KIT, env=grader_env(), capture_output=True,
                              text=True, timeout=GRADE_TIMEOUT, check=False)
        if done.returncode != 0 or not results.exists():
            raise GraderFailure(f"`python -m autograder grade` exited with {done.returncode}: "
                                f"{done.stderr.strip()[-1500:]}")
        document = json.loads(results.read_text(encoding="utf-8"))
    failed = [t.get("name", "?") for t in document.get("tests", []) if is_grader_error(t)]
    if failed:
        raise GraderFailure(f"the grader failed on {len(failed)} test(s) ({'; '.join(failed)}), "
                            "not the student's code. Regrade this submission with "
                            "`python -m autograder grade`.")
    return document


def grade(notebook: Path) -> dict[str, Any]:
    """Grade `notebook` once per kernel: every tests cell after the first reuses the result."""
    key = notebook.resolve()
    if key not in _graded:
        try:
            _graded[key] = run_grader(key)
        except (GraderFailure, OSError, subprocess.SubprocessError, ValueError) as problem:
            # Kept, so that the other seven cells fail at once with the same message.
            _graded[key] = problem if isinstance(problem, GraderFailure) else GraderFailure(
                f"{type(problem).__name__}: {problem}")
    result = _graded[key]
    if isinstance(result, GraderFailure):
        raise result
    return result


def autograder_score(grade_id: str, folder: Path | None = None) -> float:
    """The autograder's points for answer cell `grade_id` of the notebook in `folder`
    (default: the current directory, where nbgrader runs the kernel)."""
    return score(grade(find_notebook(folder or Path.cwd())), grade_id)


def under_autograde() -> bool:
    return os.environ.get(EXECUTION_ENV) == "autograde"


def report_score(grade_id: str) -> None:
    """Under `nbgrader autograde`: print the tests of `grade_id` and show its score as the
    cell's result, which nbgrader records as the cell's partial credit. Elsewhere: nothing."""
    if not under_autograde():
        return
    document = grade(find_notebook(Path.cwd()))
    print(feedback(document, grade_id), flush=True)
    show_result(score(document, grade_id))


def show_result(value: float) -> None:
    """Publish `value` as an execute_result now, mid-cell, as a cell's last expression would."""
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:  # not in a kernel: nothing would read a result
        print(value)
        return
    shell.displayhook(value)
