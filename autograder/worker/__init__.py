"""Code that runs INSIDE the untrusted worker process (stdlib + numpy only).

The grader copies this folder (and an assignment's probes, as ``assignment_probes.py``)
into a fresh temp dir and runs ``server.py`` from there, so the modules also work as
top-level modules (``import protocol``):

    server.py    the entry point and request loop: hello, ready, one reply per call
    startup.py   numpy on sys.path, private pipes, confinement, pid 1 of a PID namespace
    confine.py   Landlock, not dumpable: what the worker applies to itself
    loader.py    loading the submission (its code, or a notebook's chunks), errors described
    fork.py      one call in a forked child, and how it died if it did not reply
    messages.py  the one message schema (kinds, fields), the worker's Config, Chunks
    protocol.py  the encoding of values in frames (framing.py: frames; npy.py: arrays)
    probes.py    the generic probes (``call``, ``repeat``)
    registry.py  which functions of a probes module are probes (both sides read it)

The trusted side imports ``messages`` and ``protocol`` (to frame, encode and read
messages), ``registry`` (to check probe names) and ``confine`` (to ask the kernel's
Landlock ABI); it never runs the server. Nothing here imports
the grader's side (autograder.sandbox).
"""
