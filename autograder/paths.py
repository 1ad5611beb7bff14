"""Where the engine's own files are: every path of the kit is derived from these."""

from __future__ import annotations

from pathlib import Path

ENGINE = Path(__file__).resolve().parent      # autograder/
KIT = ENGINE.parent                           # the kit (on Gradescope: /autograder/source)
ASSIGNMENTS = KIT / "assignments"             # one folder per assignment
WORKER = ENGINE / "worker"                    # copied for the sandboxed worker, nothing else
GRADESCOPE = ENGINE / "integrations" / "gradescope"
