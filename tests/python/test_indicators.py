"""Each indicator of codev.indicators on a small world computed by hand:
one scenario with a programme, two replicates, three months, two communes."""

import math

import numpy as np
import pytest
import xarray as xr

from codev import indicators

SECTORS = ["water", "health", "education", "energy", "agriculture"]
PROGRAMME_TOML = """months = 3
[programmes.codev]
budget_per_year_xof = 1000
total_budget_xof = 0
start_year = 0
end_year = 1000
"""


def monthly(values):
    """[replicate][month] -> (scenario=1, replicate, month)."""
    return (("scenario", "replicate", "month"), np.array([values], dtype=np.int64))


def by_sector(per_replicate_month):
    """[replicate][month] values all in the first sector (water)."""
    a = np.zeros((1, 2, 3, 5), dtype=np.int64)
    a[0, :, :, 0] = per_replicate_month
    return (("scenario", "replicate", "month", "sector"), a)


@pytest.fixture
def world():
    served_by_commune = np.zeros((1, 2, 1, 2, 5), dtype=np.int64)
    served_by_commune[0, 0, 0, :, 0] = [100, 0]     # replicate 0: commune 0 gains 100 of 1000 people
    served_by_commune[0, 1, 0, :, 0] = [50, 50]      # replicate 1: both communes 50 people
    served_by_commune[0, 1, 0, :, 1] = [0, 50]       # ... plus 50 in health in commune 1
    return xr.Dataset(
        {
            "scenario_toml": (("scenario",), [PROGRAMME_TOML]),
            "months_in_scenario": (("scenario",), np.array([3], dtype=np.int32)),
            "communes_in_scenario": (("scenario",), np.array([2], dtype=np.int32)),
            "commune_population": (("scenario", "commune"), np.array([[1000, 500]], dtype=np.int64)),
            "projects_completed": by_sector([[0, 1, 1], [0, 0, 0]]),
            "people_served": by_sector([[0, 40, 100], [0, 0, 0]]),
            "programme_disbursed": monthly([[100, 0, 300], [0, 0, 0]]),
            "technical_assistance_paid": monthly([[0, 100, 0], [0, 0, 0]]),
            "loan_disbursed": monthly([[500, 0, 0], [500, 0, 0]]),
            "debt_service_paid": monthly([[0, 5, 5], [0, 0, 0]]),
            "commune_cofinancing_paid": monthly([[0, 100, 20], [0, 0, 0]]),
            "association_spending": monthly([[200, 0, 80], [0, 0, 0]]),
            "completed_value": monthly([[0, 400, 800], [0, 0, 0]]),
            "idea_to_completion_months": monthly([[0, 10, 14], [0, 0, 0]]),
            "remit_formal": monthly([[1000, 1000, 1000], [0, 0, 0]]),
            "remit_informal": monthly([[500, 500, 0], [0, 0, 0]]),
            "remit_fees": monthly([[80, 70, 50], [0, 0, 0]]),
            "people_served_by_commune": (("scenario", "replicate", "year", "commune", "sector"), served_by_commune),
        },
        coords={"scenario": ["s"], "replicate": [0, 1], "month": [0, 1, 2], "sector": SECTORS, "year": [0],
                "commune": [0, 1]},
    )


def values(da):
    assert da.dims == ("scenario", "replicate")
    return da.sel(scenario="s").values.tolist()


def test_counts_and_money_add_up_over_months_and_sectors(world):
    assert values(indicators.projects_completed(world)) == [2, 0]
    assert values(indicators.public_disbursed(world)) == [500, 0]      # 100 + 300 grants + 100 assistance
    assert values(indicators.value_completed(world)) == [1200, 0]


def test_people_served_is_the_stock_at_the_horizon_not_a_sum(world):
    assert values(indicators.people_served(world)) == [100, 0]


def test_people_served_is_read_at_each_scenarios_own_last_month(world):
    shorter = world.assign(months_in_scenario=("scenario", np.array([2], dtype=np.int32)))
    assert values(indicators.people_served(shorter)) == [40, 0]


def test_leverage_is_value_completed_per_public_xof(world):
    lev = values(indicators.leverage(world))
    assert lev[0] == pytest.approx(1200 / 500)
    assert math.isnan(lev[1])  # no public money


def test_public_cost_per_person_served(world):
    cost = values(indicators.public_cost_per_person_served(world))
    assert cost[0] == pytest.approx(500 / 100)
    assert math.isnan(cost[1])


