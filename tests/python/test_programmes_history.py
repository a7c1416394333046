"""Mali's programmes on their dates and money followed by funder (issue 15):
the shipped history runs each programme only in its years, each programme's
money and projects are recorded, and the futures from 2026 move the money
from outside funders to Mali's budget or a regional lender."""

import numpy as np
import pandas as pd
import pytest

import codev

# The programmes of mali-codev-history.toml and their calendar years (inclusive).
YEARS = {"fsp": (2003, 2009), "pac": (2009, 2014), "pmmd": (2014, 2016), "ctc_diaspora": (2017, 2022)}
FUNDERS = {"anaem": "france", "fsp": "france", "pac": "eu", "pmmd": "france", "ctc_diaspora": "eu"}


def reduced(name):
    """The shipped scenario with a tenth of its migrants, so the test stays fast."""
    return codev.Scenario.load(name).with_(**{"world.migrants": 20000})


@pytest.fixture(scope="module")
def history():
    names = ["mali-codev-history", "mali-codev-future-mali-budget", "mali-codev-future-regional-bank"]
    return codev.run([reduced(n) for n in names], replicates=3, seed=4, progress=False, check=True)


def test_the_history_names_its_programmes_and_their_funders(history):
    programmes = history.programmes().loc["mali-codev-history"]
    assert dict(zip(programmes["name"], programmes["funder"], strict=True)) == FUNDERS
    future = history.programmes().loc["mali-codev-future-regional-bank"]
    assert future.set_index("name").loc["ctc_afdb", "funder"] == "afdb"


def test_each_programme_approves_projects_only_in_its_years(history):
    approved = history.by_programme("projects_approved").loc["mali-codev-history"]
    for name, (first, last) in YEARS.items():
        per_year = approved.xs(name, level="programme")["mean"].droplevel("funder")
        outside = per_year[(per_year.index < first) | (per_year.index > last)]
        assert (outside == 0).all(), name
        assert per_year.loc[first:last].sum() > 0, name


def test_returnees_businesses_start_only_in_anaems_years_and_missions_only_with_the_fsp(history):
    started = history.by_programme("reinsertion_businesses_started").loc["mali-codev-history"]["mean"]
    by_programme = started.groupby(level="programme").sum()
    assert by_programme["anaem"] > 0 and by_programme.drop("anaem").sum() == 0
    years = started.xs("anaem", level="programme").droplevel("funder")
    assert years[(years.index < 2003) | (years.index > 2009)].sum() == 0
    ds = history.to_xarray().sel(scenario="mali-codev-history")
    assert float(ds.reinsertion_jobs.isel(month=-1).mean()) > 0  # some businesses outlive the programme
    missions = history.by_programme("skills_missions").loc["mali-codev-history"]["mean"]
    assert missions.groupby(level="programme").sum().drop("fsp").sum() == 0
    assert 0 < missions.xs("fsp", level="programme").max() <= 18  # missions_per_year


def test_money_by_funder_adds_up_to_the_programmes_grants_and_assistance(history):
    ds = history.to_xarray()
    total = (ds.programme_disbursed + ds.technical_assistance_paid + ds.reinsertion_grants_paid).sum("month")
    total = total.mean("replicate")
    by_funder = history.by_funder("public_money")["mean"].groupby(level="scenario").sum()
    np.testing.assert_allclose(by_funder.to_numpy(), total.sel(scenario=by_funder.index).to_numpy(), rtol=1e-12)


def test_the_futures_shift_the_money_from_outside_funders(history):
    money = history.by_funder("public_money")["mean"]
    late = money[money.index.get_level_values("year") >= 2026].groupby(level=["scenario", "funder"]).sum()
    assert late["mali-codev-history"].sum() == 0  # no programme after 2022
    assert late["mali-codev-future-mali-budget"]["mali"] > 0
    assert late["mali-codev-future-mali-budget"].drop("mali").sum() == 0
    assert late["mali-codev-future-regional-bank"]["afdb"] > 0
    loans = history.by_funder("loan_disbursed")["mean"]
    assert loans.xs("afdb", level="funder").loc["mali-codev-future-regional-bank"].sum() > 0
    assert loans.xs("mali", level="funder").sum() == 0
    before = money[money.index.get_level_values("year") < 2026].unstack("scenario")
    pd.testing.assert_series_equal(  # the shared past is the same, replicate for replicate
        before["mali-codev-history"], before["mali-codev-future-mali-budget"], check_names=False
    )


def test_completed_projects_by_programme_and_sector_add_up(history):
    all_sectors = history.by_programme("projects_completed")["mean"]
    water = history.by_programme("projects_completed_water")["mean"]
    assert (water <= all_sectors + 1e-9).all()
    ds = history.to_xarray()
    total = ds.cofinanced_projects_completed.sum("month").mean("replicate")
    summed = all_sectors.groupby(level="scenario").sum()
    np.testing.assert_allclose(summed.to_numpy(), total.sel(scenario=summed.index).to_numpy())


def test_a_bad_programme_variable_names_the_allowed_ones(history):
    with pytest.raises(ValueError, match=r"not a programme variable .*public_money"):
        history.by_funder("grants")
    baseline_only = codev.run(reduced("mali-kayes-baseline").with_(months=12), replicates=1, progress=False)
    assert baseline_only.programmes().empty
    with pytest.raises(ValueError, match="no scenario of these results has a programme"):
        baseline_only.by_funder()


def test_the_brief_shows_who_pays_year_by_year_in_both_languages(history, tmp_path):
    for lang, heading in (("en", "Who pays, year by year"), ("fr", "Qui paie, année par année")):
        page = history.report(out=tmp_path / f"brief-{lang}.html", lang=lang).read_text(encoding="utf-8")
        assert page.count(heading) == 2  # one table per future
        assert '<table class="funders" data-scenario="mali-codev-future-mali-budget"' in page
        for funder in ("france", "eu", "mali", "afdb"):
            assert f'<th scope="col">{funder}</th>' in page


def test_a_brief_whose_programmes_name_no_funder_has_no_funder_table(tmp_path):
    small = [reduced(n).with_(months=24) for n in ("mali-kayes-baseline", "codev-share-70")]
    results = codev.run(small, replicates=2, progress=False)
    assert set(results.programmes()["funder"]) == {"unspecified"}
    page = results.report(out=tmp_path / "brief.html").read_text(encoding="utf-8")
    assert "Who pays, year by year" not in page and "Yearly disbursement" in page


def test_a_programmes_life_total_is_the_sum_of_its_years(history):
    life = history.by_programme("grants_disbursed", over_life=True).loc["mali-codev-history"]
    yearly = history.by_programme("grants_disbursed").loc["mali-codev-history"]["mean"]
    summed = yearly.groupby(level=["programme", "funder"]).sum()
    np.testing.assert_allclose(life["mean"].sort_index().to_numpy(), summed.sort_index().to_numpy(), rtol=1e-12)
    assert (life["p5"] <= life["mean"]).all() and (life["mean"] <= life["p95"]).all()
    assert set(life.index.get_level_values("programme")) == set(FUNDERS)
