"""Results.to_ema() (issue 7): a sweep's results as EMA Workbench's
(experiments, outcomes) pair, on which its PRIM finds the box that a
threshold on the outcome implies. EMA Workbench is in the dev extra: imported
directly, never skipped."""

import warnings

import numpy as np
import pytest

import codev

with warnings.catch_warnings():  # it warns that ipyparallel, which PRIM does not use, is missing
    warnings.simplefilter("ignore", UserWarning)
    from ema_workbench.analysis import prim

BUDGET = "programmes.codev.budget_per_year_xof"
INTEREST = "programmes.codev.loan.interest_rate"


@pytest.fixture(scope="module")
def results(small_scenarios):
    """A small loan's interest rate matters little next to the budget (the
    loan is drawn only where the budget is short, docs/model.md 7.6.4); the
    budget stops binding somewhere in its range, after which people served
    stay on a plateau."""
    loan = {
        "amount_xof": 100_000_000,
        "interest_rate": 0.015,
        "grace_years": 1,
        "tenor_years": 5,
        "disbursement": [1.0],
    }
    base = codev.Scenario.load(small_scenarios["codev-share-70"]).with_(**{"programmes.codev.loan": loan})
    # A Latin hypercube of 40 points: PRIM below peels one point at a time
    # (peel_alpha 1/40), so its box can stop exactly at the plateau's edge.
    return codev.sweep(
        base, {BUDGET: (0, 5e8), INTEREST: (0.0, 0.1)}, design="lhs", n=40, seed=5, replicates=2, progress=False
    )


def test_experiments_hold_the_factors_and_outcomes_the_indicators(results):
    experiments, outcomes = results.to_ema()
    assert list(experiments.columns) == [BUDGET, INTEREST]
    assert list(experiments.index) == results.scenarios and experiments.index.name == "scenario"
    assert experiments[BUDGET].dtype.kind == "i" and experiments[INTEREST].between(0.0, 0.1).all()
    assert set(outcomes) == set(codev.indicators.INDICATORS)
    served = results.indicators()["people_reached"].groupby("scenario", sort=False).mean()
    np.testing.assert_allclose(outcomes["people_reached"], served.to_numpy())


def test_each_replicate_can_be_an_experiment(results):
    experiments, outcomes = results.to_ema(["people_reached", "cofinancing_leverage"], replicates="each")
    assert experiments.index.names == ["scenario", "replicate"] and len(experiments) == 40 * 2
    assert list(outcomes) == ["people_reached", "cofinancing_leverage"]
    np.testing.assert_array_equal(outcomes["people_reached"], results.indicators()["people_reached"].to_numpy())
    with pytest.raises(ValueError, match="not an indicator"):
        results.to_ema("served")


def test_results_that_are_not_a_sweep_say_so(small_scenarios):
    plain = codev.run([small_scenarios["codev-share-70"]], replicates=1, progress=False)
    with pytest.raises(ValueError, match="not a sweep"):
        plain.to_ema()


@pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.drop")  # inside EMA Workbench, pandas 3
def test_prim_finds_the_box_the_threshold_implies(results):
    experiments, outcomes = results.to_ema("people_reached")
    served, budget = outcomes["people_reached"], experiments[BUDGET].to_numpy()
    interesting = served >= served[np.argmax(budget)]  # on the plateau
    # The threshold implies a box: budget at least the smallest budget on the
    # plateau, any interest rate (the plateau holds above that budget only).
    lowest = budget[interesting].min()
    np.testing.assert_array_equal(interesting, budget >= lowest)
    assert 0 < interesting.sum() < len(budget)

    # As floats: PRIM's pasting may try a bound halfway between two integer budgets.
    # One point a peel: with the default 5 % (two points) the box may stop one
    # point short of the edge, as it did on this design after a change of results.
    search = prim.Prim(experiments.astype(float), interesting, threshold=0.8, peel_alpha=1 / len(budget))
    box = search.find_box()
    below = budget[~interesting].max()  # the largest budget off the plateau

    def splits_at_the_plateau(limits):
        low, high = limits.tolist()
        return below < low <= lowest and high == budget.max()

    assert splits_at_the_plateau(box.box_lim[BUDGET])
    assert box.coverage == 1.0 and box.density == 1.0
    # PRIM may also peel a few uninteresting points off the interest rate's
    # ends by chance; dropping that restriction loses nothing.
    box.drop_restriction(INTEREST)
    assert box.box_lim[INTEREST].tolist() == search.box_init[INTEREST].tolist()
    assert splits_at_the_plateau(box.box_lim[BUDGET])
    assert box.coverage == 1.0 and box.density == 1.0
