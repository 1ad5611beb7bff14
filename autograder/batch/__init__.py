"""A whole class, in the order data flows: discovery (which submissions), jobs (each one
self-contained), pool (the local pool, and the run itself) or cluster (a Dask cluster,
whose workers grade through graders), store (each grade filed as it comes back), then
the gradebook and the class report."""
