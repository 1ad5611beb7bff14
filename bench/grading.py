"""Grading: one submission end to end, where its time goes, 100 in a batch, and the same
submission through nbgrader autograde and otter-grader.

    python bench/grading.py [--repeats 7] [--batch-repeats 5] [--other-repeats 5]
                            [--no-batch] [--no-others] [--datasets cifar10,digits]
                            [--layers-only]

0. One grade with the worker's confinement (Landlock allowlist and scopes, PID namespace,
   non-dumpable server) on and off: fresh processes, interleaved pairs, medians, the load.
1. `python -m autograder grade solutions/linear_classifiers.ipynb` as a subprocess: wall
   and CPU seconds (grader + worker), median of --repeats fresh processes.
2. Where the time goes: interpreter start, `import numpy`, the CLI's imports, the worker
   interpreter + numpy; then bench/grade_probe.py grades in a fresh process with timers
   around each stage of autograder.grade.grade and pytest's per-test durations, and
   grades a second time in the same process (what a batch's pooled process pays); and
   the fixed cost of one worker call (fork + pipes) on a trivial function.
3. `python -m autograder grade-all DIR --jobs 2` on 100 notebooks: 60 copies of the
   reference, 10 blank releases, 30 with one of 5 common mistakes.
4. nbgrader autograde (bench/.venv-nbgrader: the kit's requirements.txt, nbgrader 0.9.6)
   and `otter run` (bench/.venv-otter: otter-grader from PyPI + the kit's numpy,
   matplotlib, threadpoolctl, ipykernel), each on the same reference notebook, which
   both execute top to bottom in a kernel, on CIFAR-10 and on digits. Otter needs tests in
   its own format: bench writes a port of the hidden checks of the four losses, the
   numerical gradient, rel_error and SGD (exception-based test files, reference code
   embedded), so its grading does comparable checking work; the notebook run dominates.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common
from bench.common import ROOT, Row

GOAL_ONE, GOAL_BATCH = 1.0, 40.0
NOTEBOOK = common.SOLUTIONS
# (grade_id, text in the reference, replacement): mistakes students make.
MISTAKES = {
    "svm_grad_sign": ("svm_loss_vectorized", "G[rows, y] = -G.sum(axis=1)",
                      "G[rows, y] = G.sum(axis=1)"),
    "softmax_unstable": ("softmax_loss_vectorized",
                         "scores -= scores.max(axis=1, keepdims=True)", "pass"),
    "reg_grad_half": ("softmax_loss_vectorized", "dW = X.T @ probs + 2 * reg * W",
                      "dW = X.T @ probs + reg * W"),
    "sgd_ascent": ("linear_classifier", "self.W -= learning_rate * grad",
                   "self.W += learning_rate * grad"),
    "one_sided_difference": ("eval_numerical_gradient",
                             "grad[index] = (f_plus - f_minus) / (2 * h)",
                             "grad[index] = (f_plus - f(x)) / h"),
}


# ---------------------------------------------------------------- helpers

def children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def timed_cpu(cmd: list[str], env: dict, cwd: Path = ROOT, timeout: float = 3600
              ) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall and CPU seconds (the process and every descendant it reaped) of one command."""
    cpu0 = children_cpu()
    wall, done = common.run_timed(cmd, env=env, cwd=cwd, timeout=timeout)
    return wall, children_cpu() - cpu0, done


