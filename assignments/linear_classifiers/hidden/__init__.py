"""The hidden tests: run by the grader in its trusted process, never shown to students."""

from pathlib import Path

# Where they live: run by runner.py, closed to the worker's user by engine.py.
HIDDEN = Path(__file__).resolve().parent
