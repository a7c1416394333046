"""The appraisal's runs beyond the results file (docs/appraisal.md 3-4):

- **parameter uncertainty**: the baseline and a policy rerun at draws of the
  model parameters the scenario declares uncertain (``[appraisal] uncertain``:
  the calibration's equally good values, the ranges of assumptions), each
  draw also scaling the benefit values within ``benefit_range``; the ENPV
  over draws and replicates, and the chance it is below zero;
- **switching values that need the model**: remittances (every corridor's
  ``propensity_mean``) and diaspora participation (``associations.member_share``)
  scaled down until the policy's ENPV reaches zero, in both the baseline and
  the policy.

Each run uses the results file's seed and replicates 0..R-1, so the baseline
and the policy of one draw are paired (common random numbers).
"""

import io
import math
from dataclasses import dataclass

import numpy as np
from scipy.stats import qmc

from .. import _core, indicators
from .._dataset import open_dataset
from ..scenario import Scenario
from .economics import Terms, appraise, present_value

#: The multipliers the switching runs try, from no change down.
LEVER_MULTIPLIERS = (1.0, 0.75, 0.5, 0.25)


def lever_keys(scenario_params: dict, lever: str) -> list[str]:
    """The dotted keys a lever scales: ``remittances`` or ``participation``."""
    if lever == "remittances":
        return [f"corridors.{name}.propensity_mean" for name in sorted(scenario_params.get("corridors", {}))]
    if lever == "participation":
        return ["associations.member_share"]
    raise ValueError(f"unknown lever '{lever}' (allowed: remittances, participation)")


def _value(tree: dict, key: str):
    """The value of a dotted key in a scenario's parameter tree; KeyError if none."""
    node = tree
    for part in key.split("."):
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def _scenario(toml_text: str, name: str, overrides: dict) -> Scenario:
    """The scenario of ``toml_text`` named ``name`` with ``overrides`` (dotted
    key -> value; rounded where the scenario's value is an integer)."""
    base = Scenario.from_toml(toml_text, name=name)
    if not overrides:
        return base
    tree = base.to_dict()
    fixed = {}
    for key, value in overrides.items():
        try:
            current = _value(tree, key)
        except (KeyError, IndexError, ValueError, TypeError):
            raise ValueError(f"[appraisal] uncertain: '{key}' is not a key of scenario '{name}'") from None
        fixed[key] = round(value) if isinstance(current, int) and not isinstance(current, bool) else float(value)
    return base.with_(fixed)


@dataclass(frozen=True)
class Draws:
    """ENPV at the scenario's rate over parameter draws, (draw, replicate)."""

    parameters: list  # one dict of drawn values a draw (the benefit factor under "benefit_factor")
    enpv: np.ndarray  # (draw, replicate), XOF

    @property
    def p_negative(self) -> float:
        return float((self.enpv < 0).mean())

    @property
    def negative(self) -> int:
        """How many runs have an ENPV below zero (the brief says "k of n", not a
        probability that a few dozen runs cannot resolve)."""
        return int((self.enpv < 0).sum())

    def quantiles(self, qs=(5, 50, 95)) -> list[float]:
        return [float(v) for v in np.percentile(self.enpv, qs)]


def draw_parameters(terms: Terms, draws: int, seed: int) -> list[dict]:
    """Latin-hypercube draws of the declared uncertain keys (uniform in their
    ranges) and of the benefit factor, log-uniform in ``benefit_range``: "half
    or twice" is symmetric around the stated values on a log scale (its median
    is 1 for [0.5, 2]), where a uniform draw would raise benefits by a quarter
    on average."""
    ranges = dict(terms.uncertain)
    names = list(ranges)
    unit = qmc.LatinHypercube(d=len(names) + 1, seed=seed).random(draws)
    low, high = terms.benefit_range
    drawn = []
    for u in unit:
        values = {name: ranges[name][0] + u[i] * (ranges[name][1] - ranges[name][0]) for i, name in enumerate(names)}
        if low > 0:
            values["benefit_factor"] = float(math.exp(math.log(low) + u[-1] * (math.log(high) - math.log(low))))
        else:  # a range from 0 has no log scale
            values["benefit_factor"] = low + u[-1] * (high - low)
        drawn.append(values)
    return drawn


#: Runs already made in this process, by their scenarios' texts, replicates and
#: seed: a brief in English then in French (or a brief then its export) runs once.
_MADE: dict = {}


def _run(scenarios: list, replicates: int, seed: int):
    """Run ``scenarios`` in memory (the engine of ``codev.run``, reached through
    ``_core``: the report sits below the ensemble in the package's layers) and
    return (its indicators table, its dataset, its parameters), made once."""
    from .data import parameters

    key = (tuple((s.name, s.to_toml()) for s in scenarios), replicates, seed)
    if key not in _MADE:
        if len(_MADE) >= 8:
            _MADE.pop(next(iter(_MADE)))
        plan = _core.scenarios_plan([s._core for s in scenarios], replicates, seed, "codev report (appraisal runs)")
        job = _core.run_in_memory(plan, 0, False)  # 0: every thread
        try:
            while not job.wait(0.2):
                pass
        except BaseException:  # KeyboardInterrupt above all: stop the jobs before it goes through
            job.stop()
            job.join()
            raise
        with open_dataset(io.BytesIO(job.image())) as opened:
            ds = opened.load()
        _MADE[key] = (indicators.table(ds), ds, parameters(ds))
    return _MADE[key]


