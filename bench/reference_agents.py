"""Object-per-agent reference for the migrants' monthly economy (docs/model.md 7.2-7.4).

This is how most agent-based models in Python are written (the Mesa style,
without depending on Mesa): a Migrant class and an Association class whose
instances each have a step(model) method, and a Model whose step() calls every
agent's step in turn. Random numbers come from Python's `random` module.

The rules are those of the C++ (model/economy.cpp and the headers it uses):

* labour (7.2): an employed migrant keeps the job unless Bernoulli(p_loss)
  fires, a jobless one finds a job with probability p_find; income = base x
  wage multiplier when employed, fallback share x base when not;
* remittances (7.3): R = round(propensity x income), formal channel with the
  logit probability 1 / (1 + exp(beta (c_f - c_i) / R + alpha)), the fee of
  the chosen channel rounded to the franc;
* dues and contributions (7.4): dues min(dues_a, round(cap x income)), plus
  round(trust x k x income x (1 - s)^-epsilon) while the association raises
  money; both go to the association's treasury.

It is written to be as fast as this style allows without leaving it:
__slots__ on every class, the few values used many times bound to local
names, and the corridor's parameters kept on a Corridor object each migrant
points to. Each migrant draws its two uniforms (labour, channel) at the start
of its step, whether or not it sends money, so that its draws do not depend
on the branch taken (the C++ draws one block per migrant and month for the
same reason).

Run: python bench/reference_agents.py --migrants 100000 --months 6
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import random
import sys
import time
import tracemalloc
from math import exp

# The same world as bench/reference_numpy.py (tests/python/test_references.py
# checks that the two dictionaries are equal): scenarios/mali-kayes-baseline.toml,
# defaults of include/codev/params.hpp where the scenario is silent, and a
# share of fundraising associations, the registered ones expecting a public
# share s = 0.9 (programme 70 % + commune 20 %, scenarios/codev-share-70.toml).
BASELINE = {
    "corridors": [
        {
            "name": "france",
            "share": 0.50,
            "income_median_xof": 728000.0,
            "income_sigma": 0.5,
            "p_job_loss": 0.01,
            "p_job_find": 0.10,
            "wage_multiplier": 1.0,
            "formal_fee_pct": 0.065,
            "formal_fee_fixed_xof": 0.0,
            "informal_fee_pct": 0.04,
            "formal_closed": False,
            "propensity_mean": 0.10,
        },
        {
            "name": "spain",
            "share": 0.10,
            "income_median_xof": 650000.0,
            "income_sigma": 0.5,
            "p_job_loss": 0.012,
            "p_job_find": 0.08,
            "wage_multiplier": 1.0,
            "formal_fee_pct": 0.065,
            "formal_fee_fixed_xof": 0.0,
            "informal_fee_pct": 0.04,
            "formal_closed": False,
            "propensity_mean": 0.10,
        },
        {
            "name": "usa",
            "share": 0.03,
            "income_median_xof": 1000000.0,
            "income_sigma": 0.6,
            "p_job_loss": 0.01,
            "p_job_find": 0.10,
            "wage_multiplier": 1.0,
            "formal_fee_pct": 0.065,
            "formal_fee_fixed_xof": 0.0,
            "informal_fee_pct": 0.04,
            "formal_closed": False,
            "propensity_mean": 0.10,
        },
        {
            "name": "cote_divoire",
            "share": 0.20,
            "income_median_xof": 100000.0,
            "income_sigma": 0.6,
            "p_job_loss": 0.01,
            "p_job_find": 0.10,
            "wage_multiplier": 1.0,
            "formal_fee_pct": 0.065,
            "formal_fee_fixed_xof": 0.0,
            "informal_fee_pct": 0.04,
            "formal_closed": False,
            "propensity_mean": 0.10,
        },
        {
            "name": "other_africa",
            "share": 0.17,
            "income_median_xof": 120000.0,
            "income_sigma": 0.6,
            "p_job_loss": 0.01,
            "p_job_find": 0.10,
            "wage_multiplier": 1.0,
            "formal_fee_pct": 0.065,
            "formal_fee_fixed_xof": 0.0,
            "informal_fee_pct": 0.04,
            "formal_closed": False,
            "propensity_mean": 0.10,
        },
    ],
    "behaviour": {
        "fallback_income_share": 0.2,
        "propensity_concentration": 10.0,
        "trust_initial_mean": 0.5,
        "trust_concentration": 8.0,
        "channel_alpha": -1.847,
        "channel_beta": 40.0,
        "dues_cap_share": 0.05,
        "dues_income_elasticity": 1.0,
        "contribution_share": 0.005,
        "epsilon": 0.3,
    },
    "associations": {
        "member_share": 0.35,
        "size_mean": 100.0,
        "size_sigma": 0.5,
        "dues_xof_per_month": 12500,
        "registered_share": 0.6,
        "fundraising_share": 0.3,
        "expected_public_share": 0.9,
    },
}


class Corridor:
    """A host country's conditions this month (CorridorMonth in world.hpp)."""

    __slots__ = (
        "dues_scale",
        "formal_closed",
        "formal_fee_fixed",
        "formal_fee_pct",
        "informal_fee_pct",
        "name",
        "p_job_find",
        "p_job_loss",
        "wage_multiplier",
    )

    def __init__(self, spec: dict, dues_income_elasticity: float):
        self.name = spec["name"]
        self.p_job_loss = spec["p_job_loss"]
        self.p_job_find = spec["p_job_find"]
        self.wage_multiplier = spec["wage_multiplier"]
        self.formal_fee_pct = spec["formal_fee_pct"]
        self.formal_fee_fixed = spec["formal_fee_fixed_xof"]
        self.informal_fee_pct = spec["informal_fee_pct"]
        self.formal_closed = spec["formal_closed"]
        # An employed member's dues, as a multiple of its association's.
        self.dues_scale = self.wage_multiplier**dues_income_elasticity


