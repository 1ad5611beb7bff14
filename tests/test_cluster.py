"""grade-all on a Dask cluster: a real LocalCluster of 2 worker processes, each grade in its
own isolated worker on the Dask worker's side, against the local pool on the same export."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import distributed  # requirements-cluster.txt: the kit's environment installs it
import pytest

from autograder.__main__ import main
from autograder.batch import graders, jobs
from autograder.batch.cluster import connect
from autograder.batch.pool import grade_all
from autograder.errors import GraderError
from autograder.sandbox.runtime import PYTHON_ENV
from tests import notebooks
from tests.corpus import by_id, hostile, mistakes

MISTAKES = ["svm_naive_half_reg", "svm_naive_gradient_sign", "softmax_naive_gradient_sign",
            "numerical_one_sided", "grad_check_fixed_seed", "rel_error_no_floor",
            "softmax_vectorized_half_reg"]
HOSTILE = ["os_exit_at_import", "libc_exit_at_import", "os_exit_in_call",
           "kills_worker_server_in_call", "memory_bomb_in_call", "disk_bomb_in_call",
           "monkeypatches_numpy"]


def export(folder: Path) -> Path:
    """A Gradescope export of 20: references, the blank release, the corpus's mistakes and
    hostile cases, a broken file, a renamed notebook and an empty submission."""
    known = by_id([*mistakes.CASES, *hostile.CASES])
    cases = [known[i] for i in MISTAKES + HOSTILE]
    metadata = []
    for n, case in enumerate(cases):
        notebooks.build(folder / f"submission_{n}", [case])
    specials = {"reference": notebooks.NAME, "blank": notebooks.NAME,
                "renamed": "linear_classifiers (1).ipynb", "broken": notebooks.NAME}
    for n, (kind, name) in enumerate([*specials.items(), ("reference", "copy.ipynb")],
                                     start=len(cases)):
        (folder / f"submission_{n}").mkdir()
        base = notebooks.BLANK if kind == "blank" else notebooks.REFERENCE
        shutil.copy(base, folder / f"submission_{n}" / name)
        if kind == "broken":
            (folder / f"submission_{n}" / name).write_text("{broken")
    (folder / f"submission_{len(cases) + 5}").mkdir()   # handed in nothing readable
    (folder / f"submission_{len(cases) + 5}" / "notes.txt").write_text("sorry")
    for n in range(len(cases) + 6):
        metadata.append(f"submission_{n}:\n  :submitters:\n  - :name: Student {n}\n"
                        f"    :sid: '{n:03}'\n")
    (folder / "submission_metadata.yml").write_text("".join(metadata))
    return folder


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export(tmp_path_factory.mktemp("export") / "export")


@pytest.fixture(scope="module")
def local(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("local")
    grade_all(source, out, jobs=2, progress=False)
    return out


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as running:
        yield running


@pytest.fixture(scope="module")
def on_cluster(source: Path, cluster, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cluster")
    grade_all(source, out, progress=False, scheduler=cluster.scheduler_address)
    return out


def results_of(out: Path) -> dict[str, dict]:
    """Each submission's results.json, execution times aside."""
    found = {}
    for path in sorted(out.glob("*/results.json")):
        document = json.loads(path.read_text())
        document.pop("execution_time")
        found[path.parent.name] = document
    return found


def test_export_holds_twenty(source: Path) -> None:
    assert len([p for p in source.iterdir() if p.is_dir()]) == 20


def test_cluster_grades_as_the_local_pool(local: Path, on_cluster: Path) -> None:
    assert (on_cluster / "gradebook.csv").read_text() == (local / "gradebook.csv").read_text()
    assert results_of(on_cluster) == results_of(local)
    assert len(results_of(local)) == 20
    for name in ("summary.txt", "class_report.csv"):
        assert (on_cluster / name).read_text() == (local / name).read_text()
    assert ((on_cluster / "submission_0" / "feedback.txt").read_text()
            == (local / "submission_0" / "feedback.txt").read_text())


def test_the_export_is_graded_honestly(local: Path) -> None:
    """The batch is no trivial one: full marks, zeros, partial scores, no grader failure."""
    with (local / "gradebook.csv").open() as f:
        rows = {r["id"]: r for r in csv.DictReader(f)}
    assert rows["submission_14"]["total"] == "100"        # the reference
    assert rows["submission_15"]["total"] == "0"          # the blank release
    assert rows["submission_16"]["total"] == "100"        # renamed
    assert rows["submission_17"]["total"] == "0"          # {broken
    assert rows["submission_19"]["total"] == "0"          # no notebook at all
    assert 0 < float(rows["submission_0"]["total"]) < 100
    assert all(r["grading_errors"] == "" for r in rows.values())


