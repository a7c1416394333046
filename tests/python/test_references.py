"""The two Python references of the benchmark (bench/reference_numpy.py and
bench/reference_agents.py): their command-line output, and that both run the
rules of docs/model.md 7.2-7.4.

Correctness is checked three ways: the two implementations, given the same
world and the same random words, produce the same national sums month by
month; the money sums equal a hand computation from the migrants' incomes
exactly; and the random parts (employment, channel choice) match their
expectations within a tolerance derived from the sample size (5 standard
deviations: a correct implementation fails a check with a chance below one in
a million, and the seeds are fixed, so the tests are deterministic).
"""

import copy
import importlib.util
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
JSON_KEYS = {
    "implementation",
    "migrants",
    "months",
    "threads",
    "core_migrant_steps_per_second",
    "migrant_steps_per_second",
    "migrant_steps_per_second_per_thread",
    "bytes_per_migrant",
    "write_seconds",
}
WORD = 2.0**32
MASK = np.uint64(0xFFFFFFFF)
Z = 5.0  # tolerance in standard deviations


def load(name):
    """Import a bench script by path (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location(f"codev_bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while the class is made
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def np_ref():
    return load("reference_numpy")


@pytest.fixture(scope="module")
def ag_ref():
    return load("reference_agents")


def variant(base):
    """The baseline with every branch of the rules exercised: fixed formal fees
    (the logit then depends on the amount), one large enough that c_f = R for
    small amounts, amounts that round to 0 (tiny propensities), a closed
    formal channel, a wage multiplier below one, dues below the cap that follow
    income with an elasticity below one. A
    small logit slope keeps the formal channel likely even where c_f = R."""
    params = copy.deepcopy(base)
    france, spain, usa, cote_divoire, other_africa = params["corridors"]
    france["formal_fee_fixed_xof"] = 1500.0
    spain["formal_closed"] = True
    usa["wage_multiplier"] = 0.8
    cote_divoire["formal_fee_fixed_xof"] = 1500.0
    other_africa["formal_fee_fixed_xof"] = 300.0
    other_africa["propensity_mean"] = 0.001
    params["associations"]["dues_xof_per_month"] = 5000
    params["behaviour"]["channel_beta"] = 2.0
    params["behaviour"]["dues_income_elasticity"] = 0.7
    return params


# --- command line -----------------------------------------------------------


@pytest.mark.parametrize(
    "script, implementation, migrants",
    [
        ("reference_numpy.py", "numpy", 20_000),
        ("reference_agents.py", "agents", 2_000),
    ],
)
def test_command_line_prints_one_json_line(script, implementation, migrants):
    result = subprocess.run(
        [
            sys.executable,
            str(BENCH / script),
            "--migrants",
            str(migrants),
            "--months",
            "3",
            "--seed",
            "7",
            "--warmup",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, result.stdout
    record = json.loads(lines[0])
    assert set(record) == JSON_KEYS
    assert record["implementation"] == implementation
    assert record["migrants"] == migrants
    assert record["months"] == 3
    assert record["threads"] == 1
    for key in ("core_migrant_steps_per_second", "migrant_steps_per_second", "migrant_steps_per_second_per_thread"):
        assert math.isfinite(record[key]) and record[key] > 0
    assert record["bytes_per_migrant"] > 0
    assert record["write_seconds"] is None
    if implementation == "numpy":
        # float32 income, propensity, trust; int32 association; corridor and flag bytes.
        assert record["bytes_per_migrant"] == 18


def test_both_references_model_the_same_world(np_ref, ag_ref):
    assert np_ref.BASELINE == ag_ref.BASELINE


# --- hand computations ------------------------------------------------------


def corridor_array(params, key, corridor):
    return np.array([c[key] for c in params["corridors"]], dtype=np.float64)[corridor]


def incomes(params, corridor, base_income, employed):
    """y = base x wage multiplier if employed, fallback share x base if not (7.2)."""
    base = np.asarray(base_income, dtype=np.float64)
    wage = corridor_array(params, "wage_multiplier", corridor)
    return np.where(employed, base * wage, base * params["behaviour"]["fallback_income_share"])


def round_xof(x):
    return np.floor(np.asarray(x, dtype=np.float64) + 0.5)


def channel_costs(params, corridor, amount):
    formal = np.minimum(
        amount,
        corridor_array(params, "formal_fee_pct", corridor) * amount
        + corridor_array(params, "formal_fee_fixed_xof", corridor),
    )
    informal = corridor_array(params, "informal_fee_pct", corridor) * amount
    return formal, informal


def formal_probability(params, corridor, amount):
    """1 / (1 + exp(beta (c_f - c_i) / R + alpha)), 0 for R = 0 or a closed channel (7.3)."""
    b = params["behaviour"]
    formal, informal = channel_costs(params, corridor, amount)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        p = 1.0 / (1.0 + np.exp(b["channel_beta"] * (formal - informal) / amount + b["channel_alpha"]))
    closed = np.array([c["formal_closed"] for c in params["corridors"]])[corridor]
    return np.where((amount > 0) & ~closed, p, 0.0)


def multipliers(params, fundraising, public_share):
    """(1 - s)^-epsilon while fundraising, else 0 (7.4)."""
    s = np.clip(np.asarray(public_share, dtype=np.float64), 0.0, 0.99)
    return np.where(fundraising, (1.0 - s) ** -params["behaviour"]["epsilon"], 0.0)


def member_payments(params, y, trust, association, dues, multiplier, corridor, employed):
    """Dues min(round(dues_a scale), round(cap y)), scale = (income / normal income)^elasticity,
    and contributions round(trust k y m), per member."""
    b = params["behaviour"]
    member = association >= 0
    a = association[member]
    ym = y[member]
    normal = np.where(employed, corridor_array(params, "wage_multiplier", corridor), b["fallback_income_share"])
    scale = (normal ** b["dues_income_elasticity"])[member]
    full = round_xof(np.asarray(dues, dtype=np.float64)[a] * scale)
    paid_dues = np.minimum(full, round_xof(b["dues_cap_share"] * ym))
    trust_m = np.asarray(trust, dtype=np.float64)[member]
    contribution = round_xof(trust_m * b["contribution_share"] * ym * np.asarray(multiplier)[a])
    return a, paid_dues, contribution


def next_employed(params, corridor, employed, high_words):
    u = high_words.astype(np.float64) / WORD
    loss = corridor_array(params, "p_job_loss", corridor)
    find = corridor_array(params, "p_job_find", corridor)
    return np.where(employed, u >= loss, u < find)


def shared_draws(params, world, rng):
    """One month's raw draws for the NumPy step and the same draws as uniforms
    for the agents' step (two per migrant: labour = high word, channel = low).

    The agents compute P(formal) per migrant and the NumPy reference once per
    corridor; the two may differ in the last bit. Channel words within a few
    units of a migrant's threshold (a chance of about 1e-9 each) are moved off
    it, so that a last-bit difference cannot flip a choice.
    """
    raw = rng.bit_generator.random_raw(world.size)
    high = raw >> np.uint64(32)
    low = raw & MASK
    employed = next_employed(params, world.corridor, world.employed, high)
    y = incomes(params, world.corridor, world.base_income, employed)
    amount = round_xof(world.propensity.astype(np.float64) * y)
    threshold = formal_probability(params, world.corridor, amount) * WORD
    near = np.abs(low.astype(np.float64) - threshold) < 8
    low[near] = np.minimum(threshold[near] + 16, WORD - 1).astype(np.uint64)
    raw = (high << np.uint64(32)) | low
    uniforms = np.column_stack((high / WORD, low / WORD)).ravel().tolist()
    return raw, uniforms


# --- the two implementations agree -----------------------------------------


@pytest.mark.parametrize("which", ["baseline", "variant"])
def test_same_world_and_draws_give_the_same_sums(np_ref, ag_ref, which):
    params = np_ref.BASELINE if which == "baseline" else variant(np_ref.BASELINE)
    # Small chunks so that blocks, chunks and association runs all split.
    world = np_ref.build_world(3_000, seed=11, params=params, chunk=700)
    model = ag_ref.build_world_from_columns(
        params,
        world.corridor.tolist(),
        world.base_income.tolist(),
        world.propensity.tolist(),
        world.trust.tolist(),
        world.association.tolist(),
        world.employed.tolist(),
        world.dues.tolist(),
        world.fundraising.tolist(),
        world.expected_public_share.tolist(),
    )
    rng = np.random.Generator(np.random.PCG64(99))
    for month in range(4):
        raw, uniforms = shared_draws(params, world, rng)
        numpy_sums = np_ref.step(world, params, rng, draws=raw)
        agent_sums = ag_ref.step(model, uniforms)
        assert numpy_sums == agent_sums, f"month {month}"
        assert all(isinstance(v, int) for v in numpy_sums.values())
        assert world.employed.tolist() == [m.employed for m in model.migrants]
    assert world.treasury.tolist() == [a.treasury for a in model.associations]
    assert sum(numpy_sums.values()) > 0


def test_numpy_results_do_not_depend_on_the_chunk_size(np_ref):
    sums = []
    for chunk in (257, 1 << 15):
        world = np_ref.build_world(5_000, seed=3, chunk=chunk)
        rng = np.random.Generator(np.random.PCG64(4))
        sums.append([np_ref.step(world, np_ref.BASELINE, rng) for _ in range(3)] + [world.treasury.tolist()])
    assert sums[0] == sums[1]


# --- each implementation against a hand computation ------------------------


def numpy_columns(world):
    return (
        world.corridor,
        world.base_income,
        world.propensity,
        world.trust,
        world.association,
        world.dues,
        world.fundraising,
        world.expected_public_share,
    )


def agents_columns(model):
    index = {id(k): i for i, k in enumerate(model.corridors)}
    migrants, associations = model.migrants, model.associations
    return (
        np.array([index[id(m.corridor)] for m in migrants]),
        np.array([m.base_income for m in migrants]),
        np.array([m.propensity for m in migrants]),
        np.array([m.trust for m in migrants]),
        np.array([m.association.unique_id if m.association else -1 for m in migrants]),
        np.array([a.dues for a in associations]),
        np.array([a.fundraising for a in associations], dtype=bool),
        np.array([a.expected_public_share for a in associations]),
    )


class Harness:
    """Runs either implementation on its own world and random stream and
    exposes what the hand computations need."""

    def __init__(self, kind, np_ref, ag_ref, migrants, seed, params):
        self.kind, self.params = kind, params
        if kind == "numpy":
            self.ref = np_ref
            self.world = np_ref.build_world(migrants, seed, params)
            self.rng = np.random.Generator(np.random.PCG64([seed, 1]))
        else:
            self.ref = ag_ref
            self.world = ag_ref.build_world(migrants, seed, params)

    def step(self):
        if self.kind == "numpy":
            return self.ref.step(self.world, self.params, self.rng)
        return self.ref.step(self.world)

    def columns(self):
        return numpy_columns(self.world) if self.kind == "numpy" else agents_columns(self.world)

    def employed(self):
        if self.kind == "numpy":
            return self.world.employed.copy()
        return np.array([m.employed for m in self.world.migrants])

    def set_employed(self, value):
        if self.kind == "numpy":
            self.world.employed[:] = value
        else:
            for m in self.world.migrants:
                m.employed = value

    def treasury(self):
        if self.kind == "numpy":
            return self.world.treasury.copy()
        return np.array([a.treasury for a in self.world.associations], dtype=np.int64)


SIZES = {"numpy": 200_000, "agents": 6_000}


@pytest.mark.parametrize("kind", ["numpy", "agents"])
@pytest.mark.parametrize("which", ["baseline", "variant"])
def test_money_equals_the_hand_computation(np_ref, ag_ref, kind, which):
    """Given the month's employment, every money sum is fixed except the split
    between channels: check the fixed ones exactly and the split against its
    expectation."""
    params = np_ref.BASELINE if which == "baseline" else variant(np_ref.BASELINE)
    h = Harness(kind, np_ref, ag_ref, SIZES[kind], seed=5, params=params)
    corridor, base, propensity, trust, association, dues, fundraising, public_share = h.columns()
    for _ in range(2):
        before = h.treasury()
        sums = h.step()
        employed = h.employed()
        y = incomes(params, corridor, base, employed)
        amount = round_xof(propensity.astype(np.float64) * y)
        assert sums["employed"] == int(employed.sum())
        # 7.3: everything sent is propensity x income, rounded, whatever the channel.
        assert sums["remit_formal"] + sums["remit_informal"] == int(amount.sum())
        # Fees lie between all-informal and all-formal costs (c_i <= c_f here,
        # except in a closed channel where only c_i is possible).
        formal_cost, informal_cost = channel_costs(params, corridor, amount)
        p = formal_probability(params, corridor, amount)
        fee_low = round_xof(np.minimum(formal_cost, informal_cost)).sum()
        fee_high = round_xof(np.where(p > 0, np.maximum(formal_cost, informal_cost), informal_cost)).sum()
        assert fee_low <= sums["remit_fees"] <= fee_high
        # The formal amount: sum of R_i Bernoulli(p_i), mean sum R p, variance sum R^2 p (1 - p).
        mean = float((amount * p).sum())
        sd = math.sqrt(float((amount**2 * p * (1 - p)).sum()))
        assert abs(sums["remit_formal"] - mean) <= Z * sd + 1, (sums["remit_formal"], mean, sd)
        # 7.4: dues and contributions exactly, and the treasuries receive them.
        a, paid_dues, contribution = member_payments(
            params, y, trust, association, dues, multipliers(params, fundraising, public_share), corridor, employed
        )
        assert sums["dues"] == int(paid_dues.sum())
        assert sums["contributions"] == int(contribution.sum())
        expected_treasury = before + np.bincount(a, weights=paid_dues + contribution, minlength=before.size).astype(
            np.int64
        )
        assert np.array_equal(h.treasury(), expected_treasury)
    assert sums["contributions"] > 0 and sums["dues"] > 0


def test_formal_share_is_the_logit_probability(np_ref):
    """Baseline: no fixed fee, so every migrant's P(formal) is
    1 / (1 + exp(beta (0.065 - 0.04) + alpha)) = 0.70, the calibration target."""
    params = np_ref.BASELINE
    b = params["behaviour"]
    p = 1.0 / (1.0 + math.exp(b["channel_beta"] * 0.025 + b["channel_alpha"]))
    assert p == pytest.approx(0.70, abs=0.001)
    h = Harness("numpy", np_ref, None, SIZES["numpy"], seed=8, params=params)
    corridor, base, propensity, *_ = h.columns()
    sums = h.step()
    amount = round_xof(propensity.astype(np.float64) * incomes(params, corridor, base, h.employed()))
    sd = math.sqrt(float((amount**2).sum()) * p * (1 - p))
    assert abs(sums["remit_formal"] - p * amount.sum()) <= Z * sd


@pytest.mark.parametrize("kind", ["numpy", "agents"])
def test_employment_follows_the_labour_chain(np_ref, ag_ref, kind):
    """Start everyone jobless: the share employed in corridor c after t months
    is pi_c + (0 - pi_c) (1 - p_loss - p_find)^t, pi_c = p_find / (p_find + p_loss),
    independently across migrants, so the count is a sum of Bernoullis."""
    params = np_ref.BASELINE
    months = 36
    h = Harness(kind, np_ref, ag_ref, {"numpy": 100_000, "agents": 4_000}[kind], seed=21, params=params)
    corridor = h.columns()[0]
    counts = np.bincount(corridor, minlength=len(params["corridors"]))
    loss = np.array([c["p_job_loss"] for c in params["corridors"]])
    find = np.array([c["p_job_find"] for c in params["corridors"]])
    pi = find / (find + loss)
    h.set_employed(False)
    for t in range(1, months + 1):
        q = pi * (1.0 - (1.0 - loss - find) ** t)
        mean = float((counts * q).sum())
        sd = math.sqrt(float((counts * q * (1 - q)).sum()))
        employed = h.step()["employed"]
        assert abs(employed - mean) <= Z * sd, (t, employed, mean, sd)
    # After 36 months the chain is within 2 % of its long-run share.
    long_run = float((counts * pi).sum())
    assert abs(employed - long_run) / long_run < 0.02


@pytest.mark.parametrize("kind", ["numpy", "agents"])
def test_world_starts_in_the_stationary_state(np_ref, ag_ref, kind):
    params = np_ref.BASELINE
    h = Harness(kind, np_ref, ag_ref, SIZES[kind], seed=13, params=params)
    corridor, *_, association, _dues, _fundraising, _share = h.columns()
    pi = np.array([c["p_job_find"] / (c["p_job_find"] + c["p_job_loss"]) for c in params["corridors"]])[corridor]
    n = corridor.size
    assert abs(int(h.employed().sum()) - pi.sum()) <= Z * math.sqrt(float((pi * (1 - pi)).sum()))
    # A member share of 0.35, in associations of about 100 members.
    members = int((association >= 0).sum())
    assert members == round(params["associations"]["member_share"] * n)
    sizes = np.bincount(association[association >= 0])
    assert sizes.mean() == pytest.approx(params["associations"]["size_mean"], rel=0.05)
    # Corridor shares as the scenario's.
    shares = np.array([c["share"] for c in params["corridors"]])
    observed = np.bincount(corridor, minlength=shares.size)
    assert np.all(np.abs(observed - n * shares) <= Z * np.sqrt(n * shares * (1 - shares)))