class Association:
    """A hometown association: dues, treasury, and whether it is raising money."""

    __slots__ = (
        "dues",
        "expected_public_share",
        "fundraising",
        "members",
        "raising_multiplier",
        "treasury",
        "unique_id",
    )

    def __init__(self, unique_id: int, dues: int, fundraising: bool, expected_public_share: float):
        self.unique_id = unique_id
        self.dues = dues
        self.treasury = 0
        self.fundraising = fundraising
        self.expected_public_share = expected_public_share
        self.raising_multiplier = 0.0
        self.members = []

    def step(self, model: Model) -> None:
        # The price effect (1 - s)^-epsilon while fundraising, s clamped below
        # 0.99 so it stays finite; 0 (no contributions) otherwise.
        if self.fundraising:
            s = min(max(self.expected_public_share, 0.0), 0.99)
            self.raising_multiplier = (1.0 - s) ** -model.epsilon
        else:
            self.raising_multiplier = 0.0


class Migrant:
    """One migrant and its monthly rules (docs/model.md 7.2-7.4)."""

    __slots__ = ("association", "base_income", "corridor", "employed", "propensity", "trust", "unique_id")

    def __init__(self, unique_id, corridor, base_income, propensity, trust, association, employed):
        self.unique_id = unique_id
        self.corridor = corridor
        self.base_income = base_income
        self.propensity = propensity
        self.trust = trust
        self.association = association
        self.employed = employed

    def step(self, model: Model) -> None:
        uniform = model.uniform
        u_labour = uniform()
        u_channel = uniform()
        corridor = self.corridor

        # 7.2 Labour.
        employed = u_labour >= corridor.p_job_loss if self.employed else u_labour < corridor.p_job_find
        self.employed = employed
        if employed:
            income = self.base_income * corridor.wage_multiplier
            model.employed_count += 1
        else:
            income = self.base_income * model.fallback_income_share

        # 7.3 Remittance, rounded half up to the franc like the C++.
        amount = int(self.propensity * income + 0.5)
        if amount > 0:
            formal_cost = min(amount, corridor.formal_fee_pct * amount + corridor.formal_fee_fixed)
            informal_cost = corridor.informal_fee_pct * amount
            if corridor.formal_closed:
                p_formal = 0.0
            else:
                p_formal = 1.0 / (
                    1.0 + exp(model.channel_beta * (formal_cost - informal_cost) / amount + model.channel_alpha)
                )
            if u_channel < p_formal:
                model.remit_formal += amount
                model.remit_fees += int(formal_cost + 0.5)
            else:
                model.remit_informal += amount
                model.remit_fees += int(informal_cost + 0.5)

        # 7.4 Dues and contributions to the association.
        association = self.association
        if association is not None:
            scale = corridor.dues_scale if employed else model.jobless_dues
            dues = min(int(association.dues * scale + 0.5), int(model.dues_cap_share * income + 0.5))
            contribution = 0
            multiplier = association.raising_multiplier
            if multiplier > 0.0:
                contribution = int(self.trust * model.contribution_share * income * multiplier + 0.5)
            association.treasury += dues + contribution
            model.dues_paid += dues
            model.contributions_paid += contribution


