"""Robust choice (issue 7): each policy's regret in each state of the world
and the share of states where it meets a threshold, on a hand-made table and
on the model's policies over a sweep of uncertain parameters."""

import numpy as np
import pandas as pd
import pytest

import codev
from codev import robust
from conftest import wilson

# Three policies in four states; people served (more is better).
SERVED = {"A": [10, 20, 30, 40], "B": [12, 18, 35, 30], "C": [5, 25, 30, 41]}


@pytest.fixture
def table():
    rows = [
        {"policy": p, "state": s, "replicate": 0, "people_reached": v}
        for p, values in SERVED.items()
        for s, v in enumerate(values)
    ]
    return pd.DataFrame(rows)


def test_regret_is_the_shortfall_from_the_best_policy_in_each_state(table):
    judged = robust.regret(table, "people_reached").set_index(["policy", "state"])["regret"]
    best = np.max(list(SERVED.values()), axis=0)  # 12, 25, 35, 41
    for policy, values in SERVED.items():
        np.testing.assert_array_equal(judged.loc[policy].to_numpy(), best - np.array(values))


def test_less_is_better_turns_the_regret_around(table):
    judged = robust.regret(table, "people_reached", maximize=False).set_index(["policy", "state"])["regret"]
    least = np.min(list(SERVED.values()), axis=0)  # 5, 18, 30, 30
    np.testing.assert_array_equal(judged.loc["B"].to_numpy(), np.array(SERVED["B"]) - least)


def test_compare_ranks_by_maximum_regret_and_counts_the_threshold(table):
    compared = robust.compare(table, "people_reached", threshold=30)
    # Regrets: A 2, 5, 5, 1; B 0, 7, 0, 11; C 7, 0, 5, 0.
    assert list(compared.index) == ["A", "C", "B"]  # max regret 5, 7, 11
    assert compared.loc["A", "regret_max"] == 5 and compared.loc["A", "regret_mean"] == pytest.approx(13 / 4)
    assert compared.loc["B", "best_share"] == 0.5 and compared.loc["A", "best_share"] == 0.0
    assert compared.loc["C", "meets_share"] == 0.5 and compared.loc["B", "meets_share"] == 0.5  # >= 30
    low, high = wilson(2, 4)
    assert compared.loc["C", "meets_low"] == pytest.approx(low) and compared.loc["C", "meets_high"] == pytest.approx(
        high
    )
    assert (compared["states"] == 4).all()


def test_a_nan_outcome_is_named_not_dropped(table):
    table.loc[(table["policy"] == "B") & (table["state"] == 2), "people_reached"] = np.nan
    with pytest.raises(ValueError, match=r"people_reached is NaN in 1 rows \(policy B, state 2, replicate 0\)"):
        robust.regret(table, "people_reached")


def test_every_state_needs_every_policy(table):
    with pytest.raises(ValueError, match="each of the 3 policies exactly once"):
        robust.regret(table.drop(index=5), "people_reached")


@pytest.fixture(scope="module")
def evaluated(small_scenarios):
    share70 = codev.Scenario.load(small_scenarios["codev-share-70"])
    policies = [share70, share70.renamed("share70-again"), codev.Scenario.load(small_scenarios["three-for-one"])]
    uncertainties = {"behaviour.epsilon": (0.0, 1.0), "sectors.water.breakdown_hazard": (0.005, 0.03)}
    return robust.evaluate(
        policies, uncertainties, design="lhs", n=5, replicates=2, seed=4, outcomes=["people_reached", "programme_money"]
    )


def test_every_policy_meets_the_same_states(evaluated):
    assert list(evaluated.columns) == [
        "policy",
        "state",
        "replicate",
        "behaviour.epsilon",
        "sectors.water.breakdown_hazard",
        "people_reached",
        "programme_money",
    ]
    assert len(evaluated) == 3 * 5 * 2
    states = [
        frame.drop(columns=["policy", "people_reached", "programme_money"]).to_numpy()
        for _, frame in evaluated.groupby("policy")
    ]
    np.testing.assert_array_equal(states[0], states[1])
    np.testing.assert_array_equal(states[0], states[2])
    assert evaluated["behaviour.epsilon"].between(0, 1).all()


def test_policies_over_different_states_are_refused(evaluated):
    # evaluate() checks this itself (so the equalities above hold by then);
    # here, that the check refuses sweeps that differ in a factor value.
    frames = [frame.reset_index(drop=True) for _, frame in evaluated.groupby("policy")]
    frames[1].loc[0, "behaviour.epsilon"] += 0.01
    with pytest.raises(ValueError, match="do not share their states"):
        robust._check_same_states(frames, ["people_reached", "programme_money"])


def test_on_the_model_regret_is_paired_state_by_state(evaluated):
    judged = robust.regret(evaluated, "people_reached")
    assert (judged["regret"] >= 0).all()
    assert (judged.groupby(["state", "replicate"])["regret"].min() == 0).all()
    # The same policy under two names meets the same random numbers: same outcome, same regret.
    by_policy = judged.set_index(["state", "replicate", "policy"])["regret"].unstack("policy")
    np.testing.assert_array_equal(by_policy["codev-share-70"], by_policy["share70-again"])
    compared = robust.compare(
        evaluated, "programme_money", maximize=False, threshold=float(evaluated["programme_money"].median())
    )
    assert compared.loc["codev-share-70", "regret_max"] == compared.loc["share70-again", "regret_max"]
    assert compared["meets_share"].between(compared["meets_low"], compared["meets_high"]).all()
