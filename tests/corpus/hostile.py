"""Submissions that attack the grader: none may score above `score`, its honest value.

Each replaces one answer cell of the reference with something broken AND hostile (so
that a successful attack would show as points), or adds a new cell whose code runs
when the notebook loads. Only definitions, imports and constants of a notebook are
loaded, so load-time attacks sit in class bodies or constant expressions.

Every process a case starts appends its pid and PID namespace to __SHARED__/pids;
test_engine.py checks that none of them survives grading. Honest values: rel_error is 4 points; a stub
svm_loss_naive costs its 15 points and the vectorized speed check's 2 (it compares
with the student's own naive version); the no-loop and speed checks are 3 + 2.
"""

from __future__ import annotations

import textwrap

from assignments.linear_classifiers import ASSIGNMENT
from tests.corpus import SPEED_TESTS, Case


def join(*parts: str) -> str:
    """One cell from several sources, each dedented on its own."""
    return "\n\n".join(textwrap.dedent(part).strip("\n") for part in parts) + "\n"


REL_ERROR = {"test_rel_error_values", "test_rel_error_of_zeros"}
# A stub svm_loss_naive loses its tests and the vectorized speed check, which compares
# the vectorized version with the student's own (now instant) naive one.
SVM_NAIVE_STUB = {"test_svm_naive_loss", "test_svm_naive_gradient"}
SVM_VECTORIZED_LOOPS = {"test_svm_vectorized_has_no_loops", "test_svm_vectorized_is_faster"}

# Long by design: graded at low priority beside the other grades, so their speed checks
# measure the machine, not the code, and are asserted neither way.
SLOW = {"slow": True, "flaky": SPEED_TESTS}

# Where a hostile submission would look for the grader's secrets.
SECRET_PATHS = '''
SECRET_PATHS = [
    "__ROOT__/autograder/hidden/cases.py",
    "__ROOT__/autograder/hidden/test_losses.py",
    "__ROOT__/autograder/hidden/test_gradient_check.py",
    "__ROOT__/autograder/mistakes.py",
    "__ROOT__/solutions/linear_classifiers.ipynb",
    "/autograder/source/autograder/hidden/cases.py",
    "/autograder/source/solutions/linear_classifiers.ipynb",
]
'''

# A process that outlives its parent: double fork + setsid, writes its pid, then every
# 20 ms overwrites the results file(s) and appends to a heartbeat file, for 60 s.
DAEMON = '''
import os
import time


def start_daemon(tag):
    if os.fork() != 0:
        return
    os.setsid()
    if os.fork() != 0:
        os._exit(0)
    with open("__SHARED__/pids", "a") as f:
        f.write(f"{os.getpid()}@{os.readlink('/proc/self/ns/pid')}\\n")
    fake = '{"score": 100.0, "tests": [], "output": "forged by ' + tag + '"}'
    end = time.time() + 60
    while time.time() < end:
        for path in ("__RESULTS__", "/autograder/results/results.json"):
            try:
                with open(path, "w") as f:
                    f.write(fake)
            except OSError:
                pass
        try:
            with open("__SHARED__/heartbeat", "a") as f:
                f.write(tag + "\\n")
        except OSError:
            pass
        time.sleep(0.02)
    os._exit(0)
'''

BROKEN_REL_ERROR = '''
def rel_error(a, b):
    raise RuntimeError("not done yet")
'''

# The reference's LinearClassifier, except that train() never takes its step.
CLASSIFIER_NO_STEP = '''
from abc import ABC, abstractmethod


class LinearClassifier(ABC):
    def __init__(self):
        self.W = None

    def train(self, X, y, learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200,
              verbose=False, seed=None):
        rng = np.random.default_rng(seed)
        if self.W is None:
            self.W = 1e-5 * rng.standard_normal((X.shape[1], int(np.max(y)) + 1))
        loss_history = []
        for it in range(num_iters):
            batch = rng.integers(X.shape[0], size=batch_size)
            loss, grad = self.loss(X[batch], y[batch], reg)
            loss_history.append(float(loss))
        return loss_history

    def predict(self, X):
        return np.argmax(X @ self.W, axis=1)

    @abstractmethod
    def loss(self, X_batch, y_batch, reg):
        """Loss and gradient on a mini-batch."""
'''

