"""Sweeps and distributed runs (issue 6): `codev sweep` and codev.sweep give
results files whose scenario dimension carries the factor values; a sweep
killed mid-way resumes to the file of an uninterrupted one; a design can come
from a CSV or an array; `mpirun -np 2 codev run|sweep` writes the file of a
one-process run."""

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from codev.sweep import sweep as codev_sweep

PROVENANCE = ("command_line", "created")


def run(codev, *args, check=True, env=None):
    result = subprocess.run([codev, *map(str, args)], capture_output=True, text=True, timeout=600, env=env, check=False)
    if check and result.returncode != 0:
        raise AssertionError(f"codev {' '.join(map(str, args))} failed: {result.stderr}")
    return result


def assert_same_results(a_path, b_path):
    """Variable for variable, attributes included, except when and how each was made."""
    with xr.open_dataset(a_path, engine="h5netcdf") as a, xr.open_dataset(b_path, engine="h5netcdf") as b:
        a, b = a.load(), b.load()
        for name in PROVENANCE:
            a.attrs.pop(name), b.attrs.pop(name)
        xr.testing.assert_identical(a, b)


@pytest.fixture(scope="module")
def grid(codev, small_scenarios, tmp_path_factory):
    out = tmp_path_factory.mktemp("grid") / "grid.h5"
    result = run(
        codev,
        "sweep",
        small_scenarios["codev-share-70"],
        "--factor",
        "programmes.codev.share=0.5:0.7",
        "--factor",
        "behaviour.epsilon=0,0.6",
        "--design",
        "grid",
        "--n",
        3,
        "--seed",
        2,
        "--out",
        out,
    )
    return out, result


@pytest.mark.parametrize("engine", ["h5netcdf", "netcdf4"])
def test_a_grid_sweep_has_the_factors_as_coordinates(grid, engine):
    path, _ = grid
    with xr.open_dataset(path, engine=engine) as ds:
        assert ds.sizes["scenario"] == 6 and ds.sizes["replicate"] == 1
        assert list(ds["scenario"].values[:2]) == ["codev-share-70-0000", "codev-share-70-0001"]
        share, epsilon = ds["programmes__codev__share"], ds["behaviour__epsilon"]
        assert share.dims == ("scenario",) and "programmes__codev__share" in ds.coords
        np.testing.assert_allclose(share.values, [0.5, 0.5, 0.6, 0.6, 0.7, 0.7])
        np.testing.assert_allclose(epsilon.values, [0.0, 0.6] * 3)
        assert share.attrs["factor"] == "programmes.codev.share" and share.attrs["units"] == "share of cost"
        assert ds.attrs["factors"] == "programmes.codev.share behaviour.epsilon"
        # Each point's scenario text holds its values.
        assert "share = 0.6\n" in str(ds["scenario_toml"].values[2])
        # Select and group by factor.
        indexed = ds.set_xindex(["programmes__codev__share", "behaviour__epsilon"])
        point = indexed.sel(programmes__codev__share=0.6, behaviour__epsilon=0.6)
        np.testing.assert_array_equal(point["remit_formal"].values, ds["remit_formal"].isel(scenario=3).values)
        disbursed = ds["programme_disbursed"].sum(["replicate", "month"])
        by_share = disbursed.groupby("programmes__codev__share").mean()
        assert list(by_share["programmes__codev__share"].values) == [0.5, 0.6, 0.7]
        assert by_share.values[0] < by_share.values[-1]  # a larger public share disburses more


