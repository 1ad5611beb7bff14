"""The layer report: what isolation a worker got, in words a TA can act on, and what a
missing layer exposes.

The worker reports in its "hello" (before any student code runs) what it applied to
itself: Landlock's file-system allowlist and signal scope, and not being dumpable.
The grader adds what it applied from outside (plan.Plan). A layer the grader
expects but that did not hold is *missing*; ``exposure()`` says what the worker can then
reach, and ``Sandbox(strict=True)`` refuses to grade with any required layer missing.
"""

from __future__ import annotations

from dataclasses import dataclass

# The layers `--strict` requires, with the kernel feature each needs.
REQUIRED = {
    "landlock-fs": "Landlock (Linux 5.13+, ABI 1+; enabled in the kernel's lsm= list)",
    "landlock-scope": "Landlock ABI 6+ (Linux 6.12+)",
    "seccomp": "seccomp filters (x86_64 or aarch64; not disabled by a container profile)",
    "nondumpable": "prctl(PR_SET_DUMPABLE)",
    "user-drop": "running the grader as root (Gradescope does)",
}


@dataclass(frozen=True)
class Report:
    """Applied layers (for the log) and missing required ones (name -> what is exposed)."""

    applied: list[str]
    missing: dict[str, str]


def from_hello(confined: object) -> tuple[list[str], set[str]]:
    """(layer names for the log, required layers that held) from the worker's report."""
    confined = confined if type(confined) is dict else {}
    shown, held = [], set()
    if confined.get("nondumpable") is True:
        shown.append("worker-nondumpable")
        held.add("nondumpable")
    landlock = confined.get("landlock")
    if type(landlock) is dict and type(landlock.get("abi")) is int:
        shown.append(f"landlock-fs(abi {landlock['abi']}, {len(landlock.get('read', []))} "
                     "read-only paths, its own work folder)")
        held.add("landlock-fs")
        if landlock.get("scoped") is True:
            shown.append("landlock-scope(signals, abstract unix sockets)")
            held.add("landlock-scope")
    return shown, held


def expected(*, as_root: bool, dropped: bool, seccomp: bool) -> set[str]:
    """Required layers the grader applied from outside (before the worker's own)."""
    held = {"seccomp"} if seccomp else set()
    if as_root and dropped:
        held.add("user-drop")
    return held


def exposure(name: str, *, as_root: bool) -> str:
    """What the worker can reach without layer ``name``."""
    files = ("every world-readable file on this machine (another checkout of the solutions, "
             "a kit's tests/) except the grader's own folders" if as_root else
             "every file you can read: your home, this kit's solutions/, tests/ and hidden "
             "tests, any other checkout")
    return {
        "landlock-fs": files,
        "landlock-scope": ("other processes of the sandbox user (another grade)" if as_root
                           else "every process of yours, the grader included: it can kill "
                                "them and reach their abstract unix sockets"),
        "seccomp": "network sockets (TCP/UDP) on this machine and beyond",
        "nondumpable": "the worker server's memory and environment, from a call's fork",
        "user-drop": "it runs as root: every file, every process",
    }[name]


def report(shown: list[str], held: set[str], *, as_root: bool) -> Report:
    """Which required layers are missing on this run, and what each one exposes."""
    need = set(REQUIRED) - ({"user-drop"} if not as_root else set())
    missing = {name: exposure(name, as_root=as_root) for name in sorted(need - held)}
    return Report(shown, missing)


def describe_missing(missing: dict[str, str]) -> list[str]:
    """One line per missing layer: what it needs, what the worker can reach meanwhile."""
    return [f"missing isolation layer {name} (needs {REQUIRED[name]}): the worker can reach "
            f"{what}" for name, what in missing.items()]


def refusal(missing: dict[str, str]) -> str:
    """The --strict refusal message."""
    return ("refusing to grade (--strict): " + "; ".join(describe_missing(missing))
            + ". Grade on a machine with these kernel features, or without --strict.")
