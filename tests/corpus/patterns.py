"""Mistakes seen in real student code: public CS231n assignment-1 forks.

Each case stands for one pattern of the research catalogue written for issue 11 (a
reading of the stored public copies of linear_svm.py, softmax.py, linear_classifier.py
and gradient_check.py of 55 forks): `pattern` is the catalogue's id, `forks` where it
was seen (owner/repo:file@first 8 hex digits of the commit read), `mistake` the id the
grader should name. Every case is written here, on the kit's own reference pieces, in
the kit's conventions: the facts of a pattern carry over, none of a fork's code does.
Cases of tests/corpus/mistakes.py that stand for a pattern get it in ANNOTATIONS.

File names: P = cs231n/classifiers/linear_svm.py, S = cs231n/classifiers/softmax.py,
L = cs231n/classifiers/linear_classifier.py, G = cs231n/gradient_check.py.
"""

from __future__ import annotations

import dataclasses

from tests.corpus import Case
from tests.corpus.mistakes import (
    CLASSIFIER,
    GRAD_CHECK,
    NOT_FIRST,
    SOFTMAX_N,
    SOFTMAX_NAIVE,
    SOFTMAX_VECTORIZED,
    SVM_N,
    SVM_NAIVE,
    SVM_VECTORIZED,
    edit,
)

SVM_V = {"test_svm_vectorized_loss", "test_svm_vectorized_gradient"}
SVM_V_STYLE = {"test_svm_vectorized_has_no_loops": NOT_FIRST,
               "test_svm_vectorized_is_faster": NOT_FIRST}
SOFTMAX_V_STYLE = {"test_softmax_vectorized_has_no_loops": NOT_FIRST,
                   "test_softmax_vectorized_is_faster": NOT_FIRST}
TRAIN = {"test_train_batches", "test_train_update", "test_train_history",
         "test_train_is_reproducible", "test_train_continues", "test_train_converges",
         "test_predict"}
STUB = "looks unfinished"


def svm_vectorized(case_id: str, source: str, fails: set[str], hint: dict, **real) -> Case:
    """A wrong svm_loss_vectorized: its style checks also fail (they need right values)."""
    return Case(case_id, "svm_loss_vectorized", source, fails=fails | set(SVM_V_STYLE),
                hint={**hint, **SVM_V_STYLE}, **real)


def softmax_vectorized(case_id: str, source: str, fails: set[str], hint: dict, **real) -> Case:
    return Case(case_id, "softmax_loss_vectorized", source,
                fails=fails | set(SOFTMAX_V_STYLE), hint={**hint, **SOFTMAX_V_STYLE}, **real)


