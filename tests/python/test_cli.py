"""The `codev` command as a user runs it: results files that xarray and
netCDF tools open, bit-identical results for any thread count and scenario
order, and one clear line for every bad input (issue: core, items 4-7)."""

import re
import signal
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "data" / "bad"

MONTHLY = [
    "migrants",
    "migrants_employed",
    "association_members",
    "mean_trust",
    "remit_formal",
    "remit_informal",
    "remit_fees",
    "dues_paid",
    "contributions_paid",
    "association_spending",
    "maintenance_paid",
    "association_treasury",
    "programme_budget_available",
    "programme_disbursed",
    "technical_assistance_paid",
    "commune_cofinancing_paid",
    "loan_disbursed",
    "debt_service_paid",
    "association_fees",
    "solidarity_spending",
]
BY_SECTOR = [
    "projects_started",
    "projects_completed",
    "projects_abandoned",
    "projects_operating",
    "projects_broken",
    "people_served",
]


def run(codev, *args, check=True):
    result = subprocess.run([codev, *map(str, args)], capture_output=True, text=True, timeout=600, check=False)
    if check and result.returncode != 0:
        raise AssertionError(f"codev {' '.join(map(str, args))} failed: {result.stderr}")
    return result


@pytest.fixture(scope="module")
def ensemble(codev, small_scenarios, tmp_path_factory):
    """One run of three small scenarios, written with 2 threads."""
    out = tmp_path_factory.mktemp("run") / "three.h5"
    names = ["mali-kayes-baseline", "codev-share-70", "three-for-one"]
    result = run(
        codev,
        "run",
        *[small_scenarios[n] for n in names],
        "--replicates",
        3,
        "--seed",
        5,
        "--threads",
        2,
        "--out",
        out,
        "--check",
    )
    return out, result


@pytest.mark.parametrize("engine", ["h5netcdf", "netcdf4"])
def test_results_open_in_xarray_with_every_observable(ensemble, engine):
    path, _ = ensemble
    with xr.open_dataset(path, engine=engine) as ds:
        assert list(ds["scenario"].values) == ["mali-kayes-baseline", "codev-share-70", "three-for-one"]
        assert ds.sizes["replicate"] == 3 and ds.sizes["month"] == 72 and ds.sizes["sector"] == 5
        for name in MONTHLY:
            assert ds[name].dims == ("scenario", "replicate", "month"), name
        for name in BY_SECTOR:
            assert ds[name].dims == ("scenario", "replicate", "month", "sector"), name
        for name in ds.variables:
            assert "units" in ds[name].attrs and "long_name" in ds[name].attrs, name
        assert {"year", "commune"} <= set(ds["people_served_by_commune"].dims)
        assert int(ds.attrs["seed"]) == 5 and int(ds.attrs["replicates"]) == 3
        # Each scenario's full resolved text is stored: the policy's names its programme.
        texts = dict(zip(ds["scenario"].values, ds["scenario_toml"].values, strict=True))
        assert "[programmes.codev]" in texts["codev-share-70"]
        assert "[programmes." not in texts["mali-kayes-baseline"]
        assert "migrants = 20000" in texts["mali-kayes-baseline"]
        # The programme pays in the policy scenarios, never in the baseline.
        disbursed = ds["programme_disbursed"].sum(["replicate", "month"])
        assert float(disbursed.sel(scenario="mali-kayes-baseline")) == 0
        assert float(disbursed.sel(scenario="codev-share-70")) > 0


