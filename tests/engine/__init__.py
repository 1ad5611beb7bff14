"""What the engine's corpus tests share (tests/test_engine*.py): jobs, lanes and checks.

Every grade goes through `autograder.grade.grade`, as on Gradescope. A grade takes
about a second, so each notebook is graded once per test session, in two helper
processes ("lanes") started by the session-scoped `grades` fixture (tests/conftest.py),
while the tests of all four modules read the results:

* jobs.py: what is graded: mistakes and alternatives bundled, several cases per
  notebook, one per answer cell (tests/corpus/__init__.py: bundles), each case asserting
  only on its own cells; hostile cases one notebook each; special submissions;
* submissions.py: the notebooks, zips and folders that a job hands to grade();
* lanes.py: the lanes; hostile cases that are slow by design (a 30 s load timeout, a
  10 s call timeout) in a lane of their own at low priority, and those that exhaust the
  sandbox user's process limit alone, before that lane starts;
* checks.py: what every graded document must satisfy, and test helpers.

Known grader bugs are strict xfails: the cases with `bug` set. Every job is graded once:
the speed checks decide by a wide margin (assignments/linear_classifiers/hidden/speed.py),
so a speed check that fails a correct loss fails its test. Only a case that itself hogs
the machine (a busy loop beside its functions) lists the speed checks it perturbs in
`flaky`.
"""
