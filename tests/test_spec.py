"""autograder/spec.py: an assignment is what its folder declares, checked when it loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder import paths, spec
from autograder.errors import GraderError
from autograder.spec import Assignment, Item


def assignment(**changes) -> Assignment:
    fields = {"folder": Path("/nowhere/toy"), "notebook": "toy.ipynb",
              "reference": Path("/nowhere/ref.ipynb"),
              "answers": {"cell_f": ("f",), "cell_k": ("K",)},
              "items": (Item("test_f", "f", 60, "f"), Item("test_k", "K.fit", 40, "K.fit"))}
    return Assignment(**{**fields, **changes})


def test_the_default_assignment_is_the_kits_homework() -> None:
    default = spec.load()
    assert default.name == spec.default_name() == "linear_classifiers"
    assert default.total == 100 and default.hidden.is_dir() and default.reference.is_file()
    assert spec.load(None) is spec.load("linear_classifiers")


def test_an_unknown_assignment_is_named_with_the_known_ones() -> None:
    with pytest.raises(GraderError, match=r"no assignment 'nope' .*linear_classifiers"):
        spec.load("nope")


def test_items_of_a_cell_follow_the_names_it_defines() -> None:
    toy = assignment()
    assert [i.test for i in toy.items_of("cell_k")] == ["test_k"]
    assert toy.items_of("no_such_cell") == ()
    assert toy.defined == ("f", "K") and toy.by_test["test_f"].points == 60


def test_a_rubric_item_for_no_answer_cell_is_refused() -> None:
    with pytest.raises(GraderError, match=r"test_g"):
        assignment(items=(Item("test_g", "g", 100, "g"),))


def test_only_gradescopes_visibilities_are_accepted() -> None:
    with pytest.raises(GraderError, match="visibility"):
        assignment(visibility="secret")


def test_labels_add_the_generic_mistakes_to_the_assignments_own() -> None:
    toy = assignment(mistakes={"off_by_one": "an index off by one"})
    assert toy.labels["off_by_one"] == "an index off by one"
    assert set(spec.GENERIC_MISTAKES) <= set(toy.labels)
    assert toy.probes is None   # no probes.py in its folder


@pytest.mark.parametrize("name", sorted(p.parent.name
                                        for p in paths.ASSIGNMENTS.glob("*/__init__.py")))
def test_answers_are_exactly_the_references_solution_code_cells(name: str) -> None:
    """The reference notebook says which cells students answer; the spec adds what each
    defines, and the reference defines it."""
    import json

    from autograder.checking.reference import load_reference

    chosen = spec.load(name)
    cells = json.loads(chosen.reference.read_text())["cells"]
    solution = [c["metadata"]["nbgrader"]["grade_id"] for c in cells
                if c["cell_type"] == "code" and c["metadata"].get("nbgrader", {}).get("solution")]
    assert solution == list(chosen.answers)
    reference = load_reference(chosen)
    assert all(hasattr(reference, n) for n in chosen.defined)


def test_an_assignment_whose_import_fails_says_what_is_missing() -> None:
    broken = paths.ASSIGNMENTS / "zz_broken_for_test"
    broken.mkdir()
    try:
        (broken / "__init__.py").write_text("import no_such_module_anywhere\n")
        with pytest.raises(GraderError, match="cannot be loaded: No module named "
                                              "'no_such_module_anywhere'"):
            spec.load("zz_broken_for_test")
    finally:
        (broken / "__init__.py").unlink()
        broken.rmdir()
