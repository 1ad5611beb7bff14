"""Support code for the linear-classifiers notebook: visible checks, plots, running a
notebook, and the submission helper (`python submit.py`, linclass/collect.py).

Nothing here is graded and nothing here solves the assignment: the graded functions live
in the notebook itself. The kit and the student handout share this package (and `data`).
"""