def test_ncdump_reads_a_sweep(grid):
    path, _ = grid
    if shutil.which("ncdump") is None:
        pytest.skip("ncdump (netcdf-bin) is not installed")
    result = subprocess.run(["ncdump", "-h", str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "programmes__codev__share(scenario)" in result.stdout


def test_info_and_the_shards_are_gone(codev, grid):
    path, result = grid
    assert "6 scenarios x 1 replicates" in result.stderr
    assert not Path(f"{path}.shards").exists()
    assert "programmes__codev__share" in run(codev, "info", path).stdout


def sweep_args(small_scenarios, n=40):
    # 80 points of a 12-year world in blocks of 2 jobs: seconds, and many shards.
    return [
        small_scenarios["codev-share-70"],
        "--factor",
        "programmes.codev.share=0.4:0.8",
        "--factor",
        "behaviour.epsilon=0,0.5",
        "--factor",
        "months=144",
        "--n",
        n,
        "--block-jobs",
        2,
        "--seed",
        3,
        "-q",
    ]


def test_a_killed_sweep_resumes_to_the_file_of_an_uninterrupted_one(codev, small_scenarios, tmp_path):
    args = sweep_args(small_scenarios)
    whole = tmp_path / "whole.h5"
    run(codev, "sweep", *args, "--out", whole)
    out = tmp_path / "killed.h5"
    shards = tmp_path / "killed.h5.shards"
    proc = subprocess.Popen(
        [codev, "sweep", *map(str, args), "--out", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    while len(list(shards.glob("block-*.h5"))) < 4 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "the sweep ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    finished = len(list(shards.glob("block-*.h5")))
    assert 4 <= finished < 40 and not out.exists()
    # Without --resume the shards are not silently reused.
    refused = run(codev, "sweep", *args, "--out", out, check=False)
    assert refused.returncode == 2 and "--resume" in refused.stderr
    resumed = run(codev, "sweep", *args, "--out", out, "--resume")
    assert f"{finished} blocks resumed" in resumed.stderr
    assert not shards.exists()
    assert_same_results(whole, out)


def test_a_resume_of_another_sweep_is_refused(codev, small_scenarios, tmp_path):
    out = tmp_path / "partial.h5"
    args = sweep_args(small_scenarios, n=4)
    run(codev, "sweep", *args, "--out", out, "--jobs", "0:4")
    assert len(list(Path(f"{out}.shards").glob("block-*.h5"))) == 2
    other = [a if a != 3 else 4 for a in args]  # another seed
    result = run(codev, "sweep", *other, "--out", out, "--resume", check=False)
    assert result.returncode == 2
    assert "holds the shards of another ensemble (seed 3 there, 4 here)" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    # The other blocks as another task of a job array, then the assembly step.
    run(codev, "sweep", *args, "--out", out, "--jobs", "4:8")
    run(codev, "assemble", out)
    with xr.open_dataset(out, engine="h5netcdf") as ds:
        assert ds.sizes["scenario"] == 8


def test_a_design_csv_runs_the_given_points(codev, small_scenarios, tmp_path):
    csv = tmp_path / "points.csv"
    csv.write_text("programmes.codev.share,world.migrants\n0.55,12000\n0.65,15000.6\n")
    out = tmp_path / "csv.h5"
    run(codev, "sweep", small_scenarios["codev-share-70"], "--design-csv", csv, "--out", out, "-q")
    with xr.open_dataset(out, engine="h5netcdf") as ds:
        np.testing.assert_allclose(ds["programmes__codev__share"].values, [0.55, 0.65])
        assert list(ds["world__migrants"].values) == [12000, 15001]  # an integer parameter, rounded
        assert ds["world__migrants"].dtype == np.int64
        assert "\nmigrants = 15001\n" in str(ds["scenario_toml"].values[1])


@pytest.mark.parametrize(
    "args, message",
    [
        (["--factor", "behaviour.epsilon=0:5", "--n", 2], "behaviour.epsilon: 5 is out of range"),
        (["--factor", "behaviour.epsilon"], "--factor 'behaviour.epsilon': expected KEY=LOW:HIGH"),
        (["--factor", "behaviour.epsilon=0:1", "--n", 1], "a grid needs at least 2 levels"),
        (["--factor", "no.such.key=0:1", "--n", 2], "no.such.key"),
    ],
)
def test_a_bad_sweep_gives_one_line_and_status_2(codev, small_scenarios, tmp_path, args, message):
    result = run(codev, "sweep", small_scenarios["codev-share-70"], *args, "--out", tmp_path / "x.h5", check=False)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert not list(tmp_path.iterdir())


def test_codev_sweep_in_python_equals_the_command(codev, small_scenarios, grid, tmp_path):
    path, _ = grid
    results = codev_sweep(
        small_scenarios["codev-share-70"],
        {"programmes.codev.share": (0.5, 0.7), "behaviour.epsilon": [0.0, 0.6]},
        design="grid",
        n=3,
        seed=2,
        out=tmp_path / "python.h5",
        progress=False,
    )
    assert results.scenarios[0] == "codev-share-70-0000" and results.replicates == 1
    results.close()
    assert_same_results(path, tmp_path / "python.h5")


def test_codev_sweep_in_memory_equals_the_sweep_through_shards(small_scenarios, tmp_path):
    """One plan, two sinks (issue 19): without ``out`` the records stay in memory,
    with it they go through shards; the results are identical."""
    factors = {"programmes.codev.share": (0.5, 0.7), "behaviour.epsilon": [0.0, 0.6]}
    base = small_scenarios["codev-share-70"]
    in_memory = codev_sweep(base, factors, design="grid", n=2, seed=5, replicates=2, progress=False)
    sharded = codev_sweep(
        base, factors, design="grid", n=2, seed=5, replicates=2, out=tmp_path / "s.h5", progress=False
    )
    assert in_memory.path is None
    on_disk = sharded.to_xarray().load()
    sharded.close()
    memory = in_memory.to_xarray()
    for ds in (memory, on_disk):
        ds.attrs.pop("created")  # the second each was made in
    xr.testing.assert_identical(memory, on_disk)


def test_codev_sweep_runs_a_design_matrix_in_memory(small_scenarios):
    from scipy.stats import qmc

    unit = qmc.LatinHypercube(d=2, seed=4).random(5)
    matrix = qmc.scale(unit, [0.4, 0.0], [0.7, 1.0])
    results = codev_sweep(
        small_scenarios["codev-share-70"],
        ["programmes.codev.share", "behaviour.epsilon"],
        design_matrix=matrix,
        seed=1,
        progress=False,
    )
    ds = results.to_xarray()
    assert results.path is None and ds.sizes["scenario"] == 5
    np.testing.assert_array_equal(ds["programmes__codev__share"].values, matrix[:, 0])
    np.testing.assert_array_equal(ds["behaviour__epsilon"].values, matrix[:, 1])
    with pytest.raises(ValueError, match="expected N x 2 values"):
        codev_sweep(
            small_scenarios["codev-share-70"],
            ["programmes.codev.share", "behaviour.epsilon"],
            design_matrix=matrix[:, :1],
            progress=False,
        )


def test_codev_sweep_sobol_has_saltellis_layout(small_scenarios):
    results = codev_sweep(
        small_scenarios["codev-share-70"],
        {"behaviour.epsilon": (0.0, 1.0), "programmes.codev.share": (0.4, 0.7)},
        design="sobol",
        n=4,
        progress=False,
    )
    ds = results.to_xarray()
    assert ds.sizes["scenario"] == 4 * (2 + 2)
    eps = ds["behaviour__epsilon"].values.reshape(4, 4)  # rows A, AB_1, AB_2, B per base point
    share = ds["programmes__codev__share"].values.reshape(4, 4)
    np.testing.assert_array_equal(eps[:, 1], eps[:, 3])  # AB_1 takes factor 1 from B
    np.testing.assert_array_equal(share[:, 1], share[:, 0])  # ... and the rest from A
    np.testing.assert_array_equal(share[:, 2], share[:, 3])
    np.testing.assert_array_equal(eps[:, 2], eps[:, 0])


def mpirun_command():
    mpirun = shutil.which("mpirun")
    if mpirun is None:
        pytest.skip("mpirun is not installed (Debian: openmpi-bin, installed by scripts/setup.sh)")
    # As root, and on a machine with fewer cores than processes (containers, CI).
    return [mpirun, "--allow-run-as-root", "--oversubscribe", "-np", "2"]


def mpi_env():
    env = dict(
        os.environ,
        OMPI_MCA_rmaps_base_oversubscribe="1",
        OMPI_ALLOW_RUN_AS_ROOT="1",
        OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
    )
    env.pop("CODEV_THREADS", None)
    return env


@pytest.mark.parametrize("command", ["run", "sweep"])
def test_mpirun_with_two_processes_writes_the_file_of_one(codev, small_scenarios, tmp_path, command):
    if command == "run":
        args = [
            "run",
            small_scenarios["mali-kayes-baseline"],
            small_scenarios["codev-share-70"],
            "--replicates",
            3,
            "--seed",
            4,
            "-q",
        ]
    else:
        args = [
            "sweep",
            small_scenarios["codev-share-70"],
            "--factor",
            "behaviour.epsilon=0:0.6",
            "--n",
            3,
            "--replicates",
            2,
            "--seed",
            4,
            "-q",
        ]
    one = tmp_path / "one.h5"
    run(codev, *args, "--out", one)
    two = tmp_path / "two.h5"
    result = subprocess.run(
        [*mpirun_command(), codev, *map(str, args), "--out", str(two), "--block-jobs", "1"],
        capture_output=True,
        text=True,
        timeout=600,
        env=mpi_env(),
        check=False,
    )
    if "built without MPI" in result.stderr:
        pytest.fail("codev was built without MPI although mpirun is installed: " + result.stderr)
    assert result.returncode == 0, result.stderr
    assert_same_results(one, two)
    assert not Path(f"{two}.shards").exists()


def test_mpirun_without_a_shared_file_system_gathers_the_shards(codev, small_scenarios, tmp_path):
    """CODEV_GATHER_SHARDS=1 makes process 1 act as on a machine of its own: it
    writes its shards to a local directory and sends them to process 0 over MPI."""
    args = [
        "run",
        small_scenarios["mali-kayes-baseline"],
        small_scenarios["codev-share-70"],
        "--replicates",
        3,
        "--seed",
        4,
        "-q",
    ]
    one = tmp_path / "one.h5"
    run(codev, *args, "--out", one)
    two = tmp_path / "gathered.h5"
    env = dict(mpi_env(), CODEV_GATHER_SHARDS="1")
    result = subprocess.run(
        [*mpirun_command(), codev, *map(str, args), "--out", str(two), "--block-jobs", "1"],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert_same_results(one, two)


def test_mpirun_processes_share_the_blocks(codev, small_scenarios, tmp_path):
    out = tmp_path / "shared.h5"
    args = [
        "run",
        small_scenarios["mali-kayes-baseline"],
        "--replicates",
        4,
        "--block-jobs",
        1,
        "--jobs",
        "0:4",
        "--out",
        out,
        "-q",
    ]
    result = subprocess.run(
        [*mpirun_command(), codev, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=600,
        env=mpi_env(),
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "ran 2 block(s) on process 0 of 2" in result.stderr
    assert len(list(Path(f"{out}.shards").glob("block-*.h5"))) == 4
