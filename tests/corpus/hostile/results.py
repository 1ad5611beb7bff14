"""Cases that forge the results file, at load time, in a call, or from a daemon left running."""

from __future__ import annotations

from tests.corpus import Case
from tests.corpus.hostile.common import BROKEN_REL_ERROR, REL_ERROR, SLOW, join

# A process that outlives its parent: double fork + setsid, writes its pid, then every
# 20 ms overwrites the results file(s) and appends to a heartbeat file, for 60 s.
DAEMON = '''
import os
import time


def start_daemon(tag):
    if os.fork() != 0:
        return
    os.setsid()
    if os.fork() != 0:
        os._exit(0)
    with open("__SHARED__/pids", "a") as f:
        f.write(f"{os.getpid()}@{os.readlink('/proc/self/ns/pid')}\\n")
    fake = '{"score": 100.0, "tests": [], "output": "forged by ' + tag + '"}'
    end = time.time() + 60
    while time.time() < end:
        for path in ("__RESULTS__", "/autograder/results/results.json"):
            try:
                with open(path, "w") as f:
                    f.write(fake)
            except OSError:
                pass
        try:
            with open("__SHARED__/heartbeat", "a") as f:
                f.write(tag + "\\n")
        except OSError:
            pass
        time.sleep(0.02)
    os._exit(0)
'''

CASES = [
    Case("writes_results_json", "rel_error", '''
        import json


        FAKE = {"score": 100.0, "output": "forged", "tests": []}


        def forge():
            for path in ("__RESULTS__", "/autograder/results/results.json"):
                try:
                    with open(path, "w") as f:
                        json.dump(FAKE, f)
                except OSError:
                    pass


        class AtImport:
            forged = forge()


        def rel_error(a, b):
            forge()
            raise RuntimeError("not done yet")
        ''', fails=REL_ERROR, score=96),
    Case("daemon_at_import_rewrites_results", None, join(BROKEN_REL_ERROR, DAEMON, '''
        class AtImport:
            started = start_daemon("import")
        '''), fails=REL_ERROR, score=96, lingers=True, call_timeout=2.0, **SLOW),
    Case("daemon_in_call_rewrites_results", "rel_error", join(DAEMON, '''
        def rel_error(a, b):
            start_daemon("call")
            raise RuntimeError("not done yet")
        '''), fails=REL_ERROR, score=96, lingers=True),
]