def test_months_from_idea_to_completion_is_a_mean_over_completed_projects(world):
    months = values(indicators.months_idea_to_completion(world))
    assert months[0] == pytest.approx((10 + 14) / 2)
    assert math.isnan(months[1])


def test_budget_unspent_share_counts_the_yearly_budget_and_the_loan(world):
    # Budget opened: one year of 1000 XOF, plus 500 of loan: 1500. Spent 500, then 0.
    assert values(indicators.budget_unspent_share(world)) == pytest.approx([1 - 500 / 1500, 1.0])


def test_budget_unspent_share_honours_the_programme_years_and_the_total_cap():
    text = PROGRAMME_TOML.replace("months = 3", "months = 40").replace("total_budget_xof = 0", "total_budget_xof = 2500")
    assert indicators._budget_opened(text) == 2500  # 4 years of 1000, capped at 2500 in all
    text = PROGRAMME_TOML.replace("months = 3", "months = 40").replace("start_year = 0", "start_year = 2")
    assert indicators._budget_opened(text) == 2000  # years 2 and 3 of 0..3
    assert indicators._budget_opened("months = 40\n") == 0


def test_budget_unspent_share_is_nan_without_a_programme(world):
    no_programme = world.assign(scenario_toml=("scenario", ["months = 3\n"]),
                                loan_disbursed=monthly([[0, 0, 0], [0, 0, 0]]))
    assert np.isnan(values(indicators.budget_unspent_share(no_programme))).all()


def test_financing_adds_up_who_paid_for_the_projects(world):
    assert values(indicators.programme_grants(world)) == [400, 0]
    assert values(indicators.technical_assistance(world)) == [100, 0]
    assert values(indicators.commune_cofinancing(world)) == [120, 0]
    assert values(indicators.diaspora_spending(world)) == [280, 0]
    assert values(indicators.project_spending(world)) == [800, 0]   # 400 + 120 + 280
    shares = [indicators.programme_share_of_project_spending, indicators.commune_share_of_project_spending,
              indicators.diaspora_share_of_project_spending]
    assert [values(share(world))[0] for share in shares] == pytest.approx([0.5, 0.15, 0.35])
    assert all(math.isnan(values(share(world))[1]) for share in shares)  # nothing paid into projects


def test_programme_money_comes_from_the_grant_budget_and_the_loan(world):
    assert values(indicators.grant_budget_opened(world)) == [1000, 1000]  # the same for every replicate
    assert values(indicators.loan_drawn(world)) == [500, 500]
    assert values(indicators.budget_available(world)) == [1500, 1500]
    assert values(indicators.debt_service(world)) == [10, 0]


def test_people_served_per_million_of_debt_service(world):
    ratio = values(indicators.people_served_per_million_debt_service(world))
    assert ratio[0] == pytest.approx(100 / 10 * 1e6)
    assert math.isnan(ratio[1])  # no debt service


def test_gini_of_per_capita_gains_across_communes(world):
    # Replicate 0: per capita [0.1, 0]: sum|xi-xj| = 0.2, n = 2, mean 0.05 -> 0.2 / (2 * 4 * 0.05) = 0.5.
    # Replicate 1: [50/1000, 100/500] = [0.05, 0.2]: 0.3 / (2 * 4 * 0.125) = 0.3.
    assert values(indicators.served_per_capita_gini(world)) == pytest.approx([0.5, 0.3])


def test_gini_coefficient_by_hand():
    assert indicators.gini_coefficient([1, 1, 1, 1]) == 0
    assert indicators.gini_coefficient([0, 0, 1, 1]) == pytest.approx(0.5)  # 8 / (2 * 16 * 0.5)
    assert indicators.gini_coefficient([0, 0, 0, 4]) == pytest.approx(0.75)  # 24 / (2 * 16 * 1)
    assert indicators.gini_coefficient([3, np.nan, 3]) == 0  # NaN (padding communes) ignored
    assert math.isnan(indicators.gini_coefficient([0, 0]))


def test_fees_are_a_share_of_all_individual_remittances(world):
    fees = values(indicators.fees_share_of_remittances(world))
    assert fees[0] == pytest.approx(200 / 4000)
    assert math.isnan(fees[1])


def test_the_table_has_every_indicator_documented_with_a_formula(world):
    table = indicators.table(world)
    assert list(table.data_vars) == list(indicators.INDICATORS)
    for name, (function, unit) in indicators.INDICATORS.items():
        assert function.__doc__ and ("sum" in function.__doc__ or "/" in function.__doc__), name
        assert table[name].attrs["units"] == unit
