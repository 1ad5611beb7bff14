"""Mistakes in svm_loss_naive and svm_loss_vectorized (see __init__.py: INVENTED, REAL)."""

from __future__ import annotations

from tests.corpus import Case
from tests.corpus.mistakes.pieces import NOT_FIRST, STUB, SVM_NAIVE, SVM_VECTORIZED, edit

SVM_N = {"test_svm_naive_loss", "test_svm_naive_gradient"}
SVM_V = {"test_svm_vectorized_loss", "test_svm_vectorized_gradient"}
SVM_V_STYLE = {"test_svm_vectorized_has_no_loops": NOT_FIRST,
               "test_svm_vectorized_is_faster": NOT_FIRST}


def svm_vectorized(case_id: str, source: str, fails: set[str], hint: dict, **real) -> Case:
    """A wrong svm_loss_vectorized: its style checks also fail (they need right values)."""
    return Case(case_id, "svm_loss_vectorized", source, fails=fails | set(SVM_V_STYLE),
                hint={**hint, **SVM_V_STYLE}, **real)


INVENTED = [
    # ------------------------------------------------------------ SVM, naive
    Case("svm_naive_no_reg", "svm_loss_naive",
         edit(SVM_NAIVE, ("    loss += reg * np.sum(W * W)\n", ""),
              ("    dW += 2 * reg * W\n", "")),
         fails=SVM_N,
         hint={"test_svm_naive_loss": "without the regularization term",
               "test_svm_naive_gradient": "lacks the regularization term's gradient"}),
    Case("svm_naive_half_reg", "svm_loss_naive",
         edit(SVM_NAIVE, ("loss += reg * np.sum(W * W)", "loss += 0.5 * reg * np.sum(W * W)"),
              ("dW += 2 * reg * W", "dW += reg * W")),
         fails=SVM_N,
         hint="this assignment defines the regularization as reg * sum(W**2)",
         pattern="svm_half_reg_convention", mistake="half_reg_convention",
         forks=("21921099/CS231n-Assignment:P@d1a83e9c",
                "Henrywcj/Stanford_CS231n_Assignment1:P@b59b5cdd",
                "TheRevanchist/ANN-SVM-Combo:P@a1c7df61")),
    Case("svm_naive_reg_grad_not_doubled", "svm_loss_naive",
         edit(SVM_NAIVE, ("dW += 2 * reg * W", "dW += reg * W")),
         fails={"test_svm_naive_gradient"}, hint="2 * reg * W",
         pattern="svm_grad_reg_without_2", mistake="reg_grad_not_doubled",
         forks=("Accident16xp/cs231n_assignment1:P@14f061ea",
                "YnHong/cs231n_assignment1:P@4ac55872")),
    Case("svm_naive_reg_over_n", "svm_loss_naive",
         edit(SVM_NAIVE, ("    loss /= num_train\n", ""),
              ("loss += reg * np.sum(W * W)",
               "loss += reg * np.sum(W * W)\n    loss /= num_train")),
         fails={"test_svm_naive_loss"}, hint="regularization term is divided by N"),
    Case("svm_naive_loss_not_averaged", "svm_loss_naive",
         edit(SVM_NAIVE, ("    loss /= num_train\n", "")),
         fails={"test_svm_naive_loss"}, hint="N = 8 times too large"),
    Case("svm_naive_grad_not_averaged", "svm_loss_naive",
         edit(SVM_NAIVE, ("    dW /= num_train\n", "")),
         fails={"test_svm_naive_gradient"}, hint="N = 8 times too large"),
    # Counting j = y_i adds a margin of 1 per example; its two gradient terms cancel.
    Case("svm_naive_counts_true_class", "svm_loss_naive",
         edit(SVM_NAIVE, ("            if j == y[i]:\n                continue\n", "")),
         fails={"test_svm_naive_loss"}, hint="exactly 1 higher",
         pattern="svm_correct_class_not_excluded", mistake="svm_counts_true_class",
         forks=("FinnOwsley/cs231assignment1:P@11a7f50c",)),
    Case("svm_naive_no_true_class_gradient", "svm_loss_naive",
         edit(SVM_NAIVE, ("                dW[:, y[i]] -= X[i]\n", "")),
         fails={"test_svm_naive_gradient"}, hint="misses the true class's part"),
    Case("svm_naive_gradient_sign", "svm_loss_naive",
         edit(SVM_NAIVE, ("    return loss, dW", "    return loss, -dW")),
         fails={"test_svm_naive_gradient"}, hint="wrong sign"),
    # No known-mistake hint: the message names the function and says what differed.
    Case("svm_naive_index_typo", "svm_loss_naive",
         edit(SVM_NAIVE, ("dW[:, y[i]] -= X[i]", "dW[:, y[i]] -= X[j]")),
         fails={"test_svm_naive_gradient"},
         hint=("svm_loss_naive gradient dW with N=8", "entries differ; the largest absolute")),

    # ------------------------------------------------------------ SVM, vectorized
    # Right values, but loops: loses the no-loop points (and, if slow, the speed ones).
    Case("svm_vectorized_for_loop_over_classes", "svm_loss_vectorized",
         '''
         def svm_loss_vectorized(W, X, y, reg):
             num_train, num_classes = X.shape[0], W.shape[1]
             rows = np.arange(num_train)
             scores = X @ W
             correct = scores[rows, y]
             margins = np.zeros_like(scores)
             for j in range(num_classes):
                 margins[:, j] = np.maximum(0.0, scores[:, j] - correct + 1.0)
             margins[rows, y] = 0.0
             loss = margins.sum() / num_train + reg * np.sum(W * W)
             G = (margins > 0).astype(float)
             G[rows, y] = -G.sum(axis=1)
             dW = X.T @ G / num_train + 2 * reg * W
             return loss, dW
         ''',
         fails={"test_svm_vectorized_has_no_loops"}, hint="a for loop in svm_loss_vectorized"),
    Case("svm_vectorized_list_comprehension", "svm_loss_vectorized",
         '''
         def svm_loss_vectorized(W, X, y, reg):
             num_train, num_classes = X.shape[0], W.shape[1]
             rows = np.arange(num_train)
             scores = X @ W
             correct = scores[rows, y]
             margins = np.stack([np.maximum(0.0, scores[:, j] - correct + 1.0)
                                 for j in range(num_classes)], axis=1)
             margins[rows, y] = 0.0
             loss = margins.sum() / num_train + reg * np.sum(W * W)
             G = (margins > 0).astype(float)
             G[rows, y] = -G.sum(axis=1)
             dW = X.T @ G / num_train + 2 * reg * W
             return loss, dW
         ''',
         fails={"test_svm_vectorized_has_no_loops"}, hint="a list comprehension"),
    Case("svm_vectorized_np_vectorize", "svm_loss_vectorized",
         edit(SVM_VECTORIZED, ("scores[rows, y][:, None]",
                               "np.vectorize(lambda i: scores[i, y[i]])(rows)[:, None]")),
         fails={"test_svm_vectorized_has_no_loops"}, hint="a call to vectorize"),
    Case("svm_vectorized_helper_with_loop", "svm_loss_vectorized",
         edit(SVM_VECTORIZED, ("    G = (margins > 0).astype(float)\n",
                               "    G = indicator(margins)\n")),
         helpers=('''
         def indicator(margins):
             G = np.zeros_like(margins)
             for j in range(margins.shape[1]):
                 G[:, j] = margins[:, j] > 0
             return G
         ''',),
         fails={"test_svm_vectorized_has_no_loops"}, hint="a for loop in indicator"),
    # The loop sits in a method of a helper class, which the no-loop check never reads.
    Case("svm_vectorized_loop_in_helper_class", "svm_loss_vectorized",
         edit(SVM_VECTORIZED, ("    G = (margins > 0).astype(float)\n",
                               "    G = Indicator.of(margins)\n")),
         helpers=('''
         class Indicator:
             @staticmethod
             def of(margins):
                 G = np.zeros_like(margins)
                 for j in range(margins.shape[1]):
                     G[:, j] = margins[:, j] > 0
                 return G
         ''',),
         fails={"test_svm_vectorized_has_no_loops"}, hint="a for loop in Indicator"),
    Case("svm_vectorized_calls_naive", "svm_loss_vectorized",
         '''
         def svm_loss_vectorized(W, X, y, reg):
             return svm_loss_naive(W, X, y, reg)
         ''',
         depends={"svm_loss_naive"},
         fails={"test_svm_vectorized_has_no_loops", "test_svm_vectorized_is_faster"},
         hint={"test_svm_vectorized_has_no_loops": "a for loop in svm_loss_naive",
               "test_svm_vectorized_is_faster": "expected at least 10x"}),
    # The true class's margin (always 1) kept: its loss is 1 higher and G[i, y_i] one too
    # low; without a hint for that gradient, the message says what differed.
    Case("svm_vectorized_keeps_true_class", "svm_loss_vectorized",
         edit(SVM_VECTORIZED, ("    margins[rows, y] = 0.0\n", "")),
         fails={"test_svm_vectorized_loss", "test_svm_vectorized_gradient",
                "test_svm_vectorized_has_no_loops", "test_svm_vectorized_is_faster"},
         hint={"test_svm_vectorized_loss": "exactly 1 higher",
               "test_svm_vectorized_gradient": ("svm_loss_vectorized gradient dW with N=8",
                                                "entries differ; the largest absolute"),
               "test_svm_vectorized_has_no_loops": NOT_FIRST,
               "test_svm_vectorized_is_faster": NOT_FIRST},
         pattern="svm_correct_class_not_excluded", mistake="svm_counts_true_class",
         forks=("NamJiii/cs231n:P@d6d115e0", "FinnOwsley/cs231assignment1:P@11a7f50c")),
    Case("svm_vectorized_loss_not_averaged", "svm_loss_vectorized",
         edit(SVM_VECTORIZED, ("margins.sum() / num_train", "margins.sum()")),
         fails={"test_svm_vectorized_loss", "test_svm_vectorized_has_no_loops",
                "test_svm_vectorized_is_faster"},
         hint={"test_svm_vectorized_loss": "N = 8 times too large",
               "test_svm_vectorized_has_no_loops": NOT_FIRST,
               "test_svm_vectorized_is_faster": NOT_FIRST}),
]

REAL = [
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
                   forks=("7pao/cs231n_assignment1:P@e6f650ab",
                          "Ecalzo/cs231n2017-python3:P@1b93c700",
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
]
