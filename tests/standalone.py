"""Running a student folder on its own: a notebook in a real kernel whose working folder is
the student's, with neither PYTHONPATH nor any kit variable, as Jupyter runs it."""

from __future__ import annotations

import json
import os
import subprocess
import textwrap
from pathlib import Path

# Runs a notebook in its folder (kernel "python3", cwd = the folder) and saves the executed
# notebook: a student's Run All and Save. Nothing of the kit is imported.
DRIVER = textwrap.dedent("""\
    import json, sys
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(sys.argv[1], as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": "."}}).execute()
    nbformat.write(notebook, sys.argv[1])
    errors = [(c.metadata.get("nbgrader", {}).get("grade_id"), o["ename"], o["evalue"])
              for c in notebook.cells for o in c.get("outputs", []) if o["output_type"] == "error"]
    print(json.dumps(errors))
""")
PROBE = ("import json, sys, linclass, data\n"
         "print(json.dumps([sys.executable, linclass.__file__, data.__file__, sys.path]))")


def clean_env(bin_folder: Path | None = None) -> dict[str, str]:
    """This environment without anything that would lead a kernel to the kit."""
    env = {key: value for key, value in os.environ.items()
           if key not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "CIFAR10_DIR"}
           and not key.startswith(("LINCLASS_", "AUTOGRADER_"))}
    if bin_folder is not None:
        env["PATH"] = os.pathsep.join([str(bin_folder), os.environ["PATH"]])
    return env


def execute(python: Path, folder: Path, notebook: str, env: dict[str, str]
            ) -> list[list[str]]:
    """Run `folder`/`notebook` on the digits set with `python`; the errors it raised."""
    driver = folder.parent / f".{folder.name}-driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    done = subprocess.run([str(python), str(driver), notebook], cwd=folder,
                          env={**env, "LINCLASS_DATASET": "digits"}, capture_output=True,
                          text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


def probe(python: Path, folder: Path, env: dict[str, str]) -> tuple[Path, Path, Path, list[str]]:
    """(the kernel's sys.executable, linclass's and data's __file__, sys.path) in `folder`."""
    notebook = {"cells": [{"cell_type": "code", "execution_count": None, "id": "probe",
                           "metadata": {}, "outputs": [], "source": PROBE}],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (folder / "probe.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    assert execute(python, folder, "probe.ipynb", env) == []
    cell = json.loads((folder / "probe.ipynb").read_text(encoding="utf-8"))["cells"][0]
    (folder / "probe.ipynb").unlink()
    executable, linclass_file, data_file, path = json.loads("".join(cell["outputs"][0]["text"]))
    return Path(executable), Path(linclass_file), Path(data_file), path


def kit_entries(path: list[str], kit: Path) -> list[str]:
    """The entries of a sys.path through which the kit's code could be imported."""
    return [p for p in path if p and (Path(p).resolve() == kit or (Path(p) / "autograder").is_dir()
                                      or (Path(p) / "release" / "handout.py").is_file())]