def test_ncdump_reads_the_header(ensemble):
    path, _ = ensemble
    result = subprocess.run(["ncdump", "-h", str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "people_served" in result.stdout


def test_run_prints_what_each_policy_adds_to_the_declared_baseline(ensemble):
    _, result = ensemble
    lines = result.stdout.splitlines()
    assert lines[0].startswith("What each policy adds to mali-kayes-baseline")
    assert "codev-share-70" in lines[2] and "three-for-one" in lines[2]
    labels = [re.split(r"\S  ", line)[0] for line in lines[3:]]  # the text before the first column
    assert labels[0].startswith("additional projects complete") and labels[1].startswith("  wate")
    assert any(label.startswith("additional people reache") for label in labels)
    assert "cost per additional person reached (XOF)" in result.stdout
    assert "leverage" not in result.stdout and "per person served" not in result.stdout


def test_run_prints_totals_or_names_another_baseline(codev, small_scenarios, tmp_path):
    names = [small_scenarios[n] for n in ("mali-kayes-baseline", "codev-share-70")]
    totals = run(codev, "run", *names, "-r", 1, "--out", tmp_path / "t.h5", "-q", "--totals").stdout
    assert totals.startswith("Totals of each scenario (the baseline's outcomes included)")
    assert "people reached" in totals and "codev-share-70" in totals
    other = run(codev, "run", *names, "-r", 1, "--out", tmp_path / "t.h5", "-q", "--baseline", "codev-share-70")
    assert other.stdout.startswith("What each policy adds to codev-share-70")
    bad = run(codev, "run", *names, "-r", 1, "--out", tmp_path / "t.h5", "--baseline", "nowhere", check=False)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
    assert "--baseline: 'nowhere' is not a scenario of this run" in bad.stderr
    assert not (tmp_path / "t.h5").exists() or bad.stdout == ""


def test_a_policy_with_another_horizon_than_its_baseline_is_refused(codev, small_scenarios, tmp_path):
    short = tmp_path / "short.toml"
    short.write_text(f'extends = "{small_scenarios["codev-share-70"]}"\nmonths = 24\n')
    result = run(
        codev, "run", small_scenarios["mali-kayes-baseline"], short, "-r", 1, "--out", tmp_path / "s.h5", check=False
    )
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "cannot compare 'short' with the baseline 'mali-kayes-baseline': 24 months against 72" in result.stderr
    assert not (tmp_path / "s.h5").exists()  # refused before the run
    totals = run(
        codev,
        "run",
        small_scenarios["mali-kayes-baseline"],
        short,
        "-r",
        1,
        "--out",
        tmp_path / "s.h5",
        "--totals",
        "-q",
    )
    assert totals.stdout.startswith("Totals of each scenario")


def test_info_shows_provenance(codev, ensemble):
    path, _ = ensemble
    out = run(codev, "info", path).stdout
    for expected in ("seed", "codev-share-70", "format"):
        assert expected in out


def test_invariants_hold_in_the_file(ensemble):
    """Invariants 1-2 of docs/model.md section 9 read back from the file, replicate by replicate."""
    path, _ = ensemble
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        t = ds["association_treasury"].values.astype(np.int64)
        flows = (
            ds["association_treasury_opening"]
            + ds["dues_paid"]
            + ds["contributions_paid"]
            - ds["association_fees"]
            - ds["association_spending"]
            - ds["maintenance_paid"]
            - ds["solidarity_spending"]
        ).values.astype(np.int64)
        assert np.array_equal(np.diff(t, axis=2), flows[:, :, 1:])
        assert np.array_equal(t[:, :, 0], flows[:, :, 0])
        for name in ("association_treasury", "programme_budget_available", "people_served"):
            assert (ds[name].values >= 0).all()


def test_threads_and_scenario_order_do_not_change_results(codev, small_scenarios, ensemble, tmp_path):
    path, _ = ensemble
    one = tmp_path / "one.h5"
    run(
        codev,
        "run",
        small_scenarios["three-for-one"],
        small_scenarios["codev-share-70"],
        small_scenarios["mali-kayes-baseline"],
        "--replicates",
        3,
        "--seed",
        5,
        "--threads",
        1,
        "--out",
        one,
    )
    with xr.open_dataset(path, engine="h5netcdf") as a, xr.open_dataset(one, engine="h5netcdf") as b:
        for name in MONTHLY + BY_SECTOR + ["people_served_by_commune"]:
            xr.testing.assert_identical(a[name], b[name].sel(scenario=a["scenario"].values))


def test_policies_share_the_baselines_labour_history(ensemble):
    path, _ = ensemble
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        employed = ds["migrants_employed"]
        for name in ("codev-share-70", "three-for-one"):
            assert (employed.sel(scenario=name) == employed.sel(scenario="mali-kayes-baseline")).all()


def bad_cases():
    return sorted(p for p in BAD.glob("*.toml"))


def expected_message(path: Path) -> str:
    first = path.read_bytes().split(b"\n", 1)[0].decode()
    assert first.startswith("# expect: "), path
    return first[len("# expect: ") :].replace("FILE", str(path)).replace("DIR", str(path.parent))


@pytest.mark.parametrize("path", bad_cases(), ids=lambda p: p.stem)
def test_bad_input_gives_one_line_and_status_2(codev, path, tmp_path):
    expected = expected_message(path)
    for args in (["validate", path], ["run", path, "--replicates", 1, "--out", tmp_path / "x.h5"]):
        result = run(codev, *args, check=False)
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        message = lines[0].removeprefix("codev: error: ")
        if expected.endswith("..."):
            assert message.startswith(expected[:-3])
        else:
            assert message == expected
    assert not list(tmp_path.iterdir()), "a results file was written for bad input"


def test_bad_command_line_gives_status_2(codev, small_scenarios, tmp_path):
    result = run(codev, "run", small_scenarios["mali-kayes-baseline"], "--replicates", "many", check=False)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    result = run(
        codev, "run", small_scenarios["mali-kayes-baseline"], "--out", tmp_path / "no" / "such" / "dir.h5", check=False
    )
    assert result.returncode == 2 and "no/such" in result.stderr
    assert run(codev, "info", tmp_path / "missing.h5", check=False).returncode == 2


@pytest.mark.parametrize("sig, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_the_run_quickly_and_writes_nothing(codev, tmp_path, sig, status):
    out = tmp_path / "stopped.h5"
    proc = subprocess.Popen(
        [codev, "run", str(ROOT / "scenarios" / "codev-share-70.toml"), "--replicates", "50", "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.5)
    sent = time.monotonic()
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    assert time.monotonic() - sent < 1.5
    assert proc.returncode == status, err
    assert "interrupted" in err
    assert list(tmp_path.iterdir()) == []


def test_version_names_the_release_and_the_commit(codev):
    result = run(codev, "--version")
    assert re.fullmatch(r"codev \d+\.\d+\.\d+\S* \(git \S+\)\n", result.stdout), result.stdout
