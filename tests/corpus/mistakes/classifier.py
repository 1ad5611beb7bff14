"""Mistakes in LinearClassifier: SGD's train() and predict() (see __init__.py)."""

from __future__ import annotations

from tests.corpus import Case
from tests.corpus.mistakes.pieces import CLASSIFIER, STUB, edit

TRAIN = {"test_train_batches", "test_train_update", "test_train_history",
         "test_train_is_reproducible", "test_train_continues", "test_train_converges",
         "test_predict"}
# Messages without a hint for the mistake: what was checked and what differed.
CONVERGES = ("LinearClassifier.train reached only", "training accuracy on an easy, separable problem")

INVENTED = [
    Case("train_rows_and_labels_differ", "linear_classifier",
         edit(CLASSIFIER, ("X_batch, y_batch = X[batch], y[batch]",
                           ("X_batch, y_batch = X[batch], y[rng.integers(num_train, "
                           "size=batch_size)]"))),
         fails={"test_train_batches", "test_train_converges"},
         hint={"test_train_batches": "index X and y with the same indices",
               "test_train_converges": CONVERGES}),
    Case("train_without_replacement", "linear_classifier",
         edit(CLASSIFIER, ("rng.integers(num_train, size=batch_size)",
                           "rng.choice(num_train, batch_size, replace=False)")),
         fails={"test_train_batches"}, hint="draw each batch with replacement",
         pattern="train_sample_without_replacement", mistake="batch_without_replacement",
         forks=("21921099/CS231n-Assignment:L@d1a83e9c",
                "AlwaysRight/cs231n_assignment1:L@a78630ab", "EVA012/Assigment1:L@58bf8416")),
    Case("train_adds_gradient", "linear_classifier",
         edit(CLASSIFIER, ("self.W -= learning_rate * grad", "self.W += learning_rate * grad")),
         fails={"test_train_update", "test_train_converges"},
         hint={"test_train_update": "You added the gradient",
               "test_train_converges": CONVERGES}),
    Case("train_no_learning_rate", "linear_classifier",
         edit(CLASSIFIER, ("self.W -= learning_rate * grad", "self.W -= grad")),
         fails={"test_train_update", "test_train_converges"},
         hint={"test_train_update": "ignores the learning rate",
               "test_train_converges": CONVERGES}),
    Case("train_history_not_appended", "linear_classifier",
         edit(CLASSIFIER, ("            loss_history.append(float(loss))\n", "")),
         fails={"test_train_history"}, hint="got a list of length 0"),
    # The loss from before the step, recorded one step late: the values differ.
    Case("train_history_lagged", "linear_classifier",
         edit(CLASSIFIER, ("        loss_history = []\n",
                           "        loss_history, previous = [], 0.0\n"),
              ("            loss_history.append(float(loss))\n",
               "            loss_history.append(previous)\n            previous = float(loss)\n")),
         fails={"test_train_history"}, hint=("the loss history", "5 of 5 entries differ")),
    Case("train_history_appends_gradient", "linear_classifier",
         edit(CLASSIFIER, ("loss_history.append(float(loss))",
                           "loss_history.append(float(np.sum(grad ** 2)))")),
         fails={"test_train_history"}, hint=("the loss history", "5 of 5 entries differ")),
    Case("train_global_random_state", "linear_classifier",
         edit(CLASSIFIER, ("batch = rng.integers(num_train, size=batch_size)",
                           "batch = np.random.choice(num_train, batch_size)")),
         fails={"test_train_is_reproducible"}, hint="is the seed used?"),
    Case("predict_argmax_without_axis", "linear_classifier",
         edit(CLASSIFIER, ("np.argmax(X @ self.W, axis=1)", "np.argmax(X @ self.W)")),
         fails={"test_predict"}, hint="take the argmax over classes, axis=1"),
    Case("predict_argmax_axis_0", "linear_classifier",
         edit(CLASSIFIER, ("np.argmax(X @ self.W, axis=1)", "np.argmax(X @ self.W, axis=0)")),
         fails={"test_predict"}, hint="one label per class: use axis=1",
         pattern="predict_wrong_orientation", mistake="predict_axis",
         forks=("Hamdy10024/CS231-Assignment1:L@09cf9970",)),
    Case("predict_returns_floats", "linear_classifier",
         edit(CLASSIFIER, ("np.argmax(X @ self.W, axis=1)",
                           "np.argmax(X @ self.W, axis=1).astype(float)")),
         fails={"test_predict"}, hint="should return integer labels",
         pattern="predict_float_labels", mistake="predict_dtype",
         forks=("592McAvoy/cs231n-assignment1:L@0423c273",
                "FengYen-Chang/cs231n-assignment-1:L@8a84ef12")),
    Case("predict_returns_scores", "linear_classifier",
         edit(CLASSIFIER, ("np.argmax(X @ self.W, axis=1)", "X @ self.W")),
         # The dtype is checked before the shape: the message is about integer labels.
         fails={"test_predict"}, hint="should return integer labels, got dtype float64"),
    Case("predict_argmin", "linear_classifier",
         edit(CLASSIFIER, ("np.argmax(X @ self.W, axis=1)", "np.argmin(X @ self.W, axis=1)")),
         fails={"test_predict"}, hint=("predict: ", "25 of 25 entries differ")),
]

REAL = [
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
]
