"""The speed check's verdict: its margins, and 20 grades in a row under load.

    python bench/speed_check.py [--rounds 9] [--grades 20] [--no-batch]

1. Ratios: each variant of the SVM and softmax vectorized losses, loaded into a real
   worker and timed exactly as assignments/linear_classifiers/hidden/speed.py does (`measure`), --rounds
   times: the median, lowest and highest ratio (loop version's seconds per example over
   the variant's) and how many rounds pass the threshold. Loop-free: the reference, an
   einsum version, an (N, D, C) broadcast; loop versions: one loop over the examples, and
   the reference's naive loss itself.
2. Under load: --grades notebooks whose vectorized losses are loop-free (alternating
   einsum and broadcast versions) and as many whose losses loop over the examples, graded
   by two `python -m autograder grade-all --jobs 2` at once on this machine; every
   speed test's verdict is counted.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assignments.linear_classifiers.hidden.speed import THRESHOLD
from tests import notebooks
from tests.corpus import Case, by_id
from tests.corpus.alternatives import CASES as ALTERNATIVES

# Versions written for this benchmark (nothing graded uses them).
SVM_BROADCAST = '''
def svm_loss_vectorized(W, X, y, reg):
    n = len(y)
    rows = np.arange(n)
    scores = (X[:, :, None] * W[None, :, :]).sum(axis=1)          # (N, D, C) -> (N, C)
    margins = np.maximum(0.0, scores - scores[rows, y][:, None] + 1.0)
    margins[rows, y] = 0.0
    G = (margins > 0).astype(float)
    G[rows, y] = -G.sum(axis=1)
    dW = (X[:, :, None] * G[:, None, :]).sum(axis=0) / n + 2 * reg * W
    return margins.sum() / n + reg * np.sum(W * W), dW
'''
# The corpus's own einsum alternative (tests/corpus/alternatives/losses.py), timed as graded.
SVM_EINSUM = by_id(ALTERNATIVES)["svm_vectorized_einsum"].source
SVM_ROWS = '''
def svm_loss_vectorized(W, X, y, reg):
    n = len(y)
    loss, dW = 0.0, np.zeros_like(W)
    for i in range(n):                                              # one loop, over examples
        s = X[i] @ W
        m = np.maximum(0.0, s - s[y[i]] + 1.0)
        m[y[i]] = 0.0
        loss += m.sum()
        g = (m > 0).astype(float)
        g[y[i]] = -g.sum()
        dW += np.outer(X[i], g)
    return loss / n + reg * np.sum(W * W), dW / n + 2 * reg * W
'''
SOFTMAX_BROADCAST = '''
def softmax_loss_vectorized(W, X, y, reg):
    n = len(y)
    rows = np.arange(n)
    scores = (X[:, :, None] * W[None, :, :]).sum(axis=1)
    scores = scores - scores.max(axis=1, keepdims=True)
    lse = np.log(np.exp(scores).sum(axis=1))
    P = np.exp(scores - lse[:, None])
    P[rows, y] -= 1.0
    dW = (X[:, :, None] * P[:, None, :]).sum(axis=0) / n + 2 * reg * W
    return np.mean(lse - scores[rows, y]) + reg * np.sum(W * W), dW
'''
SOFTMAX_EINSUM = '''
def softmax_loss_vectorized(W, X, y, reg):
    n = len(y)
    scores = np.einsum("nd,dc->nc", X, W, optimize=True)
    scores -= scores.max(axis=1, keepdims=True)
    lse = np.log(np.exp(scores).sum(axis=1, keepdims=True))
    P = np.exp(scores - lse)
    loss = np.mean(lse[:, 0] - np.take_along_axis(scores, y[:, None], axis=1)[:, 0])
    np.put_along_axis(P, y[:, None], np.take_along_axis(P, y[:, None], axis=1) - 1, axis=1)
    dW = np.einsum("nd,nc->dc", X, P, optimize=True) / n + 2 * reg * W
    return loss + reg * np.einsum("dc,dc->", W, W), dW
'''
SOFTMAX_ROWS = '''
def softmax_loss_vectorized(W, X, y, reg):
    n = len(y)
    loss, dW = 0.0, np.zeros_like(W)
    for i in range(n):
        s = X[i] @ W
        s = s - s.max()
        lse = np.log(np.exp(s).sum())
        loss += lse - s[y[i]]
        p = np.exp(s - lse)
        p[y[i]] -= 1.0
        dW += np.outer(X[i], p)
    return loss / n + reg * np.sum(W * W), dW / n + 2 * reg * W
'''
SVM_NAIVE_AS_VECTORIZED = '''
def svm_loss_vectorized(W, X, y, reg):
    return svm_loss_naive(W, X, y, reg)
'''
SOFTMAX_NAIVE_AS_VECTORIZED = '''
def softmax_loss_vectorized(W, X, y, reg):
    return softmax_loss_naive(W, X, y, reg)
'''
VARIANTS = {  # name: (svm source or None for the reference, softmax source, loop-free?)
    "reference": (None, None, True),
    "einsum": (SVM_EINSUM, SOFTMAX_EINSUM, True),
    "(N, D, C) broadcast": (SVM_BROADCAST, SOFTMAX_BROADCAST, True),
    "loop over examples": (SVM_ROWS, SOFTMAX_ROWS, False),
    "the naive loss itself": (SVM_NAIVE_AS_VECTORIZED, SOFTMAX_NAIVE_AS_VECTORIZED, False),
}
TESTS = {"svm_loss_vectorized": "SVM loss (vectorized): faster than the naive version",
         "softmax_loss_vectorized": "Softmax loss (vectorized): faster than the naive version"}


def cases(svm: str | None, softmax: str | None) -> list[Case]:
    found = []
    if svm:
        found.append(Case("svm", "svm_loss_vectorized", svm))
    if softmax:
        found.append(Case("softmax", "softmax_loss_vectorized", softmax))
    return found


def ratios(rounds: int) -> None:
    from assignments.linear_classifiers.hidden.speed import measure
    from autograder.checking.calls import Student
    from autograder.checking.reference import load_reference
    from autograder.intake.extraction import extract, read_notebook, worker_source
    from autograder.sandbox.client import Sandbox

    ref = load_reference()
    print(f"threshold {THRESHOLD:g}x; ratio = loop version's s/example / the variant's")
    with tempfile.TemporaryDirectory() as scratch:
        for name, (svm, softmax, loop_free) in VARIANTS.items():
            path = notebooks.build(Path(scratch) / name.replace(" ", "_"), cases(svm, softmax))
            source = worker_source(extract(read_notebook(path)))
            with Sandbox(source) as sandbox:
                student = Student(sandbox)
                for function in TESTS:
                    found = [measure(student, ref, function).ratio for _ in range(rounds)]
                    passed = sum(r >= THRESHOLD for r in found)
                    print(f"  {name:22s} {function:24s} median {statistics.median(found):7.1f}x"
                          f"  min {min(found):7.1f}x  max {max(found):7.1f}x  passes "
                          f"{passed}/{rounds} ({'loop-free' if loop_free else 'loops'})")


def batch(grades: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folders = {}
        for kind, chosen in (("loop-free", ["einsum", "(N, D, C) broadcast"]),
                             ("loops", ["loop over examples"])):
            folder = Path(scratch) / kind
            for k in range(grades):
                svm, softmax, _ = VARIANTS[chosen[k % len(chosen)]]
                notebooks.build(folder, cases(svm, softmax), name=f"s{k:02d}.ipynb")
            folders[kind] = folder
        start = time.perf_counter()
        runs = {kind: subprocess.Popen(
            [sys.executable, "-m", "autograder", "grade-all", str(folder), "--out",
             str(Path(scratch) / f"out-{kind}"), "--jobs", "2"], cwd=ROOT,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for kind, folder in folders.items()}
        load = os.getloadavg()[0]
        for run in runs.values():
            run.wait()
        print(f"two grade-all --jobs 2 at once, {2 * grades} grades in "
              f"{time.perf_counter() - start:.1f} s (load average {load:.1f} after they started, "
              f"{os.getloadavg()[0]:.1f} at the end)")
        for kind in folders:
            verdicts = {title: [] for title in TESTS.values()}
            for results in sorted((Path(scratch) / f"out-{kind}").glob("*/results.json")):
                for test in json.loads(results.read_text())["tests"]:
                    if test["name"] in verdicts:
                        verdicts[test["name"]].append(test["status"] == "passed")
            for title, passed in verdicts.items():
                print(f"  {kind:9s} {title}: passed {sum(passed)} of {len(passed)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--grades", type=int, default=20)
    parser.add_argument("--no-batch", action="store_true")
    args = parser.parse_args(argv)
    print("$", shlex.join(["python", "bench/speed_check.py", *(argv or sys.argv[1:])]))
    print(f"load average at the start: {os.getloadavg()[0]:.1f}")
    ratios(args.rounds)
    if not args.no_batch:
        batch(args.grades)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
