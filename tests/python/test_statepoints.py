"""Statepoints, forks and checkpoints from the command line and from Python
(docs/statepoints.md): every way of sharing a past gives the numbers of runs
from the first month, variable by variable, and bad input gets one line."""

import os
import signal
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

import codev as codev_api
from conftest import SMALL

# Where the scenarios fork: not part of what must equal.
FORK_VARIABLES = {"scenario_forked_from", "scenario_fork_month"}


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> dict:
    """A small history (a programme from year 2, a 24-month spin-up) and two
    futures that add a programme in year 4: the shape of Mali's history and its futures."""
    folder = tmp_path_factory.mktemp("history")
    base = SMALL / "mali-kayes-baseline.toml"
    (folder / "hist.toml").write_text(
        f'extends = "{base}"\nbaseline = true\nstart_date = "2020-01-01"\nspinup_months = 24\n'
        "[programmes.old]\nstart_year = 2\nshare = 0.7\ncap_xof = 30000000\nbudget_per_year_xof = 200000000\n"
        "[programmes.old.registration_support]\nrate_per_year = 0.3\ncost_xof = 100000\n"
    )
    (folder / "future-a.toml").write_text(
        'extends = "hist.toml"\n[programmes.new]\nstart_year = 4\nshare = 0.8\nbudget_per_year_xof = 400000000\n'
    )
    (folder / "future-b.toml").write_text(
        'extends = "hist.toml"\n[programmes.aaa]\nstart_year = 4\nrule = "ratio"\nratio = 3.0\n'
        "budget_per_year_xof = 400000000\n"
    )
    return {name: folder / f"{name}.toml" for name in ("hist", "future-a", "future-b")}


def run(codev, *args, check=True, env=None):
    result = subprocess.run([codev, "run", *map(str, args), "-q"], capture_output=True, text=True, env=env, check=False)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def assert_same_numbers(path_a, path_b, scenarios=None):
    """Every variable of two results files equal (the fork records aside), for `scenarios`."""
    with xr.open_dataset(path_a) as a, xr.open_dataset(path_b) as b:
        if scenarios is not None:
            a, b = a.sel(scenario=scenarios), b.sel(scenario=scenarios)
        names = set(a.variables) - FORK_VARIABLES
        assert names == set(b.variables) - FORK_VARIABLES
        for name in sorted(names):
            assert a[name].identical(b[name]) or np.array_equal(a[name].values, b[name].values), name


def test_forks_give_the_numbers_of_separate_runs_and_say_where_they_forked(codev, history, tmp_path):
    paths = [history["hist"], history["future-a"], history["future-b"]]
    run(codev, *paths, "-r", "3", "--seed", "5", "-o", tmp_path / "forked.h5")
    run(codev, *paths, "-r", "3", "--seed", "5", "-o", tmp_path / "separate.h5", "--no-forks")
    assert_same_numbers(tmp_path / "forked.h5", tmp_path / "separate.h5")
    with xr.open_dataset(tmp_path / "forked.h5") as forked:
        assert list(forked.scenario_forked_from.values) == ["", "hist", "hist"]
        assert list(forked.scenario_fork_month.values) == [-24, 48, 48]
    with xr.open_dataset(tmp_path / "separate.h5") as separate:
        assert list(separate.scenario_forked_from.values) == ["", "", ""]


def test_futures_continued_from_saved_statepoints_equal_runs_from_the_first_month(codev, history, tmp_path):
    run(codev, history["hist"], "-r", "3", "--seed", "9", "--save-state", "2024-01", "-o", tmp_path / "h.h5")
    states = tmp_path / "h.states" / "hist"
    assert sorted(p.name for p in states.iterdir()) == ["r0000.h5", "r0001.h5", "r0002.h5"]
    out = tmp_path / "futures.h5"
    run(codev, history["future-a"], history["future-b"], "-r", "3", "--from", states, "-o", out)
    whole = tmp_path / "whole.h5"
    run(codev, *history.values(), "-r", "3", "--seed", "9", "--no-forks", "-o", whole)
    assert_same_numbers(out, whole, ["future-a", "future-b"])
    with xr.open_dataset(out) as futures:
        assert int(futures.attrs["seed"]) == 9  # the statepoints' seed
        assert futures.scenario_fork_month.values.tolist() == [48, 48]
        assert futures.scenario_forked_from.values.tolist()[0] == "hist"


def test_python_continues_and_saves_statepoints_like_the_command(codev, history, tmp_path):
    run(codev, history["hist"], "-r", "2", "--seed", "4", "--save-state", "30", "-o", tmp_path / "h.h5")
    results = codev_run_from(history, tmp_path / "h.states" / "hist")
    run(codev, history["future-a"], "-r", "2", "--from", tmp_path / "h.states" / "hist", "-o", tmp_path / "cli.h5")
    expected = codev_api.open(tmp_path / "cli.h5").to_xarray()
    for name in set(expected.data_vars) - FORK_VARIABLES:
        np.testing.assert_array_equal(results.to_xarray()[name].values, expected[name].values, err_msg=name)
    saved = codev_api.run(
        history["hist"], replicates=1, seed=4, save_state=12, state_dir=tmp_path / "py", progress=False
    )
    assert (tmp_path / "py" / "hist" / "r0000.h5").is_file()
    assert saved.to_xarray().scenario_fork_month.values.tolist() == [-24]


def codev_run_from(history, states):
    return codev_api.run(history["future-a"], replicates=2, from_states=states, progress=False)


