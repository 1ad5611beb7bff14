"""Both notebooks run top to bottom in a real Jupyter kernel on the embedded dataset."""

from __future__ import annotations

from pathlib import Path

import pytest

from release.execute import errors, execute

ROOT = Path(__file__).resolve().parent.parent
PLOTS = ["examples.png", "loss_curves.png", "svm_search.png", "softmax_search.png",
         "svm_templates.png", "softmax_templates.png"]
STUBS = {"svm_loss_naive", "svm_loss_vectorized", "softmax_loss_naive",
         "softmax_loss_vectorized", "eval_numerical_gradient", "grad_check_sparse",
         "rel_error", "linear_classifier"}


@pytest.fixture(scope="module")
def reference_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, Path]:
    workdir = tmp_path_factory.mktemp("reference")
    notebook = execute(ROOT / "solutions" / "linear_classifiers.ipynb", workdir,
                       dataset="digits", allow_errors=True)
    return notebook, workdir


def test_reference_runs_without_error(reference_run: tuple[object, Path]) -> None:
    notebook, _ = reference_run
    assert errors(notebook) == []


def test_reference_passes_every_visible_check(reference_run: tuple[object, Path]) -> None:
    notebook, _ = reference_run
    text = "".join(out.get("text", "") for cell in notebook.cells
                   for out in cell.get("outputs", []) if out.get("name") == "stdout")
    assert text.count("OK   ") >= 36
    assert "best SVM validation accuracy" in text and "test accuracy" in text


@pytest.mark.parametrize("plot", PLOTS)
def test_reference_writes_its_plots(reference_run: tuple[object, Path], plot: str) -> None:
    path = reference_run[1] / plot
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 5_000


def test_student_notebook_fails_only_at_stubs(tmp_path: Path) -> None:
    notebook = execute(ROOT / "assignment" / "linear_classifiers.ipynb", tmp_path,
                       dataset="digits", allow_errors=True)
    found = errors(notebook)
    assert found, "the blank notebook should stop at its stubs"
    assert {ename for _, ename, _ in found} == {"NotImplementedError"}
    assert {gid for gid, _, _ in found if gid and gid.startswith("check_")} == {
        f"check_{stub}" for stub in STUBS}


def test_colab_cell_does_nothing_elsewhere(reference_run: tuple[object, Path]) -> None:
    notebook, workdir = reference_run
    cell = next(c for c in notebook.cells if c.get("id") == "colab-setup")
    assert "google.colab" in cell.source and cell.outputs == []
    # It did not move the kernel: the plots of later cells landed in the working folder.
    assert (workdir / "examples.png").is_file()
