"""The grading engine on the corpus: mistakes, alternatives, hostile and odd submissions.

Every grade goes through `autograder.grade.grade`, as on Gradescope. A grade takes
about a second, so the module grades each notebook once, in two helper processes
("lanes") started by the `graded` fixture, while the tests read the results:

* mistakes and alternatives are bundled, several cases per notebook, one per answer
  cell (tests/corpus/__init__.py: bundles); each case asserts only on its own cells;
* hostile cases get a notebook each: the slow ones (a 30 s load timeout, a 10 s call
  timeout) in a lane of their own at low priority, and those that exhaust the sandbox
  user's process limit alone, before that lane starts.

Known grader bugs are strict xfails: the cases with `bug` set. Every job is graded once:
the speed checks decide by a wide margin (assignments/linear_classifiers/hidden/speed.py), so a speed check
that fails a correct loss fails its test here. Only a case that itself hogs the machine
(a busy loop beside its functions) lists the speed checks it perturbs in `flaky`.

Run as root, the module sets AUTOGRADER_WORKER_PYTHON (worker_python), provisioning
/opt/lcgrader-python first if needed.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
import zipfile
from concurrent import futures
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from assignments.linear_classifiers.hidden.speed import THRESHOLD
from assignments.linear_classifiers.mistakes import LABELS
from assignments.linear_classifiers.rubric import BY_TEST, ITEMS
from autograder.grade import Options, grade
from tests import notebooks
from tests.corpus import (
    SPEED_TESTS,
    Case,
    alternatives,
    bundles,
    by_id,
    hostile,
    mistakes,
)

ROOT = notebooks.ROOT
WORKER_PYTHON = Path("/opt/lcgrader-python/bin/python")
PYTHON_ENV = "AUTOGRADER_WORKER_PYTHON"
TEST_OF_TITLE = {item.title: item.test for item in ITEMS}
LINGER = 1.0         # seconds to watch for a process that survived grading
WAIT = 600.0         # the longest a test waits for its grade

MISTAKES = mistakes.CASES
ALTERNATIVES, HOSTILE = alternatives.CASES, hostile.CASES
CASES = by_id([*MISTAKES, *ALTERNATIVES, *HOSTILE])


# ---------------------------------------------------------------- jobs

@dataclass(frozen=True)
class Job:
    """One call of grade(), run in a lane; `submission` names a special submission."""

    key: str
    cases: tuple[Case, ...] = ()
    submission: str = ""
    lane: str = "main"         # "main", "slow", or "first": alone, before "slow" starts
    call_timeout: float | None = None

    @property
    def expected(self) -> frozenset[str]:
        """Tests that may fail without a regrade: expected failures and flaky ones."""
        return frozenset().union(*(c.fails | c.flaky for c in self.cases))


def _lane(case: Case) -> str:
    return "first" if case.exclusive else "slow" if case.slow else "main"


JOBS: dict[str, Job] = {}
JOB_OF: dict[str, str] = {}     # case id -> job key
for _kind, _cases in (("mistakes", MISTAKES), ("alternatives", ALTERNATIVES)):
    for _n, _group in enumerate(bundles(_cases)):
        JOBS[f"{_kind}-{_n}"] = Job(f"{_kind}-{_n}", _group)
        JOB_OF.update((c.id, f"{_kind}-{_n}") for c in _group)
for _case in HOSTILE:
    JOBS[_case.id] = Job(_case.id, (_case,), lane=_lane(_case), call_timeout=_case.call_timeout)
    JOB_OF[_case.id] = _case.id

# Special submissions: (score, text in the results' output, text in every test's output).
SUBMISSIONS = {
    "reference": (100, "28 of 28 tests passed.", "Passed."),
    "blank": (0, "0 of 28 tests passed.", "not implemented yet"),
    "renamed": (100, "28 of 28 tests passed.", "Passed."),
    "two_notebooks": (100, "Several notebooks were submitted; graded my_work.ipynb", "Passed."),
    "zip": (100, "28 of 28 tests passed.", "Passed."),
    "not_json": (0, "linear_classifiers.ipynb is not a readable notebook",
                 "linear_classifiers.ipynb is not a readable notebook"),
    "not_a_notebook": (0, "not a Jupyter notebook", "not a Jupyter notebook"),
    "empty_folder": (0, "No Jupyter notebook (.ipynb) was found", "upload"),
    "missing": (0, "Nothing was submitted", "Nothing was submitted"),
}
for _name in SUBMISSIONS:
    JOBS[f"submission-{_name}"] = Job(f"submission-{_name}", submission=_name)
JOBS["speed-margin"] = Job("speed-margin", submission="speed_margin")


# ---------------------------------------------------------------- in a lane

def _warm_up(nice: int = 0) -> None:
    """Start one sandbox, so that the lane's first grade pays no cold start.

    Another sandbox of the same uid starting meanwhile may sweep this one away (a grader
    error): retried here, once per lane.
    """
    from autograder.errors import GraderError
    from autograder.sandbox.client import Sandbox

    os.nice(nice)   # the slow lane: its workers spin or wait, the main lane's time things
    for attempt in range(5):
        try:
            with Sandbox("x = 1\n") as sandbox:
                sandbox.start()
            return
        except GraderError:
            time.sleep(0.2 * (attempt + 1))


def _run(job: Job, scratch: str) -> dict[str, Any]:
    """Grade a job in this lane process; what the tests need to know about it."""
    warnings.simplefilter("ignore")   # the grader's own RuntimeWarnings: not this module's
    work = Path(tempfile.mkdtemp(prefix=f"{job.key}-", dir=scratch))
    work.chmod(0o755)
    if job.submission == "speed_margin":
        return {"ratios": _speed_ratios()}
    results = work / "results" / "results.json"
    shared = work / "shared"
    for folder in (results.parent, shared):   # writable by the worker, if nobody closes them
        folder.mkdir()
        folder.chmod(0o1777)
    submission = _submission(job, work, results, shared)
    # The witness folder stays writable: the cases leave their pids and heartbeats there.
    options = Options(call_timeout=job.call_timeout or Options.call_timeout,
                      writable=(shared,))
    lingers = any(case.lingers for case in job.cases)
    start = time.perf_counter()
    document = grade(submission, results, options)
    seconds = time.perf_counter() - start
    beat = _size(shared / "heartbeat")
    if lingers:
        time.sleep(LINGER)
    return {
        "document": document, "seconds": seconds,
        "results_file": _read_json(results),
        "heartbeat": (beat, _size(shared / "heartbeat")),
        "started": _pids(shared / "pids"),
        "alive": _alive(shared / "pids"),
        "code": _code(submission),
    }


def _readable_secrets(work: Path) -> dict[str, str]:
    """A copy of the solutions and a home with a secret, both open to everyone (0755)."""
    copy, home = work / "copy", work / "home"
    for folder in (copy, home):
        folder.mkdir()
        folder.chmod(0o755)
    shutil.copy(ROOT / "solutions" / "linear_classifiers.ipynb", copy)
    (home / ".lcgrader-secret").write_text("secret\n")
    for path in (copy / "linear_classifiers.ipynb", home / ".lcgrader-secret"):
        path.chmod(0o644)
    return {"__COPY__": str(copy), "__HOME__": str(home)}


def _submission(job: Job, work: Path, results: Path, shared: Path) -> Path:
    substitutions = {"__ROOT__": str(ROOT), "__RESULTS__": str(results),
                     "__SHARED__": str(shared), **_readable_secrets(work)}
    if job.cases:
        return notebooks.build(work / "submission", job.cases, substitutions=substitutions)
    folder = work / "submission"
    folder.mkdir()
    kind = job.submission
    if kind == "reference":
        return notebooks.REFERENCE
    if kind == "blank":
        return notebooks.BLANK
    if kind == "renamed":
        return notebooks.build(folder, name="linear_classifiers (1).ipynb")
    if kind == "two_notebooks":
        notebooks.build(folder, name="my_work.ipynb")
        scratch = {"cells": [notebooks.code_cell("print('scratch')")], "metadata": {},
                   "nbformat": 4, "nbformat_minor": 5}
        (folder / "scratch.ipynb").write_text(json.dumps(scratch))
        return folder
    if kind == "zip":
        archive = work / "submission.zip"
        reference = notebooks.build(work / "unzipped")
        with zipfile.ZipFile(archive, "w") as zf:
            zf.write(reference, "hw2/linear_classifiers.ipynb")
            zf.writestr("hw2/.ipynb_checkpoints/linear_classifiers-checkpoint.ipynb",
                        notebooks.BLANK.read_text())
            zf.writestr("__MACOSX/hw2/._linear_classifiers.ipynb", b"\x00\x05\x16\x07junk")
            zf.writestr("hw2/notes.txt", "read me")
        return archive
    if kind == "not_json":
        path = folder / "linear_classifiers.ipynb"
        path.write_text("def svm_loss_naive(W, X, y, reg):\n    pass\n")
        return path
    if kind == "not_a_notebook":
        path = folder / "linear_classifiers.ipynb"
        path.write_text(json.dumps({"nbformat": 4, "worksheets": []}))
        return path
    if kind == "empty_folder":
        return folder
    if kind == "missing":
        return folder / "nothing_here.ipynb"
    raise ValueError(f"unknown submission {kind!r}")


def _speed_ratios(rounds: int = 5) -> list[float]:
    """loop / vectorized time of the reference's SVM loss, measured as check_faster does."""
    from assignments.linear_classifiers.hidden.speed import measure
    from autograder.checking.calls import Student
    from autograder.checking.reference import load_reference
    from autograder.intake.extraction import extract, read_notebook, worker_source
    from autograder.sandbox.client import Sandbox

    ref = load_reference()
    source = worker_source(extract(read_notebook(notebooks.REFERENCE)))
    with Sandbox(source) as sandbox:
        student = Student(sandbox)
        return [measure(student, ref, "svm_loss_vectorized").ratio for _ in range(rounds)]


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as problem:
        return f"unreadable: {problem}"


