"""Grade one submission in this fresh process, as `python -m autograder grade` does, with
timers around each stage and (with --memory) a sampler of the process tree's memory.

    python bench/grade_probe.py NOTEBOOK [--twice] [--memory]

Run by bench/grading.py and bench/memory.py in a subprocess; prints one JSON line last.
Only wraps the grader's functions from outside (nothing in autograder/ is changed):
the figures are what `autograder.grade.grade` spends, stage by stage.
"""

from __future__ import annotations

import time

T0 = time.perf_counter()

import argparse
import json
import os
import resource
import sys
import threading
import types
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

T_STDLIB = time.perf_counter()
import numpy  # noqa: F401

T_NUMPY = time.perf_counter()
import autograder.__main__  # noqa: F401  (what the CLI imports)
from autograder import grade as engine  # the stages, wrapped below by name
from autograder.checking import reference, runner
from autograder.report import results
from autograder.sandbox.client import Sandbox
from autograder.sandbox.guard import Guard
from autograder.sandbox.spawn import Lifecycle

T_IMPORTS = time.perf_counter()

timers: dict[str, float] = defaultdict(float)
counts: dict[str, int] = defaultdict(int)


def wrap(owner: object, name: str, label: str) -> None:
    original = getattr(owner, name)

    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            timers[label] += time.perf_counter() - start
            counts[label] += 1

    setattr(owner, name, timed)


wrap(engine, "locate", "read submission (locate + JSON)")
wrap(engine, "extract", "extract definitions (ast)")
wrap(engine, "worker_source", "worker source")
wrap(engine, "close_grader_folders", "chmod protected folders")
wrap(Guard, "prepare", "sandbox prepare (all)")
wrap(Sandbox, "launch", "worker launch (spawn, not waited for)")
wrap(Lifecycle, "await_load", "wait for the loaded submission (after pytest's start)")
wrap(Sandbox, "call", "worker calls (fork per call), inside the tests")
wrap(Sandbox, "close", "sandbox close (kill, reap, remove)")
wrap(runner, "run_hidden_tests", "pytest run (all hidden tests)")
wrap(reference, "load_reference", "load reference notebook (inside the tests)")
wrap(results, "build", "results build")
wrap(results, "write", "results write")


class TestTimes:
    """A pytest plugin: setup/call/teardown of each test, and collection time."""

    def __init__(self) -> None:
        self.tests: dict[str, dict[str, float]] = {}
        self.marks: dict[str, float] = {}

    def pytest_sessionstart(self, session) -> None:
        self.marks["sessionstart"] = time.perf_counter()

    def pytest_collection_finish(self, session) -> None:
        self.marks["collected"] = time.perf_counter()

    def pytest_runtest_logreport(self, report) -> None:
        name = report.nodeid.split("::")[-1]
        self.tests.setdefault(name, {})[report.when] = report.duration

    def pytest_sessionfinish(self, session) -> None:
        self.marks["sessionfinish"] = time.perf_counter()


PLUGINS: list[TestTimes] = []
_real_main = runner.pytest.main


def _main(args, plugins=()):
    plugin = TestTimes()
    PLUGINS.append(plugin)
    plugin.marks["main"] = time.perf_counter()
    try:
        return _real_main(args, plugins=[*plugins, plugin])
    finally:
        plugin.marks["returned"] = time.perf_counter()


runner.pytest = types.SimpleNamespace(main=_main)


