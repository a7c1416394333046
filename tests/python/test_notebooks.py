"""The notebooks are kept working (docs/architecture.md 4.8): each runs top to bottom
without an error, in the project's environment, on a small world in well
under a minute; outputs are stripped in git."""

import json
import os
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
EXPECTED = [
    "01-quickstart",
    "02-compare-policies",
    "03-price-effect",
    "04-funding-brief",
    "05-what-drives-outcomes",
    "06-calibration",
    "07-codevelopment-history",
]
KERNEL = "codev-tests"


def notebooks():
    return sorted(NOTEBOOKS.glob("*.ipynb"))


@pytest.fixture(scope="session")
def kernel_name(tmp_path_factory):
    """A kernel spec for this very interpreter (the project's .venv under
    scripts/test.sh), put first on JUPYTER_PATH so that no kernel installed
    elsewhere on the machine can stand in for it."""
    data = tmp_path_factory.mktemp("jupyter")
    spec = data / "kernels" / KERNEL
    spec.mkdir(parents=True)
    spec.joinpath("kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "codev (tests)",
                "language": "python",
            }
        )
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_PATH", os.pathsep.join(filter(None, [str(data), os.environ.get("JUPYTER_PATH")])))
        yield KERNEL


def test_the_notebooks_are_there():
    assert [p.stem for p in notebooks()] == EXPECTED


@pytest.mark.parametrize("path", notebooks(), ids=lambda p: p.stem)
def test_outputs_are_stripped(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: strip the outputs"


@pytest.mark.parametrize("path", notebooks(), ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path, kernel_name):
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook, timeout=300, kernel_name=kernel_name, resources={"metadata": {"path": str(NOTEBOOKS)}}
    )
    started = time.monotonic()
    client.execute()  # raises CellExecutionError, with the cell and its traceback, on any error
    elapsed = time.monotonic() - started
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "a notebook tells its story with figures"
    assert elapsed < 120, f"{path.name} took {elapsed:.0f} s: keep notebooks on a small world"
