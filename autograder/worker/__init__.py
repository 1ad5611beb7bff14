"""Code that runs INSIDE the untrusted worker process (stdlib + numpy only).

The grader copies this folder into a fresh temp dir and runs ``harness.py`` from
there, so the modules also work as top-level modules (``import protocol``).
The trusted side imports only ``protocol`` (to frame and decode messages) and
``probes`` (to validate probe names); it never runs ``harness``.
"""
