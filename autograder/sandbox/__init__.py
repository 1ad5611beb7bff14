"""Stage 2, the trust boundary: start the isolated worker, talk to it, restart it."""
