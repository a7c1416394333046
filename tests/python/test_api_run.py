"""codev.run: the same numbers as `codev run`, results in memory or in a file,
the GIL released while the model runs, a progress bar, Ctrl-C stops it at
once and leaves no file, and every bad argument is a ValueError or OSError."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

import codev

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "data" / "small"
SERIES = [
    "remit_formal",
    "programme_disbursed",
    "mean_trust",
    "completed_value",
    "people_served",
    "projects_completed",
    "people_served_by_commune",
]


def tiny(name: str, months: int = 24) -> codev.Scenario:
    """A small scenario at a tenth of test scale: quick to run."""
    return codev.Scenario.load(SMALL / f"{name}.toml").with_(**{"months": months, "world.migrants": 5000})


@pytest.fixture(scope="session")
def cli(request) -> str:
    """The `codev` command (conftest's fixture `codev`, renamed: here codev is the package)."""
    return request.getfixturevalue("codev")


@pytest.fixture(scope="module")
def pair():
    return [tiny("mali-kayes-baseline"), tiny("codev-share-70")]


def test_run_returns_results_in_memory(pair):
    results = codev.run(pair, replicates=3, seed=2, progress=False)
    assert results.path is None
    assert results.scenarios == ["mali-kayes-baseline", "codev-share-70"]
    assert results.replicates == 3 and results.seed == 2
    ds = results.to_xarray()
    assert ds.sizes["replicate"] == 3 and ds.sizes["month"] == 24
    assert float(ds["programme_disbursed"].sel(scenario="codev-share-70").sum()) > 0
    assert "codev.run" in ds.attrs["command_line"]


def test_run_gives_the_clis_numbers_whatever_the_threads(cli, pair, tmp_path):
    files = [s.save(tmp_path / f"{s.name}.toml") for s in pair]
    cli_file = tmp_path / "cli.h5"
    subprocess.run(
        [
            cli,
            "run",
            *map(str, files),
            "--replicates",
            "3",
            "--seed",
            "2",
            "--threads",
            "2",
            "--out",
            str(cli_file),
            "--quiet",
        ],
        check=True,
        capture_output=True,
    )
    api = codev.run(files, replicates=3, seed=2, threads=1, out=tmp_path / "api.h5", progress=False)
    assert api.path == tmp_path / "api.h5"
    with xr.open_dataset(cli_file, engine="h5netcdf") as from_cli:
        for name in SERIES:
            xr.testing.assert_identical(from_cli[name], api.to_xarray()[name].astype(from_cli[name].dtype))
    api.close()


def test_out_is_written_and_read_back(pair, tmp_path):
    out = tmp_path / "pair.h5"
    with codev.run(pair, replicates=2, seed=7, out=out, progress=False) as written:
        assert out.exists() and written.path == out
        with codev.open(out) as reopened:
            xr.testing.assert_identical(written.to_xarray(), reopened.to_xarray())
    assert [p.name for p in tmp_path.iterdir()] == ["pair.h5"]


def test_in_memory_results_touch_no_file(tmp_path):
    """Without ``out`` the results file is made in memory (issue 19): a run in a
    process whose working and temporary directories are empty leaves both empty."""
    work, temporary = tmp_path / "work", tmp_path / "tmp"
    work.mkdir()
    temporary.mkdir()
    script = (
        "import codev, sys\n"
        f"r = codev.run([{str(SMALL / 'mali-kayes-baseline.toml')!r}], replicates=2, progress=False)\n"
        "assert r.path is None and r.replicates == 2, r\n"
        "print(int(r.to_xarray().projects_completed_total.sum()))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=work,
        env={**os.environ, "TMPDIR": str(temporary)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 0
    assert list(work.iterdir()) == [] and list(temporary.iterdir()) == []


def test_in_memory_results_equal_the_file_written(pair, tmp_path):
    """The two sinks of one plan: in memory and written to ``out``."""
    in_memory = codev.run(pair, replicates=2, seed=3, progress=False).to_xarray()
    with codev.run(pair, replicates=2, seed=3, out=tmp_path / "pair.h5", progress=False) as written:
        on_disk = written.to_xarray().load()
    for ds in (in_memory, on_disk):
        ds.attrs.pop("created")  # the second each was made in
    xr.testing.assert_identical(in_memory, on_disk)


def test_scenarios_may_be_paths_or_a_single_scenario():
    one = codev.run(SMALL / "mali-kayes-baseline.toml", replicates=1, progress=False)
    assert one.scenarios == ["mali-kayes-baseline"] and one.to_xarray().sizes["month"] == 72
    assert codev.run(tiny("three-for-one"), replicates=1, progress=False).scenarios == ["three-for-one"]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"replicates": 0}, "replicates: 0 is out of range (allowed: 1 to 100000)"),
        ({"replicates": "3"}, "replicates: expected an integer, got '3'"),
        ({"replicates": 2.5}, "replicates: expected an integer, got 2.5"),
        ({"seed": -1}, "seed: -1 is out of range (allowed: 0 to 18446744073709551615)"),
        ({"threads": -2}, "threads: -2 is out of range (allowed: 0 to 65536)"),
    ],
)
def test_bad_arguments_are_value_errors(pair, kwargs, message):
    with pytest.raises(ValueError) as error:
        codev.run(pair, **{"progress": False, **kwargs})
    assert str(error.value) == message


