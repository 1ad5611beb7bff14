"""Wrong answers: each loses points in exactly `fails`, each failing test's output with `hint`.

One answer cell each, otherwise the reference. Where the grader knows the mistake the
hint names it; elsewhere the hint is the part of the message that says what differed.
One module per family of functions, each with two lists:

* INVENTED: plausible mistakes, written for the kit;
* REAL: mistakes seen in real student code, public CS231n assignment-1 forks.

A case that stands for a pattern of the research catalogue written for issue 11 (a
reading of the stored public copies of linear_svm.py, softmax.py, linear_classifier.py
and gradient_check.py of 55 forks) says so: `pattern` is the catalogue's id, `forks`
where it was seen (owner/repo:file@first 8 hex digits of the commit read), `mistake` the
id the grader should name. Every case is written here, on the kit's own reference pieces
(pieces.py), in the kit's conventions: the facts of a pattern carry over, none of a fork's
code does. File names: P = cs231n/classifiers/linear_svm.py, S = cs231n/classifiers/softmax.py,
L = cs231n/classifiers/linear_classifier.py, G = cs231n/gradient_check.py.
"""

from __future__ import annotations

from tests.corpus.mistakes import classifier, gradients, softmax, svm

# In the order the cases were first written: bundles() groups cases first come, first
# served, and tests/corpus/scores.json holds what the grader gave these groups.
CASES = [*svm.INVENTED, *softmax.INVENTED, *gradients.INVENTED, *classifier.INVENTED,
         *svm.REAL, *softmax.REAL, *classifier.REAL, *gradients.REAL]
