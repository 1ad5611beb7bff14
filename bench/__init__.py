"""Benchmarks of the kit: see bench/run_all.py."""
