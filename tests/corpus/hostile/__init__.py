"""Submissions that attack the grader: none may score above `score`, its honest value.

Each replaces one answer cell of the reference with something broken AND hostile (so
that a successful attack would show as points), or adds a new cell whose code runs
when the notebook loads. Only definitions, imports and constants of a notebook are
loaded, so load-time attacks sit in class bodies or constant expressions.

Every process a case starts appends its pid and PID namespace to __SHARED__/pids;
tests/test_engine_hostile.py checks that none of them survives grading. Honest values:
rel_error is 4 points; a stub svm_loss_naive costs its 15 points and the vectorized speed
check's 2 (it compares with the student's own naive version); the no-loop and speed
checks are 3 + 2 (common.py).

One module per thing attacked: reading.py (secrets), results.py (the results file),
processes.py (the worker's processes), resources.py, lies.py (the checks' comparisons) and
grader.py (the grader's own code in the worker).
"""

from __future__ import annotations

from tests.corpus.hostile import grader, lies, processes, reading, resources, results

CASES = [*reading.CASES, *results.CASES, *processes.CASES, *resources.CASES, *lies.CASES,
         *grader.CASES]
