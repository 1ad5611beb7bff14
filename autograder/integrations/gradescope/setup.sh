#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image (Ubuntu 22.04,
# python3 = 3.10). Everything goes into a virtual environment of its own: never into the
# system's python, which PEP 668 images (Debian 12, Ubuntu 24.04) refuse anyway. Only what
# grading needs, pinned; no conda.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${AUTOGRADER_VENV:-/opt/lcgrader-venv}"
base="${AUTOGRADER_BASE_PYTHON:-python3}"
if [ -z "${AUTOGRADER_SKIP_APT:-}" ]; then
  apt-get update -q
  # python3-venv: without it Ubuntu's and Debian's python3 has no ensurepip, so no venv.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    python3 python3-venv
fi
umask 022
"$base" -m venv --clear "$venv"
"$venv/bin/python" -m pip install --no-cache-dir --disable-pip-version-check --no-input \
  -r "$here/requirements-grader.txt"
# World-readable: as root the student's worker runs as an unprivileged user with this python.
chmod -R a+rX "$venv"
