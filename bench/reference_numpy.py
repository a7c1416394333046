"""Vectorised NumPy reference for the migrants' monthly economy (docs/model.md 7.2-7.4).

The benchmark compares the C++ model against what a NumPy expert would write
for the same three per-migrant rules, fused as in model/economy.cpp:

* labour (7.2): employed -> keeps the job unless Bernoulli(p_loss) fires,
  jobless -> finds one with probability p_find; income = base x wage
  multiplier when employed, fallback share x base when not;
* remittances (7.3): R = round(propensity x income), formal channel with the
  logit probability 1 / (1 + exp(beta (c_f - c_i) / R + alpha)), fee rounded
  to the franc;
* dues and contributions (7.4): dues min(round(dues_a x scale), round(cap x
  income)), scale = (wage multiplier or fallback share)^dues_income_elasticity
  (income over normal income), plus
  round(trust x k x income x (1 - s)^-epsilon) while the association raises
  money; both go to the association's treasury.

Design choices, each for speed without changing the rules:

* Structure of arrays with the C++ types (float32 income, propensity and
  trust, int32 association, uint8 corridor, one byte for the employed flag).
* Migrants are laid out sorted by (corridor, non-member, association). Every
  corridor is then one contiguous block whose parameters are scalars, so no
  per-migrant gather of corridor parameters is needed, and each
  association's members in a block are one run, summed with np.add.reduceat.
  The full model reorders on migration and joining; this reference has
  neither, so the sort is done once.
* The blocks are walked in chunks of a few tens of thousands of migrants so
  that every temporary stays in the core's L2 cache: element-wise NumPy is
  bound by memory traffic, and a 2-million-element float64 temporary is 16 MB.
* Random draws are raw 64-bit outputs of the bit generator, one per migrant
  and month, whose high and low 32-bit words are the labour and channel
  draws, compared with integer thresholds ceil(p 2^32): the same Bernoulli(p)
  on a 32-bit word as the C++ (rng.hpp), and about three times cheaper than
  two float uniforms. Each chunk draws its migrants' words in order, so
  results do not depend on the chunk size.
* Money is computed in float64 and rounded half up to whole francs exactly as
  the C++ (double arithmetic, then int64(x + 0.5)); the rounded values are
  integers far below 2^53, so their float64 sums are exact. National sums are
  Python ints and treasuries int64.

Two simplifications: every slot holds a live migrant (no migration in this
benchmark, so no ALIVE test as in the C++ loop), and the price-effect
multiplier is kept in float64 where the C++ stores a float32 (contributions
may then differ by one franc on rare members).

Run: python bench/reference_numpy.py --migrants 2000000 --months 24
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from dataclasses import dataclass, field

import numpy as np

# Scenario values of scenarios/mali-kayes-baseline.toml; values not set there
# are the defaults of include/codev/params.hpp. The last two association
# entries are this benchmark's own: the baseline has no programme, so no
# association would ever feel the price effect; here a share of them is
# fundraising, and registered ones expect the public share of the 70 % rule
# plus the commune's 20 % (scenarios/codev-share-70.toml), s = 0.9.
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

NO_ASSOCIATION = -1
# 32,768 migrants: a float64 temporary is 256 KB; those in use at once fit in a 2 MB L2.
# On the 2-core development machine, 2 M migrants: 8 K -> 34, 32 K -> 36,
# 128 K -> 35, unchunked -> 28 M migrant-steps/s (loaded machine).
DEFAULT_CHUNK = 1 << 15
WORD = 2.0**32


@dataclass
class World:
    """State of the benchmarked world, structure of arrays (world.hpp)."""

    # Per migrant, in slot order (sorted by corridor, non-member, association).
    corridor: np.ndarray  # uint8
    base_income: np.ndarray  # float32, XOF per month
    propensity: np.ndarray  # float32, share of income remitted
    trust: np.ndarray  # float32, 0..1
    association: np.ndarray  # int32, NO_ASSOCIATION when not a member
    employed: np.ndarray  # bool (one byte, the C++ EMPLOYED flag)
    # Per association.
    dues: np.ndarray  # int64 XOF per month
    treasury: np.ndarray  # int64 XOF
    fundraising: np.ndarray  # bool: raising money for a project
    expected_public_share: np.ndarray  # float64, s of docs/model.md 7.4
    # Layout, fixed at build time.
    corridor_start: np.ndarray  # int64, size corridors + 1: block of corridor k
    chunks: list = field(default_factory=list)  # tuples, see _plan_chunks
    piece_association: np.ndarray = None  # int64: association of each member run
    month: int = 0
    scratch: _Scratch = None  # chunk-sized buffers, made on the first step

    @property
    def size(self) -> int:
        return int(self.base_income.size)

    def state_nbytes(self) -> int:
        """Bytes of per-migrant state (what bytes_per_migrant reports)."""
        arrays = (self.corridor, self.base_income, self.propensity, self.trust, self.association, self.employed)
        return sum(a.nbytes for a in arrays)


def stationary_employment(p_job_loss: float, p_job_find: float) -> float:
    """Long-run share employed of the two-state labour chain (labour.cpp)."""
    total = p_job_loss + p_job_find
    return p_job_find / total if total > 0.0 else 1.0


def formal_channel_probability(amount, formal_cost, informal_cost, alpha, beta):
    """P(formal) of docs/model.md 7.3 for scalars (remittances.cpp)."""
    if amount <= 0.0:
        return 0.0
    return 1.0 / (1.0 + math.exp(beta * (formal_cost - informal_cost) / amount + alpha))


def price_effect(public_share: float, epsilon: float) -> float:
    """(1 - s)^-epsilon with s clamped below 0.99 (contributions.cpp)."""
    return (1.0 - min(max(public_share, 0.0), 0.99)) ** -epsilon


def word_threshold(p: float) -> int:
    """Integer T with (w < T) == (w / 2^32 < p) for every 32-bit word w.

    The C++ Bernoulli is u01(w) < p with u01(w) = w / 2^32 (rng.hpp); scaling
    by a power of two is exact, so T = ceil(p 2^32), clamped to [0, 2^32].
    """
    return int(min(max(math.ceil(p * WORD), 0), 1 << 32))


def _bernoulli(
    words: np.ndarray, threshold: int, out: np.ndarray, negate: bool = False, high: bool = False
) -> np.ndarray:
    """out = (word < T) for uint64 `words`, or its negation.

    With high=True the 32-bit word is the high half of each 64-bit draw, and
    (x >> 32) < T is x < T 2^32: one contiguous comparison, no shift pass.
    """
    limit = threshold << 32 if high else threshold
    if limit >= 1 << (64 if high else 32):
        out.fill(not negate)  # every word is below T = 2^32
    elif negate:
        np.greater_equal(words, np.uint64(limit), out=out)
    else:
        np.less(words, np.uint64(limit), out=out)
    return out


def apportion(total: int, weights: np.ndarray) -> np.ndarray:
    """Integer sizes summing to `total`, proportional to weights (largest remainder)."""
    quota = weights / weights.sum() * total
    sizes = np.floor(quota).astype(np.int64)
    short = total - int(sizes.sum())
    if short > 0:
        sizes[np.argsort(sizes - quota, kind="stable")[:short]] += 1
    return sizes


def _plan_chunks(world: World, chunk: int) -> None:
    """Split every corridor block into chunks and members into runs ("pieces").

    A piece is a run of members of one association inside one chunk; the
    chunk's per-association sums are one np.add.reduceat over its members, and
    the month's pieces fold into treasuries with one np.bincount.
    """
    chunks, piece_assoc = [], []
    association = world.association
    for k in range(world.corridor_start.size - 1):
        start, end = int(world.corridor_start[k]), int(world.corridor_start[k + 1])
        block_members = int(np.count_nonzero(association[start:end] != NO_ASSOCIATION))
        member_end = start + block_members  # members come first in a block
        for lo in range(start, end, chunk):
            hi = min(lo + chunk, end)
            m = max(0, min(hi, member_end) - lo)
            first_piece = len(piece_assoc)
            starts = np.zeros(0, dtype=np.intp)
            lengths = np.zeros(0, dtype=np.intp)
            if m:
                ids = association[lo : lo + m]
                starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]]).astype(np.intp)
                lengths = np.diff(np.r_[starts, m]).astype(np.intp)
                piece_assoc.extend(ids[starts].tolist())
            chunks.append((k, lo, hi, m, first_piece, len(piece_assoc), starts, lengths))
    world.chunks = chunks
    world.piece_association = np.asarray(piece_assoc, dtype=np.int64)


def build_world(migrants: int, seed: int, params: dict = BASELINE, chunk: int = DEFAULT_CHUNK) -> World:
    """A synthetic world drawn as docs/model.md 5 says, laid out for the monthly step."""
    rng = np.random.Generator(np.random.PCG64(seed))
    corridors = params["corridors"]
    b = params["behaviour"]
    ap = params["associations"]
    n = int(migrants)
    shares = np.array([c["share"] for c in corridors], dtype=np.float64)
    corridor = rng.choice(len(corridors), size=n, p=shares / shares.sum()).astype(np.uint8)

    def per_corridor(key):
        return np.array([c[key] for c in corridors], dtype=np.float64)[corridor]

    # Base income lognormal(median, sigma); propensity Beta(mean, concentration)
    # as a = mean x conc, b = (1 - mean) x conc (rng.cpp); trust likewise.
    base = per_corridor("income_median_xof") * np.exp(per_corridor("income_sigma") * rng.standard_normal(n))
    mean = per_corridor("propensity_mean")
    conc = b["propensity_concentration"]
    propensity = rng.beta(mean * conc, (1.0 - mean) * conc)
    tm, tc = b["trust_initial_mean"], b["trust_concentration"]
    trust = rng.beta(tm * tc, (1.0 - tm) * tc, size=n)
    # Start in the labour chain's stationary state, as initialisation.cpp does.
    pi = np.array([stationary_employment(c["p_job_loss"], c["p_job_find"]) for c in corridors])
    employed = rng.random(n) < pi[corridor]

    # Associations of about size_mean members, sizes lognormal (median 1)
    # weights apportioned over the members. Attributes are i.i.d., so making
    # the first `members` draws the members is a random choice of members.
    members = round(ap["member_share"] * n)
    count = max(1, round(members / ap["size_mean"])) if members > 0 else 0
    association = np.full(n, NO_ASSOCIATION, dtype=np.int32)
    if count:
        sizes = apportion(members, rng.lognormal(0.0, ap["size_sigma"], size=count))
        association[:members] = np.repeat(np.arange(count, dtype=np.int32), sizes)
    registered = rng.random(count) < ap["registered_share"]
    fundraising = rng.random(count) < ap["fundraising_share"]
    public_share = np.where(registered, ap["expected_public_share"], 0.0)

    # Slot order: corridor blocks; in each, members by association, then the rest.
    member_key = np.where(association == NO_ASSOCIATION, count, association)
    order = np.lexsort((member_key, corridor))
    corridor_sorted = corridor[order]
    world = World(
        corridor=corridor_sorted,
        base_income=base[order].astype(np.float32),
        propensity=propensity[order].astype(np.float32),
        trust=trust[order].astype(np.float32),
        association=association[order],
        employed=employed[order],
        dues=np.full(count, ap["dues_xof_per_month"], dtype=np.int64),
        treasury=np.zeros(count, dtype=np.int64),
        fundraising=fundraising,
        expected_public_share=public_share.astype(np.float64),
        corridor_start=np.searchsorted(corridor_sorted, np.arange(len(corridors) + 1)).astype(np.int64),
    )
    _plan_chunks(world, chunk)
    return world


def corridor_conditions(params: dict) -> list[dict]:
    """This month's per-corridor scalars (CorridorMonth and prepare_channels).

    The benchmark has no shocks or fee policy path, so they are the same every
    month; they are still derived every month, as the C++ does.
    """
    b = params["behaviour"]
    out = []
    for c in params["corridors"]:
        flat = None  # amount-independent P(formal), as prepare_channels()
        if c["formal_closed"]:
            flat = 0.0
        elif c["formal_fee_fixed_xof"] == 0.0 and c["formal_fee_pct"] <= 1.0:
            flat = formal_channel_probability(
                1.0, c["formal_fee_pct"], c["informal_fee_pct"], b["channel_alpha"], b["channel_beta"]
            )
        out.append(
            {
                "loss": word_threshold(c["p_job_loss"]),
                "find": word_threshold(c["p_job_find"]),
                "wage": float(c["wage_multiplier"]),
                "dues_scale": float(c["wage_multiplier"]) ** params["behaviour"]["dues_income_elasticity"],
                "formal_pct": float(c["formal_fee_pct"]),
                "formal_fixed": float(c["formal_fee_fixed_xof"]),
                "informal_pct": float(c["informal_fee_pct"]),
                "flat": None if flat is None else word_threshold(flat),
            }
        )
    return out


class _Scratch:
    """Chunk-sized buffers reused every chunk and month (no per-step allocation)."""

    def __init__(self, size: int):
        self.y = np.empty(size)  # income
        self.amount = np.empty(size)  # R
        self.fee = np.empty(size)
        self.tmp = np.empty(size)
        self.dues = np.empty(size)
        self.contribution = np.empty(size)
        self.formal = np.empty(size)  # the formal flag as 0.0 / 1.0
        self.low = np.empty(size, dtype=np.uint64)
        self.b1 = np.empty(size, dtype=bool)
        self.b2 = np.empty(size, dtype=bool)


def _scratch(world: World) -> _Scratch:
    if world.scratch is None:
        world.scratch = _Scratch(max((hi - lo for _, lo, hi, *_ in world.chunks), default=0))
    return world.scratch


def step(world: World, params: dict, rng: np.random.Generator, draws: np.ndarray | None = None) -> dict:
    """One month of labour, remittances, dues and contributions for every migrant.

    `draws` (optional, uint64, one per migrant in slot order) replaces the
    random draws: the high 32-bit word of each is the migrant's labour word,
    the low word its channel word. Tests use it to feed two implementations
    the same draws. Returns the month's national sums (int XOF, and the
    count employed at the end of the month).
    """
    b = params["behaviour"]
    conditions = corridor_conditions(params)
    fallback = b["fallback_income_share"]
    alpha, beta = b["channel_alpha"], b["channel_beta"]
    cap, k_share = b["dues_cap_share"], b["contribution_share"]
    jobless_dues = fallback ** b["dues_income_elasticity"]
    # set_raising_multipliers(): the price effect while fundraising, else 0.
    eps = b["epsilon"]
    multiplier = np.where(world.fundraising, (1.0 - np.clip(world.expected_public_share, 0.0, 0.99)) ** -eps, 0.0)
    piece_dues = world.dues[world.piece_association].astype(np.float64)
    piece_multiplier = multiplier[world.piece_association]
    piece_pay = np.zeros(world.piece_association.size)

    s = _scratch(world)
    bit_generator = rng.bit_generator
    employed_total = formal_total = remitted_total = fees_total = dues_total = contrib_total = 0
    base, propensity, trust, employed = world.base_income, world.propensity, world.trust, world.employed

    for corridor, lo, hi, m, p0, p1, starts, lengths in world.chunks:
        c = conditions[corridor]
        n = hi - lo
        # One 64-bit draw per migrant: high word labour, low word channel.
        x = bit_generator.random_raw(n) if draws is None else draws[lo:hi]
        channel = np.bitwise_and(x, np.uint64(0xFFFFFFFF), out=s.low[:n])
        emp = employed[lo:hi]
        b1, b2 = s.b1[:n], s.b2[:n]

        # 7.2 Labour: keep = employed and no loss; find = jobless and found.
        _bernoulli(x, c["loss"], b1, negate=True, high=True)  # no job loss this month
        np.logical_and(emp, b1, out=b1)
        _bernoulli(x, c["find"], b2, high=True)
        np.greater(b2, emp, out=b2)  # found and was jobless (b2 & ~emp)
        np.logical_or(b1, b2, out=emp)
        employed_total += int(np.count_nonzero(emp))
        # Income in float64 from the float32 base, as the C++ double(base) * w.
        y = s.y[:n]
        np.multiply(base[lo:hi], np.where(emp, c["wage"], fallback), out=y)

        # 7.3 Remittance R = round(propensity x y), half up.
        amount = s.amount[:n]
        np.multiply(propensity[lo:hi], y, out=amount)
        np.add(amount, 0.5, out=amount)
        np.floor(amount, out=amount)
        fee, tmp = s.fee[:n], s.tmp[:n]
        if c["flat"] is not None:
            # No fixed fee: (c_f - c_i) / R is the same for every R, so P(formal)
            # is one threshold for the block, and c_f = pct_f x R <= R.
            _bernoulli(channel, c["flat"], b1)
            np.multiply(amount, np.where(b1, c["formal_pct"], c["informal_pct"]), out=fee)
        else:
            # Fixed fee: the logit depends on R, per migrant. R = 0 sends
            # nothing (probability 0, both costs 0); exp may overflow to inf,
            # which correctly gives probability 0.
            np.multiply(amount, c["formal_pct"], out=fee)
            np.add(fee, c["formal_fixed"], out=fee)
            np.minimum(fee, amount, out=fee)  # c_f
            np.multiply(amount, c["informal_pct"], out=tmp)  # c_i
            np.subtract(fee, tmp, out=tmp)
            np.multiply(tmp, beta, out=tmp)
            with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
                np.divide(tmp, amount, out=tmp)
                np.add(tmp, alpha, out=tmp)
                np.exp(tmp, out=tmp)
                np.add(tmp, 1.0, out=tmp)
                np.divide(WORD, tmp, out=tmp)  # P(formal) x 2^32
            tmp[amount <= 0.0] = 0.0
            np.less(channel, tmp, out=b1)
            np.multiply(amount, c["informal_pct"], out=tmp)
            np.copyto(fee, tmp, where=~b1)  # informal cost
        np.add(fee, 0.5, out=fee)
        np.floor(fee, out=fee)
        fees_total += int(fee.sum())
        remitted_total += int(amount.sum())
        formal = s.formal[:n]
        np.copyto(formal, b1)  # a bool-to-float copy, then a float product, beats a mixed product
        np.multiply(amount, formal, out=tmp)
        formal_total += int(tmp.sum())

        # 7.4 Members (the first m slots of the chunk): dues and contributions.
        if m:
            ym = y[:m]
            dues = s.dues[:m]
            np.multiply(ym, cap, out=dues)
            np.add(dues, 0.5, out=dues)
            np.floor(dues, out=dues)
            # The association's dues x the member's scale, rounded half up.
            full = s.contribution[:m]
            np.multiply(
                np.repeat(piece_dues[p0:p1], lengths), np.where(emp[:m], c["dues_scale"], jobless_dues), out=full
            )
            np.add(full, 0.5, out=full)
            np.floor(full, out=full)
            np.minimum(dues, full, out=dues)
            # trust x k x y x multiplier, left to right in double as the C++.
            con = s.contribution[:m]
            np.multiply(trust[lo : lo + m], np.float64(k_share), out=con)
            np.multiply(con, ym, out=con)
            np.multiply(con, np.repeat(piece_multiplier[p0:p1], lengths), out=con)
            np.add(con, 0.5, out=con)
            np.floor(con, out=con)  # multiplier 0 gives floor(0.5) = 0: no branch
            dues_total += int(dues.sum())
            contrib_total += int(con.sum())
            np.add(dues, con, out=dues)
            piece_pay[p0:p1] = np.add.reduceat(dues, starts)

    if world.treasury.size:
        paid = np.bincount(world.piece_association, weights=piece_pay, minlength=world.treasury.size)
        world.treasury += paid.astype(np.int64)
    world.month += 1
    return {
        "employed": employed_total,
        "remit_formal": formal_total,
        "remit_informal": remitted_total - formal_total,
        "remit_fees": fees_total,
        "dues": dues_total,
        "contributions": contrib_total,
    }


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--migrants", type=int, default=2_000_000)
    p.add_argument("--months", type=int, default=24, help="timed months (after the warm-up)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--warmup", type=int, default=2, help="untimed months run first")
    p.add_argument("--chunk", type=int, default=DEFAULT_CHUNK, help="migrants per chunk (cache blocking)")
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.migrants <= 0 or args.months <= 0 or args.warmup < 0 or args.chunk <= 0:
        sys.exit("migrants, months and chunk must be positive, warmup non-negative")
    world = build_world(args.migrants, args.seed, chunk=args.chunk)
    # A separate stream for the months, so the world does not depend on them.
    rng = np.random.Generator(np.random.PCG64([args.seed, 1]))
    for _ in range(args.warmup):
        step(world, BASELINE, rng)
    start = time.perf_counter()
    for _ in range(args.months):
        step(world, BASELINE, rng)
    elapsed = time.perf_counter() - start
    rate = args.migrants * args.months / elapsed
    # The step is the whole of this reference (no other processes, no output),
    # so the core rate and the whole-step rate are the same; NumPy's
    # element-wise loops run on one thread.
    print(
        json.dumps(
            {
                "implementation": "numpy",
                "migrants": args.migrants,
                "months": args.months,
                "threads": 1,
                "core_migrant_steps_per_second": rate,
                "migrant_steps_per_second": rate,
                "migrant_steps_per_second_per_thread": rate,
                "bytes_per_migrant": world.state_nbytes() / args.migrants,
                "write_seconds": None,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
