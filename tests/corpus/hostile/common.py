"""What several hostile cases share: their honest losses and a cell built of parts."""

from __future__ import annotations

import textwrap

from tests.corpus import SPEED_TESTS


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

BROKEN_REL_ERROR = '''
def rel_error(a, b):
    raise RuntimeError("not done yet")
'''