def test_a_killed_dask_worker_loses_nothing(source: Path, local: Path, cluster,
                                            tmp_path: Path) -> None:
    """SIGKILL a Dask worker while it grades: its task runs again elsewhere, and every
    submission is filed exactly once, with the local pool's results."""
    client = distributed.Client(cluster.scheduler_address, set_as_default=False)
    killed: list[str] = []

    def kill_one_mid_grade() -> None:
        while not killed:
            busy = {w: keys for w, keys in client.processing().items() if keys}
            if busy and len(list(tmp_path.glob("out/*/results.json"))) >= 3:
                worker = min(busy)
                os.kill(client.run(os.getpid, workers=[worker])[worker], signal.SIGKILL)
                killed.append(worker)
            time.sleep(0.05)

    killer = threading.Thread(target=kill_one_mid_grade, daemon=True)
    killer.start()
    try:
        rows = grade_all(source, tmp_path / "out", progress=False,
                         scheduler=cluster.scheduler_address)
    finally:
        killer.join(timeout=60)
        client.close()
    assert killed, "no worker was killed during the batch"
    assert sorted(r["key"] for r in rows) == sorted(results_of(local))
    assert results_of(tmp_path / "out") == results_of(local)
    gradebook = (tmp_path / "out" / "gradebook.csv").read_text()
    assert gradebook == (local / "gradebook.csv").read_text()


def test_a_second_run_keeps_what_is_graded(source: Path, on_cluster: Path, cluster,
                                           capsys: pytest.CaptureFixture) -> None:
    before = {p: p.stat().st_mtime_ns for p in on_cluster.glob("*/results.json")}
    grade_all(source, on_cluster, progress=False, scheduler=cluster.scheduler_address)
    assert {p: p.stat().st_mtime_ns for p in on_cluster.glob("*/results.json")} == before
    assert "20 of 20 submissions already graded" in capsys.readouterr().err


def test_regrade_grades_again(tmp_path: Path, cluster) -> None:
    source = tmp_path / "export"
    notebooks.build(source / "one")
    out = tmp_path / "out"
    grade_all(source, out, progress=False, scheduler=cluster.scheduler_address)
    first = (out / "one" / "results.json").stat().st_mtime_ns
    grade_all(source, out, progress=False, scheduler=cluster.scheduler_address, regrade=True)
    assert (out / "one" / "results.json").stat().st_mtime_ns > first


def test_an_unreachable_scheduler_stops_before_any_work(
        source: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "out"
    status = main(["grade-all", str(source), "--out", str(out),
                   "--scheduler", "tcp://127.0.0.1:9"])
    assert status == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err
    assert not out.exists()


def test_a_cluster_without_workers_stops_before_any_work() -> None:
    empty = distributed.LocalCluster(n_workers=0, processes=False, dashboard_address=":0")
    with empty, pytest.raises(GraderError, match="no Dask worker joined"), \
            connect(empty.scheduler_address, "linear_classifiers", timeout=1):
        pass


def test_a_worker_that_cannot_grade_is_refused(cluster) -> None:
    """A worker machine set up wrong (here: its sandbox runtime is gone) is caught by its
    preflight grade of the reference, before any work, by name."""
    client = distributed.Client(cluster.scheduler_address, set_as_default=False)

    def runtime(path: str | None) -> None:
        """Set the worker's runtime and retire its warm grading processes (they have the
        old one): the next grade starts a fresh process that inherits `path`."""
        os.environ.pop(PYTHON_ENV, None)
        os.environ.update({PYTHON_ENV: path} if path else {})
        while not graders._idle.empty():
            graders._idle.get().process.stdin.close()

    kept = os.environ.get(PYTHON_ENV)
    try:
        client.run(runtime, "/nonexistent/python")
        with pytest.raises(GraderError, match="Dask workers cannot grade.*grades the reference 0"
                           ), connect(cluster.scheduler_address, "linear_classifiers"):
            pass
    finally:
        client.run(runtime, kept)
        client.close()


def test_workers_with_another_grader_are_refused(cluster) -> None:
    """A worker machine left on an older commit: refused before any work, by name."""
    client = distributed.Client(cluster.scheduler_address, set_as_default=False)

    def older() -> None:
        jobs.fingerprint = graders.fingerprint = lambda assignment: "an older grader"

    def restore() -> None:
        import importlib

        importlib.reload(jobs)
        importlib.reload(graders)

    try:
        client.run(older)
        with pytest.raises(GraderError, match="run another version of the grader"), \
                connect(cluster.scheduler_address, "linear_classifiers"):
            pass
    finally:
        client.run(restore)
        client.close()


def test_dask_is_imported_only_with_a_scheduler(tmp_path: Path) -> None:
    """The local pool never imports dask; without it, --scheduler says what to install."""
    (tmp_path / "export").mkdir()
    (tmp_path / "export" / "a.ipynb").write_text("{broken")
    probe = ("import sys\nfrom autograder.__main__ import main\n"
             "status = main(['grade-all', 'export', '--out', 'out', '--jobs', '1'])\n"
             "print(status, 'distributed' in sys.modules or 'dask' in sys.modules)\n"
             "sys.modules['distributed'] = None\n"
             "print(main(['grade-all', 'export', '--out', 'again', '--scheduler', 'x']))\n")
    env = {**os.environ, "PYTHONPATH": str(notebooks.ROOT)}
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.stdout.split("\n")[-3:] == ["0 False", "2", ""], done.stderr
    assert "requirements-cluster.txt" in done.stderr
    assert not (tmp_path / "again").exists()
