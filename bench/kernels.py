"""Loss kernels: the reference's vectorized SVM and softmax loss + gradient, timed against
the two matrix products they cannot avoid, against PyTorch on the CPU, and against the
naive loops.

    python bench/kernels.py [--repeats-small 50] [--repeats-large 5] [--threads 1,2]
                            [--no-torch] [--no-naive]

On real CIFAR-10 rows (49,000 x 3,073 after the notebook's preprocessing; N = 500 is the
notebook's dev sample), W = 1e-4 * randn as in the notebook's checks, reg = 1e3, C = 10,
in float64 and float32, at each BLAS thread count (threadpoolctl), all in this process:

* floor   = X @ W and X.T @ G, G a random (N, C) array: the two products the loss needs;
* ratio   = loss time / floor time (goal <= 1.15);
* layouts = the same two products written (W.T @ X.T).T and (G.T @ X).T, which OpenBLAS
  runs with other kernels: where faster, a student's loss can beat the literal floor;
* proposal = the reference with dW = (G.T @ X).T and in-place updates (see RESULTS.md);
* torch   = F.cross_entropy / F.multi_margin_loss (x C, to match the SVM's sum over j),
  forward + backward through X @ W, same inputs and thread count, in bench/.venv-torch
  (torch==2.13.0, CPU build); its own BLAS is MKL, reported from torch.__config__.

Each timed function runs round-robin with the others (one warm-up call each), and the
figure is the median of the rounds.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common
from bench.common import Row

C, REG, SCALE = 10, 1e3, 1e-4
TORCH = "torch==2.13.0"   # the CPU build on this machine's disk; plain `torch` pulls CUDA
GOAL_FLOOR, GOAL_TORCH = 1.15, 1.0


# ---------------------------------------------------------------- inputs

def load_rows() -> tuple[np.ndarray, np.ndarray, np.ndarray, str]:
    """X_train (49,000 x 3,073 float32) and y_train as the notebook makes them; dev indices."""
    from autograder.checking.reference import load_reference

    ref = load_reference()
    where = common.cifar_dir()
    if where is not None:
        from data import load_cifar10

        data = load_cifar10(where)
        images, y = data.X_train[:49_000], data.y_train[:49_000]
        source = f"CIFAR-10 from {where}"
    else:  # same shapes, so the timings still mean something; said in the output
        rng = np.random.default_rng(0)
        images = rng.integers(0, 256, (49_000, 32, 32, 3), dtype=np.uint8)
        y = rng.integers(0, C, 49_000)
        source = "random uint8 images (CIFAR-10 not found: set CIFAR10_DIR)"
    mean = images.reshape(len(images), -1).mean(axis=0, dtype=np.float64).astype(np.float32)
    X = ref.flatten_center_bias(images, mean)
    dev = np.random.default_rng(0).choice(len(X), 500, replace=False)
    return X, np.asarray(y), dev, source


# ---------------------------------------------------------------- the proposal

def svm_loss_proposed(W, X, y, reg):
    """The reference, with dW = (G.T @ X).T and the regularization added in place."""
    num_train = X.shape[0]
    rows = np.arange(num_train)
    scores = X @ W
    margins = scores - scores[rows, y][:, None] + 1.0
    np.maximum(margins, 0.0, out=margins)
    margins[rows, y] = 0.0
    loss = margins.sum() / num_train + reg * np.vdot(W, W)
    G = (margins > 0).astype(X.dtype)
    G[rows, y] = -G.sum(axis=1)
    G /= num_train
    dW = (G.T @ X).T          # (D, C), Fortran-ordered view: same values as X.T @ G
    dW += 2 * reg * W
    return loss, dW


def softmax_loss_proposed(W, X, y, reg):
    """The reference, with dW = (G.T @ X).T and the regularization added in place."""
    num_train = X.shape[0]
    rows = np.arange(num_train)
    scores = X @ W
    scores -= scores.max(axis=1, keepdims=True)
    probs = np.exp(scores)
    sums = probs.sum(axis=1, keepdims=True)
    loss = np.mean(np.log(sums[:, 0]) - scores[rows, y]) + reg * np.vdot(W, W)
    probs /= sums
    probs[rows, y] -= 1.0
    probs /= num_train
    dW = (probs.T @ X).T
    dW += 2 * reg * W
    return loss, dW


def rel_error(a, b) -> float:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


# ---------------------------------------------------------------- numpy side

def time_numpy(ref, X, y, W, G, threads: int, repeats: int) -> dict[str, list[float]]:
    fns = {
        "floor": lambda: (X @ W, X.T @ G),
        "X@W": lambda: X @ W,
        "X.T@G": lambda: X.T @ G,
        "(W.T@X.T).T": lambda: (W.T @ X.T).T,
        "(G.T@X).T": lambda: (G.T @ X).T,
        "svm": lambda: ref.svm_loss_vectorized(W, X, y, REG),
        "softmax": lambda: ref.softmax_loss_vectorized(W, X, y, REG),
        "svm proposed": lambda: svm_loss_proposed(W, X, y, REG),
        "softmax proposed": lambda: softmax_loss_proposed(W, X, y, REG),
    }
    with threadpool_limits(threads, user_api="blas"):
        return common.interleaved(fns, repeats)


def time_naive(ref, X, y, W, repeats: int) -> dict[str, list[float]]:
    fns = {"svm naive": lambda: ref.svm_loss_naive(W, X, y, REG),
           "softmax naive": lambda: ref.softmax_loss_naive(W, X, y, REG)}
    with threadpool_limits(1, user_api="blas"):
        return common.interleaved(fns, repeats, warmup=0 if len(X) > 5000 else 1)


# ---------------------------------------------------------------- torch side

TORCH_SCRIPT = r'''
import json, sys, time
import numpy as np
import torch
import torch.nn.functional as F

spec = json.loads(sys.argv[1])
folder = spec["folder"]
X32 = np.load(folder + "/X.npy")
y_all = np.load(folder + "/y.npy")
dev = np.load(folder + "/dev.npy")
out = {"torch": torch.__version__, "config": torch.__config__.show(),
       "parallel": torch.__config__.parallel_info(), "runs": []}
for case in spec["cases"]:
    rows = dev if case["N"] == 500 else slice(None)
    dtype = {"float64": torch.float64, "float32": torch.float32}[case["dtype"]]
    X = torch.from_numpy(np.ascontiguousarray(X32[rows], dtype=case["dtype"]))
    y = torch.from_numpy(np.ascontiguousarray(y_all[rows]))
    W0 = torch.from_numpy(np.load(folder + "/W.npy").astype(case["dtype"]))
    G = torch.from_numpy(np.load(folder + "/G%d.npy" % case["N"]).astype(case["dtype"]))
    reg, C = spec["reg"], W0.shape[1]
    torch.set_num_threads(case["threads"])
    W = W0.clone().requires_grad_(True)

    def ce():
        W.grad = None
        loss = F.cross_entropy(X @ W, y) + reg * (W * W).sum()
        loss.backward()
        return loss.item(), W.grad

    def mm():
        W.grad = None
        loss = C * F.multi_margin_loss(X @ W, y) + reg * (W * W).sum()  # torch divides by C
        loss.backward()
        return loss.item(), W.grad

    def floor():
        with torch.no_grad():
            return X @ W0, X.T @ G

    fns = {"torch floor": floor, "torch cross_entropy": ce, "torch multi_margin": mm}
    with torch.no_grad():
        pass
    for fn in fns.values():
        fn()
    times = {k: [] for k in fns}
    for _ in range(case["repeats"]):
        for k, fn in fns.items():
            t = time.perf_counter(); fn(); times[k].append(time.perf_counter() - t)
    ce_loss, ce_grad = ce()
    mm_loss, mm_grad = mm()
    np.save(folder + "/ce_%s_%d.npy" % (case["dtype"], case["N"]), ce_grad.numpy())
    np.save(folder + "/mm_%s_%d.npy" % (case["dtype"], case["N"]), mm_grad.numpy())
    out["runs"].append({**case, "times": times, "ce_loss": ce_loss, "mm_loss": mm_loss,
                        "get_num_threads": torch.get_num_threads()})
print(json.dumps(out))
'''


def run_torch(folder: Path, cases: list[dict]) -> dict:
    python = common.ensure_venv("torch", [TORCH, common.pinned("numpy")])
    spec = {"folder": str(folder), "cases": cases, "reg": REG}
    done = subprocess.run([str(python), "-c", TORCH_SCRIPT, json.dumps(spec)],
                          capture_output=True, text=True, check=False,
                          env=common.venv_env(python))
    if done.returncode != 0:
        raise RuntimeError(f"torch benchmark failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- main

def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench/kernels.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats-small", type=int, default=50, help="rounds at N=500")
    parser.add_argument("--repeats-large", type=int, default=5, help="rounds at N=49,000")
    parser.add_argument("--threads", default="1,2", help="BLAS thread counts, e.g. 1,2")
    parser.add_argument("--no-torch", action="store_true")
    parser.add_argument("--no-naive", action="store_true")
    args = parser.parse_args(argv[1:])
    command = common.print_header(argv, "kernels.py")
    from autograder.checking.reference import load_reference

    ref = load_reference()
    X_all, y_all, dev, source = load_rows()
    print(f"data: {source}; W = {SCALE:g} * randn(3073, {C}), reg = {REG:g}")
    threads = [int(t) for t in args.threads.split(",")]
    W64 = SCALE * np.random.default_rng(7).standard_normal((X_all.shape[1], C))
    G_of = {N: np.random.default_rng(8).standard_normal((N, C)) for N in (500, 49_000)}
    cases, results = [], {}
    for dtype in ("float64", "float32"):
        for N in (500, 49_000):
            rows = dev if N == 500 else slice(None)
            X = np.ascontiguousarray(X_all[rows], dtype=dtype)
            y = y_all[rows]
            W, G = W64.astype(dtype), G_of[N].astype(dtype)
            reps = args.repeats_small if N == 500 else args.repeats_large
            for proposed, original in (("svm proposed", ref.svm_loss_vectorized),
                                       ("softmax proposed", ref.softmax_loss_vectorized)):
                fn = svm_loss_proposed if proposed.startswith("svm") else softmax_loss_proposed
                a, b = fn(W, X, y, REG), original(W, X, y, REG)
                assert rel_error(a[1], b[1]) < (1e-3 if dtype == "float32" else 1e-9)
            for t in threads:
                key = f"{dtype} N={N} threads={t}"
                print(f"timing {key} ({reps} rounds) ...", flush=True)
                results[key] = {"dtype": dtype, "N": N, "threads": t,
                                "times": time_numpy(ref, X, y, W, G, t, reps)}
                cases.append({"dtype": dtype, "N": N, "threads": t, "repeats": reps})
            if not args.no_naive:
                key = f"{dtype} N={N} naive"
                print(f"timing {key} (5 rounds, 1 thread) ...", flush=True)
                results[key] = {"dtype": dtype, "N": N, "threads": 1,
                                "times": time_naive(ref, X, y, W, 5)}
                results[key]["ref"] = {
                    "svm": ref.svm_loss_vectorized(W, X, y, REG),
                    "softmax": ref.softmax_loss_vectorized(W, X, y, REG)}
            del X
    torch_out = None
    if not args.no_torch:
        torch_out = _torch(ref, X_all, y_all, dev, W64, G_of, cases)
    rows, details = _report(results, torch_out, threads, args.no_naive)
    details["source"] = source
    common.print_rows(rows)
    common.save("kernels", command, rows, details)
    return 0


def _torch(ref, X_all, y_all, dev, W64, G_of, cases) -> dict:
    print("timing torch (separate venv, same inputs) ...", flush=True)
    shm = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
    with tempfile.TemporaryDirectory(prefix="bench-kernels-", dir=shm) as tmp:
        folder = Path(tmp)
        np.save(folder / "X.npy", X_all)
        np.save(folder / "y.npy", y_all)
        np.save(folder / "dev.npy", dev)
        np.save(folder / "W.npy", W64)
        for N, G in G_of.items():
            np.save(folder / f"G{N}.npy", G)
        out = run_torch(folder, cases)
        # The same answers as the reference? (loss and gradient)
        for run in out["runs"]:
            if run["threads"] != cases[0]["threads"]:
                continue
            rows = dev if run["N"] == 500 else slice(None)
            X = np.ascontiguousarray(X_all[rows], dtype=run["dtype"])
            W = W64.astype(run["dtype"])
            for short, name, loss_key in (("ce", "softmax_loss_vectorized", "ce_loss"),
                                          ("mm", "svm_loss_vectorized", "mm_loss")):
                loss, grad = getattr(ref, name)(W, X, y_all[rows], REG)
                tgrad = np.load(folder / f"{short}_{run['dtype']}_{run['N']}.npy")
                run[f"{short}_loss_rel_error"] = rel_error(run[loss_key], loss)
                run[f"{short}_grad_rel_error"] = rel_error(tgrad, grad)
    return out


def _report(results: dict, torch_out: dict | None, threads: list[int], no_naive: bool):
    rows: list[Row] = []
    details: dict = {"medians_ms": {}, "torch": None}
    tmed = {}
    if torch_out:
        for run in torch_out["runs"]:
            key = f"{run['dtype']} N={run['N']} threads={run['threads']}"
            tmed[key] = {k: common.median(v) for k, v in run["times"].items()}
            tmed[key].update({k: run[k] for k in run if "rel_error" in k})
        blas = [line.strip() for line in torch_out["config"].splitlines()
                if "Math Kernel" in line or "BLAS_INFO" in line or "CPU capability" in line]
        details["torch"] = {"version": torch_out["torch"], "blas": blas,
                            "medians_ms": {k: {n: v * 1e3 if "error" not in n else v
                                               for n, v in d.items()} for k, d in tmed.items()}}
    print(f"\n{'case':30s} {'floor':>8s} {'XW':>7s} {'XtG':>7s} {'best':>7s} {'svm':>8s} "
          f"{'ratio':>5s} {'smax':>8s} {'ratio':>5s} {'svm*':>7s} {'smax*':>7s} "
          f"{'t.mm':>8s} {'t.ce':>8s} {'t.floor':>8s}   (ms; * = proposal; t. = torch)")
    for key, res in results.items():
        if "naive" in key:
            continue
        m = {k: common.median(v) for k, v in res["times"].items()}
        best = min(m["X@W"], m["(W.T@X.T).T"]) + min(m["X.T@G"], m["(G.T@X).T"])
        t = tmed.get(key, {})
        details["medians_ms"][key] = {k: v * 1e3 for k, v in m.items()}
        details["medians_ms"][key]["best layout floor"] = best * 1e3
        print(f"{key:30s} {m['floor'] * 1e3:8.2f} {m['X@W'] * 1e3:7.2f} {m['X.T@G'] * 1e3:7.2f} "
              f"{best * 1e3:7.2f} {m['svm'] * 1e3:8.2f} {m['svm'] / m['floor']:5.2f} "
              f"{m['softmax'] * 1e3:8.2f} {m['softmax'] / m['floor']:5.2f} "
              f"{m['svm proposed'] * 1e3:7.2f} {m['softmax proposed'] * 1e3:7.2f} "
              + (f"{t['torch multi_margin'] * 1e3:8.2f} {t['torch cross_entropy'] * 1e3:8.2f} "
                 f"{t['torch floor'] * 1e3:8.2f}" if t else ""))
        label = f"{res['dtype']}, N={res['N']:,}, {res['threads']} BLAS thread" + \
                ("s" if res["threads"] > 1 else "")
        # The goals are set for float64; float32 (what the notebook trains on) is reported.
        goals = (GOAL_FLOOR, GOAL_TORCH) if res["dtype"] == "float64" else (None, None)
        for loss, tkey in (("svm", "torch multi_margin"), ("softmax", "torch cross_entropy")):
            rows.append(Row("kernels", f"{loss} / floor, {label}", m[loss] / m["floor"], "x",
                            goals[0], note=f"{m[loss] * 1e3:.2f} ms vs floor "
                            f"{m['floor'] * 1e3:.2f} ms (best layouts {best * 1e3:.2f} ms); "
                            f"proposal {m[loss + ' proposed'] * 1e3:.2f} ms",
                            samples=res["times"][loss]))
            if t:
                rows.append(Row("kernels", f"{loss} / torch {tkey.split()[1]}, {label}",
                                m[loss] / t[tkey], "x", goals[1],
                                note=f"{m[loss] * 1e3:.2f} ms vs torch {t[tkey] * 1e3:.2f} ms "
                                f"(torch floor {t['torch floor'] * 1e3:.2f} ms)"))
    if not no_naive:
        print(f"\n{'naive vs vectorized (1 thread)':30s} {'svm naive':>10s} {'speedup':>8s} "
              f"{'softmax naive':>14s} {'speedup':>8s}")
        for key, res in results.items():
            if "naive" not in key:
                continue
            vec = details["medians_ms"][f"{res['dtype']} N={res['N']} threads=1"]
            m = {k: common.median(v) * 1e3 for k, v in res["times"].items()}
            details["medians_ms"][key] = m
            sv, sm = m["svm naive"] / vec["svm"], m["softmax naive"] / vec["softmax"]
            print(f"{key:30s} {m['svm naive']:10.1f} {sv:8.0f} {m['softmax naive']:14.1f} "
                  f"{sm:8.0f}")
            for loss, speedup in (("svm", sv), ("softmax", sm)):
                rows.append(Row("kernels", f"{loss} naive / vectorized, {res['dtype']}, "
                                f"N={res['N']:,}", speedup, "x speed-up",
                                note=f"naive {m[loss + ' naive']:.1f} ms"))
    if torch_out:
        print("\ntorch: " + torch_out["torch"] + "; " + "; ".join(details["torch"]["blas"]))
        for key, d in tmed.items():
            errs = {k: f"{v:.1e}" for k, v in d.items() if "rel_error" in k}
            if errs:
                print(f"  torch vs reference, {key}: {errs}")
    return rows, details


if __name__ == "__main__":
    sys.exit(main(sys.argv))
