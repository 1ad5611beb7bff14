"""Stage 3: run the assignment's hidden tests against the worker, in the trusted process."""