def variant(notebook: dict, grade_id: str, old: str, new: str) -> dict:
    out = json.loads(json.dumps(notebook))
    for cell in out["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            source = "".join(cell["source"])
            assert old in source, (grade_id, old)
            cell["source"] = source.replace(old, new)
            return out
    raise KeyError(grade_id)


def make_batch(folder: Path) -> dict[str, str]:
    """100 notebooks: 60 copies, 10 blank, 6 of each mistake; returns name -> kind."""
    reference = json.loads(NOTEBOOK.read_text())
    kinds = {}
    folder.mkdir(parents=True, exist_ok=True)
    plan = [("copy", 60), ("blank", 10)] + [(m, 6) for m in MISTAKES]
    n = 0
    for kind, count in plan:
        for _ in range(count):
            name = f"student{n:03d}.ipynb"
            if kind == "copy":
                shutil.copyfile(NOTEBOOK, folder / name)
            elif kind == "blank":
                shutil.copyfile(common.ASSIGNMENT, folder / name)
            else:
                (folder / name).write_text(json.dumps(variant(reference, *MISTAKES[kind])))
            kinds[name] = kind
            n += 1
    return kinds


# ---------------------------------------------------------------- 1-2: one submission

def one_submission(repeats: int) -> tuple[list[Row], dict]:
    env = common.kit_env()
    py = sys.executable
    cmd = [py, "-m", "autograder", "grade", str(NOTEBOOK)]
    walls, cpus, spoiled, failures = [], [], 0, []
    while len(walls) < repeats:
        wall, cpu, done = timed_cpu(cmd, env)
        if "100 / 100" not in done.stdout:  # spoiled_note()
            spoiled += 1
            failures.append(done.stdout[-3000:] + done.stderr[-3000:])
            if spoiled > 3 * repeats:
                raise RuntimeError(f"the reference did not score 100:\n{done.stdout[-3000:]}")
            continue
        walls.append(wall)
        cpus.append(cpu)
    worker_py = os.environ.get(common.PYTHON_ENV) or py
    find_site = "import numpy, os; print(os.path.dirname(os.path.dirname(numpy.__file__)))"
    site = subprocess.run([worker_py, "-I", "-c", find_site], capture_output=True, text=True,
                          check=True).stdout.strip()
    pieces = {
        "python -c pass": [py, "-c", "pass"],
        "python -c 'import numpy'": [py, "-c", "import numpy"],
        "python -c 'import autograder.__main__' (CLI imports)":
            [py, "-c", "import autograder.__main__"],
        "worker: python -I -S + numpy (as the sandbox runs it)":
            [worker_py, "-I", "-S", "-c", f"import sys; sys.path.append({site!r}); import numpy"],
    }
    startup = {label: [] for label in pieces}
    for _ in range(repeats):
        for label, c in pieces.items():
            startup[label].append(common.run_timed(c, env=env)[0])
    probes = []
    while len(probes) < repeats:
        _, done = common.run_timed([py, str(ROOT / "bench" / "grade_probe.py"), str(NOTEBOOK),
                                    "--twice"], env=env, check=False)
        probe = json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 else {}
        if not probe or any(run["score"] != 100 or "error" in run for run in probe["runs"]):
            spoiled += 1
            failures.append(done.stderr[-3000:])
            if spoiled > 3 * repeats:
                raise RuntimeError("the reference did not score 100 in grade_probe.py")
            continue
        probes.append(probe)
    if spoiled:
        print(f"WARNING: {spoiled} run(s) of the reference scored below 100 and were "
              f"discarded: {spoiled_note()}")
    per_call = call_overhead(repeats)
    import_mods = import_profile(py, env)
    rows, details = summarize_one(walls, cpus, startup, probes, per_call, import_mods)
    details["spoiled_runs"] = spoiled
    details["spoiled_output"] = failures
    return rows, details


# One grade in a fresh process, the worker confined (on) or not (off): the CLI's grade
# minus its table printing, so both variants run exactly the same code.
AB_SCRIPT = ("import sys; from pathlib import Path; from autograder.grade import Options, grade;"
             " d = grade(Path(sys.argv[1]), None, Options(confined=sys.argv[2] == 'on'));"
             " sys.exit(0 if d['score'] == 100 else 1)")
GOAL_LAYERS = 0.050


def layers_ab(repeats: int) -> tuple[list[Row], dict]:
    """The worker's new layers (Landlock allowlist and scopes, PID namespace, a server
    that is not dumpable) on and off, interleaved in alternating order; the load avg."""
    env, walls, cpus = common.kit_env(), {"on": [], "off": []}, {"on": [], "off": []}
    load = [os.getloadavg()[0]]
    for i in range(repeats):
        for flag in ("on", "off") if i % 2 == 0 else ("off", "on"):
            wall, cpu, done = timed_cpu([sys.executable, "-c", AB_SCRIPT, str(NOTEBOOK), flag],
                                        env)
            if done.returncode == 0:
                walls[flag].append(wall)
                cpus[flag].append(cpu)
    parts = _layer_parts(repeats)
    load.append(os.getloadavg()[0])
    on, off = common.median(walls["on"]), common.median(walls["off"])
    cpu_on, cpu_off = common.median(cpus["on"]), common.median(cpus["off"])
    print(f"\nlayers on/off, {repeats} interleaved pairs: on {on:.3f} s, off {off:.3f} s, "
          f"cost {on - off:+.3f} s wall; CPU (grader + worker) on {cpu_on:.3f} s, off "
          f"{cpu_off:.3f} s, cost {cpu_on - cpu_off:+.3f} s (1-min load {load[0]:.2f} -> "
          f"{load[1]:.2f})")
    rows = [Row("grading", "one grade, worker confined (Landlock, pidns, non-dumpable)", on,
                "s", GOAL_ONE, samples=walls["on"]),
            Row("grading", "one grade, without those layers", off, "s", samples=walls["off"]),
            Row("grading", "cost of the new layers (median on - median off)", on - off, "s",
                GOAL_LAYERS, note=f"load {load[0]:.2f}-{load[1]:.2f}"),
            Row("grading", "CPU cost of the new layers (grader + worker)", cpu_on - cpu_off,
                "s", GOAL_LAYERS, samples=cpus["on"] + cpus["off"])]
    for label, (with_, without) in parts.items():
        print(f"  {label}: on {with_ * 1e3:.1f} ms, off {without * 1e3:.1f} ms, "
              f"cost {(with_ - without) * 1e3:+.1f} ms")
        rows.append(Row("grading", f"cost of the new layers: {label}", with_ - without, "s",
                        samples=[with_, without]))
    return rows, {"walls": walls, "cpus": cpus, "load": load, "parts": parts}


def _layer_parts(repeats: int, calls: int = 20) -> dict[str, tuple[float, float]]:
    """The same, in this process (less noise): a worker's start up to its ready message,
    and one call (the fork, and a nested Landlock domain when on). Medians (on, off)."""
    from autograder.sandbox.client import Sandbox

    def start(confined: bool) -> None:
        with Sandbox("def f():\n    return 1\n", confined=confined) as sandbox:
            sandbox.start()

    def call(sandbox: Sandbox) -> None:
        for _ in range(calls):
            assert sandbox.call("call", "f").ok

    starts = common.interleaved({"on": lambda: start(True), "off": lambda: start(False)},
                                repeats)
    with Sandbox("def f():\n    return 1\n") as on, \
            Sandbox("def f():\n    return 1\n", confined=False) as off:
        per = common.interleaved({"on": lambda: call(on), "off": lambda: call(off)}, repeats)
    return {"worker start to ready": (common.median(starts["on"]),
                                      common.median(starts["off"])),
            "one call": (common.median(per["on"]) / calls, common.median(per["off"]) / calls)}


def spoiled_note() -> str:
    return ("seen only while other graders ran on this machine under the same sandbox uid "
            "(their uid sweep may kill this run's worker); their output is kept in "
            "bench/out/grading.json")


def call_overhead(repeats: int, calls: int = 50) -> dict[str, float]:
    """Seconds per Sandbox.call of a trivial function: the fork + pipe round trip."""
    from autograder.sandbox.client import Sandbox

    out = {}
    sources = {"trivial submission (no numpy use)": "def f():\n    return 1\n",
               "reference submission (numpy loaded)": _reference_source()}
    for label, source in sources.items():
        with Sandbox(source + "\ndef _bench_f():\n    return 1\n") as sandbox:
            sandbox.start()
            per = []
            for _ in range(repeats):
                start = time.perf_counter()
                for _ in range(calls):
                    reply = sandbox.call("call", "_bench_f")
                    assert reply.ok, reply
                per.append((time.perf_counter() - start) / calls)
        out[label] = common.median(per)
    return out


def _reference_source() -> str:
    from autograder.intake.extraction import extract, read_notebook, worker_source

    return worker_source(extract(read_notebook(NOTEBOOK)))


def import_profile(py: str, env: dict, top: int = 12) -> list[tuple[str, float]]:
    """The slowest top-level imports of the CLI (python -X importtime, cumulative)."""
    done = subprocess.run([py, "-X", "importtime", "-c", "import autograder.__main__"],
                          capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line[len("import time:"):].split("|")
        depth = (len(name) - len(name.lstrip()) - 1) // 2   # 2 spaces per nesting level
        if 1 <= depth <= 5:  # what the CLI module pulls in, a few levels down
            rows.append(("  " * (depth - 1) + name.strip(), int(cumulative) / 1e6))
    return sorted(rows, key=lambda r: -r[1])[:top]  # nested names are indented


def summarize_one(walls, cpus, startup, probes, per_call, import_mods):
    med = common.median
    rows = [Row("grading", "one submission: python -m autograder grade (wall)", med(walls),
                "s", GOAL_ONE, samples=walls,
                note=f"CPU {med(cpus):.2f} s (grader + worker)")]
    cold = [p["runs"][0] for p in probes]
    warm = [p["runs"][1] for p in probes]
    stage_names = list(cold[0]["stages"])
    print(f"\none submission, {len(walls)} runs: wall {med(walls):.3f} s (range "
          f"{common.spread(walls)}), CPU {med(cpus):.3f} s")
    print("\nstart-up pieces (separate processes, wall):")
    for label, values in startup.items():
        print(f"  {med(values):7.3f} s  {label}")
    print("slowest imports of the CLI (python -X importtime, cumulative, one run):")
    for name, seconds in import_mods:
        print(f"  {seconds:7.3f} s  {name}")
    imports = {k: med([p["imports"][k] for p in probes]) for k in probes[0]["imports"]}
    print("\ninside the grader process (bench/grade_probe.py; medians; cold = first grade in a "
          "fresh process, warm = a second grade in the same process):")
    for k, v in imports.items():
        print(f"  {v:7.3f} s  import {k}")
    print(f"  {'cold':>7s}   {'warm':>7s}")
    breakdown = {}
    for name in stage_names:
        c = med([r["stages"].get(name, 0.0) for r in cold])
        w = med([r["stages"].get(name, 0.0) for r in warm])
        n = cold[0]["counts"].get(name, 0)
        breakdown[name] = {"cold": c, "warm": w, "count": n}
        print(f"  {c:7.3f} s {w:7.3f} s  {name}" + (f" ({n} calls)" if n > 1 else ""))
    for key in ("startup_to_sessionstart", "collection", "session_after_tests"):
        c = med([r["pytest"][key] for r in cold])
        w = med([r["pytest"][key] for r in warm])
        breakdown[f"pytest {key}"] = {"cold": c, "warm": w}
        print(f"  {c:7.3f} s {w:7.3f} s  pytest {key.replace('_', ' ')}")
    total_c, total_w = med([r["total"] for r in cold]), med([r["total"] for r in warm])
    breakdown["grade() total"] = {"cold": total_c, "warm": total_w}
    print(f"  {total_c:7.3f} s {total_w:7.3f} s  grade() total")
    tests = {}
    for name in cold[0]["pytest"]["tests"]:
        tests[name] = med([sum(r["pytest"]["tests"][name].values()) for r in cold])
    print("\neach hidden test (setup + call + teardown, cold, median):")
    for name, seconds in sorted(tests.items(), key=lambda kv: -kv[1]):
        print(f"  {seconds:7.3f} s  {name}")
    print(f"  {sum(tests.values()):7.3f} s  all {len(tests)} tests")
    print("\nfixed cost of one worker call (fork + pipes + reap), trivial function:")
    for label, seconds in per_call.items():
        print(f"  {seconds * 1e3:7.2f} ms  {label}")
    calls = cold[0]["counts"].get("worker calls (fork per call), inside the tests", 0)
    rows.append(Row("grading", "  of which: grade() in the process (cold)", total_c,
                    "s", note=f"warm (2nd in same process) {total_w:.2f} s"))
    rows.append(Row("grading", "  of which: hidden tests (sum of pytest durations)",
                    sum(tests.values()), "s",
                    note=f"{calls} worker calls; the two speed tests "
                    f"{tests.get('test_svm_vectorized_is_faster', 0) + tests.get('test_softmax_vectorized_is_faster', 0):.2f} s"))
    rows.append(Row("grading", "  worker call fixed cost (fork+pipes), reference loaded",
                    per_call["reference submission (numpy loaded)"] * 1e3, "ms"))
    details = {"walls": walls, "cpus": cpus, "startup": startup, "imports": imports,
               "import_profile": import_mods, "breakdown": breakdown, "tests": tests,
               "per_call_s": per_call, "worker_calls": calls}
    return rows, details


# ---------------------------------------------------------------- 3: batch

def batch(repeats: int, jobs: int = 2) -> tuple[list[Row], dict]:
    env = common.kit_env()
    walls, cpus, scores = [], [], {}
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        source = Path(tmp) / "submissions"
        kinds = make_batch(source)
        for k in range(repeats):
            out = Path(tmp) / f"graded{k}"
            cmd = [sys.executable, "-m", "autograder", "grade-all", str(source), "--out",
                   str(out), "--jobs", str(jobs)]
            wall, cpu, _ = timed_cpu(cmd, env)
            walls.append(wall)
            cpus.append(cpu)
            print(f"  batch of {len(kinds)}, run {k + 1}/{repeats}: {wall:.1f} s wall, "
                  f"{cpu:.1f} CPU s", flush=True)
            with open(out / "gradebook.csv") as f:
                for row in csv.DictReader(f):
                    kind = kinds[row["id"] + ".ipynb"]
                    scores.setdefault(kind, set()).add(float(row["total"]))
            shutil.rmtree(out)
    med = common.median(walls)
    n = len(kinds)
    print(f"\nbatch of {n} with {jobs} jobs: median {med:.1f} s (range {common.spread(walls)}); "
          f"CPU {common.median(cpus):.1f} s = {common.median(cpus) / n:.2f} CPU s per "
          f"submission; {med * jobs / n:.2f} job-seconds per submission")
    print("scores by kind: " + ", ".join(f"{k} {sorted(v)}" for k, v in scores.items()))
    rows = [Row("grading", f"{n} submissions, grade-all --jobs {jobs} (wall)", med, "s",
                GOAL_BATCH, samples=walls,
                note=f"{common.median(cpus) / n:.2f} CPU s per submission; "
                f"floor at {jobs} cores: {common.median(cpus) / jobs:.0f} s")]
    return rows, {"walls": walls, "cpus": cpus, "n": n, "jobs": jobs,
                  "scores": {k: sorted(v) for k, v in scores.items()}}


# ---------------------------------------------------------------- 4: nbgrader, otter

def notebook_env(python: Path, dataset: str) -> dict[str, str]:
    env = common.venv_env(python, LINCLASS_ROOT=str(ROOT), LINCLASS_DATASET=dataset)
    where = common.cifar_dir()
    if where is not None:
        env["CIFAR10_DIR"] = str(where)
    return env


def nbgrader_runs(datasets: list[str], repeats: int) -> tuple[list[Row], dict]:
    python = common.ensure_venv("nbgrader", [], requirements=common.REQUIREMENTS)
    rows, details = [], {}
    with tempfile.TemporaryDirectory(prefix="bench-nbgrader-") as tmp:
        course = Path(tmp)
        (course / "nbgrader_config.py").write_text(textwrap.dedent(f"""\
            c = get_config()
            c.CourseDirectory.root = {str(course)!r}
            c.CourseDirectory.course_id = "bench"
            # nbgrader's default is 30 s per cell; the CIFAR-10 search cell takes longer.
            c.Execute.timeout = 1200
            """))
        (course / "source" / "ps1").mkdir(parents=True)
        shutil.copyfile(NOTEBOOK, course / "source" / "ps1" / NOTEBOOK.name)
        submitted = course / "submitted" / "student1" / "ps1"
        submitted.mkdir(parents=True)
        shutil.copyfile(NOTEBOOK, submitted / NOTEBOOK.name)
        for dataset in datasets:
            env = notebook_env(python, dataset)
            common.run_timed([str(python), "-m", "nbgrader", "generate_assignment", "ps1",
                              "--force"], env=env, cwd=course)
            cmd = [str(python), "-m", "nbgrader", "autograde", "ps1", "--force"]
            walls, cpus = [], []
            for k in range(repeats):
                wall, cpu, _ = timed_cpu(cmd, env, cwd=course)
                walls.append(wall)
                cpus.append(cpu)
                print(f"  nbgrader autograde, {dataset}, run {k + 1}/{repeats}: {wall:.1f} s",
                      flush=True)
            common.run_timed([str(python), "-m", "nbgrader", "export", "--to",
                              str(course / "grades.csv")], env=env, cwd=course)
            with open(course / "grades.csv") as f:
                grades = list(csv.DictReader(f))
            score = f"{float(grades[-1]['score']):g} / {float(grades[-1]['max_score']):g}"
            med = common.median(walls)
            rows.append(Row("grading", f"nbgrader autograde, same notebook, {dataset} (wall)",
                            med, "s", samples=walls,
                            note=f"score {score} (the 12 manual points not graded); executes the "
                            f"whole notebook; CPU "
                            f"{common.median(cpus):.1f} s"))
            details[dataset] = {"walls": walls, "cpus": cpus, "score": score,
                                "command": "python -m nbgrader autograde ps1 --force"}
            print(f"nbgrader autograde on {dataset}: median {med:.1f} s, score {score}")
    return rows, details


OTTER_TEST = '''\
OK_FORMAT = False
import numpy as np
from otter.test_files import test_case

name = {name!r}
points = {points}

_REF = {{}}
exec({ref_source!r}, {{"np": np, "ABC": __import__("abc").ABC,
      "abstractmethod": __import__("abc").abstractmethod}}, _REF)
exec({cases_source!r}, _REF)

{body}
'''

OTTER_BODIES = {
    "losses": ("""
def _check(student, reference):
    assert student is not None, "not defined"
    for seed, (N, D, C, reg, scale) in enumerate(_REF["LOSS_CASES"]):
        W, X, y = _REF["problem"](seed, N, D, C, scale)
        loss, grad = student(W, X, y, reg)
        ref_loss, ref_grad = reference(W, X, y, reg)
        assert np.isclose(loss, ref_loss, rtol=1e-6), (seed, loss, ref_loss)
        assert np.allclose(grad, ref_grad, rtol=1e-5, atol=1e-8), seed
    for table in (np.array([[5000.0, 5003.0, 4990.0], [5010.0, 4999.0, 5001.0]]),
                  np.array([[3000.0, 3004.0, 2990.0], [-3000.0, -2996.0, -3010.0]])):
        X, y = np.eye(2), np.array([1, 0])
        assert np.allclose(student(table, X, y, 0.0)[0], reference(table, X, y, 0.0)[0])

@test_case(points=15)
def test_svm_naive(svm_loss_naive):
    _check(svm_loss_naive, _REF["svm_loss_naive"])

@test_case(points=15)
def test_svm_vectorized(svm_loss_vectorized):
    _check(svm_loss_vectorized, _REF["svm_loss_vectorized"])

@test_case(points=15)
def test_softmax_naive(softmax_loss_naive):
    _check(softmax_loss_naive, _REF["softmax_loss_naive"])

@test_case(points=15)
def test_softmax_vectorized(softmax_loss_vectorized):
    _check(softmax_loss_vectorized, _REF["softmax_loss_vectorized"])
""", 60),
    "gradients": ("""
@test_case(points=8)
def test_numerical_gradient(eval_numerical_gradient):
    x = np.array([[1.0, -2.0, 0.5], [3.0, 0.0, -1.5]])
    before = x.copy()
    grad = eval_numerical_gradient(lambda v: np.sum(v ** 3), x)
    assert np.allclose(grad, 3 * before ** 2, rtol=1e-7, atol=1e-7)
    assert np.array_equal(x, before)

@test_case(points=6)
def test_grad_check_sparse(grad_check_sparse):
    A = np.random.default_rng(4).standard_normal((5, 4))
    x = np.random.default_rng(5).standard_normal((5, 4))
    f = lambda v: np.sum(A * v ** 2)
    errors = grad_check_sparse(f, x, 2 * A * x, num_checks=6, seed=7)
    assert np.max(errors) < 1e-7
    assert np.array_equal(errors, grad_check_sparse(f, x, 2 * A * x, num_checks=6, seed=7))

@test_case(points=4)
def test_rel_error(rel_error):
    assert rel_error(np.zeros(3), np.zeros(3)) == 0
    assert np.isclose(rel_error(np.array([1.0, 2.0]), np.array([1.0, 3.0])), 0.2)
""", 18),
    "sgd": ("""
@test_case(points=22)
def test_sgd(LinearSVM):
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((40, 6)), rng.integers(0, 3, 40)
    first = LinearSVM().train(X, y, learning_rate=0.1, reg=0.25, num_iters=5, batch_size=16, seed=3)
    again = LinearSVM().train(X, y, learning_rate=0.1, reg=0.25, num_iters=5, batch_size=16, seed=3)
    assert len(first) == 5 and first == again
    model = LinearSVM()
    model.train(X, y, num_iters=2, batch_size=64, seed=0)
    assert np.array_equal(model.predict(X), np.argmax(X @ model.W, axis=1))
""", 22),
}


def otter_zip(folder: Path) -> Path:
    """An otter autograder.zip: config and exception-based tests (reference embedded)."""
    reference = json.loads(NOTEBOOK.read_text())
    wanted = ("svm_loss_naive", "svm_loss_vectorized", "softmax_loss_naive",
              "softmax_loss_vectorized", "linear_classifier", "subclasses")
    ref_source = "\n\n".join("".join(c["source"]) for c in reference["cells"]
                             if c.get("metadata", {}).get("nbgrader", {}).get("grade_id")
                             in wanted or "class LinearSVM" in "".join(c["source"]))
    cases_source = (ROOT / "autograder" / "hidden" / "cases.py").read_text()
    archive = folder / "autograder.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("otter_config.json", json.dumps({"lang": "python"}))
        for name, (body, points) in OTTER_BODIES.items():
            zf.writestr(f"tests/{name}.py", OTTER_TEST.format(
                name=name, points=points, ref_source=ref_source, cases_source=cases_source,
                body=body))
    return archive


def otter_runs(datasets: list[str], repeats: int) -> tuple[list[Row], dict]:
    packages = ["otter-grader"] + [common.pinned(p) for p in
                                   ("numpy", "matplotlib", "threadpoolctl", "ipykernel")]
    python = common.ensure_venv("otter", packages)
    otter = python.parent / "otter"
    version = subprocess.run([str(python), "-c", "import otter; print(otter.__version__)"],
                             capture_output=True, text=True, check=True).stdout.strip()
    rows, details = [], {"version": version}
    with tempfile.TemporaryDirectory(prefix="bench-otter-") as tmp:
        folder = Path(tmp)
        archive = otter_zip(folder)
        submission = folder / NOTEBOOK.name
        shutil.copyfile(NOTEBOOK, submission)
        for dataset in datasets:
            env = notebook_env(python, dataset)
            out = folder / f"out-{dataset}"
            out.mkdir()
            cmd = [str(otter), "run", "-a", str(archive), "-o", str(out), "--no-logo",
                   str(submission)]
            walls, cpus = [], []
            for k in range(repeats):
                wall, cpu, _ = timed_cpu(cmd, env, cwd=folder)
                walls.append(wall)
                cpus.append(cpu)
                print(f"  otter run, {dataset}, run {k + 1}/{repeats}: {wall:.1f} s", flush=True)
            result = json.loads((out / "results.json").read_text())
            score = f"{sum(t.get('score') or 0 for t in result.get('tests', [])):g}"
            failed = [t["name"] for t in result.get("tests", [])
                      if (t.get("score") or 0) < (t.get("max_score") or 0)]
            med = common.median(walls)
            rows.append(Row("grading", f"otter run {version}, same notebook, {dataset} (wall)",
                            med, "s", samples=walls,
                            note=f"score {score} / 100 (ported checks{'; failed ' + ', '.join(failed) if failed else ''}); "
                            f"executes the whole notebook; CPU {common.median(cpus):.1f} s"))
            details[dataset] = {"walls": walls, "cpus": cpus, "score": score, "failed": failed,
                                "command": "otter run -a autograder.zip -o OUT --no-logo "
                                           "linear_classifiers.ipynb"}
            print(f"otter run on {dataset}: median {med:.1f} s, score {score}")
    return rows, details


# ---------------------------------------------------------------- main

def working_tree() -> list[str]:
    """Uncommitted changes to the grader, its tests and the reference (read-only git)."""
    done = subprocess.run(["git", "status", "--porcelain", "--", "autograder", "solutions"],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    return [line.strip() for line in done.stdout.splitlines()] if done.returncode == 0 else []


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench/grading.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--batch-repeats", type=int, default=5)
    parser.add_argument("--other-repeats", type=int, default=5)
    parser.add_argument("--no-batch", action="store_true")
    parser.add_argument("--layers-only", action="store_true",
                        help="only the layers on/off comparison (fast)")
    parser.add_argument("--no-others", action="store_true")
    parser.add_argument("--datasets", default="cifar10,digits",
                        help="datasets for nbgrader and otter")
    args = parser.parse_args(argv[1:])
    command = common.print_header(argv, "grading.py")
    common.worker_python()
    print(f"worker python: {os.environ.get(common.PYTHON_ENV) or sys.executable}")
    ab_rows, ab = layers_ab(args.repeats)
    if args.layers_only:
        common.print_rows(ab_rows)
        common.save("grading-layers", command, ab_rows, {"layers": ab})
        return 0
    rows, details = one_submission(args.repeats)
    rows, details["layers"] = ab_rows + rows, ab
    if not args.no_batch:
        print("\nbatch ...", flush=True)
        more, details["batch"] = batch(args.batch_repeats)
        rows += more
    if not args.no_others:
        datasets = [d for d in args.datasets.split(",")
                    if d != "cifar10" or common.cifar_dir() is not None]
        print("\nnbgrader autograde ...", flush=True)
        try:
            more, details["nbgrader"] = nbgrader_runs(datasets, args.other_repeats)
            rows += more
        except (RuntimeError, subprocess.CalledProcessError) as problem:
            details["nbgrader"] = {"error": str(problem)[-3000:]}
            print(f"nbgrader failed: {str(problem)[-3000:]}")
        print("\notter run ...", flush=True)
        try:
            more, details["otter"] = otter_runs(datasets, args.other_repeats)
            rows += more
        except (RuntimeError, subprocess.CalledProcessError, OSError) as problem:
            details["otter"] = {"error": str(problem)[-3000:]}
            print(f"otter failed: {str(problem)[-3000:]}")
    details["working_tree"] = working_tree()
    if details["working_tree"]:
        print("uncommitted changes in what was graded with: " + ", ".join(details["working_tree"]))
    common.print_rows(rows)
    common.save("grading", command, rows, details)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
