"""Robust choice among candidate policies: which policy does well whatever
the uncertain parameters turn out to be (docs/decision-analysis.md).

A *state of the world* is one point of a sweep over uncertain parameters (the
elasticity of contributions ``behaviour.epsilon``, a failure hazard, the
depth of a recession, ...) and one replicate: every policy meets the same
points and, replicate by replicate, the same random numbers (common random
numbers, docs/model.md 4.2), so policies are compared state by state.

- :func:`evaluate` runs every policy over the same design and gives one row
  per (policy, state) with the factor values and the indicators;
- :func:`regret` adds each policy's regret: its shortfall from the best
  policy in that state (Savage's regret; 0 for the best);
- :func:`compare` gives one row per policy: its outcome, its regret (mean,
  90th percentile, maximum) and the share of states where it is best and
  where it meets a threshold, with a Wilson interval.
"""

import pandas as pd

from .. import indicators
from ..scenario import Scenario
from ..sweep import sweep
from . import _factors

STATES = ("state", "replicate")


def evaluate(
    policies,
    uncertainties,
    design: str = "lhs",
    n: int | None = None,
    design_matrix=None,
    replicates: int = 1,
    seed: int = 0,
    outcomes=None,
    threads: int | None = None,
    progress: bool = False,
) -> pd.DataFrame:
    """Run each policy over the same sweep of uncertain parameters.

    Parameters
    ----------
    policies : list of Scenario or path
        The candidate policies, with different names (see
        :meth:`Scenario.renamed`).
    uncertainties : dict or list
        The factors, as for :func:`codev.sweep`: ``{dotted key: (low, high)
        or [values]}``, or the keys of ``design_matrix``'s columns.
    design, n, design_matrix, replicates, seed, threads, progress
        As for :func:`codev.sweep`; the same for every policy, so the
        policies meet the same states.
    outcomes : list of str, optional
        Indicators of :mod:`codev.indicators` to keep (default: all).

    Returns
    -------
    pandas.DataFrame
        One row per policy, point and replicate: columns ``policy``,
        ``state`` (the point, 0 to N-1), ``replicate``, one per factor
        (dotted keys) and one per outcome.

    Raises
    ------
    ValueError
        For fewer than two policies, repeated names, an unknown outcome, or
        what :func:`codev.sweep` refuses.
    """
    policies = [p if isinstance(p, Scenario) else Scenario.load(p) for p in policies]
    names = [p.name for p in policies]
    if len(policies) < 2 or len(set(names)) != len(names):
        raise ValueError(f"policies: expected two or more with different names, got {names}")
    outcomes = list(indicators.INDICATORS) if outcomes is None else list(outcomes)
    frames = []
    for policy in policies:
        results = sweep(
            policy,
            uncertainties,
            design=design,
            n=n,
            replicates=replicates,
            seed=seed,
            design_matrix=design_matrix,
            threads=threads,
            progress=progress,
        )
        frames.append(_policy_frame(results.to_xarray(), policy.name, outcomes))
    _check_same_states(frames, outcomes)
    return pd.concat(frames, ignore_index=True)


def regret(frame: pd.DataFrame, outcome: str, maximize: bool = True, states=STATES) -> pd.DataFrame:
    """Each policy's regret in each state: how far it falls short of the best
    policy in that state.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per policy and state, as :func:`evaluate` gives: a ``policy``
        column, the ``states`` columns and the ``outcome`` column.
    outcome : str
        The column to judge by, e.g. ``"people_served"``.
    maximize : bool
        True when more is better (people served); False when less is better
        (public cost per person served).
    states : sequence of str
        The columns that identify a state of the world.

    Returns
    -------
    pandas.DataFrame
        ``frame`` with two more columns: ``best`` (the best outcome in the
        state) and ``regret`` (``best - outcome`` when maximizing, ``outcome
        - best`` otherwise; 0 for the best policy, never negative).

    Raises
    ------
    ValueError
        When an outcome is NaN (the message names the policies and states:
        a failed or undefined run is reported, not dropped), or a state
        lacks a policy or has one twice.
    """
    states = list(states)
    _check_panel(frame, outcome, states)
    best = frame.groupby(states)[outcome].transform("max" if maximize else "min")
    shortfall = best - frame[outcome] if maximize else frame[outcome] - best
    return frame.assign(best=best, regret=shortfall)


