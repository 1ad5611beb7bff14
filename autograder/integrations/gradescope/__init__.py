"""Gradescope: autograder.zip (package.py), setup.sh and run_autograder."""
