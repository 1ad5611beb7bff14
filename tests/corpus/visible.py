"""What the notebook's visible checks must say about each mistake of the corpus.

tests/test_visible_coverage.py runs every single-function mistake of mistakes/, and the
few of EXTRA below, through the notebook's check cells in a real kernel. Each case must make a visible check fail (the cell it replaces, or the check
cell after it, raises), except those in MISSES; NAMED gives, per case, the text the
error output must contain for its message to count as naming the mistake (the text of
CheckFailed's message, or of the student's own error and the line it shows). A case in
neither NAMED nor EXCLUDED fails but without a message that names the mistake.
"""

from __future__ import annotations

from tests.corpus import Case
from tests.corpus.mistakes.pieces import CLASSIFIER, SVM_NAIVE, SVM_VECTORIZED, edit

# The misses the issue found in the old checks, and the aliasing that blamed another cell.
EXTRA = [
    Case("visible_train_reinitialises_w", "linear_classifier",
         edit(CLASSIFIER, ("        if self.W is None:\n            num_classes",
                           "        if True:\n            num_classes"))),
    Case("visible_train_history_after_update", "linear_classifier",
         edit(CLASSIFIER, ("loss_history.append(float(loss))",
                           "loss_history.append(float(self.loss(X_batch, y_batch, reg)[0]))"))),
    Case("visible_train_double_step", "linear_classifier",
         edit(CLASSIFIER, ("            self.W -= learning_rate * grad\n",
                           "            self.W -= learning_rate * grad\n" * 2))),
    Case("visible_svm_naive_gradient_all_margins", "svm_loss_naive",
         edit(SVM_NAIVE, ("                dW[:, j] += X[i]\n                dW[:, y[i]] -= X[i]\n",
                          "            dW[:, j] += X[i]\n            dW[:, y[i]] -= X[i]\n"))),
    Case("visible_svm_vectorized_aliases_w", "svm_loss_vectorized",
         edit(SVM_VECTORIZED, ("    dW = X.T @ G / num_train + 2 * reg * W\n",
                               "    dW = W\n    dW *= 2 * reg\n    dW += X.T @ G / num_train\n"))),
]

_LOOPS = "loops: only the grader reads the source; the values are right"
# Cases left out of the denominator, each with its reason.
EXCLUDED = {
    "svm_vectorized_for_loop_over_classes": _LOOPS,
    "svm_vectorized_list_comprehension": _LOOPS,
    "svm_vectorized_np_vectorize": _LOOPS,
    "svm_vectorized_helper_with_loop": _LOOPS,
    "svm_vectorized_loop_in_helper_class": _LOOPS,
    "svm_vectorized_calls_naive": _LOOPS,
    "softmax_vectorized_loop_over_rows": _LOOPS,
    "softmax_vectorized_calls_naive": _LOOPS,
    "real_svm_vectorized_loop_gathers_scores": _LOOPS,
}

# Cases that make no visible check fail (counted in the denominator).
MISSES: dict[str, str] = {}

