"""codev.indicators: the indicators the results file stores per job, and the
effects of a policy computed by the same C++ as `codev run --baseline`."""

import html
import math
import subprocess

import numpy as np
import pytest

import codev
from codev import indicators

SMALL = {"world.migrants": 4000, "months": 48}


@pytest.fixture(scope="module")
def results(small_scenarios):
    base = codev.Scenario.load(small_scenarios["mali-kayes-baseline"]).with_(**SMALL)
    policy = codev.Scenario.load(small_scenarios["codev-share-70"]).with_(**SMALL)
    return codev.run([base, policy], replicates=4, seed=3, progress=False)


def test_every_indicator_is_stored_per_job_with_its_units(results):
    ds = results.to_xarray()
    table = indicators.table(ds)
    assert list(table.data_vars) == list(indicators.INDICATORS)
    for name, (units, text) in indicators.INDICATORS.items():
        assert table[name].dims == ("scenario", "replicate")
        assert ds[name].attrs["units"] == units and ds[name].attrs["long_name"] == text
        assert ds[name].attrs["kind"] == "indicator"
    for name in indicators.SECTOR_INDICATORS:
        assert ds[name].dims == ("scenario", "replicate", "sector")
    # The totals agree with the monthly variables they sum.
    completed = ds["projects_completed"].sum(["month", "sector"])
    np.testing.assert_array_equal(table["projects_completed_total"].values, completed.values)
    np.testing.assert_array_equal(ds["projects_completed_by_sector"].sum("sector").values, completed.values)


def test_people_reached_never_exceed_the_population_nor_the_sectors_sum(results):
    ds = results.to_xarray()
    reached, population = ds["people_reached"], ds["population"]
    served = ds["people_served"].isel(month=-1)
    assert bool((reached <= population).all())
    assert bool((reached <= served.sum("sector") + 1e-6).all())
    assert bool((reached >= served.max("sector") - 1e-6).all())


def test_effects_are_the_paired_differences_of_the_stored_indicators(results):
    ds = results.to_xarray()
    effects = results.compare()  # the baseline declares itself
    assert list(effects.index) == ["codev-share-70"]
    table = indicators.table(ds)
    diff = table.sel(scenario="codev-share-70") - table.sel(scenario="mali-kayes-baseline")
    for effect, indicator in (
        ("additional_projects_completed", "projects_completed_total"),
        ("additional_people_reached", "people_reached"),
        ("additional_public_money", "public_money"),
    ):
        assert effects.loc["codev-share-70", (effect, "mean")] == pytest.approx(float(diff[indicator].mean()))
        assert effects.loc["codev-share-70", (effect, "p5")] == pytest.approx(float(diff[indicator].quantile(0.05)))
    cost = effects.loc["codev-share-70", ("cost_per_additional_person_reached", "mean")]
    reached = float(diff["people_reached"].mean())
    expected = float(diff["programme_money"].mean()) / reached if reached > 0 else math.inf
    assert cost == pytest.approx(expected)
    cofinanced = float(table["cofinanced_projects_completed_total"].sel(scenario="codev-share-70").mean())
    assert effects.loc["codev-share-70", ("built_anyway_share", "mean")] == pytest.approx(
        1 - float(diff["projects_completed_total"].mean()) / cofinanced
    )
    sectors = [
        effects.loc["codev-share-70", (f"additional_projects_completed_{s}", "mean")] for s in ds["sector"].values
    ]
    assert sum(sectors) == pytest.approx(effects.loc["codev-share-70", ("additional_projects_completed", "mean")])


def test_the_cli_prints_the_same_effects(results, small_scenarios, request, tmp_path):
    out = tmp_path / "r.h5"
    command = request.getfixturevalue("codev")  # the `codev` command (the name `codev` is the package here)
    text = subprocess.run(
        [
            command,
            "run",
            small_scenarios["mali-kayes-baseline"],
            small_scenarios["codev-share-70"],
            "-r",
            "2",
            "--seed",
            "5",
            "--out",
            str(out),
            "-q",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert text.startswith("What each policy adds to mali-kayes-baseline")
    effects = codev.open(out).compare()
    added = effects.loc["codev-share-70", ("additional_projects_completed", "mean")]
    line = next(line for line in text.splitlines() if line.startswith("additional projects completed"))
    assert f" {added:,.0f} [" in line
    assert "public XOF / person served" not in text and "leverage" not in text


def test_a_baseline_must_share_the_horizon(results, small_scenarios):
    base = codev.Scenario.load(small_scenarios["mali-kayes-baseline"]).with_(**SMALL)
    short = codev.Scenario.load(small_scenarios["codev-share-70"]).with_(**{**SMALL, "months": 24})
    mixed = codev.run([base, short], replicates=1, seed=1, progress=False)
    with pytest.raises(ValueError, match="24 months against 48"):
        mixed.compare()


def test_the_baseline_is_named_or_declared(results):
    assert results.baseline() == "mali-kayes-baseline"
    with pytest.raises(ValueError, match="no scenario 'nope'"):
        results.compare(baseline="nope")
    effects = results.compare(baseline="codev-share-70")
    assert list(effects.index) == ["mali-kayes-baseline"]


def test_the_brief_finds_the_declared_baseline(results, tmp_path):
    out = results.report(out=tmp_path / "brief.html")  # no baseline named: the declared one
    page = out.read_text(encoding="utf-8")
    # the declared baseline, named by its title, is what page 1 compares the option with
    assert "compared with “Kayes region without a co-financing programme (test scale)”" in html.unescape(page)
    assert "Executive summary" in page
