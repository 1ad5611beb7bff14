"""Cases that hang or exhaust a resource: time, memory, processes, disk, output."""

from __future__ import annotations

from tests.corpus import Case
from tests.corpus.hostile.common import BROKEN_REL_ERROR, REL_ERROR, SLOW, join

CASES = [
    # The harness stops a load after 30 s: what was defined by then is graded.
    Case("infinite_loop_at_import", None, join(BROKEN_REL_ERROR, '''
        class Spin:
            while True:
                pass
        '''), fails=REL_ERROR, score=96, budget=45.0, **SLOW),
    Case("infinite_loop_in_call", "rel_error", '''
        import signal


        def rel_error(a, b):
            signal.signal(signal.SIGALRM, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            while True:
                try:
                    pass
                except BaseException:
                    pass
        ''', fails=REL_ERROR, score=96, evidence="rel_error did not finish within 10 s",
         **SLOW),
    Case("memory_bomb_in_call", "rel_error", '''
        def rel_error(a, b):
            hoard = []
            while True:
                hoard.append(bytearray(50 * 2**20))
        ''', fails=REL_ERROR, score=96, evidence="rel_error raised MemoryError"),
    Case("memory_bomb_at_import", None, join(BROKEN_REL_ERROR, '''
        class Hoard:
            blocks = [bytearray(2**30) for _ in range(64)]
        '''), fails=REL_ERROR, score=96),
    # Forks until the process limit, then every copy but the first lingers.
    Case("fork_bomb_in_call", "rel_error", '''
        import os
        import time


        def rel_error(a, b):
            first = os.getpid()
            try:
                while True:
                    if os.fork() == 0:
                        with open("__SHARED__/pids", "a") as f:
                            f.write(f"{os.getpid()}@{os.readlink('/proc/self/ns/pid')}\\n")
            except OSError:
                pass
            if os.getpid() != first:
                time.sleep(60)
                os._exit(0)
            raise RuntimeError("forked")
        ''', fails=REL_ERROR, score=96, lingers=True, exclusive=True),
    Case("disk_bomb_in_call", "rel_error", '''
        def rel_error(a, b):
            with open("filler.bin", "wb") as f:
                while True:
                    f.write(b"x" * 2**20)
        ''', fails=REL_ERROR, score=96, evidence="File too large"),
    Case("prints_100_mb", "rel_error", '''
        import os


        class Loud:
            print("x" * 100 * 2**20)


        def rel_error(a, b):
            print("y" * 100 * 2**20)
            os.write(1, b"z" * 20 * 2**20)
            a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
            return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))
        ''', score=100),
]
