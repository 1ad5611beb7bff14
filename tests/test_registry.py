"""worker/registry.py: the probes of a module, as the worker registers them and as the grader
reads them from the source before any worker starts: the same set."""

from __future__ import annotations

import types

from autograder.worker.registry import names_in, registry

SOURCE = '''
import functools
from os.path import join

def public(sub):
    return 1

def _private(sub):
    return 2

@functools.lru_cache
def decorated(sub):
    return 3

async def later(sub):
    return 4

class Helper:
    def method(self):
        return 5

square = lambda sub: 6
'''


def test_both_readings_find_the_same_probes() -> None:
    module = types.ModuleType("some_probes")
    exec(compile(SOURCE, "some_probes.py", "exec"), vars(module))  # noqa: S102 - our own source
    assert set(registry(module)) == names_in(SOURCE) == {"public", "later"}
    assert registry(module)["public"](None) == 1