def _people_added(table, policy: str, baseline: str) -> np.ndarray:
    """Additional people reached, per replicate, from an indicators table."""
    people = table["people_reached"]
    return (people.sel(scenario=policy) - people.sel(scenario=baseline)).values.astype(float)


def run_draws(ds, params: dict, policy: str, baseline: str, draws: int, replicates: int, seed: int) -> Draws:
    """Rerun ``baseline`` and ``policy`` at ``draws`` parameter draws."""
    terms = Terms.of(params[baseline])  # every option is valued with the baseline's terms
    chosen = draw_parameters(terms, draws, seed)
    texts = {s: str(ds["scenario_toml"].sel(scenario=s).values) for s in (policy, baseline)}
    scenarios = []
    for d, values in enumerate(chosen):
        overrides = {k: v for k, v in values.items() if k != "benefit_factor"}
        scenarios += [_scenario(texts[s], f"{s}-d{d:03d}", overrides) for s in (baseline, policy)]
    table, run_ds, run_params = _run(scenarios, replicates, seed)
    enpv = np.empty((draws, replicates))
    for d, values in enumerate(chosen):
        scaled = Terms(
            discount_rate=terms.discount_rate,
            benefit={k: v * values["benefit_factor"] for k, v in terms.benefit.items()},
        )
        p, b = f"{policy}-d{d:03d}", f"{baseline}-d{d:03d}"
        appraisal = appraise(run_ds, p, b, run_params, _people_added(table, p, b), scaled)
        enpv[d] = present_value(appraisal.flows["net"].values, terms.discount_rate)
    return Draws(parameters=chosen, enpv=enpv)


@dataclass(frozen=True)
class Lever:
    """The policy's mean ENPV with a lever scaled, and where it reaches 0."""

    lever: str
    multipliers: tuple
    enpv: tuple  # mean ENPV at each multiplier, XOF
    switching: float  # the multiplier where ENPV is 0 (linear between runs); NaN: not within the runs
    pv_benefits: tuple = ()  # mean present values of incremental benefits and costs at each multiplier
    pv_costs: tuple = ()

    @property
    def change(self) -> float:
        """The switching value as a change: -0.3 is a fall of 30 %."""
        return self.switching - 1.0


def crossing(multipliers, values) -> float:
    """Where ``values`` (at decreasing ``multipliers``) first reach 0,
    linearly between the two runs around it; NaN when they never do, or when
    the first is not above 0 (no fall makes ENPV zero: it is below already)."""
    if values[0] <= 0:
        return math.nan
    for (m0, v0), (m1, v1) in zip(
        zip(multipliers, values, strict=True), zip(multipliers[1:], values[1:], strict=True), strict=False
    ):
        if v1 <= 0:
            return m0 + (m1 - m0) * v0 / (v0 - v1)
    return math.nan


def run_levers(
    ds, params: dict, policy: str, baseline: str, replicates: int, seed: int, multipliers=LEVER_MULTIPLIERS
) -> dict:
    """For remittances and participation: the policy's ENPV with the lever
    scaled in the baseline and the policy alike, and its switching value."""
    terms = Terms.of(params[baseline])  # every option is valued with the baseline's terms
    texts = {s: str(ds["scenario_toml"].sel(scenario=s).values) for s in (policy, baseline)}
    scenarios, plan = [], []
    for lever in ("remittances", "participation"):
        for i, m in enumerate(multipliers):
            names = {}
            for s in (baseline, policy):
                keys = lever_keys(params[s], lever)
                overrides = {k: _value(params[s], k) * m for k in keys}
                names[s] = f"{s}-{lever[:4]}{i}"
                scenarios.append(_scenario(texts[s], names[s], overrides))
            plan.append((lever, m, names))
    table, run_ds, run_params = _run(scenarios, replicates, seed)
    means: dict = {}
    for lever, _, names in plan:
        p, b = names[policy], names[baseline]
        appraisal = appraise(run_ds, p, b, run_params, _people_added(table, p, b), terms)
        means.setdefault(lever, []).append(
            (appraisal.enpv_at_rate.mean, appraisal.pv_benefits.mean, appraisal.pv_costs.mean)
        )
    levers = {}
    for lever, values in means.items():
        enpv, pv_b, pv_c = (tuple(float(v[i]) for v in values) for i in range(3))
        levers[lever] = Lever(lever, tuple(multipliers), enpv, crossing(multipliers, enpv), pv_b, pv_c)
    return levers