# case id -> the text its failure output must contain.
NAMED = {
    "svm_naive_no_reg": "lacks the regularization term",
    "svm_naive_half_reg": "the convention 0.5 * reg * sum(W**2)",
    "svm_naive_reg_grad_not_doubled": "is 2 * reg * W, not reg * W",
    "svm_naive_reg_over_n": "regularization term is divided by N",
    "svm_naive_loss_not_averaged": "summed over the N = 5 examples",
    "svm_naive_grad_not_averaged": "gradient is summed over the examples",
    "svm_naive_counts_true_class": "also counts j = y_i",
    "svm_naive_no_true_class_gradient": "-x_i for each of them at the true class",
    "svm_naive_gradient_sign": "the gradient has the wrong sign",
    "svm_naive_index_typo": "dW[:, y[i]] -= X[j]",
    "svm_vectorized_keeps_true_class": "also counts j = y_i",
    "svm_vectorized_loss_not_averaged": "summed over the N = 5 examples",
    "softmax_naive_no_max_shift": "exp overflows",
    "softmax_naive_global_max": "each row's own maximum",
    "softmax_naive_gradient_p": "uses p instead of p - onehot(y)",
    "softmax_naive_gradient_sign": "the gradient has the wrong sign",
    "softmax_naive_no_reg": "lacks the regularization term",
    "softmax_naive_grad_not_averaged": "gradient is summed over the examples",
    "softmax_naive_log10": "np.log10",
    "softmax_vectorized_no_max_shift": "exp overflows",
    "softmax_vectorized_global_max": "each row's own maximum",
    "softmax_vectorized_onehot_p": "uses p instead of p - onehot(y)",
    "softmax_vectorized_half_reg": "the convention 0.5 * reg * sum(W**2)",
    "numerical_one_sided": "a one-sided difference",
    "numerical_x_not_restored": "restore x[index]",
    "numerical_divides_by_h": "2.0x the expected value (too large)",
    "numerical_2d_only": "whatever its number of dimensions",
    "grad_check_unseeded_randint": "two calls with seed=7 checked different ones",
    "grad_check_fixed_seed": "seeds 7 and 8 checked the same ones",
    "grad_check_x_not_restored": "restore x[index]",
    "grad_check_signed_error": "take the absolute value",
    "rel_error_no_floor": "divide by max(1e-8, |a| + |b|)",
    "rel_error_mean": "errors are averaged",
    "rel_error_abs_of_sum": "the denominator is |a + b|",
    "train_rows_and_labels_differ": "index X and y with the same indices",
    "train_without_replacement": "with replacement",
    "train_adds_gradient": "you added the gradient",
    "train_no_learning_rate": "ignores the learning rate",
    "train_history_not_appended": "append the loss of every iteration",
    "train_history_lagged": "lags one step behind",
    "train_history_appends_gradient": "the loss that self.loss returned",
    "train_global_random_state": "np.random.default_rng(seed)",
    "predict_argmax_without_axis": "np.argmax without axis",
    "predict_argmax_axis_0": "argmax over axis=0",
    "predict_returns_floats": "labels are integers",
    "predict_returns_scores": "these are the scores",
    "predict_argmin": "predicts the lowest score",
    "real_svm_vectorized_reg_grad_not_doubled": "is 2 * reg * W, not reg * W",
    "real_svm_vectorized_half_reg": "the convention 0.5 * reg * sum(W**2)",
    "real_svm_vectorized_no_reg_gradient": "lacks the regularization term",
    "real_svm_vectorized_loss_without_reg": "lacks the regularization term",
    "real_svm_vectorized_reg_grad_over_n": "regularization term is divided by N",
    "real_svm_naive_reg_in_example_loop": "added once per example",
    "real_svm_vectorized_correct_score_not_indexed": "own true-class score",
    "real_svm_vectorized_bool_indicator": "a boolean array cannot hold",
    "real_svm_vectorized_ten_classes": "np.ones((1, 10))",
    "real_svm_naive_gradient_left_at_zero": "dW is never filled in",
    "real_svm_vectorized_stub": "looks unfinished",
    "real_svm_naive_xrange": "name 'xrange' is not defined",
    "real_softmax_naive_log_of_probability": "use log-sum-exp",
    "real_softmax_vectorized_log_of_probability": "use log-sum-exp",
    "real_softmax_vectorized_onehot_log_matrix": "use log-sum-exp",
    "real_softmax_vectorized_no_log": "the loss is -log p_yi",
    "real_softmax_naive_denominator": "leaves out the true class",
    "real_softmax_vectorized_reg_grad_not_doubled": "is 2 * reg * W, not reg * W",
    "real_softmax_naive_half_reg": "the convention 0.5 * reg * sum(W**2)",
    "real_softmax_naive_gradient_left_at_zero": "dW is never filled in",
    "real_softmax_vectorized_stub": "looks unfinished",
    "real_train_no_update": "W did not change",
    "real_predict_zeros_of_length_d": "looks unfinished",
    "real_predict_only_in_a_subclass": "looks unfinished",
    "real_train_python2_print": "Missing parentheses in call to 'print'",
    "real_grad_check_returns_nothing": "no `return errors`",
    "rel_error_mixed_tabs_and_spaces": "inconsistent use of tabs and spaces",
    "visible_train_reinitialises_w": "create it only when self.W is None",
    "visible_train_history_after_update": "recorded after the update",
    "visible_train_double_step": "the step is applied twice",
    "visible_svm_naive_gradient_all_margins": "counts margins that are not positive",
    "visible_svm_vectorized_aliases_w": "must be left unchanged",
}
