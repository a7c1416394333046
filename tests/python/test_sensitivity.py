"""Sensitivity analysis through SALib (issue 7): the whole path, sample ->
run -> analyze, finds the analytic indices of known functions, and on the
model gives no weight to a parameter the indicator cannot depend on. SALib is
in the dev extra: imported directly, never skipped."""

import math

import numpy as np
import pytest
from SALib.test_functions import Ishigami

import codev
from codev import sensitivity

# Ishigami with a = 7, b = 0.1 (SALib's defaults): first-order and total indices
# (Sobol' & Levitan 1999; Saltelli et al. 2008, Global Sensitivity Analysis, 4.5).
ISHIGAMI = {"names": ["x1", "x2", "x3"], "bounds": [[-math.pi, math.pi]] * 3}
ISHIGAMI_S1 = {"x1": 0.3139, "x2": 0.4424, "x3": 0.0}
ISHIGAMI_ST = {"x1": 0.5576, "x2": 0.4424, "x3": 0.2437}
N = 4096

BUDGET = "programmes.codev.budget_per_year_xof"
INTEREST = "programmes.codev.loan.interest_rate"
# How amounts respond to a fee policy (docs/model.md 7.3): codev-share-70 has no
# fee policy, so its amount factor is exactly 1 whatever this value.
FEE_RESPONSE = "behaviour.fee_semi_elasticity"


def indices(table, index):
    return table[table["index"] == index].set_index("factor")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_ishigami_indices_lie_in_their_95_percent_intervals(seed):
    design = sensitivity.sample(ISHIGAMI, N, method="sobol", seed=seed)
    assert design.shape == (N * (3 + 2), 3) and list(design.columns) == ISHIGAMI["names"]
    table = sensitivity.analyze(ISHIGAMI, design, Ishigami.evaluate(design.to_numpy()), method="sobol", seed=seed)
    assert table.attrs["conf_level"] == 0.95 and table.attrs["points"] == N * 5
    for index, expected in (("S1", ISHIGAMI_S1), ("ST", ISHIGAMI_ST)):
        found = indices(table, index)
        for name, value in expected.items():
            row = found.loc[name]
            assert row["low"] <= value <= row["high"], (
                f"{index}[{name}] = {value} outside [{row['low']}, {row['high']}]"
            )
            # The half-width shrinks as 1/sqrt(N): a few units of 1/sqrt(N) at most.
            assert 0 < row["conf"] < 4 / math.sqrt(N)


def test_morris_finds_the_elementary_effects_of_a_linear_function():
    # y = 3 a - 2 b: each elementary effect, over the unit range SALib uses, is
    # the slope times the width of the bounds, the same everywhere (sigma 0).
    problem = {"names": ["a", "b", "c"], "bounds": [[0, 2], [5, 10], [0, 1]]}
    design = sensitivity.sample(problem, 20, method="morris", seed=3)
    assert design.shape == (20 * 4, 3)
    y = 3 * design["a"] - 2 * design["b"]
    table = sensitivity.analyze(problem, design, y, method="morris", seed=2)
    mu_star, mu, sigma = (indices(table, i)["value"] for i in ("mu_star", "mu", "sigma"))
    np.testing.assert_allclose(mu_star[["a", "b", "c"]], [6.0, 10.0, 0.0], atol=1e-9)
    np.testing.assert_allclose(mu[["a", "b", "c"]], [6.0, -10.0, 0.0], atol=1e-9)
    np.testing.assert_allclose(sigma, 0.0, atol=1e-9)


def test_nan_outputs_are_named_not_dropped():
    design = sensitivity.sample(ISHIGAMI, 8, seed=1)
    y = Ishigami.evaluate(design.to_numpy())
    y[[3, 17]] = np.nan
    with pytest.raises(ValueError, match=r"Y is NaN at 2 of 40 rows: 3, 17"):
        sensitivity.analyze(ISHIGAMI, design, y, seed=1)


def test_infinite_outputs_are_named_not_analysed():
    """Issue 20, item 11: an infinite output gave every index as 0."""
    design = sensitivity.sample(ISHIGAMI, 8, seed=1)
    y = Ishigami.evaluate(design.to_numpy())
    y[5] = np.inf
    with pytest.raises(ValueError, match=r"Y is NaN or infinite at 1 of 40 rows: 5"):
        sensitivity.analyze(ISHIGAMI, design, y, seed=1)


def test_a_design_out_of_order_or_out_of_bounds_is_refused():
    design = sensitivity.sample(ISHIGAMI, 8, seed=1)
    y = Ishigami.evaluate(design.to_numpy())
    shuffled = np.random.default_rng(0).permutation(len(design))
    with pytest.raises(ValueError, match="not in the order of a Sobol' design"):
        sensitivity.analyze(ISHIGAMI, design.to_numpy()[shuffled], y[shuffled])
    with pytest.raises(ValueError, match="outside the problem's bounds"):
        sensitivity.analyze(ISHIGAMI, design * 2, y)
    with pytest.raises(ValueError, match="Y has 39 values for 40 points"):
        sensitivity.analyze(ISHIGAMI, design, y[:-1])
    with pytest.raises(ValueError, match="not a method"):
        sensitivity.sample(ISHIGAMI, 8, method="fast")
    with pytest.raises(ValueError, match=r"x: low 1\.0 is not below high 0\.0"):
        sensitivity.sample({"names": ["x"], "bounds": [[1, 0]]}, 8)


