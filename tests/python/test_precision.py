"""Precision-driven replicates (issue 7, item 3): `codev run --precision
INDICATOR=TOL` and `codev.run(precision=...)` add rounds of replicates until
each 95 % half-width is under its tolerance, give the results of a fixed-size
run with the final count, and record what was needed (docs/decision-analysis.md, section 5)."""

import re
import signal
import subprocess
import time
import warnings

import numpy as np
import pytest
import scipy.stats
import xarray as xr

import codev as codev_package

BASELINE = "mali-kayes-baseline"
POLICY = "three-for-one"


def run(codev, *args, check=True):
    result = subprocess.run([codev, *map(str, args)], capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0 or not check, result.stderr
    return result


@pytest.fixture(scope="module")
def short(small_scenarios, tmp_path_factory):
    """The small baseline and three-for-one over 36 months (a run of both: about 30 ms a replicate)."""
    folder = tmp_path_factory.mktemp("short")
    paths = []
    for name in (BASELINE, POLICY):
        path = folder / f"{name}.toml"
        path.write_text(f'extends = "{small_scenarios[name]}"\nmonths = 36\n')
        paths.append(path)
    return paths


def precise(codev, short, out, *options):
    return run(codev, "run", *short, "--seed", 3, "--out", out, *options)


def open_raw(path):
    return xr.open_dataset(path, engine="h5netcdf", mask_and_scale=False)


def test_a_trigger_met_by_the_first_round_stops_there(codev, short, tmp_path):
    out = tmp_path / "loose.h5"
    # Each --precision takes one trigger: the scenario files may follow it.
    result = run(codev, "run", "--precision", "projects_completed_total=100", *short, "--replicates", 4, "--out", out)
    assert "precision with 4 replicates: projects_completed_total met" in result.stderr
    assert result.stderr.count("[codev] precision with") == 1
    assert "precision: every trigger met with 4 replicates" in result.stdout
    with open_raw(out) as ds:
        assert int(ds.attrs["replicates"]) == 4 and ds.sizes["replicate"] == 4
        assert int(ds.attrs["precision_met"]) == 1 and ds.attrs["precision_measure"] == "mean"
        assert list(ds["trigger"].values) == ["projects_completed_total"]
        assert int(ds["precision_replicates_needed"].values[0]) == 4
        assert (ds["precision_half_width"].values < 100).all()


def test_a_tight_trigger_adds_rounds_until_met_and_equals_a_fixed_run(codev, short, tmp_path):
    out = tmp_path / "tight.h5"
    result = precise(
        codev,
        short,
        out,
        "--replicates",
        4,
        "--batch",
        3,
        "--precision",
        "projects_completed_total=1.5",
        "--baseline",
        BASELINE,
        "--paired",
    )
    with open_raw(out) as ds:
        replicates = int(ds.attrs["replicates"])
        assert replicates > 4 and (replicates - 4) % 3 == 0
        assert result.stderr.count("[codev] precision with") == (replicates - 4) // 3 + 1
        assert int(ds.attrs["precision_met"]) == 1 and ds.attrs["precision_measure"] == "paired difference"
        assert ds.attrs["precision_baseline"] == BASELINE
        width = ds["precision_half_width"].sel(trigger="projects_completed_total")
        assert np.isnan(width.sel(scenario=BASELINE)) and width.sel(scenario=POLICY) < 1.5
        # The half-width is that of the paired differences of the file's own replicates.
        completed = ds["projects_completed"].sum(["month", "sector"]).astype(float)
        differences = (completed.sel(scenario=POLICY) - completed.sel(scenario=BASELINE)).values
        t = scipy.stats.t.ppf(0.975, replicates - 1)
        expected = t * differences.std(ddof=1) / np.sqrt(replicates)
        assert float(width.sel(scenario=POLICY)) == pytest.approx(expected, rel=1e-6)
    assert "precision       met (paired difference" in run(codev, "info", out).stdout
    with codev_package.open(out) as opened:
        assert opened.precision.loc[("projects_completed_total", POLICY), "replicates_needed"] == replicates
    fixed = tmp_path / "fixed.h5"
    run(codev, "run", *short, "--seed", 3, "--out", fixed, "--replicates", replicates, "-q")
    with open_raw(out) as a, open_raw(fixed) as b:
        data = list(b.data_vars)
        assert [name for name in a.data_vars if not name.startswith("precision_")] == data
        for name in data:
            assert np.array_equal(a[name].values, b[name].values, equal_nan=a[name].dtype.kind == "f"), name


def test_paired_differences_need_fewer_replicates_than_independent_ones(codev, short, tmp_path):
    needed = {}
    for how in ("paired", "unpaired"):
        out = tmp_path / f"{how}.h5"
        pairing = ["--paired"] if how == "paired" else []
        precise(
            codev,
            short,
            out,
            "--replicates",
            5,
            "--precision",
            "projects_completed_total=1.0",
            "--baseline",
            BASELINE,
            *pairing,
            "-q",
        )
        with open_raw(out) as ds:
            assert int(ds.attrs["precision_met"]) == 1
            needed[how] = int(ds.attrs["replicates"])
    assert needed["paired"] < needed["unpaired"], needed


def test_reaching_max_replicates_warns_and_records_it(codev, short, tmp_path):
    out = tmp_path / "short-of.h5"
    result = precise(
        codev,
        short,
        out,
        "--replicates",
        3,
        "--max-replicates",
        7,
        "--precision",
        "people_reached=1",
        "--precision",
        "cofinancing_leverage=1000",
    )
    assert result.returncode == 0
    assert "codev: warning: precision not reached with 7 replicates, the maximum: people_reached" in result.stderr
    assert "cofinancing_leverage 0" not in result.stderr  # cofinancing_leverage was met
    assert re.search(r"\nreplicates needed +not met +3\n", result.stdout)
    with open_raw(out) as ds:
        assert int(ds.attrs["replicates"]) == 7 and int(ds.attrs["precision_met"]) == 0
        needed = ds["precision_replicates_needed"]
        assert int(needed.sel(trigger="cofinancing_leverage")) == 3
        assert int(needed.sel(trigger="people_reached")) == needed.attrs["_FillValue"]


@pytest.mark.parametrize(
    "options, message",
    [
        (
            ["--precision", "projects=5"],
            "unknown indicator 'projects' (allowed: projects_completed_total, projects_working",
        ),
        (["--precision", "cofinancing_leverage=0"], "positive finite"),
        (["--precision", "cofinancing_leverage"], "expected INDICATOR=TOLERANCE"),
        (["--precision", "cofinancing_leverage=1", "--paired"], "need a baseline"),
        (["--precision", "cofinancing_leverage=1", "--baseline", "nowhere"], "is not a scenario of this run"),
        (["--precision", "cofinancing_leverage=1", "--max-replicates", "2"], "max replicates 2 is out of range"),
        (["--precision", "cofinancing_leverage=1", "--resume"], "--precision runs in one process"),
        (["--paired"], "--paired requires --precision"),
    ],
)
def test_a_bad_precision_rule_is_one_line_and_exit_2(codev, short, tmp_path, options, message):
    out = tmp_path / "never.h5"
    result = run(codev, "run", *short, "--replicates", 3, "--out", out, *options, check=False)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("codev: error: ")
    assert message in result.stderr
    assert not out.exists()


def test_an_interrupted_precision_run_writes_nothing(codev, short, tmp_path):
    out = tmp_path / "stopped.h5"
    command = [codev, "run", *short, "--replicates", 2, "--batch", 2, "--precision", "people_reached=1", "--out", out]
    proc = subprocess.Popen(list(map(str, command)), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "[codev] precision with" in err and "interrupted" in err
    assert list(tmp_path.iterdir()) == []


def test_codev_run_with_precision_gives_what_the_command_gives(codev, short, tmp_path):
    out = tmp_path / "cli.h5"
    precise(
        codev,
        short,
        out,
        "--replicates",
        4,
        "--batch",
        3,
        "--precision",
        "projects_completed_total=2.5",
        "--baseline",
        BASELINE,
        "--paired",
        "-q",
    )
    scenarios = [codev_package.Scenario.load(p) for p in short]
    results = codev_package.run(
        scenarios,
        replicates=4,
        seed=3,
        progress=False,
        precision={"projects_completed_total": 2.5},
        baseline=BASELINE,
        paired=True,
        batch=3,
    )
    table = results.precision
    assert list(table.index) == [("projects_completed_total", POLICY)]
    row = table.loc[("projects_completed_total", POLICY)]
    assert row["met"] and row["half_width"] < row["tolerance"] == 2.5 and row["units"] == "1"
    assert row["replicates_needed"] == results.replicates
    assert table.attrs["met"] and table.attrs["measure"] == "paired difference" and table.attrs["batch"] == 3
    with open_raw(out) as ds:
        assert results.replicates == int(ds.attrs["replicates"])
        assert float(ds["precision_half_width"].sel(scenario=POLICY)[0]) == row["half_width"]
        assert np.array_equal(results.to_xarray()["people_reached"].values, ds["people_reached"].values)


def test_codev_run_warns_when_precision_is_not_reached(short):
    scenarios = [codev_package.Scenario.load(p) for p in short]
    with pytest.warns(UserWarning, match="precision not reached with 5 replicates, the maximum: people_reached"):
        results = codev_package.run(
            scenarios, replicates=3, seed=3, progress=False, precision={"people_reached": 1}, max_replicates=5
        )
    assert not results.precision.attrs["met"]
    assert results.precision["replicates_needed"].isna().all()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert codev_package.run(scenarios, replicates=2, progress=False).precision is None


@pytest.mark.parametrize(
    "arguments, message",
    [
        ({"precision": {"projects": 5}}, "unknown indicator 'projects'"),
        ({"precision": {"cofinancing_leverage": float("nan")}}, "positive finite"),
        ({"precision": {"cofinancing_leverage": "high"}}, "expected {indicator: tolerance}"),
        ({"precision": {}}, "no trigger given"),
        ({"baseline": BASELINE}, "apply only with precision"),
        ({"precision": {"cofinancing_leverage": 1}, "baseline": "nowhere"}, "is not a scenario of this run"),
    ],
)
def test_codev_run_rejects_a_bad_precision_rule(short, arguments, message):
    scenarios = [codev_package.Scenario.load(p) for p in short]
    with pytest.raises(ValueError, match=message):
        codev_package.run(scenarios, replicates=2, progress=False, **arguments)