class Model:
    """The world: corridors, migrants, associations and this month's national sums."""

    def __init__(self, params: dict = BASELINE, seed: int = 1):
        behaviour = params["behaviour"]
        self.params = params
        self.random = random.Random(seed)
        self.uniform = self.random.random  # bound once: called twice per migrant
        self.fallback_income_share = behaviour["fallback_income_share"]
        self.channel_alpha = behaviour["channel_alpha"]
        self.channel_beta = behaviour["channel_beta"]
        self.dues_cap_share = behaviour["dues_cap_share"]
        self.jobless_dues = behaviour["fallback_income_share"] ** behaviour["dues_income_elasticity"]
        self.contribution_share = behaviour["contribution_share"]
        self.epsilon = behaviour["epsilon"]
        self.corridors = [Corridor(spec, behaviour["dues_income_elasticity"]) for spec in params["corridors"]]
        self.migrants: list[Migrant] = []
        self.associations: list[Association] = []
        self.month = 0
        self._reset_sums()

    def _reset_sums(self) -> None:
        self.employed_count = 0
        self.remit_formal = self.remit_informal = self.remit_fees = 0
        self.dues_paid = self.contributions_paid = 0

    def national_sums(self) -> dict:
        return {
            "employed": self.employed_count,
            "remit_formal": self.remit_formal,
            "remit_informal": self.remit_informal,
            "remit_fees": self.remit_fees,
            "dues": self.dues_paid,
            "contributions": self.contributions_paid,
        }

    def step(self) -> dict:
        """One month: associations set their multipliers, then every migrant steps."""
        self._reset_sums()
        for association in self.associations:
            association.step(self)
        for migrant in self.migrants:
            migrant.step(self)
        self.month += 1
        return self.national_sums()


def stationary_employment(p_job_loss: float, p_job_find: float) -> float:
    total = p_job_loss + p_job_find
    return p_job_find / total if total > 0.0 else 1.0


def apportion(total: int, weights: list[float]) -> list[int]:
    """Integer sizes summing to `total`, proportional to weights (largest remainder)."""
    scale = total / sum(weights)
    quotas = [w * scale for w in weights]
    sizes = [int(q) for q in quotas]
    by_remainder = sorted(range(len(weights)), key=lambda i: sizes[i] - quotas[i])
    for i in by_remainder[: total - sum(sizes)]:
        sizes[i] += 1
    return sizes


