"""One sandbox's isolation on the grader's side: the plan, the uid lease, the temp folders,
the layers that held (the grader's and, from its hello, the worker's) and the warnings.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from autograder import paths
from autograder.errors import GraderError
from autograder.sandbox import isolation
from autograder.sandbox.isolation import landlock, report
from autograder.sandbox.isolation.plan import Plan
from autograder.sandbox.limits import Limits
from autograder.sandbox.runtime import PROVISION_HINT
from autograder.worker import messages

ENTRY = "server.py"                 # the worker's entry point, in its copy of worker/
WORKER_FOLDER, WORK_FOLDER = "worker", "work"


@dataclass(frozen=True)
class Settings:
    """What the grader asked of the isolation (see Sandbox)."""

    limits: Limits
    protected: tuple[str, ...] = ()
    drop_privileges: bool = True
    user_name: str = isolation.DEFAULT_USER
    strict: bool = False
    confined: bool = True


class Guard:
    """The isolation of one sandbox, prepared once for every worker it starts."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.layers: list[str] = []
        self.warnings: list[str] = []
        self.skipped: list[str] = []
        self.missing: dict[str, str] = {}  # required layer -> what the worker can reach
        self.plan: Plan | None = None
        self.tmp: str | None = None
        self._held: set[str] = set()
        self._lease: isolation.UidLease | None = None

    def prepare(self, submission: bytes, name: str, probes: Path | None) -> None:
        """Layers, temp dirs (the worker copy, the submission), protected-path check, lease."""
        s = self.settings
        hardened = isolation.harden_grader()
        self.plan = plan = isolation.make_plan(s.limits, drop_privileges=s.drop_privileges,
                                               user_name=s.user_name)
        if not s.confined and plan.pidns:  # the worker will not fork into it
            plan.pidns = False
            plan.layers.remove("pidns")
        self.skipped = list(plan.skipped)
        self._held = report.expected(as_root=os.geteuid() == 0, dropped=plan.user is not None,
                                     seccomp=plan.seccomp is not None)
        abi = landlock.kernel_abi() if s.confined else 0
        if s.strict:  # refuse before anything starts when the kernel lacks a layer
            self._refuse_if_missing(self._held | landlock.offered(abi))
        # The lease first: while we hold it, no other sandbox of our uid sweeps its processes.
        lease = self._take_lease(plan)
        self.tmp = self._make_dirs(plan, submission, name, probes)
        self.layers = hardened + plan.layers + [lease]
        if not abi:  # without the allowlist only file permissions keep the worker out
            self._check_protected(plan)

    def path(self, *parts: str) -> str:
        return os.path.join(self.tmp, *parts)

    def _refuse_if_missing(self, held: set[str]) -> None:
        """Record the missing required layers; under --strict, refuse."""
        found = report.report([], held, as_root=os.geteuid() == 0)
        self.missing = found.missing
        if self.settings.strict and found.missing:
            raise GraderError(report.refusal(found.missing))

    def confined(self, hello: dict) -> None:
        """The worker's own layers (it reported them before any student code ran)."""
        shown, held = report.from_hello(hello["confined"])
        self.layers += [x for x in shown if x not in self.layers]
        self._refuse_if_missing(self._held | held)
        for line in (f"WARNING: {m}" for m in report.describe_missing(self.missing)):
            if line not in self.warnings:  # once, though every restart says hello again
                self.warn(line)
        confined = hello["confined"]
        lock = confined.get("landlock") if "landlock-fs" in held else None
        if lock and self.settings.protected:
            reached = landlock.inside_allowlist(
                list(self.settings.protected), [*lock.get("read", []), *lock.get("write", [])])
            if reached:
                self.warn(f"WARNING: protected paths inside the worker's allowlist: "
                          f"{', '.join(reached[:5])}")
            elif "protected-paths-outside-allowlist" not in self.layers:
                self.layers.append("protected-paths-outside-allowlist")

    def warn(self, msg: str) -> None:
        self.layers.append(msg)
        self.warnings.append(msg)
        warnings.warn(msg, RuntimeWarning, stacklevel=5)

    def kill_everything(self, pid: int, token: str, netns: str | None) -> list[int]:
        """Every process of the worker whose server is ``pid``; the survivors, if any."""
        user = self.plan.user if self.plan else None
        spec = isolation.KillSpec(pid, token, user.uid if user else os.geteuid(), None, netns)
        if self._lease is None or self._lease.fd < 0:
            return isolation.kill_all(spec, keep_zombie=pid)
        with self._lease.exclusive() as alone:
            if alone:  # the uid is ours alone: kill(-1) as it too
                spec = isolation.KillSpec(pid, token, spec.env_uid, user, netns)
            return isolation.kill_all(spec, keep_zombie=pid)

    def close(self) -> None:
        if self._lease is not None:
            self._lease.close()
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def _make_dirs(self, plan: Plan, submission: bytes, name: str, probes: Path | None) -> str:
        """tmp (0711) / worker copy + submission (world-readable) / work (the user's cwd)."""
        tmp = tempfile.mkdtemp(prefix="lcgrader-")
        os.chmod(tmp, 0o711)
        wdir = os.path.join(tmp, WORKER_FOLDER)
        os.mkdir(wdir)
        os.chmod(wdir, 0o755)  # explicit: the grader's umask may be 077
        copies = [(src, os.path.join(wdir, src.name)) for src in paths.WORKER.glob("*.py")]
        if probes is not None:
            copies.append((probes, os.path.join(wdir, messages.ASSIGNMENT_PROBES + ".py")))
        for src, target in [*copies, (None, os.path.join(tmp, name))]:
            with open(target, "wb") as f:
                f.write(submission if src is None else Path(src).read_bytes())
            os.chmod(target, 0o644)
        work = os.path.join(tmp, WORK_FOLDER)
        os.mkdir(work, 0o700)
        if plan.user is not None:
            os.chown(work, plan.user.uid, plan.user.gid)
        return tmp

    def python_problem(self, python: str, why: str) -> str:
        """What to tell the TA when the worker's interpreter does not start with numpy."""
        user = self.plan.user if self.plan else None
        who = f"the sandbox user {user.name!r}" if user else "the worker"
        hint = f" Fix: {PROVISION_HINT}." if user else ""
        return f"{who} cannot run {python} with numpy (Python 3.10+): {why}.{hint}"

    def _take_lease(self, plan: Plan) -> str:
        """With a dedicated uid, hold a shared lease and clear leftovers of older runs."""
        if plan.user is None or not plan.user.dedicated:
            return "cleanup:process-tree"
        try:
            self._lease = isolation.UidLease(plan.user.uid)
        except OSError as e:
            self.skipped.append(f"uid sweep: {e}")
            return "cleanup:process-tree"
        with self._lease.exclusive() as alone:
            if alone:
                isolation.kill_uid(plan.user)
        return "cleanup:uid-sweep"

    def _check_protected(self, plan: Plan) -> None:
        """Probe, as the sandbox user, that no protected path is readable or writable."""
        if not self.settings.protected:
            return
        readable = isolation.readable_paths(self.settings.protected, plan.user)
        if readable:
            shown = ", ".join(readable[:5]) + (" ..." if len(readable) > 5 else "")
            self.warn(f"WARNING: protected paths readable or writable by the worker: {shown}")
        else:
            self.layers.append("protected-paths-unreadable")
