"""Cases that read what the worker must not: the hidden tests, the reference, other processes."""

from __future__ import annotations

from tests.corpus import Case
from tests.corpus.hostile.common import REL_ERROR, SVM_NAIVE_STUB, join

# Where a hostile submission would look for the grader's secrets.
SECRET_PATHS = '''
SECRET_PATHS = [
    "__ROOT__/assignments/linear_classifiers/hidden/cases.py",
    "__ROOT__/assignments/linear_classifiers/hidden/test_losses.py",
    "__ROOT__/assignments/linear_classifiers/hidden/test_gradient_check.py",
    "__ROOT__/assignments/linear_classifiers/mistakes.py",
    "__ROOT__/solutions/linear_classifiers.ipynb",
    "/autograder/source/assignments/linear_classifiers/hidden/cases.py",
    "/autograder/source/solutions/linear_classifiers.ipynb",
]
'''

CASES = [
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
            for root in ("__ROOT__/assignments/linear_classifiers/hidden", "/autograder/source"):
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
                    path = f"/proc/{pid}/{link}/assignments/linear_classifiers/hidden/cases.py"
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
]
