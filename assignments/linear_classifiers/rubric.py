"""The rubric: every hidden test by name, with the function it grades and its points.

The points add up to 100; a kit test checks that this table and the hidden tests agree.
Visibility (every test shown to students at once) is set in __init__.py.
"""

from __future__ import annotations

from autograder.spec import Item

ITEMS = (
    Item("test_svm_naive_loss", "svm_loss_naive", 8, "SVM loss (naive): loss value"),
    Item("test_svm_naive_gradient", "svm_loss_naive", 7, "SVM loss (naive): gradient"),
    Item("test_svm_vectorized_loss", "svm_loss_vectorized", 5, "SVM loss (vectorized): loss value"),
    Item("test_svm_vectorized_gradient", "svm_loss_vectorized", 5,
         "SVM loss (vectorized): gradient"),
    Item("test_svm_vectorized_has_no_loops", "svm_loss_vectorized", 3,
         "SVM loss (vectorized): no Python loops"),
    Item("test_svm_vectorized_is_faster", "svm_loss_vectorized", 2,
         "SVM loss (vectorized): faster than the naive version"),
    Item("test_softmax_naive_loss", "softmax_loss_naive", 6, "Softmax loss (naive): loss value"),
    Item("test_softmax_naive_gradient", "softmax_loss_naive", 6, "Softmax loss (naive): gradient"),
    Item("test_softmax_naive_is_stable", "softmax_loss_naive", 3,
         "Softmax loss (naive): numerically stable"),
    Item("test_softmax_vectorized_loss", "softmax_loss_vectorized", 4,
         "Softmax loss (vectorized): loss value"),
    Item("test_softmax_vectorized_gradient", "softmax_loss_vectorized", 4,
         "Softmax loss (vectorized): gradient"),
    Item("test_softmax_vectorized_is_stable", "softmax_loss_vectorized", 3,
         "Softmax loss (vectorized): numerically stable"),
    Item("test_softmax_vectorized_has_no_loops", "softmax_loss_vectorized", 2,
         "Softmax loss (vectorized): no Python loops"),
    Item("test_softmax_vectorized_is_faster", "softmax_loss_vectorized", 2,
         "Softmax loss (vectorized): faster than the naive version"),
    Item("test_numerical_gradient_values", "eval_numerical_gradient", 4,
         "Numerical gradient: centered differences"),
    Item("test_numerical_gradient_restores_x", "eval_numerical_gradient", 2,
         "Numerical gradient: x unchanged afterwards"),
    Item("test_numerical_gradient_any_shape", "eval_numerical_gradient", 2,
         "Numerical gradient: arrays of any shape"),
    Item("test_grad_check_sparse_errors", "grad_check_sparse", 4,
         "Sparse gradient check: relative errors"),
    Item("test_grad_check_sparse_is_reproducible", "grad_check_sparse", 2,
         "Sparse gradient check: reproducible from its seed"),
    Item("test_rel_error_values", "rel_error", 2, "Relative error: values"),
    Item("test_rel_error_of_zeros", "rel_error", 2, "Relative error: safe when both are zero"),
    Item("test_train_batches", "LinearClassifier.train", 4,
         "SGD: mini-batches (size, replacement, same rows of X and y)"),
    Item("test_train_update", "LinearClassifier.train", 5, "SGD: the update W -= lr * grad"),
    Item("test_train_history", "LinearClassifier.train", 3, "SGD: the loss history"),
    Item("test_train_is_reproducible", "LinearClassifier.train", 2,
         "SGD: reproducible from its seed"),
    Item("test_train_continues", "LinearClassifier.train", 2,
         "SGD: a second call goes on from the current W"),
    Item("test_train_converges", "LinearClassifier.train", 2, "SGD: learns an easy problem"),
    Item("test_predict", "LinearClassifier.predict", 4, "predict: labels of shape (N,)"),
)
