"""nbgrader configuration of the linear-classifiers course (README.md beside this file).

The course root is the folder nbgrader runs in: this one (`cd nbgrader_course`), or any
folder given with `--CourseDirectory.root=...`, which loads this file from that folder.
"""

import os
import sys
import sysconfig
from pathlib import Path

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import GetGrades

c = get_config()  # noqa: F821 -- defined by traitlets when nbgrader loads this file
HERE = Path(__file__).resolve().parent  # also when a course elsewhere links to this file
if str(HERE) not in sys.path:  # nbgrader may load this file twice (cwd and course root)
    sys.path.insert(0, str(HERE))
from feedback_filters import ClearHiddenTestsFromFeedback

# The kit: the folder above this file's real location, unless LINCLASS_ROOT says otherwise.
# The notebook imports `data` and `linclass` from its own folder (`python -m release` puts them
# in source/linear_classifiers/, and nbgrader copies them into every folder it runs); the
# hidden tests import the kit's `autograder`, found through the PYTHONPATH that the kernels
# nbgrader starts inherit from this environment.
KIT = Path(os.environ.get("LINCLASS_ROOT") or HERE.parent)
os.environ["LINCLASS_ROOT"] = str(KIT)
if str(KIT) not in os.environ.get("PYTHONPATH", "").split(os.pathsep):
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(KIT), os.environ.get("PYTHONPATH")) if p)

# nbgrader creates its gradebook by running an `alembic` executable found on PATH. It sits
# beside this interpreter (.venv/bin), which is not on PATH when a TA runs .venv/bin/nbgrader
# without activating the environment: put it first.
SCRIPTS = sysconfig.get_path("scripts")
if os.environ.get("PATH", "").split(os.pathsep)[0] != SCRIPTS:
    os.environ["PATH"] = os.pathsep.join(p for p in (SCRIPTS, os.environ.get("PATH")) if p)

c.CourseDirectory.course_id = "linear_classifiers"

# Scores come from the hidden section of each tests cell, which runs the autograder on the
# submission (autograder/integrations/nbgrader.py). The whole notebook runs too, experiments
# included: on CIFAR-10 its training and search cells take minutes (the scores do not depend on the
# dataset: LINCLASS_DATASET=digits makes autograding fast).
c.Execute.timeout = 1800

# nbgrader's feedback shows the hidden tests by default: remove them, from the sources as the
# release does and from the tracebacks that quote them (feedback_filters.py). Their outputs stay:
# the autograder's points and messages, which students may read.
c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTestsFromFeedback,
                                    CSSHTMLHeaderPreprocessor]
