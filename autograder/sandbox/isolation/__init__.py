"""Isolation layers for the untrusted worker (trusted side; Linux only), one module each.

``make_plan()`` (plan.py) decides which layers this machine supports; ``Plan.apply()``
runs in the worker between fork and exec. In the order they are applied, and why:

1. grader hardening (libc.py): the grader itself is not dumpable (a same-uid worker
   cannot ptrace it or read its /proc files) and a child subreaper (orphans come back);
2. the leases (lease.py): each concurrent grade on a machine takes its own sandbox
   user; while one sandbox of a uid holds that uid's lease alone it may sweep that uid
   (cleanup.py), and no other sandbox sweeps under it;
3. the protected-path check (protected.py), when Landlock will not hold: no protected
   path may be readable or writable by the worker's account;
4. a separate process with a clean environment (env.py) and a fresh cwd;
5. namespaces (namespaces.py): its own network namespace and a PID namespace whose
   pid 1 is the worker server, unshared first (as root it needs CAP_SYS_ADMIN, which
   the drop removes; without root the user namespace maps our own ids);
6. rlimits (rlimits.py): CPU, address space, file size, open files, processes, no core
   dumps, before the drop (as root they may exceed the current hard limits);
7. the user drop (user.py): as root, a dedicated unprivileged user, then pdeathsig (a
   uid change clears it);
8. no-new-privs + seccomp (seccomp.py) last: only AF_UNIX sockets;
9. Landlock (landlock.py: what this kernel offers; applied by the worker itself after
   exec, worker/confine.py): a file-system allowlist and signal scope, before any
   student code runs, reported in its hello;
10. the layer report (report.py): what held, what is missing and what that exposes.

``cleanup.kill_all()`` removes every process a worker left behind.
"""

from autograder.sandbox.isolation.cleanup import KillSpec, kill_all, kill_uid, scan_processes
from autograder.sandbox.isolation.env import TOKEN_VAR, clean_env
from autograder.sandbox.isolation.lease import UidLease, lease_user
from autograder.sandbox.isolation.libc import harden_grader
from autograder.sandbox.isolation.namespaces import netns_of
from autograder.sandbox.isolation.plan import Plan, make_plan, plan_isolation
from autograder.sandbox.isolation.protected import expand_paths, readable_paths
from autograder.sandbox.isolation.rlimits import rlimits_for
from autograder.sandbox.isolation.seccomp import SeccompFilter, seccomp_probe, seccomp_program
from autograder.sandbox.isolation.user import DEFAULT_USER, SandboxUser, ensure_sandbox_user
from autograder.sandbox.limits import Limits

__all__ = ["DEFAULT_USER", "TOKEN_VAR", "KillSpec", "Limits", "Plan", "SandboxUser",
           "SeccompFilter", "UidLease", "clean_env", "ensure_sandbox_user", "expand_paths",
           "harden_grader", "kill_all", "kill_uid", "lease_user", "make_plan", "netns_of",
           "plan_isolation", "readable_paths", "rlimits_for", "scan_processes",
           "seccomp_probe", "seccomp_program"]