def test_bad_statepoint_input_gets_one_line_and_status_2(codev, history, tmp_path):
    run(codev, history["hist"], "-r", "2", "--seed", "1", "--save-state", "30", "-o", tmp_path / "h.h5")
    states = tmp_path / "h.states" / "hist"
    other = tmp_path / "other.toml"
    other.write_text(f'extends = "{history["hist"]}"\n[associations]\ndues_xof_per_month = 6000\n')
    cases = {
        "no such directory": (["--from", tmp_path / "none"], "is not a directory of statepoints"),
        "the parent of the scenarios' directories": (["--from", tmp_path / "h.states"], "give one"),
        "too few replicates": (["--from", states, "-r", "3"], "fewer replicates than the 3 asked for"),
        "another seed": (["--from", states, "--seed", "2"], "made with seed 1, not 2"),
        "a scenario that differs from the start": (["--from", states], "acts differently from 'hist'"),
        "a month outside the run": (["--save-state", "2040-01"], "is outside scenario"),
        "a date without a calendar": (["--save-state", "x"], "neither a month number nor YYYY-MM"),
        "--state-dir alone": (["--state-dir", tmp_path / "d"], "give --save-state MONTH too"),
    }
    for case, (args, message) in cases.items():
        scenario = other if case == "a scenario that differs from the start" else history["future-a"]
        if case.startswith(("a month", "a date", "--state")):
            scenario = history["hist"]
        replicates = [] if "-r" in args else ["-r", "2"]
        result = run(codev, scenario, *replicates, *args, "-o", tmp_path / "x.h5", check=False)
        assert result.returncode == 2, case
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and message in lines[0], (case, result.stderr)
    (states / "r0001.h5").write_bytes((states / "r0001.h5").read_bytes()[:4000])  # cut short
    result = run(codev, history["future-a"], "-r", "2", "--from", states, "-o", tmp_path / "x.h5", check=False)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "r0001.h5" in result.stderr


def test_a_killed_sharded_run_resumes_inside_its_jobs_from_checkpoints(codev, history, tmp_path):
    out = tmp_path / "c.h5"
    args = [history["hist"], history["future-a"], "-r", "2", "--seed", "3", "--block-jobs", "4", "-o", out]
    checkpoints = Path(f"{out}.shards") / "checkpoints"
    proc = subprocess.Popen(
        [codev, "run", *map(str, args), "-q", "--checkpoint-every", "12", "--threads", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if checkpoints.is_dir() and any(p.suffix == ".h5" for p in checkpoints.iterdir()):
            break
        time.sleep(0.01)
    if proc.poll() is not None:
        pytest.skip("the run ended before its first checkpoint (a machine much faster than this one)")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not out.exists()
    found = [p for p in checkpoints.iterdir() if p.suffix == ".h5"]
    assert found, "the kill left no checkpoint"
    run(codev, *args, "--checkpoint-every", "12", "--resume")
    assert not Path(f"{out}.shards").exists()
    run(codev, history["hist"], history["future-a"], "-r", "2", "--seed", "3", "-o", tmp_path / "plain.h5")
    assert_same_numbers(out, tmp_path / "plain.h5")


def test_mpirun_with_two_processes_forks_and_gives_the_numbers_of_one(codev, history, tmp_path):
    from test_sweep import mpi_env, mpirun_command

    paths = [history["hist"], history["future-a"], history["future-b"]]
    out = tmp_path / "mpi.h5"
    command = [*mpirun_command(), codev, "run", *map(str, paths), "-r", "4", "--seed", "2", "--block-jobs", "2"]
    result = subprocess.run(
        [*command, "--threads", "1", "-q", "--out", str(out)],
        capture_output=True,
        text=True,
        env=mpi_env(),
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    run(codev, *paths, "-r", "4", "--seed", "2", "--no-forks", "-o", tmp_path / "one.h5")
    assert_same_numbers(out, tmp_path / "one.h5")
    with xr.open_dataset(out) as forked:
        assert list(forked.scenario_forked_from.values) == ["", "hist", "hist"]


def test_a_file_of_format_3_without_forks_is_read_and_older_ones_are_refused(codev, history, tmp_path):
    import h5py

    out = tmp_path / "r.h5"
    run(codev, history["hist"], history["future-a"], "-r", "1", "-o", out)
    with h5py.File(out, "r+") as f:
        assert f.attrs["format_version"] == 4
        del f["scenario_forked_from"], f["scenario_fork_month"]
        f.attrs["format_version"] = np.int32(3)
    info = subprocess.run([codev, "info", str(out)], capture_output=True, text=True, check=False)
    assert info.returncode == 0, info.stderr
    assert "format version  3" in info.stdout
    with xr.open_dataset(out) as older:
        assert "scenario_forked_from" not in older
    with h5py.File(out, "r+") as f:
        f.attrs["format_version"] = np.int32(2)
    result = subprocess.run([codev, "info", str(out)], capture_output=True, text=True, check=False)
    assert result.returncode == 2 and "written by an older codev (format 2" in result.stderr


def test_mpirun_with_two_processes_continues_statepoints_like_one_process(codev, history, tmp_path):
    from test_sweep import mpi_env, mpirun_command

    run(codev, history["hist"], "-r", "4", "--seed", "6", "--save-state", "2024-01", "-o", tmp_path / "h.h5")
    states = tmp_path / "h.states" / "hist"
    futures = [history["future-a"], history["future-b"]]
    out = tmp_path / "mpi.h5"
    command = [*mpirun_command(), codev, "run", *map(str, futures), "-r", "4", "--from", str(states)]
    result = subprocess.run(
        [*command, "--block-jobs", "2", "--threads", "1", "-q", "--out", str(out)],
        capture_output=True,
        text=True,
        env=mpi_env(),
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    run(codev, *history.values(), "-r", "4", "--seed", "6", "--no-forks", "-o", tmp_path / "whole.h5")
    assert_same_numbers(out, tmp_path / "whole.h5", ["future-a", "future-b"])
