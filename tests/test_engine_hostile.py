"""Attacks on the grader (tests/corpus/hostile/): no more than the honest score, no
secret out, bounded in time, nothing left running, the real results.json in place.

Graded once per session by the `grades` fixture (tests/engine/__init__.py).
"""

from __future__ import annotations

import pytest

from assignments.linear_classifiers import ASSIGNMENT
from tests import notebooks
from tests.corpus import Case
from tests.engine.checks import cases, check_document, failed, outputs, show
from tests.engine.jobs import HOSTILE, JOB_OF


@pytest.fixture(scope="module")
def secrets() -> set[str]:
    """Lines that only the hidden tests and the reference's solutions hold: code lines,
    not messages (the feedback quotes the hidden tests' messages on purpose)."""
    lines = set()
    hidden = ASSIGNMENT.hidden
    for path in sorted(hidden.glob("*.py")):
        for line in path.read_text().splitlines():
            line = line.strip()
            if (len(line) >= 20 and not line.startswith(("#", "from ", "import "))
                    and '"' not in line and "'" not in line):
                lines.add(line)
    for cell in notebooks.load()["cells"]:
        source = "".join(cell["source"])
        while "### BEGIN SOLUTION" in source:
            _, _, rest = source.partition("### BEGIN SOLUTION")
            solution, _, source = rest.partition("### END SOLUTION")
            lines |= {line.strip() for line in solution.splitlines()
                      if len(line.strip()) >= 20 and not line.strip().startswith("#")}
    assert len(lines) > 100
    return lines


@pytest.mark.parametrize("case", cases(HOSTILE))
def test_hostile(case: Case, grades, secrets: set[str]) -> None:
    """No more than the honest score, no secret out, bounded, nothing left running, and
    the real results.json in place."""
    result = grades(JOB_OF[case.id])
    document = result["document"]
    check_document(document)
    assert document["score"] <= case.score, (
        f"scored {document['score']}, above its honest {case.score}:\n"
        f"{show(document, case.fails - failed(document))}")
    text = "\n".join([document["output"], *outputs(document).values()])
    leaked = sorted(line for line in secrets if line in text and line not in result["code"])
    assert not leaked, f"hidden lines in the feedback: {leaked[:5]}"
    assert result["seconds"] < case.budget, f"grading took {result['seconds']:.1f} s"
    assert result["results_file"] == document, f"results.json: {result['results_file']!r:.300}"
    if case.lingers:
        assert result["started"], "the case started no process: nothing was tested"
    assert not result["alive"], f"processes survived grading: {result['alive']}"
    before, after = result["heartbeat"]
    assert before == after, f"something kept writing after grading ({before} -> {after} bytes)"
    assert case.evidence in text, f"no sign that the attack ran ({case.evidence!r})"
    failing = failed(document) - case.flaky
    assert failing == case.fails - case.flaky, (
        f"expected {case.score} (failing {sorted(case.fails)}), got {document['score']}:\n"
        f"{show(document, failing ^ case.fails)}")
