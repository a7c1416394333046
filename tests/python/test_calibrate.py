"""Issue 8: the national scenario, yearly totals, and the calibration
(codev.calibrate): it recovers parameters it generated data from, it is
reproducible from its seed, and the shipped calibrated scenario meets its
targets at a reduced scale."""

import dataclasses
import importlib.util
import json
import os
import subprocess
import sys

import numpy as np
import pytest

import codev
from codev import calibrate
from conftest import ROOT

SCENARIOS = ROOT / "scenarios"
TINY = {"world.migrants": 3000}


@pytest.fixture(scope="module")
def national_run():
    scenario = codev.Scenario.load(SCENARIOS / "mali-national.toml").with_(**TINY)
    return codev.run(scenario, replicates=1, seed=3, progress=False)


def test_yearly_sums_flows_by_calendar_year_and_keeps_stocks_at_year_end(national_run):
    ds = national_run.to_xarray()
    formal = national_run.yearly("remit_formal")
    assert list(formal["year"].values) == list(range(2015, 2031))
    months_2020 = ds["remit_formal"].isel(month=slice(60, 72))
    assert int(formal.sel(year=2020).squeeze()) == int(months_2020.sum("month").squeeze())
    migrants = national_run.yearly("migrants")
    assert int(migrants.sel(year=2016).squeeze()) == int(ds["migrants"].isel(month=23).squeeze())
    with pytest.raises(ValueError, match="not a monthly variable"):
        national_run.yearly("people_served_by_commune")


def test_yearly_counts_model_years_without_a_start_date():
    scenario = codev.Scenario.load(ROOT / "tests" / "data" / "small" / "mali-kayes-baseline.toml")
    results = codev.run(scenario.with_(months=30, **{"world.migrants": 2000}), replicates=1, seed=1, progress=False)
    yearly = results.yearly("remit_formal")
    assert list(yearly["year"].values) == [0, 1, 2]  # the third year has 6 months
    monthly = results.to_xarray()["remit_formal"]
    assert int(yearly.sel(year=2).squeeze()) == int(monthly.isel(month=slice(24, 30)).sum().squeeze())


def test_national_scenario_has_every_region_700_communes_and_a_calendar(national_run):
    ds = national_run.to_xarray()
    assert ds.sizes["commune"] == 700
    assert str(ds["time"].values[0])[:10] == "2015-01-01" and str(ds["time"].values[-1])[:7] == "2030-12"
    scenario = national_run.scenario("mali-national")
    regions = {c["region"] for c in scenario.to_dict()["communes"]}
    assert regions == {"Kayes", "Koulikoro", "Sikasso", "Segou", "Mopti", "Tombouctou", "Gao", "Kidal", "Bamako"}


def test_the_sanctions_shift_transfers_to_informal_channels(national_run):
    ds = national_run.to_xarray().isel(scenario=0, replicate=0)
    share = ds["remit_informal"] / (ds["remit_formal"] + ds["remit_informal"])
    before, during = float(share.isel(month=slice(72, 84)).mean()), float(share.isel(month=slice(84, 90)).mean())
    # UEMOA sends about a fifth of the money: closing its formal channel with
    # half of that money reappearing informally takes the share from ~0.29 to ~0.38.
    assert during > before + 0.06
    total = ds["remit_formal"] + ds["remit_informal"]
    assert float(total.isel(month=slice(84, 90)).mean()) < 0.97 * float(total.isel(month=slice(78, 84)).mean())


