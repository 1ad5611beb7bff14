"""autograder/paths.py: the engine's folders, each one where the kit keeps it."""

from __future__ import annotations

from pathlib import Path

from autograder import paths

ROOT = Path(__file__).resolve().parent.parent


def test_the_kit_is_this_checkout_and_the_engine_its_autograder_package() -> None:
    assert paths.KIT == ROOT
    assert paths.ENGINE == ROOT / "autograder"
    assert (paths.ENGINE / "grade.py").is_file()
    assert (paths.KIT / "kit.py").is_file()


def test_every_folder_is_absolute_inside_the_kit_and_exists() -> None:
    for name in ("ENGINE", "KIT", "ASSIGNMENTS", "WORKER", "GRADESCOPE"):
        folder = getattr(paths, name)
        assert folder.is_absolute() and folder.is_dir(), name
        assert folder == paths.KIT or paths.KIT in folder.parents, name


def test_assignments_hold_this_homeworks_rubric_and_hidden_tests() -> None:
    homework = paths.ASSIGNMENTS / "linear_classifiers"
    assert (homework / "rubric.py").is_file()
    assert sorted(p.name for p in (homework / "hidden").glob("test_*.py"))


def test_the_worker_folder_is_a_package_apart_from_the_tests_and_the_reference() -> None:
    """What is copied for the sandboxed worker: its own package, no hidden test in it."""
    assert (paths.WORKER / "__init__.py").is_file()
    assert paths.WORKER.parent == paths.ENGINE
    names = {p.name for p in paths.WORKER.rglob("*")}
    assert not any(name.startswith("test_") for name in names)
    assert not {"hidden", "rubric.py", "reference.py"} & names


def test_gradescope_folder_holds_what_gradescope_runs() -> None:
    for name in ("run_autograder", "setup.sh", "requirements.txt"):
        assert (paths.GRADESCOPE / name).is_file(), name
