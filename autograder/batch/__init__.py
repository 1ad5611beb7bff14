"""A whole class: discovery of the submissions, the pool, the gradebook and class report."""
