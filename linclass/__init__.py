"""Support code for the linear-classifiers notebook: visible checks and plots.

Nothing here is graded and nothing here solves the assignment; the graded
functions live in the notebook itself (solutions/linear_classifiers.ipynb).
"""
