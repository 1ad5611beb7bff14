"""autograder/report/files.py: the kit's one atomic write (linclass/files.py links to it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.report.files import write_atomic


def test_text_is_utf8_and_bytes_are_kept(tmp_path: Path) -> None:
    write_atomic(tmp_path / "a.txt", "reg·ΣW²\r\n")
    write_atomic(tmp_path / "b.png", b"\x89PNG\x00\xff")
    assert (tmp_path / "a.txt").read_bytes() == "reg·ΣW²\r\n".encode()
    assert (tmp_path / "b.png").read_bytes() == b"\x89PNG\x00\xff"
    assert (tmp_path / "b.png").stat().st_mode & 0o777 == 0o644


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "results.json"
    write_atomic(target, "old")
    with pytest.raises(TypeError):
        write_atomic(target, None)  # type: ignore[arg-type]
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["results.json"]


def test_the_student_side_writes_with_this_very_file() -> None:
    """One implementation: linclass/files.py (shipped in the handout) links to the grader's."""
    import autograder.report.files
    import linclass.files

    grader = Path(autograder.report.files.__file__).resolve()
    assert Path(linclass.files.__file__).resolve() == grader