def test_communes_csv_is_what_its_seeded_script_writes(tmp_path):
    spec = importlib.util.spec_from_file_location("make_mali_communes", ROOT / "scripts" / "make_mali_communes.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    out = tmp_path / "communes.csv"
    script.write(script.communes(2009), 2009, out)
    assert out.read_text() == (SCENARIOS / "data" / "mali-communes-2009.csv").read_text()


def test_the_water_hazard_fit_is_a_compromise_between_the_two_ages():
    hazard, se = calibrate.fit_water_hazard()
    one, four = calibrate.water_curve(hazard, [1, 4])
    (_, at_one, _), (_, at_four, _) = calibrate.WATER_CURVE
    assert one < at_one and four > at_four  # a constant hazard is not concave enough: stated in validation.md
    assert 0 < se < hazard


def test_calibration_recovers_parameters_from_data_the_model_generated():
    """Targets simulated at known values (seed 11) are fitted from another
    seed (12), starting away from the truth: the estimate lies within three
    standard errors of the truth for each parameter."""
    params = calibrate.PARAMETERS[:1] + calibrate.PARAMETERS[3:5]  # euro propensity, channel alpha, pandemic wage
    truth = np.array([0.25, -2.2, 0.85])
    base = codev.Scenario.load(SCENARIOS / "mali-national.toml")
    generator = calibrate.Simulator(base, calibrate.Config(seed=11, migrants=4000, replicates=1, parameters=params))
    start = [float(base.get(p.key)) for p in params]
    data = generator.moments([truth])[0]
    targets = tuple(dataclasses.replace(t, value=data[t.name]) for t in calibrate.TARGETS)
    config = calibrate.Config(
        seed=12, migrants=4000, replicates=1, max_iterations=8, parameters=params, targets=targets
    )
    simulator = calibrate.Simulator(base, config)
    theta, jac = calibrate.fit(simulator, start)
    se = np.sqrt(np.diag(calibrate.covariance(jac, config.replicates)))
    assert np.all(np.abs(theta - truth) <= 3 * se), (theta, truth, se)
    assert np.all(se < np.abs(truth - start))  # the data say something: tighter than the distance travelled


def test_calibration_is_reproducible_from_its_seed():
    config = calibrate.Config(
        seed=5, migrants=2000, replicates=1, posterior_draws=3, max_iterations=2, parameters=calibrate.PARAMETERS[3:5]
    )
    base = codev.Scenario.load(SCENARIOS / "mali-national.toml")
    first, second = (calibrate.calibrate(config, base) for _ in range(2))
    assert calibrate.calibrated_toml(first, base) == calibrate.calibrated_toml(second, base)
    assert first["sample"] == second["sample"]


def test_shipped_calibrated_scenario_is_its_record_written_out():
    record = json.loads(calibrate.RECORD.read_text())
    base = codev.Scenario.load(calibrate.SCENARIO)
    assert calibrate.CALIBRATED.read_text() == calibrate.calibrated_toml(record, base)
    codev.Scenario.load(calibrate.CALIBRATED)  # and it loads


def test_calibrated_scenario_meets_its_targets_at_a_reduced_scale():
    """At 10,000 migrants (half the calibration's scale, another seed) every
    target the record says is met (|z| <= 2) is within two tolerances, and
    every simulated figure is within one tolerance of the record's."""
    record = json.loads(calibrate.RECORD.read_text())
    scenario = codev.Scenario.load(calibrate.CALIBRATED)
    config = calibrate.Config(seed=99, migrants=10000, replicates=2)
    simulated = calibrate.Simulator(scenario, config).moments(
        [[float(scenario.get(p.key)) for p in calibrate.PARAMETERS]]
    )[0]
    for target in (t for t in record["targets"] if "target" in t):
        value = simulated[target["name"]]
        assert abs(value - target["simulated"]) <= target["tolerance"], target["name"]
        if abs(target["z"]) <= 2:
            assert abs(value - target["target"]) <= 2 * target["tolerance"], target["name"]


def test_codev_calibrate_is_a_command(codev):
    env = dict(os.environ, CODEV_PYTHON=sys.executable)  # build/dev has no Python beside it
    done = subprocess.run(
        [codev, "calibrate", "--help"], capture_output=True, text=True, timeout=60, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "--seed" in done.stdout and "--migrants" in done.stdout


@pytest.mark.skipif(os.environ.get("CODEV_SLOW_TESTS") != "1", reason="full calibration, ~1.5 min: CODEV_SLOW_TESTS=1")
def test_full_calibration_reproduces_the_shipped_scenario(tmp_path):
    """`codev calibrate` with the shipped defaults writes the shipped file, byte for byte."""
    out = tmp_path / "mali-national-calibrated.toml"
    assert calibrate.main(["--out", str(out)]) == 0
    assert out.read_text() == calibrate.CALIBRATED.read_text()
