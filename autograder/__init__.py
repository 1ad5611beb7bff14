"""The grading engine: one package per stage, in the order data flows through them.

intake/ -> sandbox/ (and worker/, inside the untrusted process) -> checking/ -> report/,
declared in grade.py; batch/ grades a class, integrations/ speaks Gradescope and nbgrader.
What it grades comes from an assignment's folder (spec.py): the engine names no homework.
"""
