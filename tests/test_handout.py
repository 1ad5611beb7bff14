"""The student handout's contents: what it holds, what it never holds, reproducible and small.

tests/test_handout_standalone.py runs it away from the kit, in its own virtual environment.
"""

from __future__ import annotations

import json
import re
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest

from assignments.linear_classifiers import ASSIGNMENT
from release import __main__ as release_main
from release import handout
from release.pipeline import render

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "solutions" / "linear_classifiers.ipynb"
MIN_LINE = 20  # characters after stripping: shorter lines are too common to mean a leak
# Lines that name a module, catch an exception or are nbgrader's own stub (the release has
# one per answer) say nothing about an answer or a test.
BOILERPLATE = re.compile(r"^(import \S|from \S+ import |except\b.*:$|raise NotImplementedError)")
EXPECTED = {
    "README.md", "environment.yml", "requirements.txt", "submit.py", "linear_classifiers.ipynb",
    "data/README.md", "data/__init__.py", "data/cifar10.py", "data/cifar10_batches.py",
    "data/cifar10_cache.py", "data/datasets.py", "data/digits.npz", "data/digits.py",
    "data/download.py",
    "linclass/__init__.py", "linclass/assignment.py", "linclass/checks.py", "linclass/colab.py",
    "linclass/collect.py", "linclass/files.py", "linclass/locate.py", "linclass/loss_checks.py",
    "linclass/plots.py", "linclass/run.py", "linclass/step_checks.py", "linclass/verdict.py",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return handout.build(render(SOURCE), tmp_path_factory.mktemp("dist"))


def zip_texts(archive: Path) -> dict[str, str]:
    with zipfile.ZipFile(archive) as zf:
        return {name: zf.read(name).decode("utf-8", "replace") for name in zf.namelist()}


def solution_lines(notebook: dict) -> tuple[set[str], str]:
    """(the stripped lines inside the solution regions and written answers, the text of
    everything else in the notebook that students are given)."""
    answers, given = set(), []
    for cell in notebook["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        lines = "".join(cell["source"]).splitlines()
        if cell["cell_type"] == "markdown" and meta.get("solution"):
            answers.update(line.strip() for line in lines)
            continue
        region = None
        for line in lines:
            marker = re.search(r"### (BEGIN|END) (SOLUTION|HIDDEN TESTS)", line)
            if marker:
                region = marker[2] if marker[1] == "BEGIN" else None
            elif region == "SOLUTION":
                answers.add(line.strip())
            elif region is None:
                given.append(line)
    return answers, "\n".join(given)


def instructor_lines() -> set[str]:
    """Every line of the instructor's side that must never reach students: the reference
    answers, the hidden tests, the mistakes catalogue and the test corpus. Lines that the
    notebook itself gives students (stub signatures, the given code around each answer) and
    import or except lines are not evidence of a leak and are left out."""
    answers, given = solution_lines(json.loads(SOURCE.read_text(encoding="utf-8")))
    files = [*ASSIGNMENT.hidden.rglob("*"), ASSIGNMENT.folder / "mistakes.py",
             *(ROOT / "tests" / "corpus").rglob("*")]
    lines = set(answers)
    for path in files:
        if path.is_file() and path.suffix == ".py":
            lines.update(line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return {line for line in lines if len(line) >= MIN_LINE
            and not BOILERPLATE.match(line) and line not in given}


def leaks(texts: dict[str, str], forbidden: set[str]) -> list[tuple[str, str]]:
    return sorted((name, line) for name, text in texts.items() for line in forbidden
                  if line in text)


def test_handout_holds_the_student_files_and_nothing_else(built: tuple[Path, Path]) -> None:
    folder, archive = built
    names = set(zip_texts(archive))
    assert names == {f"{handout.NAME}/{name}" for name in EXPECTED}
    assert {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} == EXPECTED


def test_folder_and_zip_hold_the_same_bytes(built: tuple[Path, Path]) -> None:
    folder, archive = built
    with zipfile.ZipFile(archive) as zf:
        for name in EXPECTED:
            assert zf.read(f"{handout.NAME}/{name}") == (folder / name).read_bytes(), name


def test_notebook_is_the_student_release(built: tuple[Path, Path]) -> None:
    folder, _ = built
    assert (folder / "linear_classifiers.ipynb").read_text(encoding="utf-8") == (
        ROOT / "assignment" / "linear_classifiers.ipynb").read_text(encoding="utf-8")


def test_zip_is_reproducible_to_the_byte(built: tuple[Path, Path], tmp_path: Path) -> None:
    _, again = handout.build(render(SOURCE), tmp_path)
    assert again.read_bytes() == built[1].read_bytes()
    with zipfile.ZipFile(again) as zf:
        infos = zf.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {handout.FIXED_TIME}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}


def test_zip_stays_under_one_megabyte_with_the_digits(built: tuple[Path, Path]) -> None:
    _, archive = built
    assert f"{handout.NAME}/data/digits.npz" in zip_texts(archive)
    assert archive.stat().st_size < 2**20


def test_no_instructor_line_is_in_any_file_of_the_zip(built: tuple[Path, Path]) -> None:
    forbidden = instructor_lines()
    assert len(forbidden) > 800  # the sources were read: hidden tests, corpus, answers
    assert leaks(zip_texts(built[1]), forbidden) == []


def test_the_leak_search_finds_a_leak() -> None:
    """What the test above would see if a reference answer or a hidden test slipped in."""
    forbidden = instructor_lines()
    answers, _ = solution_lines(json.loads(SOURCE.read_text(encoding="utf-8")))
    hidden = (ASSIGNMENT.hidden / "test_losses.py").read_text(encoding="utf-8")
    for planted in (max(answers, key=len), hidden):
        assert leaks({"linclass/checks.py": f"x = 1\n{planted}\n"}, forbidden)


def test_no_grader_or_kit_code_is_shipped(built: tuple[Path, Path]) -> None:
    texts = zip_texts(built[1])
    for text in texts.values():
        assert "import autograder" not in text and "from autograder" not in text
        assert "from release" not in text and "BEGIN SOLUTION" not in text
    assert not [name for name in texts if name.endswith((".pyc", ".db")) or "cifar-10" in name]


def test_student_requirements_are_the_kits_pins() -> None:
    kit = pins(ROOT / "requirements.txt")
    students = pins(handout.TOP_LEVEL / "requirements.txt")
    assert set(students) == {"numpy", "matplotlib", "threadpoolctl", "tqdm", "nbformat",
                             "nbclient", "nbconvert", "ipykernel"}
    assert {name: kit[name] for name in students} == students
    conda = (handout.TOP_LEVEL / "environment.yml").read_text(encoding="utf-8")
    assert f"jupyterlab={version('jupyterlab')}" in conda and "-r requirements.txt" in conda


def test_nbgrader_source_gets_real_copies(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "stale.py").write_text("old = True\n")
    handout.carry_student_files(tmp_path)
    files = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert files == EXPECTED - {"linear_classifiers.ipynb"}
    assert not any(p.is_symlink() for p in tmp_path.rglob("*"))
    assert (tmp_path / "data" / "digits.npz").read_bytes() == (
        ROOT / "data" / "digits.npz").read_bytes()


def test_python_m_release_writes_the_handout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setattr(handout, "DIST", tmp_path / "dist")
    monkeypatch.setattr(release_main, "COURSE_SOURCE", tmp_path / "course")
    assert release_main.write(tmp_path / "linear_classifiers.ipynb", render(SOURCE)) == 0
    assert (tmp_path / "dist" / "linear_classifiers.zip").is_file()
    assert (tmp_path / "dist" / "linear_classifiers" / "submit.py").is_file()
    assert (tmp_path / "course" / "data" / "digits.npz").is_file()
    assert "linear_classifiers.zip" in capsys.readouterr().out


def pins(path: Path) -> dict[str, str]:
    found = re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", path.read_text(encoding="utf-8"),
                       re.MULTILINE)
    return {name.lower(): pinned for name, pinned in found}