CASES = [
    # ------------------------------------------------------------ SVM
    svm_vectorized("real_svm_vectorized_reg_grad_not_doubled",
                   edit(SVM_VECTORIZED, ("+ 2 * reg * W", "+ reg * W")),
                   {"test_svm_vectorized_gradient"},
                   {"test_svm_vectorized_gradient": "2 * reg * W"},
                   pattern="svm_grad_reg_without_2", mistake="reg_grad_not_doubled",
                   forks=("AhmedKhaledS/CS231n-Assignment-1:P@12f6e6e6",
                          "YnHong/cs231n_assignment1:P@4ac55872")),
    # The naive version right, the vectorized one on the 0.5 convention.
    svm_vectorized("real_svm_vectorized_half_reg",
                   edit(SVM_VECTORIZED, ("+ reg * np.sum(W * W)", "+ 0.5 * reg * np.sum(W * W)"),
                        ("+ 2 * reg * W", "+ reg * W")),
                   SVM_V, {t: "0.5 * reg * sum(W**2) with gradient reg * W" for t in SVM_V},
                   pattern="svm_naive_vectorized_reg_disagree", mistake="half_reg_convention",
                   forks=("aluckyi/cs231n-assignment1:P@5de3b70a",
                          "LibraryPolice/CS231N:P@2ccffc72", "Messi-Q/cs231n-assignment1:P@c08e2e52")),
    svm_vectorized("real_svm_vectorized_no_reg_gradient",
                   edit(SVM_VECTORIZED, (" + 2 * reg * W", "")),
                   {"test_svm_vectorized_gradient"},
                   {"test_svm_vectorized_gradient": "lacks the regularization term's gradient"},
                   pattern="svm_grad_reg_missing", mistake="no_reg_grad",
                   forks=("AdvaitKoparkar/CS231n-Assignment1:P@0e3c3f57",)),
    svm_vectorized("real_svm_vectorized_loss_without_reg",
                   edit(SVM_VECTORIZED, (" + reg * np.sum(W * W)", "")),
                   {"test_svm_vectorized_loss"},
                   {"test_svm_vectorized_loss": "without the regularization term"},
                   pattern="svm_loss_reg_missing", mistake="no_reg",
                   forks=("akjc205/cs231n:P@da69efbd",)),
    # The regularization gradient added before the division by N.
    svm_vectorized("real_svm_vectorized_reg_grad_over_n",
                   edit(SVM_VECTORIZED, ("X.T @ G / num_train + 2 * reg * W",
                                         "(X.T @ G + 2 * reg * W) / num_train")),
                   {"test_svm_vectorized_gradient"},
                   {"test_svm_vectorized_gradient": "regularization gradient is divided by N"},
                   pattern="svm_grad_reg_divided_by_N", mistake="reg_grad_over_n",
                   forks=("SlightlyCyborg/cs231n-assignment1:P@1c95d5fe",)),
    # Each example's share divided by N in the loop, and the regularization added there
    # too: N times reg * sum(W**2) and 2 * N * reg * W; right at N = 1 only.
    Case("real_svm_naive_reg_in_example_loop", "svm_loss_naive",
         edit(SVM_NAIVE, (("                loss += margin\n                dW[:, j] += X[i]\n"
                          "                dW[:, y[i]] -= X[i]\n"),
                          ("                loss += margin / num_train\n"
                          "                dW[:, j] += X[i] / num_train\n"
                          "                dW[:, y[i]] -= X[i] / num_train\n")),
              (("    loss /= num_train\n    dW /= num_train\n    loss += reg * np.sum(W * W)\n"
               "    dW += 2 * reg * W\n"), ""),
              ("        correct_class_score = scores[y[i]]\n",
               ("        correct_class_score = scores[y[i]]\n"
               "        loss += reg * np.sum(W * W)\n        dW += 2 * reg * W\n"))),
         fails=SVM_N, hint={"test_svm_naive_loss": "counted N = ",
                            "test_svm_naive_gradient": "2 * N * reg * W"},
         pattern="svm_reg_inside_example_loop", mistake="reg_grad_times_n",
         forks=("JoeHowarth/kNN-SVM-SoftMax-2NN:P@5a5763a6",
                "SlightlyCyborg/cs231n-assignment1:P@1c95d5fe")),
    svm_vectorized("real_svm_vectorized_correct_score_not_indexed",
                   edit(SVM_VECTORIZED, ("scores - scores[rows, y][:, None] + 1.0",
                                         "scores - scores + 1.0")),
                   SVM_V, {"test_svm_vectorized_loss": "whatever W is",
                           "test_svm_vectorized_gradient": "entries differ"},
                   pattern="svm_correct_score_not_indexed_by_label",
                   mistake="svm_correct_score_row", forks=("NamJiii/cs231n:P@d6d115e0",)),
    svm_vectorized("real_svm_vectorized_bool_indicator",
                   edit(SVM_VECTORIZED, ("G = (margins > 0).astype(float)", "G = margins > 0")),
                   {"test_svm_vectorized_gradient"},
                   {"test_svm_vectorized_gradient": "writing -count into a boolean array"},
                   pattern="svm_bool_indicator_holds_counts", mistake="svm_bool_indicator",
                   forks=("Hamdy10024/CS231-Assignment1:P@10210604",)),
    # Ten classes hard-wired: right for C = 10 only. The grader names no mistake for it:
    # the message shows the error and the input (a miss in the coverage figure).
    svm_vectorized("real_svm_vectorized_ten_classes",
                   edit(SVM_VECTORIZED, ("scores[rows, y][:, None]",
                                         "scores[rows, y][:, None] * np.ones((1, 10))")),
                   # every failing input told: 4 of the 5 (C = 10 passes), one line each
                   SVM_V, {t: ("4 inputs fail.", "raised ValueError", "Also:\n - ")
                           for t in SVM_V},
                   pattern="svm_hardcoded_num_classes",
                   forks=("FengYen-Chang/cs231n-assignment-1:P@8a84ef12",)),
    Case("real_svm_naive_gradient_left_at_zero", "svm_loss_naive",
         edit(SVM_NAIVE, ("                dW[:, j] += X[i]\n                dW[:, y[i]] -= X[i]\n",
                          ""), ("    dW /= num_train\n", ""), ("    dW += 2 * reg * W\n", "")),
         fails={"test_svm_naive_gradient"}, hint="dW is never filled in",
         pattern="svm_grad_not_computed", mistake="grad_not_computed",
         forks=("GitXuY/cs231n:P@a1a88dcb", "LUKELIEM/CS231N-Assignment-1:P@5b026d6c")),
    svm_vectorized("real_svm_vectorized_stub", '''
                   def svm_loss_vectorized(W, X, y, reg):
                       loss = 0.0
                       dW = np.zeros(W.shape)
                       return loss, dW
                   ''', SVM_V, {t: STUB for t in SVM_V},
                   pattern="svm_vectorized_unfinished", mistake="unfinished",
                   forks=("7pao/cs231n_assignment1:P@e6f650ab", "Ecalzo/cs231n2017-python3:P@1b93c700",
                          "ArthurSav/cs231n:P@12280081")),
    # The true classes' scores gathered in a Python loop; the rest loop-free. About 50x
    # faster than the loop version per example: the speed check passes.
    Case("real_svm_vectorized_loop_gathers_scores", "svm_loss_vectorized",
         edit(SVM_VECTORIZED, ("scores[rows, y][:, None]",
                               "np.array([scores[i, y[i]] for i in range(num_train)])[:, None]")),
         fails={"test_svm_vectorized_has_no_loops"}, hint="a list comprehension",
         pattern="svm_vectorized_keeps_python_loops", mistake="python_loops",
         forks=("592McAvoy/cs231n-assignment1:P@0423c273", "Juna2/CS231n-Assignment-1:P@bd8d13fd")),
    Case("real_svm_naive_xrange", "svm_loss_naive",
         edit(SVM_NAIVE, ("for i in range(num_train)", "for i in xrange(num_train)")),
         fails=SVM_N, hint="xrange is Python 2", pattern="py2_bare_xrange", mistake="python2",
         forks=("AliceKa/stanford_cs231n:P@00d4244f", "LUKELIEM/CS231N-Assignment-1:P@5b026d6c",
                "TheRevanchist/ANN-SVM-Combo:P@a1c7df61")),

    # ------------------------------------------------------------ softmax
    Case("real_softmax_naive_log_of_probability", "softmax_loss_naive",
         edit(SOFTMAX_NAIVE, ("        loss += log_sum_exp - scores[y[i]]\n",
                              ("        p = np.exp(scores) / np.sum(np.exp(scores))\n"
                              "        loss += -np.log(p[y[i]])\n"))),
         fails={"test_softmax_naive_is_stable"}, hint="log-sum-exp",
         pattern="softmax_log_of_normalised_prob", mistake="log_of_probability",
         forks=("AhmedKhaledS/CS231n-Assignment-1:S@12f6e6e6",
                "Coldplayplay/assignment1:S@3aa450ea", "Jumabek/cs231n-assignment1:S@7310aa81")),
    Case("real_softmax_vectorized_log_of_probability", "softmax_loss_vectorized",
         edit(SOFTMAX_VECTORIZED, ("np.mean(np.log(sums[:, 0]) - scores[rows, y])",
                                   "-np.mean(np.log(probs[rows, y] / sums[:, 0]))")),
         fails={"test_softmax_vectorized_is_stable"}, hint="log-sum-exp",
         pattern="softmax_log_of_normalised_prob", mistake="log_of_probability",
         forks=("Coldplayplay/assignment1:S@3aa450ea", "Jumabek/cs231n-assignment1:S@7310aa81")),
    # -sum(onehot * log P) over the whole matrix: 0 * log(0) = nan once any probability
    # underflows.
    Case("real_softmax_vectorized_onehot_log_matrix", "softmax_loss_vectorized",
         edit(SOFTMAX_VECTORIZED,
              (("    loss = np.mean(np.log(sums[:, 0]) - scores[rows, y]) + reg * np.sum(W * W)\n"
               "    probs /= sums\n"),
               ("    probs /= sums\n    onehot = np.eye(W.shape[1])[y]\n"
               "    loss = -np.sum(onehot * np.log(probs)) / num_train + reg * np.sum(W * W)\n"))),
         fails={"test_softmax_vectorized_is_stable"}, hint="log-sum-exp",
         pattern="softmax_onehot_times_log_full_matrix", mistake="log_of_probability",
         forks=("Angus12358/AI_Assignment1:S@ebf96580", "Ascjck/cs231n_assignment1:S@1be10aab")),
    softmax_vectorized("real_softmax_vectorized_no_log",
                       edit(SOFTMAX_VECTORIZED,
                            (("    loss = np.mean(np.log(sums[:, 0]) - scores[rows, y]) + reg * "
                             "np.sum(W * W)\n    probs /= sums\n"),
                             ("    probs /= sums\n    loss = np.mean(probs[rows, y]) + reg * "
                             "np.sum(W * W)\n"))),
                       {"test_softmax_vectorized_loss", "test_softmax_vectorized_is_stable"},
                       {"test_softmax_vectorized_loss": "take -log of it",
                        "test_softmax_vectorized_is_stable": "softmax_loss_vectorized loss for"},
                       pattern="softmax_loss_missing_log", mistake="softmax_no_log",
                       forks=("Accident16xp/cs231n_assignment1:S@3a79dd12",)),
    Case("real_softmax_naive_denominator", "softmax_loss_naive",
         edit(SOFTMAX_NAIVE, ("        loss += log_sum_exp - scores[y[i]]\n",
                              ("        others = np.sum(np.exp(scores)) - np.exp(scores[y[i]])\n"
                              "        loss += np.log(others) - scores[y[i]]\n"))),
         fails={"test_softmax_naive_loss", "test_softmax_naive_is_stable"},
         hint={"test_softmax_naive_loss": "the true one included",
               "test_softmax_naive_is_stable": "softmax_loss_naive loss for"},
         pattern="softmax_denominator_excludes_correct_class", mistake="softmax_denominator",
         forks=("Ecalzo/cs231n2017-python3:S@4dbc1849",)),
    softmax_vectorized("real_softmax_vectorized_reg_grad_not_doubled",
                       edit(SOFTMAX_VECTORIZED, ("+ 2 * reg * W", "+ reg * W")),
                       {"test_softmax_vectorized_gradient"},
                       {"test_softmax_vectorized_gradient": "2 * reg * W"},
                       pattern="softmax_grad_reg_without_2", mistake="reg_grad_not_doubled",
                       forks=("ClericalAid/cs231n-assignment-1:S@a83be5cd",
                              "AhmedKhaledS/CS231n-Assignment-1:S@12f6e6e6")),
    Case("real_softmax_naive_half_reg", "softmax_loss_naive",
         edit(SOFTMAX_NAIVE, ("loss += reg * np.sum(W * W)", "loss += 0.5 * reg * np.sum(W * W)"),
              ("dW += 2 * reg * W", "dW += reg * W")),
         fails=SOFTMAX_N, hint="0.5 * reg * sum(W**2) with gradient reg * W",
         pattern="softmax_half_reg_convention", mistake="half_reg_convention",
         forks=("21921099/CS231n-Assignment:S@d1a83e9c", "Angus12358/AI_Assignment1:S@ebf96580",
                "Expellma/cs231n:S@746ca536")),
    Case("real_softmax_naive_gradient_left_at_zero", "softmax_loss_naive",
         edit(SOFTMAX_NAIVE, ("            dW[:, j] += (probs[j] - (j == y[i])) * X[i]\n",
                              "            pass\n"), ("    dW /= num_train\n", ""),
              ("    dW += 2 * reg * W\n", "")),
         fails={"test_softmax_naive_gradient", "test_softmax_naive_is_stable"},
         hint={"test_softmax_naive_gradient": "dW is never filled in",
               "test_softmax_naive_is_stable": "softmax_loss_naive gradient for"},
         pattern="softmax_grad_not_computed", mistake="grad_not_computed",
         forks=("Ctr-cv/CS231N:S@78b593bc", "Denon/cs231n:S@d7e54e89")),
    softmax_vectorized("real_softmax_vectorized_stub", '''
                       def softmax_loss_vectorized(W, X, y, reg):
                           loss = 0.0
                           dW = np.zeros_like(W)
                           return loss, dW
                       ''', {"test_softmax_vectorized_loss", "test_softmax_vectorized_gradient",
                             "test_softmax_vectorized_is_stable"},
                       {t: STUB for t in ("test_softmax_vectorized_loss",
                                          "test_softmax_vectorized_gradient",
                                          "test_softmax_vectorized_is_stable")},
                       pattern="softmax_grad_not_computed / unfinished", mistake="unfinished",
                       forks=("ArthurSav/cs231n:S@292e21c9", "Ctr-cv/CS231N:S@78b593bc")),

    # ------------------------------------------------------------ SGD and predict
    Case("real_train_no_update", "linear_classifier",
         edit(CLASSIFIER, ("            self.W -= learning_rate * grad\n", "")),
         fails={"test_train_update", "test_train_converges"},
         hint={"test_train_update": "W did not change",
               "test_train_converges": "LinearClassifier.train reached only"},
         pattern="train_update_missing", mistake="no_update",
         forks=("ArthurSav/cs231n:L@129ee2a3",)),
    Case("real_predict_zeros_of_length_d", "linear_classifier",
         edit(CLASSIFIER, ("return np.argmax(X @ self.W, axis=1)", "return np.zeros(X.shape[1])")),
         fails={"test_predict"}, hint=STUB, pattern="predict_unfinished", mistake="unfinished",
         forks=("AliceKa/stanford_cs231n:L@454b0e19", "GitXuY/cs231n:L@bb968b0e")),
    # A working predict only in LinearSVM: the base class's (which Softmax inherits) is a stub.
    Case("real_predict_only_in_a_subclass", "linear_classifier",
         edit(CLASSIFIER, ("return np.argmax(X @ self.W, axis=1)", "return np.zeros(X.shape[0])")),
         fails={"test_predict"}, hint=STUB, pattern="predict_only_in_one_subclass",
         mistake="unfinished", forks=("RemonComputer/CS231n---Assignment-1:L@bde5513a",
                                      "Sirorezka/cs231n_assignment1:L@c929ca2c")),
    # The Python 2 print of the old handout's verbose branch: the whole cell is skipped.
    Case("real_train_python2_print", "linear_classifier",
         edit(CLASSIFIER, ("            loss_history.append(float(loss))\n",
                           ("            loss_history.append(float(loss))\n            if verbose:\n"
                           "                print 'iteration %d / %d: loss %f' % (it, num_iters, loss)\n"))),
         fails=TRAIN, hint="was skipped: syntax error at line", pattern="py2_print_statement",
         mistake="syntax_error", forks=("AlwaysRight/cs231n_assignment1:L@a78630ab",
                                        "GitXuY/cs231n:L@bb968b0e")),

    # ------------------------------------------------------------ gradient checking
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
CASES.append(TABS)

# Cases of mistakes.py that stand for a real pattern: (pattern, forks, mistake id).
ANNOTATIONS = {
    "svm_naive_half_reg": ("svm_half_reg_convention", (
        "21921099/CS231n-Assignment:P@d1a83e9c", "Henrywcj/Stanford_CS231n_Assignment1:P@b59b5cdd",
        "TheRevanchist/ANN-SVM-Combo:P@a1c7df61"), "half_reg_convention"),
    "svm_naive_reg_grad_not_doubled": ("svm_grad_reg_without_2", (
        "Accident16xp/cs231n_assignment1:P@14f061ea", "YnHong/cs231n_assignment1:P@4ac55872"),
        "reg_grad_not_doubled"),
    "svm_naive_counts_true_class": ("svm_correct_class_not_excluded", (
        "FinnOwsley/cs231assignment1:P@11a7f50c",), "svm_counts_true_class"),
    "svm_vectorized_keeps_true_class": ("svm_correct_class_not_excluded", (
        "NamJiii/cs231n:P@d6d115e0", "FinnOwsley/cs231assignment1:P@11a7f50c"),
        "svm_counts_true_class"),
    "softmax_naive_no_max_shift": ("softmax_no_max_shift", (
        "Accident16xp/cs231n_assignment1:S@3a79dd12",), "no_max_shift"),
    "softmax_vectorized_no_max_shift": ("softmax_no_max_shift", (
        "Henrywcj/Stanford_CS231n_Assignment1:S@b59b5cdd",), "no_max_shift"),
    "softmax_vectorized_half_reg": ("softmax_half_reg_convention", (
        "Expellma/cs231n:S@746ca536",), "half_reg_convention"),
    "softmax_vectorized_loop_over_rows": ("softmax_vectorized_keeps_python_loops", (
        "Juna2/CS231n-Assignment-1:S@bd8d13fd",), "python_loops"),
    "train_without_replacement": ("train_sample_without_replacement", (
        "21921099/CS231n-Assignment:L@d1a83e9c", "AlwaysRight/cs231n_assignment1:L@a78630ab",
        "EVA012/Assigment1:L@58bf8416"), "batch_without_replacement"),
    "predict_argmax_axis_0": ("predict_wrong_orientation", (
        "Hamdy10024/CS231-Assignment1:L@09cf9970",), "predict_axis"),
    "predict_returns_floats": ("predict_float_labels", (
        "592McAvoy/cs231n-assignment1:L@0423c273", "FengYen-Chang/cs231n-assignment-1:L@8a84ef12"),
        "predict_dtype"),
    # The handout's grad_check_sparse divides without a floor; the kit grades that floor
    # in rel_error.
    "rel_error_no_floor": ("gradcheck_sparse_rel_error_without_eps", (
        "DenryDu/cs231n_Assignment1:G@0c6c21a4", "devxpy/cs231n-assignment1:G@e2423c06"),
        "rel_error_no_floor"),
}


def annotated(cases: list[Case]) -> list[Case]:
    """`cases` with the real pattern, forks and mistake id of ANNOTATIONS filled in."""
    return [dataclasses.replace(c, pattern=ANNOTATIONS[c.id][0], forks=ANNOTATIONS[c.id][1],
                                mistake=ANNOTATIONS[c.id][2]) if c.id in ANNOTATIONS else c
            for c in cases]