@pytest.fixture(scope="module")
def with_a_loan(small_scenarios):
    """codev-share-70 on a small world with a loan, drawn when the budget is
    short and serviced from it (docs/model.md 7.6.4); no fee policy, so the
    response of amounts to fees cannot matter. On this world the loan is
    drawn only below a budget of about 50 M XOF a year."""
    loan = {
        "amount_xof": 2_000_000_000,
        "interest_rate": 0.015,
        "grace_years": 2,
        "tenor_years": 5,
        "disbursement": [0.5, 0.5],
    }
    return codev.Scenario.load(small_scenarios["codev-share-70"]).with_(**{"programmes.codev.loan": loan})


def budget_sweep(scenario, budgets, out):
    """A Sobol' sweep of the budget (between ``budgets``), the loan's rate and
    the fee response, 16 base points, 2 replicates: (problem, design, file)."""
    problem = {"names": [BUDGET, INTEREST, FEE_RESPONSE], "bounds": [list(budgets), [0.0, 0.05], [0.0, 2.0]]}
    design = sensitivity.sample(problem, 16, seed=1)
    codev.sweep(scenario, problem["names"], design_matrix=design, replicates=2, seed=5, out=out, progress=False)
    return problem, design, out


@pytest.fixture(scope="module")
def model_sweep(with_a_loan, tmp_path_factory):
    return budget_sweep(with_a_loan, (5e7, 5e8), tmp_path_factory.mktemp("sensitivity") / "sweep.h5")


@pytest.mark.parametrize("indicator", ["people_reached", "cofinancing_leverage"])
def test_a_parameter_the_indicator_cannot_depend_on_gets_no_weight(model_sweep, indicator):
    problem, _, path = model_sweep
    table = sensitivity.analyze(problem, path, indicator, seed=1)
    assert table.attrs["output"] == indicator
    # Common random numbers: the rows that change only the fee response give
    # the very same outputs, so its indices are zero, not merely small.
    for index in ("S1", "ST"):
        assert indices(table, index).loc[FEE_RESPONSE, "value"] == pytest.approx(0.0, abs=1e-12)
    # The budget carries the variance (ST near 1, within its interval).
    total = indices(table, "ST").loc[BUDGET]
    assert total["value"] > 0.5 and total["low"] <= 1.0 <= total["high"] + 0.1


@pytest.fixture(scope="module")
def loan_sweep(with_a_loan, tmp_path_factory):
    """Budgets short enough for the loan to be drawn (10 to 60 M XOF a year)."""
    return budget_sweep(with_a_loan, (1e7, 6e7), tmp_path_factory.mktemp("sensitivity") / "loan.h5")


def test_the_budget_drives_the_debt_service_and_the_fee_response_does_not(loan_sweep):
    # The loan is drawn only where the budget falls short (docs/model.md 7.6.4),
    # so how much is borrowed, set by the budget, outweighs the rate charged.
    problem, _, path = loan_sweep
    total = indices(sensitivity.analyze(problem, path, "debt_service", seed=1), "ST")
    assert total.loc[BUDGET, "low"] > total.loc[INTEREST, "high"]
    assert total.loc[FEE_RESPONSE, "value"] == pytest.approx(0.0, abs=1e-12)


def test_a_results_file_gives_what_its_outputs_give(model_sweep):
    problem, design, path = model_sweep
    with codev.open(path) as results:
        served = results.indicators()["people_reached"].groupby("scenario", sort=False).mean().to_numpy()
        from_file = sensitivity.analyze(problem, results, "people_reached", seed=1)
        by_hand = sensitivity.analyze(problem, design, served, seed=1)
    np.testing.assert_allclose(from_file[["value", "conf"]], by_hand[["value", "conf"]])
    with pytest.raises(TypeError, match="give Y as the name of an indicator"):
        sensitivity.analyze(problem, path, served)


def test_undefined_runs_are_named_by_scenario(with_a_loan):
    # A Morris design sits on a grid that includes the lower bound: a budget of
    # zero (and no loan) leaves no grant, so cofinancing_leverage is undefined there.
    free = with_a_loan.with_(**{"programmes.codev.loan.amount_xof": 0})
    problem = {"names": [BUDGET], "bounds": [[0, 4e8]]}
    design = sensitivity.sample(problem, 3, method="morris", seed=1)
    results = codev.sweep(free, problem["names"], design_matrix=design, seed=2, progress=False)
    zero = [name for name, budget in zip(results.scenarios, design[BUDGET], strict=True) if budget == 0]
    assert zero, "the design has a point at zero budget"
    with pytest.raises(
        ValueError,
        match=rf"cofinancing_leverage is NaN in {len(zero)} of {len(design)} scenarios: "
        rf"{zero[0]} \(replicates 0\)",
    ):
        sensitivity.analyze(problem, results, "cofinancing_leverage", method="morris")
