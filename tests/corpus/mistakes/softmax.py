"""Mistakes in softmax_loss_naive and softmax_loss_vectorized (see __init__.py)."""

from __future__ import annotations

from tests.corpus import Case
from tests.corpus.mistakes.pieces import NOT_FIRST, SOFTMAX_NAIVE, SOFTMAX_VECTORIZED, STUB, edit

SOFTMAX_N = {"test_softmax_naive_loss", "test_softmax_naive_gradient"}
SOFTMAX_V_STYLE = {"test_softmax_vectorized_has_no_loops": NOT_FIRST,
                   "test_softmax_vectorized_is_faster": NOT_FIRST}
# Messages without a hint for the mistake: what was checked and what differed.
STABLE_GRADIENT = ("softmax_loss_naive gradient for all scores", "entries differ")


def softmax_vectorized(case_id: str, source: str, fails: set[str], hint: dict, **real) -> Case:
    return Case(case_id, "softmax_loss_vectorized", source,
                fails=fails | set(SOFTMAX_V_STYLE), hint={**hint, **SOFTMAX_V_STYLE}, **real)


INVENTED = [
    # ------------------------------------------------------------ softmax, naive
    Case("softmax_naive_no_max_shift", "softmax_loss_naive",
         edit(SOFTMAX_NAIVE, ("        scores = scores - scores.max()\n", "")),
         fails={"test_softmax_naive_is_stable"}, hint="exp overflows for large scores",
         pattern="softmax_no_max_shift", mistake="no_max_shift",
         forks=("Accident16xp/cs231n_assignment1:S@3a79dd12",)),
    # The global maximum over all rows: rows far below it underflow.
    Case("softmax_naive_global_max", "softmax_loss_naive",
         edit(SOFTMAX_NAIVE, (("    for i in range(num_train):\n        scores = X[i] @ W\n"
                              "        scores = scores - scores.max()\n"),
                              ("    all_scores = X @ W\n    top = all_scores.max()\n"
                              "    for i in range(num_train):\n"
                              "        scores = all_scores[i] - top\n"))),
         fails={"test_softmax_naive_is_stable"}, hint="each row's own maximum"),
    # The stability check compares the gradient too: a wrong gradient fails it, and its
    # message then blames overflow, which is misleading here.
    Case("softmax_naive_gradient_p", "softmax_loss_naive",
         edit(SOFTMAX_NAIVE, ("(probs[j] - (j == y[i]))", "probs[j]")),
         fails={"test_softmax_naive_gradient", "test_softmax_naive_is_stable"},
         hint={"test_softmax_naive_gradient": "uses p instead of p - 1",
               "test_softmax_naive_is_stable": STABLE_GRADIENT}),
    Case("softmax_naive_gradient_sign", "softmax_loss_naive",
         edit(SOFTMAX_NAIVE, ("    return loss, dW", "    return loss, -dW")),
         fails={"test_softmax_naive_gradient", "test_softmax_naive_is_stable"},
         hint={"test_softmax_naive_gradient": "wrong sign",
               "test_softmax_naive_is_stable": STABLE_GRADIENT}),
    Case("softmax_naive_no_reg", "softmax_loss_naive",
         edit(SOFTMAX_NAIVE, ("    loss += reg * np.sum(W * W)\n", ""),
              ("    dW += 2 * reg * W\n", "")),
         fails=SOFTMAX_N,
         hint={"test_softmax_naive_loss": "without the regularization term",
               "test_softmax_naive_gradient": "lacks the regularization term's gradient"}),
    Case("softmax_naive_grad_not_averaged", "softmax_loss_naive",
         edit(SOFTMAX_NAIVE, ("    dW /= num_train\n", "")),
         fails={"test_softmax_naive_gradient", "test_softmax_naive_is_stable"},
         hint={"test_softmax_naive_gradient": "N = 8 times too large",
               "test_softmax_naive_is_stable": STABLE_GRADIENT}),
    # log10 instead of the natural log: no hint, the message says what differed.
    Case("softmax_naive_log10", "softmax_loss_naive",
         edit(SOFTMAX_NAIVE, ("log_sum_exp - scores[y[i]]",
                              "(log_sum_exp - scores[y[i]]) / np.log(10)")),
         fails={"test_softmax_naive_loss", "test_softmax_naive_is_stable"},
         hint={"test_softmax_naive_loss": ("softmax_loss_naive loss with N=8", "got 0.89"),
               "test_softmax_naive_is_stable": ("softmax_loss_naive loss for all scores",
                                                "got 0.0105")}),

    # ------------------------------------------------------------ softmax, vectorized
    Case("softmax_vectorized_no_max_shift", "softmax_loss_vectorized",
         edit(SOFTMAX_VECTORIZED, ("    scores = scores - scores.max(axis=1, keepdims=True)\n",
                                   "")),
         fails={"test_softmax_vectorized_is_stable"}, hint="exp overflows for large scores",
         pattern="softmax_no_max_shift", mistake="no_max_shift",
         forks=("Henrywcj/Stanford_CS231n_Assignment1:S@b59b5cdd",)),
    Case("softmax_vectorized_global_max", "softmax_loss_vectorized",
         edit(SOFTMAX_VECTORIZED, ("scores.max(axis=1, keepdims=True)", "scores.max()")),
         fails={"test_softmax_vectorized_is_stable"}, hint="each row's own maximum"),
    Case("softmax_vectorized_loop_over_rows", "softmax_loss_vectorized",
         edit(SOFTMAX_VECTORIZED, ("    probs[rows, y] -= 1.0\n",
                                   ("    for i in range(num_train):\n"
                                   "        probs[i, y[i]] -= 1.0\n"))),
         fails={"test_softmax_vectorized_has_no_loops"}, hint="a for loop in softmax_loss_vec",
         pattern="softmax_vectorized_keeps_python_loops", mistake="python_loops",
         forks=("Juna2/CS231n-Assignment-1:S@bd8d13fd",)),
    Case("softmax_vectorized_calls_naive", "softmax_loss_vectorized",
         '''
         def softmax_loss_vectorized(W, X, y, reg):
             loss, dW = softmax_loss_naive(W, X, y, reg)
             return loss, dW
         ''',
         depends={"softmax_loss_naive"},
         fails={"test_softmax_vectorized_has_no_loops", "test_softmax_vectorized_is_faster"},
         hint={"test_softmax_vectorized_has_no_loops": "in softmax_loss_naive",
               "test_softmax_vectorized_is_faster": "expected at least 10x"}),
    Case("softmax_vectorized_onehot_p", "softmax_loss_vectorized",
         edit(SOFTMAX_VECTORIZED, ("    probs[rows, y] -= 1.0\n", "")),
         fails={"test_softmax_vectorized_gradient", "test_softmax_vectorized_is_stable",
                "test_softmax_vectorized_has_no_loops", "test_softmax_vectorized_is_faster"},
         hint={"test_softmax_vectorized_gradient": "uses p instead of p - 1",
               "test_softmax_vectorized_is_stable": ("softmax_loss_vectorized gradient",
                                                     "entries differ"),
               "test_softmax_vectorized_has_no_loops": NOT_FIRST,
               "test_softmax_vectorized_is_faster": NOT_FIRST}),
    Case("softmax_vectorized_half_reg", "softmax_loss_vectorized",
         edit(SOFTMAX_VECTORIZED, ("scores[rows, y]) + reg * np.sum(W * W)",
                                   "scores[rows, y]) + 0.5 * reg * np.sum(W * W)"),
              ("+ 2 * reg * W", "+ reg * W")),
         fails={"test_softmax_vectorized_loss", "test_softmax_vectorized_gradient",
                "test_softmax_vectorized_has_no_loops", "test_softmax_vectorized_is_faster"},
         hint={"test_softmax_vectorized_loss": "0.5 * reg * sum(W**2) with gradient reg * W",
               "test_softmax_vectorized_gradient": "0.5 * reg * sum(W**2) with gradient reg * W",
               "test_softmax_vectorized_has_no_loops": NOT_FIRST,
               "test_softmax_vectorized_is_faster": NOT_FIRST},
         pattern="softmax_half_reg_convention", mistake="half_reg_convention",
         forks=("Expellma/cs231n:S@746ca536",)),
]

REAL = [
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
]
