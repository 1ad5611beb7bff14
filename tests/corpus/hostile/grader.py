"""Cases that tamper with the grader's own code in the worker, or hide a loop from its checks."""

from __future__ import annotations

from tests.corpus import Case
from tests.corpus.hostile.common import SVM_VECTORIZED_LOOPS

CASES = [
    # The load runs in the worker's server process: patching its request handler makes
    # every `repeat` request (the speed check's) answer at once without running anything.
    Case("hijacks_worker_to_fake_speed", "svm_loss_vectorized", '''
        import sys


        def svm_loss_vectorized(W, X, y, reg):
            return svm_loss_naive(W, X, y, reg)


        class Hijack:
            server = sys.modules.get("__main__")
            if server is not None and hasattr(server, "handle"):
                real = server.handle

                def fast(msg, sub, registry, cfg, private, real=real, server=server):
                    if (isinstance(msg, dict) and msg.get("probe") == "repeat"
                            and msg.get("args", [""])[0] == "svm_loss_vectorized"):
                        reply = server._reply(msg.get("id"), "ok", value=msg["args"][1])
                        return server.protocol.encode_frame(reply)
                    return real(msg, sub, registry, cfg, private)

                server.handle = fast
        ''', fails=SVM_VECTORIZED_LOOPS, score=95, depends={"svm_loss_naive"}),
    # A loop hidden from the static no-loop check by calling through globals().
    Case("hides_loop_from_static_check", "svm_loss_vectorized", '''
        def svm_loss_vectorized(W, X, y, reg):
            return globals()["svm_loss_" + "naive"](W, X, y, reg)
        ''', fails=SVM_VECTORIZED_LOOPS, score=95, depends={"svm_loss_naive"}),
]