def build_world(migrants: int, seed: int, params: dict = BASELINE) -> Model:
    """A synthetic world drawn agent by agent (docs/model.md 5)."""
    model = Model(params, seed)
    rnd = model.random
    behaviour = params["behaviour"]
    ap = params["associations"]
    specs = params["corridors"]
    cum_shares = list(itertools.accumulate(spec["share"] for spec in specs))
    conc = behaviour["propensity_concentration"]
    trust_a = behaviour["trust_initial_mean"] * behaviour["trust_concentration"]
    trust_b = (1.0 - behaviour["trust_initial_mean"]) * behaviour["trust_concentration"]
    for i in range(migrants):
        k = rnd.choices(range(len(specs)), cum_weights=cum_shares)[0]
        spec = specs[k]
        mean = spec["propensity_mean"]
        model.migrants.append(
            Migrant(
                unique_id=i,
                corridor=model.corridors[k],
                base_income=rnd.lognormvariate(math.log(spec["income_median_xof"]), spec["income_sigma"]),
                propensity=rnd.betavariate(mean * conc, (1.0 - mean) * conc),
                trust=rnd.betavariate(trust_a, trust_b),
                association=None,
                # Start in the labour chain's stationary state (initialisation.cpp).
                employed=rnd.random() < stationary_employment(spec["p_job_loss"], spec["p_job_find"]),
            )
        )
    # Associations of about size_mean members from lognormal weights; the
    # members are a random sample of the migrants.
    members = round(ap["member_share"] * migrants)
    count = max(1, round(members / ap["size_mean"])) if members > 0 else 0
    sizes = apportion(members, [rnd.lognormvariate(0.0, ap["size_sigma"]) for _ in range(count)]) if count else []
    chosen = iter(rnd.sample(model.migrants, members))
    for a, size in enumerate(sizes):
        registered = rnd.random() < ap["registered_share"]
        fundraising = rnd.random() < ap["fundraising_share"]
        association = Association(
            a, ap["dues_xof_per_month"], fundraising, ap["expected_public_share"] if registered else 0.0
        )
        for migrant in itertools.islice(chosen, size):
            migrant.association = association
            association.members.append(migrant)
        model.associations.append(association)
    return model


def build_world_from_columns(
    params: dict,
    corridor,
    base_income,
    propensity,
    trust,
    association,
    employed,
    dues,
    fundraising,
    expected_public_share,
    seed: int = 1,
) -> Model:
    """A world with given per-migrant and per-association values (for tests).

    Columns are sequences of plain Python values; association -1 means none.
    """
    model = Model(params, seed)
    for a, (d, f, s) in enumerate(zip(dues, fundraising, expected_public_share, strict=True)):
        model.associations.append(Association(a, int(d), bool(f), float(s)))
    for i, (k, y, p, t, a, e) in enumerate(
        zip(corridor, base_income, propensity, trust, association, employed, strict=True)
    ):
        member_of = model.associations[a] if a >= 0 else None
        migrant = Migrant(i, model.corridors[k], float(y), float(p), float(t), member_of, bool(e))
        if member_of is not None:
            member_of.members.append(migrant)
        model.migrants.append(migrant)
    return model


def step(model: Model, uniforms=None) -> dict:
    """One month; `uniforms` (optional) replaces the random draws, two per
    migrant in order (labour, then channel). Returns the national sums."""
    if uniforms is None:
        return model.step()
    model.uniform = iter(uniforms).__next__
    try:
        return model.step()
    finally:
        model.uniform = model.random.random


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--migrants", type=int, default=100_000)
    p.add_argument("--months", type=int, default=6, help="timed months (after the warm-up)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--warmup", type=int, default=1, help="untimed months run first")
    p.add_argument(
        "--memory-sample",
        type=int,
        default=20_000,
        help="migrants of the world built under tracemalloc to measure memory per migrant",
    )
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.migrants <= 0 or args.months <= 0 or args.warmup < 0 or args.memory_sample <= 0:
        sys.exit("migrants, months and memory sample must be positive, warmup non-negative")
    # Memory of the agents: what construction leaves allocated (objects, their
    # floats and ints, the lists holding them), per migrant. Tracing every
    # allocation slows construction about fifteen-fold, so it is measured on a
    # world of at most --memory-sample migrants: the cost per migrant does not
    # depend on the size of the world.
    sample = min(args.migrants, args.memory_sample)
    tracemalloc.start()
    model = build_world(sample, args.seed)
    allocated, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    if sample < args.migrants:
        del model
        model = build_world(args.migrants, args.seed)
    for _ in range(args.warmup):
        model.step()
    start = time.perf_counter()
    for _ in range(args.months):
        model.step()
    elapsed = time.perf_counter() - start
    rate = args.migrants * args.months / elapsed
    # The step is the whole of this reference, so the core rate and the
    # whole-step rate are the same; CPython runs it on one thread.
    print(
        json.dumps(
            {
                "implementation": "agents",
                "migrants": args.migrants,
                "months": args.months,
                "threads": 1,
                "core_migrant_steps_per_second": rate,
                "migrant_steps_per_second": rate,
                "migrant_steps_per_second_per_thread": rate,
                "bytes_per_migrant": allocated / sample,
                "write_seconds": None,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