def test_bad_scenario_lists_are_value_errors(pair):
    with pytest.raises(ValueError, match="no scenarios to run"):
        codev.run([])
    with pytest.raises(ValueError, match="scenario name 'codev-share-70' is used twice in one run"):
        codev.run([pair[1], pair[1].with_(**{"programmes.codev.share": 0.5})])
    with pytest.raises(FileNotFoundError):
        codev.run(SMALL / "no-such-scenario.toml")
    with pytest.raises(ValueError, match="out of range"):
        codev.run(ROOT / "tests" / "data" / "bad" / "months-zero.toml")


def test_an_unwritable_out_fails_before_the_run(pair, tmp_path):
    started = time.monotonic()
    with pytest.raises(OSError, match="no/such/dir"):
        codev.run(pair, replicates=100, out=tmp_path / "no" / "such" / "dir" / "x.h5", progress=False)
    assert time.monotonic() - started < 1


def test_progress_shows_a_tqdm_bar(pair, capsys):
    codev.run(pair, replicates=1, progress=True)
    err = capsys.readouterr().err
    assert "codev" in err and "job-months" in err and "100%" in err
    codev.run(pair, replicates=1, progress=False)
    assert capsys.readouterr().err == ""


def test_the_gil_is_released_while_the_model_runs():
    """Another Python thread keeps running: a counter moves while the ensemble does."""
    ticks = []
    running = threading.Event()
    done = threading.Event()

    def count():
        running.set()
        while not done.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.001)

    counter = threading.Thread(target=count)
    counter.start()
    running.wait()
    started = time.monotonic()
    codev.run([SMALL / "codev-share-70.toml", SMALL / "three-for-one.toml"], replicates=4, progress=False)
    finished = time.monotonic()
    done.set()
    counter.join()
    during = [t for t in ticks if started < t < finished]
    # At most a 0.1 s slice without the GIL held by the counter's side.
    assert len(during) >= 0.5 * (finished - started) / 0.01 or finished - started < 0.05
    gaps = np.diff([started, *during, finished])
    assert gaps.max() < 0.2


def test_ctrl_c_stops_the_run_within_a_second_and_writes_nothing(tmp_path):
    out = tmp_path / "stopped.h5"
    code = (
        "import sys, codev\n"
        f"sc = codev.Scenario.load({str(ROOT / 'scenarios' / 'codev-share-70.toml')!r})\n"
        "print('running', flush=True)\n"
        f"codev.run(sc, replicates=50, out={str(out)!r}, progress=False)\n"
        "print('finished', flush=True)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "running"
    time.sleep(1.5)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    rest, err = proc.communicate(timeout=30)
    assert time.monotonic() - sent < 1.0
    assert proc.returncode != 0 and "KeyboardInterrupt" in err, err
    assert "finished" not in rest
    assert list(tmp_path.iterdir()) == []


def test_a_second_run_after_an_interrupt_works(tmp_path):
    """What a notebook user does after "interrupt kernel": run again in the same process."""
    code = (
        "import _thread, threading, codev\n"
        f"sc = codev.Scenario.load({str(ROOT / 'scenarios' / 'codev-share-70.toml')!r})\n"
        "threading.Timer(1.0, _thread.interrupt_main).start()\n"
        "try:\n"
        "    codev.run(sc, replicates=50, progress=False)\n"
        "except KeyboardInterrupt:\n"
        "    print('interrupted', flush=True)\n"
        f"r = codev.run(codev.Scenario.load({str(SMALL / 'mali-kayes-baseline.toml')!r}), replicates=1,"
        " progress=False)\n"
        "print(r.scenarios[0], flush=True)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONFAULTHANDLER": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["interrupted", "mali-kayes-baseline"]


def test_the_type_stubs_of_the_core_name_what_the_module_has():
    """python/codev/_core.pyi (issue 19) stays in step with python/src: every public
    name of codev._core, and of each of its classes, is in the stub and nothing else."""
    import ast
    from pathlib import Path

    from codev import _core

    stub = ast.parse((Path(__file__).resolve().parents[2] / "python" / "codev" / "_core.pyi").read_text())

    def public(names):
        return {n for n in names if not n.startswith("_")}

    top, members = set(), {}
    for node in stub.body:
        if isinstance(node, ast.ClassDef):
            top.add(node.name)
            members[node.name] = public(n.name for n in node.body if isinstance(n, ast.FunctionDef))
        elif isinstance(node, ast.FunctionDef):
            top.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            top.add(node.target.id)
    assert public(top) == public(dir(_core))
    for name, names in members.items():
        assert names == public(dir(getattr(_core, name))), name
