"""Mistakes in eval_numerical_gradient, grad_check_sparse and rel_error (see __init__.py)."""

from __future__ import annotations

from tests.corpus import Case
from tests.corpus.mistakes.pieces import GRAD_CHECK, NUMERICAL, edit

# Messages without a hint for the mistake: what was checked and what differed.
ANY_SHAPE = ("eval_numerical_gradient of sum(A * x**2)", "entries differ")

INVENTED = [
    # ------------------------------------------------------------ numerical gradient
    # One-sided differences are off by ~3xh: fine for a check, wrong at these tolerances.
    Case("numerical_one_sided", "eval_numerical_gradient",
         edit(NUMERICAL, ("        x[index] = original - h\n        f_minus = f(x)\n",
                          "        x[index] = original\n        f_x = f(x)\n"),
              ("(f_plus - f_minus) / (2 * h)", "(f_plus - f_x) / h")),
         fails={"test_numerical_gradient_values", "test_numerical_gradient_any_shape"},
         hint={"test_numerical_gradient_values": "one-sided difference",
               "test_numerical_gradient_any_shape": ANY_SHAPE}),
    # x[index] left at original - h: the test functions are separable, so the values
    # stay right and only the restore check fails.
    Case("numerical_x_not_restored", "eval_numerical_gradient",
         edit(NUMERICAL, ("        x[index] = original\n", "")),
         fails={"test_numerical_gradient_restores_x"}, hint="changed x"),
    Case("numerical_divides_by_h", "eval_numerical_gradient",
         edit(NUMERICAL, ("(f_plus - f_minus) / (2 * h)", "(f_plus - f_minus) / h")),
         fails={"test_numerical_gradient_values", "test_numerical_gradient_any_shape"},
         hint={"test_numerical_gradient_values": "divide by 2h, not h",
               "test_numerical_gradient_any_shape": ANY_SHAPE}),
    Case("numerical_2d_only", "eval_numerical_gradient",
         edit(NUMERICAL, ("    for index in np.ndindex(x.shape):\n",
                          ("    for index in [(i, j) for i in range(x.shape[0])\n"
                          "                  for j in range(x.shape[1])]:\n"))),
         fails={"test_numerical_gradient_any_shape"},
         hint="eval_numerical_gradient raised IndexError"),

    # ------------------------------------------------------------ sparse gradient check
    # Unseeded global draws: every grader call runs in a fresh fork of one process, so
    # they repeat across calls, and seeds 5 and 6 pick the same entries.
    Case("grad_check_unseeded_randint", "grad_check_sparse",
         edit(GRAD_CHECK, ("    rng = np.random.default_rng(seed)\n", ""),
              ("int(rng.integers(n))", "int(np.random.randint(n))")),
         fails={"test_grad_check_sparse_is_reproducible"}, hint="is the seed used?"),
    Case("grad_check_fixed_seed", "grad_check_sparse",
         edit(GRAD_CHECK, ("np.random.default_rng(seed)", "np.random.default_rng(0)")),
         fails={"test_grad_check_sparse_is_reproducible"}, hint="is the seed used?"),
    Case("grad_check_x_not_restored", "grad_check_sparse",
         edit(GRAD_CHECK, ("        x[index] = original\n", "")),
         fails={"test_grad_check_sparse_errors"}, hint="grad_check_sparse changed x"),
    Case("grad_check_signed_error", "grad_check_sparse",
         edit(GRAD_CHECK, ("abs(numerical - analytic) /", "(numerical - analytic) /")),
         fails={"test_grad_check_sparse_errors"},
         hint=("grad_check_sparse's errors for an analytic gradient 1.5x too large",
               "7 of 7 entries differ")),

    # ------------------------------------------------------------ rel_error
    # The handout's grad_check_sparse divides without a floor; the kit grades that floor
    # in rel_error (a real pattern).
    Case("rel_error_no_floor", "rel_error",
         '''
         def rel_error(a, b):
             return float(np.max(np.abs(a - b) / (np.abs(a) + np.abs(b))))
         ''',
         fails={"test_rel_error_of_zeros"},
         hint=("rel_error of two zero arrays", "is nan: 0 / 0"),
         pattern="gradcheck_sparse_rel_error_without_eps", mistake="rel_error_no_floor",
         forks=("DenryDu/cs231n_Assignment1:G@0c6c21a4", "devxpy/cs231n-assignment1:G@e2423c06")),
    Case("rel_error_mean", "rel_error",
         '''
         def rel_error(a, b):
             return float(np.mean(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))
         ''',
         fails={"test_rel_error_values"}, hint="averaged the entries' errors"),
    Case("rel_error_abs_of_sum", "rel_error",
         '''
         def rel_error(a, b):
             return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a + b))))
         ''',
         fails={"test_rel_error_values"}, hint="absolute values in the denominator"),
]

REAL = [
    Case("real_grad_check_returns_nothing", "grad_check_sparse",
         edit(GRAD_CHECK, ("    return errors\n", "")),
         fails={"test_grad_check_sparse_errors", "test_grad_check_sparse_is_reproducible"},
         hint="grad_check_sparse returned None", pattern="gradcheck_returns_nothing",
         mistake="no_return", forks=("DenryDu/cs231n_Assignment1:G@0c6c21a4",
                                     "devxpy/cs231n-assignment1:G@e2423c06",
                                     "timeray/cs231n_assignment1:G@c94d989b")),
]

# Not from the catalogue (it saw no tab in these files; the issue reports them as common in
# copied code): a cell whose indentation mixes a tab and spaces is skipped, and each test of
# what it defines says where and why.
TABS = Case("rel_error_mixed_tabs_and_spaces", "rel_error",
            "def rel_error(a, b):\n\ta = np.asarray(a, dtype=float)\n"
            "        b = np.asarray(b, dtype=float)\n"
            "\treturn float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))\n",
            fails={"test_rel_error_values", "test_rel_error_of_zeros"},
            hint="inconsistent use of tabs and spaces in indentation", mistake="syntax_error")
REAL.append(TABS)
