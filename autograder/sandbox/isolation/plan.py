"""Which layers this machine supports, and ``Plan.apply()``, which applies them to the
worker between fork and exec (``preexec_fn``)."""

from __future__ import annotations

import os
import resource
import signal
from dataclasses import dataclass, field

from autograder.sandbox.isolation.cleanup import count_threads
from autograder.sandbox.isolation.libc import PR_SET_PDEATHSIG, prctl
from autograder.sandbox.isolation.namespaces import enter_netns, netns_probe
from autograder.sandbox.isolation.rlimits import rlimits_for
from autograder.sandbox.isolation.seccomp import SeccompFilter, seccomp_probe, seccomp_program
from autograder.sandbox.isolation.user import (
    DEFAULT_USER,
    SandboxUser,
    drop_to,
    ensure_sandbox_user,
)
from autograder.sandbox.limits import Limits


@dataclass
class Plan:
    """What ``apply()`` does in the worker between fork and exec, and what it amounts to."""

    user: SandboxUser | None
    rlimits: list[tuple[int, int]]
    netns: bool = False
    pidns: bool = False             # with netns only: one unshare() makes both
    netns_as_root: bool = True
    seccomp: SeccompFilter | None = None
    layers: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    ids: tuple[int, int] = (0, 0)

    def apply(self) -> None:
        """preexec_fn, between fork and exec. The order is forced:

        1. unshare first: as root it needs CAP_SYS_ADMIN, which the drop below removes;
           without root the user namespace maps our own ids, so no id may change before.
        2. rlimits before the drop: as root they may be set above the current hard limits.
        3. the drop (setgroups, setgid, setuid), then pdeathsig: a uid change clears it.
        4. seccomp last of all, with no-new-privs (which an unprivileged filter requires).
        Landlock comes after exec, in the worker itself (worker/confine.py): exec needs the
        interpreter to be executable, and the worker grants no execute right at all; its
        rules name paths only the started interpreter knows (its stdlib, numpy, the loaded
        libraries). It restricts itself before any student code runs.
        """
        if self.netns:
            enter_netns(self.netns_as_root, self.ids, self.pidns)
        for res, value in self.rlimits:
            hard = resource.getrlimit(res)[1]  # without root we may only lower a hard limit
            if hard != resource.RLIM_INFINITY and os.geteuid() != 0:
                value = min(value, hard)
            resource.setrlimit(res, (value, value))
        if self.user is not None:
            drop_to(self.user)
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if self.seccomp is not None:
            self.seccomp.install()
        os.umask(0o077)



def plan_isolation(limits: Limits, *, euid: int, drop_privileges: bool,
                   user: SandboxUser | None, netns: tuple[bool, str],
                   seccomp: tuple[SeccompFilter | None, str], user_threads: int = 0,
                   pidns: tuple[bool, str] = (False, "pidns: not tried")) -> Plan:
    """Pure layer selection from what the probes found (unit-testable)."""
    privileged = euid == 0 and drop_privileges and user is not None
    layers = ["process", "clean-env", "fresh-cwd"]
    skipped = []
    # RLIMIT_NPROC counts every thread of the real uid: without a drop, leave room for ours.
    nproc = limits.processes if privileged else user_threads + limits.processes
    layers.append("rlimits" if privileged or euid != 0 else "rlimits(nproc unenforced: root)")
    if privileged:
        layers.append(f"user:{user.name}({user.uid})" + ("" if user.dedicated else ",shared"))
    else:
        skipped.append("user drop: " + ("disabled" if euid == 0 else "not running as root"))
    if netns[0]:
        layers.append("netns" if euid == 0 else "userns+netns")
    else:
        skipped.append(netns[1])
    if netns[0] and pidns[0]:
        layers.append("pidns")
    else:
        skipped.append(pidns[1])
    if seccomp[0] is not None:
        layers += ["no-new-privs", "seccomp:socket-af_unix-only"]
    else:
        skipped.append(seccomp[1])
    layers.append("pdeathsig")
    return Plan(user=user if privileged else None, rlimits=rlimits_for(limits, nproc),
                netns=netns[0], pidns=netns[0] and pidns[0], netns_as_root=euid == 0,
                seccomp=seccomp[0],
                layers=layers, skipped=skipped, ids=(os.getuid(), os.getgid()))


def make_plan(limits: Limits, *, drop_privileges: bool = True,
              user_name: str = DEFAULT_USER) -> Plan:
    """Probe this machine and choose the layers."""
    euid = os.geteuid()
    user = ensure_sandbox_user(user_name) if euid == 0 and drop_privileges else None
    ok, reason = seccomp_probe()
    filt = SeccompFilter(seccomp_program()[0]) if ok else None
    threads = 0 if user is not None else count_threads(os.getuid())
    return plan_isolation(limits, euid=euid, drop_privileges=drop_privileges, user=user,
                          netns=netns_probe(euid == 0), seccomp=(filt, reason),
                          pidns=netns_probe(euid == 0, pid=True),
                          user_threads=threads)