def _pids(path: Path) -> list[str]:
    """"pid@pid-namespace" of each process the submission started (its own view: the
    worker may have a PID namespace of its own)."""
    return sorted({p for p in path.read_text().split() if "@" in p} if path.exists()
                  else set())


def _alive(path: Path) -> list[str]:
    """Processes listed in `path` that still run (zombies count as gone), found in their
    own PID namespace by the last entry of NSpid."""
    wanted = set(_pids(path))
    alive = []
    for entry in Path("/proc").iterdir():
        try:
            status = (entry / "status").read_text()
            ns = os.readlink(entry / "ns" / "pid")
        except OSError:
            continue
        inner = status.split("\nNSpid:")[1].split("\n")[0].split()[-1]
        if f"{inner}@{ns}" in wanted and not any(f"\nState:\t{s}" in status for s in "ZX"):
            alive.append(f"{inner}@{ns}")
    return sorted(alive)


def _code(submission: Path) -> str:
    """The code cells of a notebook submission (for telling secrets from its own code)."""
    if submission.suffix != ".ipynb" or not submission.is_file():
        return ""
    try:
        cells = json.loads(submission.read_text())["cells"]
    except (OSError, ValueError, KeyError):
        return ""
    return "\n".join("".join(c["source"]) for c in cells if c.get("cell_type") == "code")


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def worker_python():
    """As root, the worker runs as an unprivileged user and needs a Python it can run."""
    if os.geteuid() != 0 or os.environ.get(PYTHON_ENV):
        yield os.environ.get(PYTHON_ENV)
        return
    if not WORKER_PYTHON.exists():
        done = subprocess.run([sys.executable, "-m", "autograder.sandbox.runtime", "provision",
                               str(WORKER_PYTHON.parent.parent)], cwd=ROOT,
                              capture_output=True, text=True, timeout=900, check=False)
        assert done.returncode == 0, f"could not provision the worker runtime:\n{done.stderr}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(PYTHON_ENV, str(WORKER_PYTHON))
        yield str(WORKER_PYTHON)


