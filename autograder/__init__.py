"""Autograder for the linear-classifiers homework: extraction, sandboxed execution, grading."""