def compare(
    frame: pd.DataFrame,
    outcome: str,
    threshold: float | None = None,
    maximize: bool = True,
    states=STATES,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """One row per policy: how it does across the states of the world.

    Parameters
    ----------
    frame, outcome, maximize, states
        As for :func:`regret`.
    threshold : float, optional
        The level a policy must reach (``outcome >= threshold`` when
        maximizing, ``<=`` otherwise) to count as meeting the target in a state.
    confidence : float
        Confidence level of the Wilson interval on the share of states meeting
        the threshold (the states are a sample of the uncertain parameters).

    Returns
    -------
    pandas.DataFrame
        Indexed by policy, sorted by maximum regret (the minimax-regret choice
        first); columns ``mean``, ``p5``, ``p95`` (the outcome over states),
        ``regret_mean``, ``regret_p90``, ``regret_max``, ``best_share`` (share
        of states where the policy is best, ties included), ``states``; with
        a threshold, ``meets_share`` and its interval ``meets_low``,
        ``meets_high``.
    """
    judged = regret(frame, outcome, maximize, states)
    by_policy = judged.groupby("policy", sort=False)
    table = pd.DataFrame(
        {
            "mean": by_policy[outcome].mean(),
            "p5": by_policy[outcome].quantile(0.05),
            "p95": by_policy[outcome].quantile(0.95),
            "regret_mean": by_policy["regret"].mean(),
            "regret_p90": by_policy["regret"].quantile(0.9),
            "regret_max": by_policy["regret"].max(),
            "best_share": by_policy["regret"].apply(lambda r: float((r == 0).mean())),
            "states": by_policy.size(),
        }
    )
    if threshold is not None:
        meets = judged[outcome] >= threshold if maximize else judged[outcome] <= threshold
        counts = meets.groupby(judged["policy"], sort=False).sum()
        table["meets_share"] = counts / table["states"]
        intervals = [_factors.wilson_interval(k, n, confidence) for k, n in zip(counts, table["states"], strict=True)]
        table["meets_low"], table["meets_high"] = zip(*intervals, strict=True)
    table.attrs = {"outcome": outcome, "threshold": threshold, "maximize": maximize}
    return table.sort_values(["regret_max", "regret_mean"])


def _policy_frame(ds, policy: str, outcomes: list[str]) -> pd.DataFrame:
    """One policy's sweep as rows (state, replicate): factors and outcomes."""
    factors = _factors.factor_table(ds).reset_index(drop=True)
    values = pd.DataFrame({name: _factors.indicator(ds, name).to_series() for name in outcomes}).reset_index()
    point = {name: i for i, name in enumerate(ds["scenario"].values.astype(str))}
    values.insert(0, "state", values.pop("scenario").map(point))
    frame = values.join(factors, on="state")
    return frame.assign(policy=policy)[["policy", "state", "replicate", *factors.columns, *outcomes]]


def _check_same_states(frames: list[pd.DataFrame], outcomes: list[str]) -> None:
    """Every policy met the same points (state, replicate, factor values)."""
    columns = [c for c in frames[0].columns if c != "policy" and c not in outcomes]
    first = frames[0][columns]
    for frame in frames[1:]:
        if not frame[columns].equals(first):
            raise ValueError("the policies' sweeps do not share their states: give a design_matrix")


def _check_panel(frame: pd.DataFrame, outcome: str, states: list[str]) -> None:
    missing = [c for c in ["policy", *states, outcome] if c not in frame]
    if missing:
        raise ValueError(f"frame: no column {missing} (columns: {', '.join(map(str, frame.columns))})")
    bad = frame.loc[frame[outcome].isna(), ["policy", *states]]
    if len(bad):
        shown = _factors._NAMED_AT_MOST
        named = "; ".join(", ".join(f"{k} {v}" for k, v in row.items()) for _, row in bad.head(shown).iterrows())
        raise ValueError(
            f"{outcome} is NaN in {len(bad)} rows ({named}{' ...' if len(bad) > shown else ''}): "
            "a failed or undefined run has no regret; choose another outcome or other bounds"
        )
    per_state = frame.groupby(states)["policy"].agg(["size", "nunique"])
    policies = frame["policy"].nunique()
    if not ((per_state["size"] == policies) & (per_state["nunique"] == policies)).all():
        raise ValueError(f"every state needs each of the {policies} policies exactly once")
