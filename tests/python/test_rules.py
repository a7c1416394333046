"""Policies that react (docs/model.md 7.6.11, issue 16 item 4): the shipped
adaptive future against its fixed twin, the firings in the results file and
in Results.rule_firings(), in the brief, and a bad rule refused with one line."""

import subprocess

import numpy as np
import pytest

import codev

TWINS = ["mali-codev-future-mali-budget", "mali-codev-future-adaptive"]


def reduced(name):
    return codev.Scenario.load(name).with_(**{"world.migrants": 20000})


@pytest.fixture(scope="module")
def twins():
    return codev.run([reduced(n) for n in TWINS], replicates=3, seed=7, progress=False, check=True)


def test_the_adaptive_future_names_its_rules_and_records_each_firing(twins):
    ds = twins.to_xarray()
    rules = ds.rule_name.sel(scenario="mali-codev-future-adaptive").values.tolist()
    assert rules == ["second-call", "water-repairs", "slump-pause"]
    assert ds.rules_in_scenario.values.tolist() == [0, 3]
    assert ds.rule_action.sel(scenario="mali-codev-future-adaptive").values.tolist() == [
        "extra_call",
        "fund_repairs",
        "pause",
    ]
    firings = twins.rule_firings()
    assert set(firings["scenario"]) == {"mali-codev-future-adaptive"}
    assert len(firings) > 0
    fired = ds.rule_fired.sel(scenario="mali-codev-future-adaptive")
    assert int((fired == 1).sum()) == len(firings)
    # never before 2026 (from_month 312), the second call only in September
    assert (firings["month"] >= 312).all()
    calls = firings.loc[firings["rule"] == "second-call"]
    assert (calls["time"].dt.month == 9).all()
    assert (firings.groupby(["replicate", "rule"]).size() <= 5).all()  # max_firings


def test_the_twins_share_their_past_and_differ_only_after_a_rule_fires(twins):
    ds = twins.to_xarray()
    first = int(twins.rule_firings()["month"].min())
    for name in ["projects_completed", "programme_committed", "remit_formal"]:
        a = ds[name].sel(scenario=TWINS[0]).isel(month=slice(0, first))
        b = ds[name].sel(scenario=TWINS[1]).isel(month=slice(0, first))
        np.testing.assert_array_equal(a.values, b.values, err_msg=name)
    assert ds.scenario_forked_from.values.tolist()[1] == TWINS[0]
    assert ds.scenario_fork_month.values.tolist()[1] == 312


def test_the_brief_shows_the_rules_that_fired(twins, tmp_path):
    from codev.report import write_report

    for lang in ("en", "fr"):
        out = tmp_path / f"brief-{lang}.html"
        write_report(twins, TWINS[0], out, lang=lang)
        page = out.read_text()
        assert '<table class="rules" data-scenario="mali-codev-future-adaptive"' in page
        assert "second-call" in page


def test_a_bad_rule_is_refused_with_its_file_line_and_key(codev_command_path, tmp_path):
    bad = tmp_path / "bad.toml"
    base = codev.Scenario.load("mali-codev-future-mali-budget").path
    rule = '[[rules]]\nname = "r"\nif = "unspent"\nabove = 0.5\nprogramme = "ctc_mali"\naction = "extra_call"\n'
    bad.write_text(f'extends = "{base}"\n\n{rule}')
    result = subprocess.run([codev_command_path, "validate", str(bad)], capture_output=True, text=True, check=False)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"{bad}:5: rules[0].if" in lines[0] and "budget_unspent_share" in lines[0]


@pytest.fixture
def codev_command_path(codev):
    return codev
