"""The economic analysis (docs/appraisal.md): ENPV, EIRR and switching values
against cash flows computed by hand, and the yearly flows a results file gives."""

import math

import numpy as np
import pytest
import xarray as xr

from codev.report import economics
from codev.report.uncertainty import crossing, draw_parameters


def test_present_value_and_irr_of_a_hand_computed_stream():
    # -100 now, 60 in each of the next two years.
    flows = [-100.0, 60.0, 60.0]
    assert economics.present_value(flows, 0.10) == pytest.approx(-100 + 60 / 1.1 + 60 / 1.21)
    # 60 x^2 + 60 x - 100 = 0 with x = 1 / (1 + r)
    x = (-60 + math.sqrt(60**2 + 4 * 60 * 100)) / 120
    assert economics.irr(flows) == pytest.approx(1 / x - 1, abs=1e-10)
    assert economics.present_value(flows, economics.irr(flows)) == pytest.approx(0, abs=1e-9)


def test_irr_is_nan_when_the_stream_never_changes_sign():
    assert math.isnan(economics.irr([10.0, 5.0, 5.0]))
    assert math.isnan(economics.irr([-10.0, -5.0]))
    assert math.isnan(economics.irr([0.0, 0.0, 0.0]))  # an option that changes nothing has no rate


def test_irr_is_the_investments_rate_when_a_late_cost_adds_a_spurious_root():
    # Invest, earn for 18 years, pay a debt at the end: a second root lies near -45 %.
    flows = [-100.0, *[25.0] * 18, -30.0]
    rate = economics.irr(flows)
    assert economics.present_value(flows, rate) == pytest.approx(0, abs=1e-8)
    assert 0.2 < rate < 0.3
    assert economics.present_value(flows, 0.12) > 0


def test_switching_values_bring_enpv_to_zero_when_applied():
    rate = 0.12
    benefits = np.array([0.0, 30.0, 50.0, 50.0, 50.0])
    costs = np.array([100.0, 20.0, 5.0, 5.0, 5.0])
    pv_b, pv_c = economics.present_value(benefits, rate), economics.present_value(costs, rate)
    values = economics.switching_values(pv_b, pv_c, rate)
    assert pv_b - pv_c > 0
    assert economics.present_value(benefits - costs * (1 + values["costs"]), rate) == pytest.approx(0, abs=1e-9)
    assert economics.present_value(benefits * (1 - values["benefits"]) - costs, rate) == pytest.approx(0, abs=1e-9)
    # benefits delayed by d years: their present value falls by (1 + r)^-d
    delayed = pv_b * (1 + rate) ** -values["delay"]
    assert delayed - pv_c == pytest.approx(0, abs=1e-9)


def _dataset(served, flows, months=24, loan=None):
    """A results file's variables for two scenarios, two replicates."""
    scenarios, replicates = ["base", "policy"], [0, 1]
    sectors = ["water", "health", "education", "energy", "agriculture"]
    shape = (2, 2, months)
    ds = xr.Dataset(
        coords={"scenario": scenarios, "replicate": replicates, "month": np.arange(months), "sector": sectors}
    )
    ds["months_in_scenario"] = ("scenario", [months, months])
    people = np.zeros((*shape, 5))
    for (s, sector), value in served.items():
        people[s, :, :, sectors.index(sector)] = value
    ds["people_served"] = (("scenario", "replicate", "month", "sector"), people)
    for variable in (*economics.INVESTMENT, *economics.UPKEEP, "loan_disbursed", "debt_service_paid"):
        ds[variable] = (("scenario", "replicate", "month"), np.zeros(shape))
    for (s, variable, month), value in flows.items():
        ds[variable].values[s, :, month] = value
    return ds