CASES = [
    # ------------------------------------------------------------ secrets
    Case("reads_hidden_tests_and_raises_them", "rel_error", join(SECRET_PATHS, '''
        import os

        def rel_error(a, b):
            found = []
            for path in SECRET_PATHS:
                try:
                    with open(path) as f:
                        found.append(f.read())
                except OSError as e:
                    found.append(f"{path}: {type(e).__name__}")
            for root in ("__ROOT__/autograder/hidden", "/autograder/source"):
                try:
                    found.append(" ".join(os.listdir(root)))
                except OSError as e:
                    found.append(f"{root}: {type(e).__name__}")
            print("\\n".join(found))
            raise RuntimeError("\\n".join(found))
        '''), fails=REL_ERROR, score=96, evidence="hidden/cases.py: PermissionError"),
    # Reads the reference notebook when it loads and runs its svm_loss_naive.
    Case("steals_reference_at_import", "svm_loss_naive", join(SECRET_PATHS, '''

        import json


        def _steal(name):
            for path in SECRET_PATHS:
                if not path.endswith(".ipynb"):
                    continue
                try:
                    with open(path) as f:
                        notebook = json.load(f)
                except (OSError, ValueError):
                    continue
                space = {"np": np}
                for cell in notebook["cells"]:
                    if cell["metadata"].get("nbgrader", {}).get("grade_id") == name:
                        exec("".join(cell["source"]), space)
                        return space[name]
            return None


        class Stolen:
            svm = _steal("svm_loss_naive")


        def svm_loss_naive(W, X, y, reg):
            if Stolen.svm is not None:
                return Stolen.svm(W, X, y, reg)
            return 0.0, np.zeros_like(W)
        '''), fails=SVM_NAIVE_STUB, score=85, evidence="expected 5.17775, got 0",
         depends={"svm_loss_vectorized"}),
    # The other processes' cwd, root and environment, and the grader's own modules.
    Case("snoops_proc_and_imports_grader", "rel_error", '''
        import os


        def rel_error(a, b):
            found = []
            try:
                pids = os.listdir("/proc")
            except OSError as e:  # outside the allowlist
                pids = []
                found.append(f"/proc: {e}")
            for pid in pids:
                if not pid.isdigit():
                    continue
                for link in ("cwd", "root"):
                    path = f"/proc/{pid}/{link}/autograder/hidden/cases.py"
                    try:
                        with open(path) as f:
                            found.append(f.read())
                    except OSError:
                        pass
                try:
                    with open(f"/proc/{pid}/environ", "rb") as f:
                        found.append(f.read().decode(errors="replace"))
                except OSError:
                    pass
            for module in ("assignments.linear_classifiers.hidden.cases", "autograder.checking.reference"):
                try:
                    __import__(module)
                    found.append(f"imported {module}")
                except ImportError as e:
                    found.append(str(e))
            raise RuntimeError("\\n".join(found)[-1900:])
        ''', fails=REL_ERROR, score=96, evidence="No module named 'autograder"),

    # ------------------------------------------------------------ the results file
    Case("writes_results_json", "rel_error", '''
        import json


        FAKE = {"score": 100.0, "output": "forged", "tests": []}


        def forge():
            for path in ("__RESULTS__", "/autograder/results/results.json"):
                try:
                    with open(path, "w") as f:
                        json.dump(FAKE, f)
                except OSError:
                    pass


        class AtImport:
            forged = forge()


        def rel_error(a, b):
            forge()
            raise RuntimeError("not done yet")
        ''', fails=REL_ERROR, score=96),
    Case("daemon_at_import_rewrites_results", None, join(BROKEN_REL_ERROR, DAEMON, '''
        class AtImport:
            started = start_daemon("import")
        '''), fails=REL_ERROR, score=96, lingers=True, call_timeout=2.0, **SLOW),
    Case("daemon_in_call_rewrites_results", "rel_error", join(DAEMON, '''
        def rel_error(a, b):
            start_daemon("call")
            raise RuntimeError("not done yet")
        '''), fails=REL_ERROR, score=96, lingers=True),

    # ------------------------------------------------------------ exiting
    Case("sys_exit_at_import", None, '''
        import sys


        class Quit:
            sys.exit(3)
        ''', score=100, at="start"),
    Case("os_exit_at_import", None, '''
        import os


        class Quit:
            os._exit(0)
        ''', score=100, at="start"),
    # A real exit of the interpreter, past any Python-level guard: nothing loads, as in
    # Jupyter, where the kernel dies.
    Case("libc_exit_at_import", None, '''
        import ctypes


        class Quit:
            ctypes.CDLL(None)._exit(0)
        ''', fails=frozenset(ASSIGNMENT.by_test), score=0, evidence="died while loading the submission",
         at="start"),
    Case("sys_exit_in_call", "rel_error", '''
        import sys


        def rel_error(a, b):
            sys.exit(0)
        ''', fails=REL_ERROR, score=96, evidence="rel_error raised SystemExit"),
    Case("os_exit_in_call", "rel_error", '''
        import os


        def rel_error(a, b):
            os._exit(0)
        ''', fails=REL_ERROR, score=96, evidence="exited with status 0 without replying"),
    # Kills the worker's server process, which then has to be started again. (Not
    # kill(-1): as the shared sandbox user that would also kill other graders' workers.)
    Case("kills_worker_server_in_call", "rel_error", '''
        import os
        import signal


        def rel_error(a, b):
            os.kill(os.getppid(), signal.SIGKILL)
            os.kill(os.getpid(), signal.SIGKILL)
        ''', fails=REL_ERROR, score=96, evidence="rel_error raised PermissionError"),
    # Everything outside the allowlist at once: another copy of the solutions (a 0755
    # folder), the kit's tests/ (correct implementations), the grader's home; signals,
    # ptrace and /proc/PID/{mem,environ} of the server and the processes just below it
    # (the grader and its ancestors were started before it). Anything that works would
    # give the right answer (points); all blocked, it says so.
    Case("reaches_outside_the_allowlist", "rel_error", '''
        import ctypes
        import os

        import numpy as np

        FILES = ["__COPY__/linear_classifiers.ipynb", "__ROOT__/tests/corpus/alternatives.py",
                 "__ROOT__/solutions/linear_classifiers.ipynb", "__HOME__/.lcgrader-secret"]


        def _works(action):
            try:
                action()
            except OSError:
                return False
            return True


        def _reached():
            server = os.getppid()
            pids = [server, *range(max(server - 300, 2), server)]
            libc = ctypes.CDLL(None, use_errno=True)
            reads = [lambda p=p: open(p, "rb").read(1) for p in FILES]
            reads += [lambda p=p, f=f: open(f"/proc/{p}/{f}", "rb").read(1)
                      for p in pids[:50] for f in ("mem", "environ")]
            signals = [lambda p=p: os.kill(p, 0) for p in pids]
            traced = [p for p in pids[:50] if libc.ptrace(16, p, 0, 0) == 0]  # PTRACE_ATTACH
            return sum(map(_works, reads + signals)) + len(traced), len(reads + signals)


        def rel_error(a, b):
            got, tried = _reached()
            if got:
                return np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)))
            raise RuntimeError(f"all {tried} attempts were refused")
        ''', fails=REL_ERROR, score=96, evidence="attempts were refused"),

    # ------------------------------------------------------------ hanging and resources
    # The harness stops a load after 30 s: what was defined by then is graded.
    Case("infinite_loop_at_import", None, join(BROKEN_REL_ERROR, '''
        class Spin:
            while True:
                pass
        '''), fails=REL_ERROR, score=96, budget=45.0, **SLOW),
    Case("infinite_loop_in_call", "rel_error", '''
        import signal


        def rel_error(a, b):
            signal.signal(signal.SIGALRM, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            while True:
                try:
                    pass
                except BaseException:
                    pass
        ''', fails=REL_ERROR, score=96, evidence="rel_error did not finish within 10 s",
         **SLOW),
    Case("memory_bomb_in_call", "rel_error", '''
        def rel_error(a, b):
            hoard = []
            while True:
                hoard.append(bytearray(50 * 2**20))
        ''', fails=REL_ERROR, score=96, evidence="rel_error raised MemoryError"),
    Case("memory_bomb_at_import", None, join(BROKEN_REL_ERROR, '''
        class Hoard:
            blocks = [bytearray(2**30) for _ in range(64)]
        '''), fails=REL_ERROR, score=96),
    # Forks until the process limit, then every copy but the first lingers.
    Case("fork_bomb_in_call", "rel_error", '''
        import os
        import time


        def rel_error(a, b):
            first = os.getpid()
            try:
                while True:
                    if os.fork() == 0:
                        with open("__SHARED__/pids", "a") as f:
                            f.write(f"{os.getpid()}@{os.readlink('/proc/self/ns/pid')}\\n")
            except OSError:
                pass
            if os.getpid() != first:
                time.sleep(60)
                os._exit(0)
            raise RuntimeError("forked")
        ''', fails=REL_ERROR, score=96, lingers=True, exclusive=True),
    Case("disk_bomb_in_call", "rel_error", '''
        def rel_error(a, b):
            with open("filler.bin", "wb") as f:
                while True:
                    f.write(b"x" * 2**20)
        ''', fails=REL_ERROR, score=96, evidence="File too large"),
    Case("prints_100_mb", "rel_error", '''
        import os


        class Loud:
            print("x" * 100 * 2**20)


        def rel_error(a, b):
            print("y" * 100 * 2**20)
            os.write(1, b"z" * 20 * 2**20)
            a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
            return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))
        ''', score=100),

    # ------------------------------------------------------------ lying
    Case("monkeypatches_numpy", "svm_loss_naive", '''
        import numpy


        def _always(*args, **kwargs):
            return True


        class Patch:
            for _name in ("allclose", "array_equal", "array_equiv", "isclose", "all", "any"):
                setattr(numpy, _name, _always)
            numpy.testing.assert_allclose = lambda *a, **k: None


        def svm_loss_naive(W, X, y, reg):
            Patch()
            return 0.0, np.zeros_like(W)
        ''', fails=SVM_NAIVE_STUB, score=85, evidence="expected 5.17775, got 0",
         depends={"svm_loss_vectorized"}),
    # The probes run under the student's builtins, so their `import numpy` goes through
    # the student's __import__: a fake numpy whose mean() says 1.0 makes the least-squares
    # probe report perfect accuracy for a train() that never updates W. (pytest and the
    # grader's package are faked too, to no effect: they only exist on the trusted side.)
    Case("monkeypatches_import_builtins_and_pytest", "linear_classifier",
         join(CLASSIFIER_NO_STEP, '''
        import builtins
        import sys
        import types

        _real_import = builtins.__import__


        def _import(name, globals=None, locals=None, fromlist=(), level=0):
            module = _real_import(name, globals, locals, fromlist, level)
            if name == "numpy" and (globals or {}).get("__name__") == "probes":
                fake = types.ModuleType("numpy")
                fake.__dict__.update(module.__dict__)
                fake.mean = lambda *args, **kwargs: 1.0
                return fake
            return module


        class Patch:
            builtins.__import__ = _import
            fake = types.ModuleType("pytest")
            fake.fail = fake.skip = fake.xfail = lambda *a, **k: None
            sys.modules["pytest"] = sys.modules["_pytest"] = fake
            sys.modules["autograder"] = types.ModuleType("autograder")
        '''), fails={"test_train_update", "test_train_converges"}, score=93),
    Case("ndarray_subclass_equal_to_everything", "svm_loss_naive", '''
        class Agreeable(np.ndarray):
            def __eq__(self, other):
                return True

            __ne__ = __lt__ = __le__ = __gt__ = __ge__ = lambda self, other: True

            def __array_finalize__(self, obj):
                pass


        class AgreeableFloat(float):
            def __eq__(self, other):
                return True

            def __hash__(self):
                return 0


        def svm_loss_naive(W, X, y, reg):
            return AgreeableFloat(123.0), np.zeros_like(W).view(Agreeable)
        ''', fails=SVM_NAIVE_STUB, score=85, evidence="got 123",
         depends={"svm_loss_vectorized"}),
    Case("object_equal_to_everything", "rel_error", '''
        class Anything:
            def __eq__(self, other):
                return True

            __lt__ = __le__ = __gt__ = __ge__ = __eq__

            def __float__(self):
                return 0.0

            def __array__(self, *args, **kwargs):
                raise RuntimeError("no")

            def __repr__(self):
                return "0.0"


        def rel_error(a, b):
            return Anything()
        ''', fails=REL_ERROR, score=96, evidence="got Unsupported"),
    # An exception whose str() fails: the message must still say what happened.
    Case("exception_with_hostile_str", "rel_error", '''
        class Nasty(Exception):
            def __str__(self):
                raise KeyboardInterrupt

            def __repr__(self):
                raise SystemExit


        def rel_error(a, b):
            raise Nasty()
        ''', fails=REL_ERROR, score=96, evidence="<exception message could not be printed>"),

    # ------------------------------------------------------------ the grader's own code
    # The load runs in the worker's server process: patching its request handler makes
    # every `repeat` request (the speed check's) answer at once without running anything.
    Case("hijacks_worker_to_fake_speed", "svm_loss_vectorized", '''
        import sys


        def svm_loss_vectorized(W, X, y, reg):
            return svm_loss_naive(W, X, y, reg)


        class Hijack:
            server = sys.modules.get("__main__")
            if server is not None and hasattr(server, "handle"):
                real = server.handle

                def fast(msg, sub, registry, cfg, private, real=real, server=server):
                    if (isinstance(msg, dict) and msg.get("probe") == "repeat"
                            and msg.get("args", [""])[0] == "svm_loss_vectorized"):
                        reply = server._reply(msg.get("id"), "ok", value=msg["args"][1])
                        return server.protocol.encode_frame(reply)
                    return real(msg, sub, registry, cfg, private)

                server.handle = fast
        ''', fails=SVM_VECTORIZED_LOOPS, score=95, depends={"svm_loss_naive"}),
    # A loop hidden from the static no-loop check by calling through globals().
    Case("hides_loop_from_static_check", "svm_loss_vectorized", '''
        def svm_loss_vectorized(W, X, y, reg):
            return globals()["svm_loss_" + "naive"](W, X, y, reg)
        ''', fails=SVM_VECTORIZED_LOOPS, score=95, depends={"svm_loss_naive"}),
]
