#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image
# (Ubuntu 22.04, python3 = 3.10). Only what grading needs, pinned; no conda.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ -z "${AUTOGRADER_SKIP_APT:-}" ]; then
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3 python3-pip
fi
"${AUTOGRADER_PYTHON:-python3}" -m pip install --no-cache-dir --disable-pip-version-check \
  -r "$here/requirements-grader.txt"
