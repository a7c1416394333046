"""Shipped scenarios found by name (issue 19, item 5): `codev run NAME`, `codev
validate NAME`, `codev sweep NAME`, `codev.scenarios()` and
`codev.Scenario.load(NAME)`, from any directory."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import codev

ROOT = Path(__file__).resolve().parents[2]
open_results = codev.open  # the tests below take the `codev` command fixture, which hides the module
SHIPPED = sorted(p.stem for p in (ROOT / "scenarios").glob("*.toml"))


def run(codev_command, *args, cwd):
    return subprocess.run([codev_command, *map(str, args)], capture_output=True, text=True, cwd=cwd, check=False)


def test_codev_scenarios_lists_the_shipped_files():
    assert codev.scenarios() == SHIPPED and "mali-kayes-baseline" in SHIPPED


def test_a_shipped_scenario_loads_by_name_in_python():
    scenario = codev.Scenario.load("codev-share-70")
    assert scenario.name == "codev-share-70" and Path(scenario.path).parent == ROOT / "scenarios"
    with pytest.raises(FileNotFoundError, match=r"no shipped scenario of that name .*mali-kayes-baseline"):
        codev.Scenario.load("no-such-scenario")


def test_the_command_runs_and_validates_shipped_scenarios_by_name_from_any_directory(codev, tmp_path):
    result = run(codev, "run", "mali-kayes-baseline", "codev-share-70", "-r", 1, "-q", "--out", "r.h5", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    with open_results(tmp_path / "r.h5") as results:
        assert results.scenarios == ["mali-kayes-baseline", "codev-share-70"]
    result = run(codev, "validate", "three-for-one", "no-such-scenario", "fee-cut-3pct", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout.count("ok: ") == 2
    assert "no scenario file 'no-such-scenario', and no shipped scenario of that name (shipped: " in result.stderr


def test_a_file_in_the_directory_is_taken_before_a_shipped_name(codev, tmp_path):
    (tmp_path / "codev-share-70").write_text("this is not TOML = = =\n")
    result = run(codev, "validate", "codev-share-70", cwd=tmp_path)
    assert result.returncode == 2 and "codev-share-70" in result.stderr and "shipped" not in result.stderr


@pytest.mark.skipif(
    os.environ.get("CODEV_SLOW_TESTS") != "1",
    reason="builds and installs the package in a fresh environment, ~3 min: CODEV_SLOW_TESTS=1",
)
def test_pip_install_in_a_fresh_environment_runs_a_shipped_scenario_by_name(tmp_path):
    """issue 19's test of done: `pip install .` in a fresh virtual environment, then
    `codev run mali-kayes-baseline` from another directory (dependencies from PyPI)."""
    env = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", env], check=True)
    subprocess.run([env / "bin" / "pip", "install", "-q", ROOT], check=True, cwd=tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run(env / "bin" / "codev", "run", "mali-kayes-baseline", "-r", 1, "-q", "--out", "r.h5", cwd=elsewhere)
    assert result.returncode == 0 and (elsewhere / "r.h5").is_file(), result.stderr
    listed = subprocess.run(
        [env / "bin" / "python", "-c", "import codev, codev.calibrate; print(codev.scenarios())"],
        capture_output=True,
        text=True,
        check=True,
        cwd=elsewhere,
    )
    assert "mali-kayes-baseline" in listed.stdout