def test_cash_flows_value_people_served_and_count_every_payer_and_upkeep():
    ds = _dataset(
        {(1, "water"): 100.0, (1, "health"): 50.0},
        {
            (1, "programme_disbursed", 0): 700.0,
            (1, "commune_cofinancing_paid", 0): 200.0,
            (1, "association_spending", 1): 100.0,
            (1, "technical_assistance_paid", 13): 40.0,
            (1, "maintenance_paid", 20): 10.0,
        },
    )
    terms = economics.Terms(discount_rate=0.1, benefit={"water": 2.0, "health": 4.0})
    flows = economics.cash_flows(ds, "policy", {}, terms)
    # 100 x 2 + 50 x 4 a year; the year after the horizon holds only debt still owed (none here)
    np.testing.assert_allclose(flows["benefits"].values, [[400.0, 400.0, 0.0]] * 2)
    np.testing.assert_allclose(flows["costs"].values, [[1000.0, 50.0, 0.0]] * 2)
    delta = economics.incremental(ds, "policy", "base", {"policy": {}, "base": {}}, terms)
    assert float(economics.present_value(delta["net"].values[0], 0.1)) == pytest.approx(-600 + 350 / 1.1)


def test_a_loan_replaces_the_outlays_it_financed_by_its_service_and_what_is_still_owed():
    ds = _dataset({}, {(1, "loan_disbursed", 0): 1200.0, (1, "debt_service_paid", 12): 100.0})
    params = {"programmes": {"codev": {"loan": {"amount_xof": 1200, "interest_rate": 0.12}}}}
    owed = economics.debt_at_horizon(ds, "policy", params)
    # drawn at month 0, then 1 % a month on what is owed over months 1 to 23;
    # the 100 paid at month 12 stops accruing from month 13
    expected = 1200 * 1.01**23 - 100 * 1.01**11
    np.testing.assert_allclose(owed.values, [expected, expected])
    flows = economics.cash_flows(ds, "policy", params, economics.Terms())
    # drawn in year 1, served in year 2, still owed at the end of year 2: counted the year after
    np.testing.assert_allclose(flows["debt"].values[0], [-1200.0, 100.0, expected])


def test_a_short_last_year_counts_the_months_it_has():
    ds = _dataset({(1, "water"): 120.0}, {}, months=18)
    flows = economics.cash_flows(ds, "policy", {}, economics.Terms(benefit={"water": 1.0}))
    np.testing.assert_allclose(flows["benefits"].values[0], [120.0, 60.0, 0.0])  # six months of year 2


def test_appraise_pairs_replicates_and_reports_every_rate():
    ds = _dataset({(1, "water"): 100.0}, {(1, "programme_disbursed", 0): 150.0}, months=36)
    terms = economics.Terms(discount_rate=0.08, benefit={"water": 1.0})
    params = {"policy": {}, "base": {}}
    appraisal = economics.appraise(ds, "policy", "base", params, np.array([100.0, 100.0]), terms)
    assert list(appraisal.enpv) == [0.08, 0.06, 0.10, 0.12]
    expected = -150 + 100 + 100 / 1.08 + 100 / 1.08**2
    assert appraisal.enpv_at_rate.mean == pytest.approx(expected)
    assert appraisal.p_negative == 0.0
    assert appraisal.eirr.mean == pytest.approx(economics.irr([-50.0, 100.0, 100.0]))
    assert appraisal.cost_per_person.mean == pytest.approx(1.5)


def test_crossing_interpolates_between_runs():
    assert crossing((1.0, 0.75, 0.5), (10.0, 5.0, -5.0)) == pytest.approx(0.625)
    assert math.isnan(crossing((1.0, 0.5), (10.0, 5.0)))
    assert math.isnan(crossing((1.0, 0.5), (-1.0, -5.0)))  # below zero already


def test_draws_cover_the_declared_ranges():
    terms = economics.Terms(benefit_range=(0.5, 2.0), uncertain={"associations.idea_rate": (0.05, 0.08)})
    draws = draw_parameters(terms, 20, seed=3)
    rates = sorted(d["associations.idea_rate"] for d in draws)
    factors = [d["benefit_factor"] for d in draws]
    assert 0.05 <= rates[0] < 0.05 + 0.03 / 20 and 0.08 - 0.03 / 20 < rates[-1] <= 0.08  # one a stratum
    assert min(factors) >= 0.5 and max(factors) <= 2.0
