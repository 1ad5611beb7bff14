"""The grading engine: one package per stage, in the order data flows through them.

intake/ -> sandbox/ (and worker/, inside the untrusted process) -> checking/ -> report/,
declared in grade.py; batch/ grades a class, integrations/ speaks Gradescope and nbgrader.
What it grades comes from an assignment's folder (spec.py): the engine names no homework.
"""

# What pins every BLAS and OpenMP to one thread: the grader's products are tiny, and idle
# BLAS threads spinning beside the worker cost a third of a batch's CPU time. Set before
# numpy loads, in the grader (__main__.py, a Dask worker's grading processes: batch/jobs.py)
# and in the worker (sandbox/isolation/env.py).
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")
