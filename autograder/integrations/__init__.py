"""The platforms around the engine: Gradescope (gradescope/) and nbgrader (nbgrader.py)."""
