"""isolation/report.py: which required layers are missing, and what each one exposes."""

from __future__ import annotations

from autograder.sandbox.isolation import report as layer_report


def test_report_pure() -> None:
    found = layer_report.report([], {"seccomp", "nondumpable", "landlock-fs"}, as_root=False)
    assert list(found.missing) == ["landlock-scope"]
    assert "the grader included" in found.missing["landlock-scope"]
    assert "user-drop" in layer_report.report([], set(), as_root=True).missing


def test_from_hello_trusts_only_well_formed_reports() -> None:
    shown, held = layer_report.from_hello({"nondumpable": True, "landlock": {"abi": 6,
                                           "read": ["/a"], "scoped": True}})
    assert held == {"nondumpable", "landlock-fs", "landlock-scope"} and len(shown) == 3
    assert layer_report.from_hello({"nondumpable": "yes", "landlock": {"abi": "6"}}) == ([], set())
    assert layer_report.from_hello(None) == ([], set())