class MemorySampler(threading.Thread):
    """Every few ms: RSS and PSS of this process and of every descendant (via /proc)."""

    def __init__(self, period: float = 0.005) -> None:
        super().__init__(daemon=True)
        self.period = period
        self.stop = threading.Event()
        self.peak_rss_sum = self.peak_pss_sum = 0
        self.peak_by_kind: dict[str, int] = defaultdict(int)
        self.hwm_by_kind: dict[str, int] = defaultdict(int)
        self.samples = 0

    def run(self) -> None:
        me = os.getpid()
        while not self.stop.is_set():
            self.sample(me)
            self.stop.wait(self.period)

    def sample(self, me: int) -> None:
        parents = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                    parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
                except (OSError, ValueError, IndexError):
                    continue
        tree, frontier = {me}, [me]
        while frontier:
            pid = frontier.pop()
            kids = [p for p, pp in parents.items() if pp == pid and p not in tree]
            tree.update(kids)
            frontier.extend(kids)
        rss_sum = pss_sum = 0
        for pid in tree:
            status = _kb(pid, "status", ("VmRSS", "VmHWM"))
            if not status:
                continue
            kind = _kind(pid, me, parents)
            rss_sum += status.get("VmRSS", 0)
            pss_sum += _kb(pid, "smaps_rollup", ("Pss",)).get("Pss", 0)
            self.peak_by_kind[kind] = max(self.peak_by_kind[kind], status.get("VmRSS", 0))
            self.hwm_by_kind[kind] = max(self.hwm_by_kind[kind], status.get("VmHWM", 0))
        self.peak_rss_sum = max(self.peak_rss_sum, rss_sum)
        self.peak_pss_sum = max(self.peak_pss_sum, pss_sum)
        self.samples += 1


def _kb(pid: int, name: str, keys: tuple[str, ...]) -> dict[str, int]:
    try:
        text = Path(f"/proc/{pid}/{name}").read_text()
    except OSError:
        return {}
    out = {}
    for line in text.splitlines():
        key, _, rest = line.partition(":")
        if key in keys:
            out[key] = int(rest.split()[0])
    return out


def _kind(pid: int, me: int, parents: dict[int, int]) -> str:
    if pid == me:
        return "grader"
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        cmd = ""
    if "server.py" in cmd:
        parent_cmd = ""
        try:
            parent_cmd = Path(f"/proc/{parents.get(pid, 0)}/cmdline").read_bytes().decode(
                errors="replace")
        except OSError:
            pass
        return "worker fork (one call)" if "server.py" in parent_cmd else "worker"
    return "other child (python probe)"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("notebook", type=Path)
    parser.add_argument("--twice", action="store_true", help="grade again in this process")
    parser.add_argument("--memory", action="store_true", help="sample the tree's RSS/PSS")
    args = parser.parse_args(argv[1:])
    sampler = MemorySampler() if args.memory else None
    if sampler:
        sampler.start()
    runs = []
    for _ in range(2 if args.twice else 1):
        timers.clear()
        counts.clear()
        start = time.perf_counter()
        document = engine.grade(args.notebook, None)
        total = time.perf_counter() - start
        text = results.table(document)  # the CLI prints it: count it
        if not PLUGINS:  # the grader failed before its tests: not a timing of a grade
            runs.append({"total": total, "score": document["score"], "error": document["output"]})
            continue
        plugin = PLUGINS.pop()
        runs.append({
            "total": total,
            "score": document["score"],
            "table_chars": len(text),
            "stages": dict(timers),
            "counts": dict(counts),
            "pytest": {
                "startup_to_sessionstart": plugin.marks["sessionstart"] - plugin.marks["main"],
                "collection": plugin.marks["collected"] - plugin.marks["sessionstart"],
                "session_after_tests": plugin.marks["returned"] - plugin.marks["sessionfinish"],
                "tests": plugin.tests,
            },
        })
    if sampler:
        sampler.stop.set()
        sampler.join()
    self_ru = resource.getrusage(resource.RUSAGE_SELF)
    kids_ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = {
        "imports": {"stdlib": T_STDLIB - T0, "numpy": T_NUMPY - T_STDLIB,
                    "autograder + pytest": T_IMPORTS - T_NUMPY},
        "runs": runs,
        "rusage": {"self_maxrss_kb": self_ru.ru_maxrss, "children_maxrss_kb": kids_ru.ru_maxrss,
                   "self_cpu_s": self_ru.ru_utime + self_ru.ru_stime,
                   "children_cpu_s": kids_ru.ru_utime + kids_ru.ru_stime},
    }
    if sampler:
        out["memory"] = {"peak_rss_sum_kb": sampler.peak_rss_sum,
                         "peak_pss_sum_kb": sampler.peak_pss_sum,
                         "peak_rss_by_kind_kb": dict(sampler.peak_by_kind),
                         "vmhwm_by_kind_kb": dict(sampler.hwm_by_kind),
                         "samples": sampler.samples}
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
