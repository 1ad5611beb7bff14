"""Stage 1: find the notebook in what was handed in, and keep only its definitions."""
