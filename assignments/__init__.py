"""The assignments this kit grades: one package each (see autograder/spec.py).

DEFAULT is the one graded when a command names none, and the one the Gradescope
autograder.zip is built for.
"""

DEFAULT = "linear_classifiers"