class Lanes:
    """Two helper processes grading jobs in order; results by job key."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = str(scratch)
        self.pending: dict[str, futures.Future] = {}
        self.lanes: dict[str, futures.ProcessPoolExecutor] = {}

    def start(self, wanted: list[str]) -> None:
        context = multiprocessing.get_context("fork")
        self.lanes["main"] = futures.ProcessPoolExecutor(1, mp_context=context)
        self.lanes["main"].submit(_warm_up)
        for key in wanted:      # alone on the machine (as far as this module goes)
            if JOBS[key].lane == "first":
                self.submit(key).result(timeout=WAIT)
        self.lanes["slow"] = futures.ProcessPoolExecutor(1, mp_context=context)
        self.lanes["slow"].submit(_warm_up, 19)
        order = [k for k in wanted if JOBS[k].lane == "slow"] + [
            k for k in wanted if JOBS[k].lane == "main"]
        for key in order:
            self.submit(key)

    def submit(self, key: str) -> futures.Future:
        if key not in self.pending:
            job = JOBS[key]
            lane = self.lanes["slow" if job.lane == "slow" and "slow" in self.lanes else "main"]
            self.pending[key] = lane.submit(_run, job, self.scratch)
        return self.pending[key]

    def __call__(self, key: str) -> dict[str, Any]:
        return self.submit(key).result(timeout=WAIT)

    def close(self) -> None:
        for lane in self.lanes.values():
            lane.shutdown(wait=True, cancel_futures=True)


def _wanted(session: pytest.Session) -> list[str]:
    """The jobs of the selected tests of this module, in the order the tests run."""
    keys: list[str] = []
    for item in session.items:
        if Path(str(item.path)).name != Path(__file__).name:
            continue
        params = getattr(item, "callspec", None)
        params = params.params if params else {}
        key = (JOB_OF[params["case"].id] if "case" in params
               else f"submission-{params['submission']}" if "submission" in params
               else getattr(item.function, "job", None))
        for one in (key,) if isinstance(key, str) else key or ():
            if one not in keys:
                keys.append(one)
    return keys


@pytest.fixture(scope="module")
def graded(request: pytest.FixtureRequest, worker_python):
    scratch = Path(tempfile.mkdtemp(prefix="lcgrader-corpus-"))
    scratch.chmod(0o755)   # the sandbox user reaches the shared dirs below
    lanes = Lanes(scratch)
    try:
        lanes.start(_wanted(request.session))
        yield lanes
    finally:
        lanes.close()
        shutil.rmtree(scratch, ignore_errors=True)


@pytest.fixture(scope="module")
def secrets() -> set[str]:
    """Lines that only the hidden tests and the reference's solutions hold: code lines,
    not messages (the feedback quotes the hidden tests' messages on purpose)."""
    lines = set()
    for path in sorted((ROOT / "assignments" / "linear_classifiers" / "hidden").glob("*.py")):
        for line in path.read_text().splitlines():
            line = line.strip()
            if (len(line) >= 20 and not line.startswith(("#", "from ", "import "))
                    and '"' not in line and "'" not in line):
                lines.add(line)
    for cell in notebooks.load()["cells"]:
        source = "".join(cell["source"])
        while "### BEGIN SOLUTION" in source:
            _, _, rest = source.partition("### BEGIN SOLUTION")
            solution, _, source = rest.partition("### END SOLUTION")
            lines |= {line.strip() for line in solution.splitlines()
                      if len(line.strip()) >= 20 and not line.strip().startswith("#")}
    assert len(lines) > 100
    return lines


# ---------------------------------------------------------------- checks

def check_document(document: dict) -> None:
    """A complete Gradescope results document: every rubric item scored, in order."""
    json.dumps(document)
    tests = document["tests"]
    assert [t["name"] for t in tests] == [item.title for item in ITEMS]
    for test, item in zip(tests, ITEMS, strict=True):
        assert test["max_score"] == item.points
        assert test["status"] in ("passed", "failed")
        assert test["score"] == (item.points if test["status"] == "passed" else 0)
        assert isinstance(test["output"], str) and test["output"].strip()
        # Machine-readable for the class report: every mistake id is a known one.
        assert set(test["extra_data"]["mistakes"]) <= LABELS.keys(), test["extra_data"]
    assert document["score"] == pytest.approx(sum(t["score"] for t in tests))
    assert isinstance(document["output"], str)


def outputs(document: dict) -> dict[str, str]:
    return {TEST_OF_TITLE[t["name"]]: t["output"] for t in document["tests"]}


def failed(document: dict) -> set[str]:
    return {TEST_OF_TITLE[t["name"]] for t in document["tests"] if t["status"] != "passed"}


def show(document: dict, tests: set[str]) -> str:
    out = outputs(document)
    return "\n".join(f"  {test}: {out[test][:300]}" for test in sorted(tests))


def cases(kind: list[Case]) -> list:
    return [pytest.param(c, id=c.id, marks=[pytest.mark.xfail(
        strict=True, raises=AssertionError, reason=f"grader bug: {c.bug}")] if c.bug else [])
        for c in kind]


def _job(key: str | tuple[str, ...]):
    """Mark a test function with the job(s) it reads, so that `graded` grades them early."""
    def mark(fn):
        fn.job = key
        return fn
    return mark


# ---------------------------------------------------------------- the corpus itself

def test_corpus_is_well_formed() -> None:
    assert len(MISTAKES) >= 20 and len(ALTERNATIVES) >= 8 and len(HOSTILE) >= 15
    for case in MISTAKES:
        assert case.fails, f"{case.id}: a mistake must lose points"
        assert case.fails <= case.scope, f"{case.id}: fails outside its cells"
        for test in case.fails:
            assert all(case.hint_for(test)), f"{case.id}: no hint for {test}"
    for case in MISTAKES:
        assert bool(case.pattern) == bool(case.forks), f"{case.id}: a pattern needs its forks"
        assert not case.mistake or case.mistake in LABELS, case.id
    for case in ALTERNATIVES:
        assert not case.fails and case.cell is not None, case.id
    for case in HOSTILE:
        assert case.score is not None and case.score == case.honest_score, case.id
    for case in CASES.values():
        assert not case.flaky & case.fails, case.id
        assert case.flaky <= SPEED_TESTS, f"{case.id}: only the speed checks are flaky"
    for key, job in JOBS.items():
        cells = [c.cell for c in job.cases]
        assert len(cells) == len(set(cells)), f"{key}: two cases replace one cell"


def test_notebook_helper_keeps_nbgrader_metadata(tmp_path: Path) -> None:
    case = MISTAKES[0]
    built = json.loads(notebooks.build(tmp_path, [case]).read_text())
    reference = notebooks.load()
    assert len(built["cells"]) == len(reference["cells"])
    for mine, theirs in zip(built["cells"], reference["cells"], strict=True):
        assert mine["metadata"] == theirs["metadata"]
        changed = notebooks.grade_id(mine) == case.cell
        assert (mine["source"] != theirs["source"]) == changed
    assert "".join(next(c for c in built["cells"] if notebooks.grade_id(c) == case.cell)
                   ["source"]) == case.source


# ---------------------------------------------------------------- whole submissions

@pytest.mark.parametrize("submission", list(SUBMISSIONS))
def test_submission(submission: str, graded) -> None:
    """Reference, blank, renamed, several notebooks, a zip and unreadable hand-ins: a
    complete results document with a clear message each time."""
    score, summary, every_test = SUBMISSIONS[submission]
    result = graded(f"submission-{submission}")
    document = result["document"]
    check_document(document)
    assert document["score"] == score, show(document, failed(document))
    assert summary in document["output"], document["output"]
    for test, out in outputs(document).items():
        assert every_test in out, f"{test}: {out[:300]}"
    assert result["results_file"] == document
    assert result["seconds"] < 30


# ---------------------------------------------------------------- mistakes

def failures_of(case: Case, graded) -> tuple[dict, set[str]]:
    """Grade the case's job; (document, this case's failed tests),
    after checking that no test outside every case of the job failed."""
    job = JOBS[JOB_OF[case.id]]
    result = graded(job.key)
    document = result["document"]
    check_document(document)
    failing = failed(document)
    others = failing - frozenset().union(*(c.scope for c in job.cases))
    assert not others, f"tests of no case of {job.key} failed:\n{show(document, others)}"
    return document, (failing & case.scope) - case.flaky


@pytest.mark.parametrize("case", cases(MISTAKES))
def test_mistake(case: Case, graded) -> None:
    """Exactly the expected tests fail, each with its hint; the others pass."""
    document, mine = failures_of(case, graded)
    assert mine == case.fails - case.flaky, (
        f"expected to fail: {sorted(case.fails)}; failed:\n{show(document, mine)}")
    out = outputs(document)
    for test in case.fails - case.flaky:
        missing = [text for text in case.hint_for(test) if text not in out[test]]
        assert not missing, f"{test}: no {missing} in {out[test]!r}"
    if case.mistake:
        assert case.mistake in named(document, case), f"not named: {named(document, case)}"


def named(document: dict, case: Case) -> set[str]:
    """The mistake ids that the failing tests of the case's cells name (extra_data)."""
    return {m for t in document["tests"] if t["status"] != "passed"
            and TEST_OF_TITLE[t["name"]] in case.scope for m in t["extra_data"]["mistakes"]}


def test_hint_coverage(graded) -> None:
    """At least 90% of the corpus's real mistake patterns get a hint naming the mistake
    (its id in results.json's extra_data): the figure is printed."""
    real = [case for case in MISTAKES if case.pattern]
    hit = [case for case in real if case.mistake
           and case.mistake in named(graded(JOB_OF[case.id])["document"], case)]
    missed = sorted(case.id for case in real if case not in hit)
    print(f"\nhint coverage: {len(hit)} of {len(real)} real mistakes named "
          f"({len(hit) / len(real):.0%}); not named: {missed}")
    assert len(real) >= 30 and len(hit) >= 0.9 * len(real), missed


# ---------------------------------------------------------------- alternatives

@pytest.mark.parametrize("case", cases(ALTERNATIVES))
def test_alternative(case: Case, graded) -> None:
    """A right answer written differently loses nothing."""
    document, mine = failures_of(case, graded)
    assert not mine, f"a correct {case.cell} lost points:\n{show(document, mine)}"


# ---------------------------------------------------------------- hostile

@pytest.mark.parametrize("case", cases(HOSTILE))
def test_hostile(case: Case, graded, secrets: set[str]) -> None:
    """No more than the honest score, no secret out, bounded, nothing left running, and
    the real results.json in place."""
    result = graded(JOB_OF[case.id])
    document = result["document"]
    check_document(document)
    assert document["score"] <= case.score, (
        f"scored {document['score']}, above its honest {case.score}:\n"
        f"{show(document, case.fails - failed(document))}")
    text = "\n".join([document["output"], *outputs(document).values()])
    leaked = sorted(line for line in secrets if line in text and line not in result["code"])
    assert not leaked, f"hidden lines in the feedback: {leaked[:5]}"
    assert result["seconds"] < case.budget, f"grading took {result['seconds']:.1f} s"
    assert result["results_file"] == document, f"results.json: {result['results_file']!r:.300}"
    if case.lingers:
        assert result["started"], "the case started no process: nothing was tested"
    assert not result["alive"], f"processes survived grading: {result['alive']}"
    before, after = result["heartbeat"]
    assert before == after, f"something kept writing after grading ({before} -> {after} bytes)"
    assert case.evidence in text, f"no sign that the attack ran ({case.evidence!r})"
    failing = failed(document) - case.flaky
    assert failing == case.fails - case.flaky, (
        f"expected {case.score} (failing {sorted(case.fails)}), got {document['score']}:\n"
        f"{show(document, failing ^ case.fails)}")


# ---------------------------------------------------------------- the speed checks

@_job("speed-margin")
def test_speed_check_has_a_margin(graded) -> None:
    """The reference's speed ratio, measured as the grader does, stays well above the
    threshold (one measurement, not a timed test: the margin is a factor of 3 or more)."""
    ratios = graded("speed-margin")["ratios"]
    assert min(ratios) >= 3 * THRESHOLD, f"ratios {[round(r, 1) for r in ratios]}"


def test_case_ids_name_their_jobs() -> None:
    assert set(JOB_OF) == set(CASES)
    assert all(key in JOBS for key in JOB_OF.values())
    assert BY_TEST.keys() >= SPEED_TESTS


# ---------------------------------------------------------------- behaviour unchanged

SCORES = ROOT / "tests" / "corpus" / "scores.json"
RECORD = "KIT_RECORD_SCORES"   # set to 1 to rewrite the table (after a deliberate change)
GRADED_JOBS = tuple(key for key in JOBS if key != "speed-margin")


def _outcomes(graded) -> dict[str, dict[str, Any]]:
    """Per case (or special submission): the status and named mistakes of every test it
    may change, and the whole grade's score where the case is graded alone."""
    table: dict[str, dict[str, Any]] = {}
    for key in GRADED_JOBS:
        job, document = JOBS[key], graded(key)["document"]
        tests = {TEST_OF_TITLE[t["name"]]: t for t in document["tests"]}
        for case in job.cases or (Case(key, None, "pass\n"),):
            entry: dict[str, Any] = {"tests": {
                test: [tests[test]["status"], sorted(tests[test]["extra_data"]["mistakes"])]
                for test in sorted(case.scope - case.flaky)}}
            if len(job.cases) <= 1 and not case.flaky:
                entry["score"] = document["score"]
            table[case.id] = entry
    return table


@_job(GRADED_JOBS)
def test_behaviour_unchanged(graded) -> None:
    """Every score, test status and named mistake of the whole corpus equals the table
    recorded before the engine was restructured (tests/corpus/scores.json)."""
    table = _outcomes(graded)
    if os.environ.get(RECORD) == "1":
        SCORES.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n")
    stored = json.loads(SCORES.read_text())
    changed = sorted(k for k in stored.keys() | table.keys() if stored.get(k) != table.get(k))
    assert not changed, "\n".join(f"{k}: was {stored.get(k)}, now {table.get(k)}"
                                   for k in changed[:10])
