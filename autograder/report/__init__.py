"""Stage 4: results.json and the score table, written atomically."""
