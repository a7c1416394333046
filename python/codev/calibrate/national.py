"""The national stage of the calibration: ``codev calibrate`` (``--stage remittances``).

Method: simulated method of moments (SMM; McFadden 1989, Pakes and Pollard
1989). The model is run at a reduced scale (``migrants`` migrants instead of
the scenario's, flows multiplied back by the ratio: the remittance rules are
per migrant, so totals scale linearly) with common random numbers (one seed
for every parameter set, so the objective is smooth in the parameters). The
fitted parameters minimise

    Q(theta) = sum_i ((m_i(theta) - d_i) / tol_i) ** 2,

i.e. weights W = diag(1 / tol_i**2), where d_i is a public figure of
docs/sources.md, m_i the same quantity simulated (mean over replicates)
and tol_i its stated tolerance: our standard uncertainty of the figure (an
assumption set from the source's confidence, see ``TARGETS``). A target marked
``fitted=False`` is held out: simulated and reported, weight 0. The optimiser
is scipy's trust-region least squares with a Jacobian by forward differences,
every difference of one iteration run in one batch by :func:`codev.run`.
Uncertainty: with W the inverse covariance of the targets, the asymptotic
covariance of the estimate is (1 + 1/S) (J' W J)^-1 (S replicates; the SMM
sandwich with optimal weights). A seeded sample from that normal (truncated
to the bounds) is the "posterior" sample: the model is run at each draw to
give ranges of every simulated figure.

Zone shares are simulated exactly with common random numbers: a *probe* run
with the formal channel of one zone closed for the whole horizon differs from
the base run only in that zone's formal transfers (labour, incomes and every
other zone draw for draw the same), so base - probe = that zone's formal flow.

The water-point breakdown hazard is fitted separately, in closed form: while
maintenance is paid the model's monthly hazard b0 is constant and a broken
point is repaired with the scenario's monthly probability r (docs/model.md
7.7.3), so the share of water points broken at age t months is
b0 / (b0 + r) (1 - (1 - b0 - r)^t) (with r = 0, 1 - (1 - b0)^t: failed at
least once), fitted to docs/sources.md §5 (15 % after one year, 25 % by year
four) at the scenario's r.
"""

import dataclasses
import json
import math
import re
import sys
import time
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import optimize

from .. import _toml
from .._cli import Parser, fail
from ..ensemble import run
from ..scenario import Scenario
from ..shipped import scenario_folder

XOF_PER_EUR = 655.957  # docs/sources.md, Currency (the CFA peg)
# The default files are those of the source tree (the package is installed editable).
SCENARIOS = scenario_folder()  # the source tree's scenarios/, or the installed package's copy
SCENARIO = SCENARIOS / "mali-national.toml"
CALIBRATED = SCENARIOS / "mali-national-calibrated.toml"
RECORD = SCENARIOS / "mali-national-calibration.json"


@dataclasses.dataclass(frozen=True)
class Target:
    """A public figure the model should reproduce, with its tolerance (weight 1/tol^2)."""

    name: str
    value: float
    tolerance: float
    unit: str
    source: str
    fitted: bool = True  # False: a held-out check, reported but not in the objective


@dataclasses.dataclass(frozen=True)
class Parameter:
    """A fitted parameter: the scenario's dotted key and the bounds of the search."""

    key: str
    low: float
    high: float
    step: float  # forward-difference step of the Jacobian (natural units)


DATA = SCENARIOS / "data"


def read_table(name: str) -> pd.DataFrame:
    """A table of scenarios/data/ (comment lines name its sources)."""
    return pd.read_csv(DATA / name, comment="#")


def _row(table: pd.DataFrame, **where) -> pd.Series:
    """The one row of ``table`` matching every ``column=value``."""
    rows = table
    for column, value in where.items():
        rows = rows[rows[column] == value]
    if len(rows) != 1:
        raise ValueError(f"expected one row where {where}, found {len(rows)}")
    return rows.iloc[0]


def _source(row: pd.Series) -> str:
    return f"{row['source']} ({row['confidence']})"


def load_targets() -> tuple:
    """The targets, with their values read from the tables of scenarios/data/.

    Tolerances are assumptions: 5 % for the BCEAO levels (high confidence, but
    "formal" is our reading of gross credits), 2 points for the 2020 change
    (an estimate), 3 points for the 2021 zone shares, 5 points for the derived
    informal share (medium), 15 % for the UFC amount (medium, one survey),
    0.1 M for the UN DESA stock (it pins the growth of the diaspora).
    """
    national = read_table("remittances-national.csv")
    zones = read_table("remittances-by-zone.csv")
    gross = {y: _row(national, year=y, scope="gross", unit="XOF") for y in (2020, 2021)}
    formal_2020 = _row(national, year=2020, scope="formal")
    noted = re.search(r"change vs 2019: (-?[\d.]+) %", formal_2020["note"])
    if noted is None:
        raise ValueError("remittances-national.csv: the 2020 formal row's note does not give its 'change vs 2019'")
    change = float(noted.group(1)) / 100
    share = {z: _row(zones, year=2021, zone=z, share_of="total") for z in ("euro_area", "other_uemoa")}
    informal = _row(read_table("transfer-costs.csv"), corridor_or_scope="mali", metric="informal_share")
    amount = _row(read_table("amounts-per-migrant.csv"), metric="remittance_per_migrant_france")
    world = _row(read_table("diaspora-by-host.csv"), host="world", year=2020)
    return (
        *(
            Target(f"formal_{y}_bn_xof", row["value"] / 1e9, 0.05 * row["value"] / 1e9, "bn XOF", _source(row))
            for y, row in gross.items()
        ),
        Target("change_2020_vs_2019", change, 0.02, "fraction", _source(formal_2020)),
        *(
            Target(f"share_{z}_2021", row["share"], 0.03, "fraction of formal", _source(row))
            for z, row in share.items()
        ),
        Target("informal_share", informal["value"] / 100, 0.05, "fraction of all transfers", _source(informal)),
        # Held out (weight 0): with the UN DESA count of the euro-area diaspora
        # (150,000) the BCEAO euro-area share implies about twice this amount per
        # migrant, so the three figures cannot all be fitted (docs/validation.md).
        Target(
            "euro_area_eur_per_migrant",
            amount["value"],
            0.15 * amount["value"],
            "EUR/year",
            _source(amount),
            fitted=False,
        ),
        Target("migrants_2020", world["migrants"], 0.1e6, "persons", _source(world)),
    )


def load_water_curve() -> tuple:
    """(years, share non-functional, tolerance) at one and four years (docs/sources.md §5,
    Banks & Furey 2016, 11 countries); the tolerance of 3 points is an assumption."""
    table = read_table("water-point-failure.csv")
    return tuple(
        (float(r["years_after_construction"]), float(r["share_non_functional"]), 0.03)
        for _, r in table[table["scope"] == "11 countries"].iterrows()
        if r["years_after_construction"] in (1, 4)
    )


TARGETS = load_targets()

PARAMETERS = (
    Parameter("corridors.euro_area.propensity_mean", 0.03, 0.80, 0.01),
    Parameter("corridors.other_uemoa.propensity_mean", 0.03, 0.80, 0.01),
    Parameter("corridors.rest_of_world.propensity_mean", 0.03, 0.80, 0.01),
    Parameter("behaviour.channel_alpha", -4.0, 1.0, 0.05),
    Parameter("shocks.0.wage_multiplier", 0.5, 1.0, 0.01),
    Parameter("migration.departure_rate", 0.0005, 0.008, 0.0001),
)

WATER_CURVE = load_water_curve()  # ((years, share non-functional, tolerance), ...)
WATER_KEY = "sectors.water.breakdown_hazard"

# The zones whose formal channel a probe closes (the third zone's flow is the rest).
PROBES = ("other_uemoa", "rest_of_world")


@dataclasses.dataclass
class Config:
    """What a calibration run depends on; the seed makes it reproducible."""

    seed: int = 2026
    migrants: int = 20000  # reduced-scale world used for every simulation
    replicates: int = 2
    posterior_draws: int = 24
    max_iterations: int = 12
    threads: int | None = None
    parameters: tuple = PARAMETERS
    targets: tuple = TARGETS


# ---- simulated moments -----------------------------------------------------------


def _year_sum(data, year):
    """Sum over the months of a calendar year, per scenario and replicate."""
    return data.where(data["time"].dt.year == year).sum("month")


def zone_formal(base, probes, year) -> tuple:
    """National formal flow in ``year`` and each zone's: base - probe for the
    probed zones (common random numbers make it exact), the rest for the euro area."""
    total = _year_sum(base["remit_formal"], year).astype(float)
    zones = {zone: total - _year_sum(probe["remit_formal"], year) for zone, probe in zip(PROBES, probes, strict=True)}
    zones["euro_area"] = total - zones[PROBES[0]] - zones[PROBES[1]]
    return total, zones


def moments_of(dataset, names, scale, euro_share) -> dict:
    """The simulated figures of ``TARGETS`` (and a few more) from one base run
    and its probes, means over replicates.

    ``names`` are the base scenario's name and its probes' (order of
    ``PROBES``); ``scale`` = full migrants / simulated migrants;
    ``euro_share`` the euro-area corridor's share of migrants.
    """
    base, *probes = (dataset.sel(scenario=n) for n in names)
    formal_2019, zones_2019 = zone_formal(base, probes, 2019)
    formal_2020 = _year_sum(base["remit_formal"], 2020).astype(float)
    formal_2021, zones_2021 = zone_formal(base, probes, 2021)
    p_formal_2019 = formal_2019 / (formal_2019 + _year_sum(base["remit_informal"], 2019).astype(float))
    migrants = {y: base["migrants"].where(base["time"].dt.year == y).mean("month") for y in (2019, 2020)}
    values = {
        "formal_2020_bn_xof": formal_2020 * scale / 1e9,
        "formal_2021_bn_xof": formal_2021 * scale / 1e9,
        "change_2020_vs_2019": formal_2020 / formal_2019 - 1,
        "share_euro_area_2021": zones_2021["euro_area"] / formal_2021,
        "share_other_uemoa_2021": zones_2021["other_uemoa"] / formal_2021,
        "informal_share": 1 - p_formal_2019,
        # All transfers of the zone (formal / P(formal): the same fees in every
        # zone give the same P(formal)) per migrant of the zone.
        "euro_area_eur_per_migrant": (
            zones_2019["euro_area"] / p_formal_2019 / (euro_share * migrants[2019]) / XOF_PER_EUR
        ),
        "migrants_2020": migrants[2020] * scale,
        "share_rest_of_world_2021": zones_2021["rest_of_world"] / formal_2021,
        "formal_2019_bn_xof": formal_2019 * scale / 1e9,
    }
    return {k: float(v.mean("replicate")) for k, v in values.items()}


def with_probe(scenario: Scenario, zone: str, name: str) -> Scenario:
    """``scenario`` with the formal channel of ``zone`` closed for the whole run."""
    shocks = scenario.to_dict().get("shocks", [])
    closure = {"kind": "formal_channel_closed", "start_month": 0, "end_month": scenario.months - 1, "corridors": [zone]}
    return scenario.with_(shocks=[*shocks, closure]).renamed(name)


def at(base: Scenario, parameters, theta) -> Scenario:
    """``base`` with the parameters set to ``theta``."""
    return base.with_({p.key: float(v) for p, v in zip(parameters, theta, strict=True)})


class Simulator:
    """Simulated moments at many parameter sets, each set run once (cached),
    a batch of sets in one :func:`codev.run` (parallel in C++)."""

    def __init__(self, base: Scenario, config: Config):
        self.full_migrants = int(base.get("world.migrants"))
        self.base = base.with_(**{"world.migrants": config.migrants})
        self.config = config
        self.cache: dict[tuple, dict] = {}
        self.runs = 0

    def moments(self, thetas) -> list[dict]:
        """One dict of simulated figures per row of ``thetas``."""
        keys = [tuple(np.round(np.asarray(t, float), 12)) for t in thetas]
        todo = list(dict.fromkeys(k for k in keys if k not in self.cache))
        if todo:
            self._simulate(todo)
        return [self.cache[k] for k in keys]

    def _simulate(self, keys) -> None:
        scenarios, groups = [], []
        for i, theta in enumerate(keys):
            point = at(self.base, self.config.parameters, theta).renamed(f"p{i:04d}")
            names = [point.name] + [f"p{i:04d}-{zone}" for zone in PROBES]
            scenarios += [point] + [with_probe(point, zone, n) for zone, n in zip(PROBES, names[1:], strict=True)]
            groups.append(names)
        results = run(
            scenarios,
            replicates=self.config.replicates,
            seed=self.config.seed,
            threads=self.config.threads,
            progress=False,
        )
        dataset = results.to_xarray()
        scale = self.full_migrants / self.config.migrants
        euro_share = float(self.base.get("corridors.euro_area.share_of_migrants"))
        for key, names in zip(keys, groups, strict=True):
            self.cache[key] = moments_of(dataset, names, scale, euro_share)
        self.runs += len(scenarios) * self.config.replicates


# ---- the fit ----------------------------------------------------------------------------


def residuals(moments: dict, targets) -> np.ndarray:
    """(simulated - target) / tolerance of the fitted targets, in the order of ``targets``."""
    return np.array([(moments[t.name] - t.value) / t.tolerance for t in targets if t.fitted])


def fit(simulator: Simulator, start) -> tuple[np.ndarray, np.ndarray]:
    """SMM estimate and the weighted Jacobian of the residuals there."""
    params, targets = simulator.config.parameters, simulator.config.targets
    steps = np.array([p.step for p in params])

    def points(theta):  # theta, then theta + step_j e_j (backwards at the upper bound)
        signs = np.where(theta + steps > np.array([p.high for p in params]), -1.0, 1.0)
        return [theta] + [theta + np.eye(len(theta))[j] * steps[j] * signs[j] for j in range(len(theta))], signs

    def resid(theta):
        return residuals(simulator.moments([theta])[0], targets)

    def jacobian(theta):
        pts, signs = points(np.asarray(theta, float))
        r = [residuals(m, targets) for m in simulator.moments(pts)]
        return np.column_stack([(r[j + 1] - r[0]) / (steps[j] * signs[j]) for j in range(len(theta))])

    bounds = ([p.low for p in params], [p.high for p in params])
    solution = optimize.least_squares(
        resid,
        np.asarray(start, float),
        jac=jacobian,
        bounds=bounds,
        x_scale=steps,
        max_nfev=simulator.config.max_iterations,
        method="trf",
    )
    return solution.x, jacobian(solution.x)


def covariance(jac: np.ndarray, replicates: int) -> np.ndarray:
    """(1 + 1/S) (J'J)^-1 with J the Jacobian of the weighted residuals (W = diag(1/tol^2))."""
    return (1 + 1 / replicates) * np.linalg.pinv(jac.T @ jac)


def posterior_sample(theta, cov, parameters, draws: int, seed: int) -> np.ndarray:
    """``draws`` seeded draws from N(theta, cov), redrawn until inside the bounds."""
    rng = np.random.default_rng(seed)
    low = np.array([p.low for p in parameters])
    high = np.array([p.high for p in parameters])
    sample: list[np.ndarray] = []
    while len(sample) < draws:
        x = rng.multivariate_normal(theta, cov, method="cholesky" if _is_pd(cov) else "svd")
        if np.all(x >= low) and np.all(x <= high):
            sample.append(x)
    return np.array(sample)


def _is_pd(matrix) -> bool:
    try:
        np.linalg.cholesky(matrix)
        return True
    except np.linalg.LinAlgError:
        return False


def fit_water_hazard(repair_rate: float = 0.0) -> tuple[float, float]:
    """Monthly breakdown hazard b0 fitted to the age curve of docs/sources.md §5 at
    the monthly repair probability ``repair_rate``, and its standard error."""
    years = np.array([a for a, _, _ in WATER_CURVE])
    share = np.array([s for _, s, _ in WATER_CURVE])
    tol = np.array([t for _, _, t in WATER_CURVE])

    def resid(b):
        return (water_curve(b[0], years, repair_rate) - share) / tol

    solution = optimize.least_squares(resid, [0.01], bounds=([1e-5], [0.2]))
    jac = solution.jac
    return float(solution.x[0]), float(math.sqrt(np.linalg.inv(jac.T @ jac)[0, 0]))


def water_curve(hazard: float, years, repair_rate: float = 0.0) -> np.ndarray:
    """Share of water points broken at each age in years (the model's rule while
    maintained: a working point breaks with monthly probability ``hazard``, a
    broken one is repaired with ``repair_rate``; with no repair, the share that
    failed at least once)."""
    months = 12 * np.asarray(years, float)
    total = hazard + repair_rate
    return hazard / total * (1 - (1 - total) ** months)


# ---- the whole calibration --------------------------------------------------------------


def calibrate(config: Config | None = None, scenario=SCENARIO, progress=None) -> dict:
    """Fit, uncertainty and predictive ranges: the calibration record (a plain dict).

    Parameters
    ----------
    config : Config
        Seed, reduced scale, replicates, posterior draws, iterations.
    scenario : path or Scenario
        The prior scenario (default ``scenarios/mali-national.toml``).
    progress : callable, optional
        Called with one line of text at each stage.

    Returns
    -------
    dict
        ``parameters`` (estimate, standard error, 5-95 % range), ``targets``
        (value, tolerance, fitted value and its 5-95 % range over the posterior
        sample), ``water``, ``sample`` (the posterior draws), ``config`` and
        ``seconds``.
    """
    config = config or Config()
    say = progress or (lambda line: None)
    started = time.monotonic()
    base = scenario if isinstance(scenario, Scenario) else Scenario.load(scenario)
    simulator = Simulator(base, config)
    start = [float(base.get(p.key)) for p in config.parameters]
    say(
        f"calibrate: SMM over {len(config.parameters)} parameters, {len(config.targets)} targets, "
        f"{config.migrants} migrants, {config.replicates} replicates, seed {config.seed}"
    )
    theta, jac = fit(simulator, start)
    cov = covariance(jac, config.replicates)
    say(f"calibrate: fitted after {simulator.runs} runs, {time.monotonic() - started:.0f} s")
    sample = posterior_sample(theta, cov, config.parameters, config.posterior_draws, config.seed)
    at_fit = simulator.moments([theta])[0]
    predictive = simulator.moments(sample)
    repair_rate = float(base.get("sectors.water.repair_rate"))  # the model's default 1 when unset
    hazard, hazard_se = fit_water_hazard(repair_rate)
    say(f"calibrate: posterior sample of {len(sample)} run, {time.monotonic() - started:.0f} s")
    return _record(
        config,
        theta,
        cov,
        sample,
        at_fit,
        predictive,
        (hazard, hazard_se, repair_rate),
        time.monotonic() - started,
        simulator.runs,
    )


def _range(values) -> list[float]:
    return [float(np.quantile(values, 0.05)), float(np.quantile(values, 0.95))]


def _record(config, theta, cov, sample, at_fit, predictive, water_fit, seconds, runs) -> dict:
    se = np.sqrt(np.diag(cov))
    parameters = [
        {
            "key": p.key,
            "estimate": float(v),
            "se": float(s),
            "range_90": _range(sample[:, j]),
            "bounds": [p.low, p.high],
        }
        for j, (p, v, s) in enumerate(zip(config.parameters, theta, se, strict=True))
    ]
    names = [t.name for t in config.targets] + [k for k in at_fit if k not in {t.name for t in config.targets}]
    by_name = {t.name: t for t in config.targets}
    targets = []
    for name in names:
        entry = {"name": name, "simulated": at_fit[name], "range_90": _range([m[name] for m in predictive])}
        if name in by_name:
            t = by_name[name]
            entry.update(
                target=t.value,
                tolerance=t.tolerance,
                unit=t.unit,
                source=t.source,
                fitted=t.fitted,
                z=(at_fit[name] - t.value) / t.tolerance,
            )
        targets.append(entry)
    hazard, hazard_se, repair_rate = water_fit
    curve = water_curve(hazard, [a for a, _, _ in WATER_CURVE], repair_rate)
    water = {
        "key": WATER_KEY,
        "repair_rate": repair_rate,
        "estimate": hazard,
        "se": hazard_se,
        "range_90": [hazard - 1.645 * hazard_se, hazard + 1.645 * hazard_se],
        "curve": [
            {"years": a, "target": s, "tolerance": tol, "simulated": float(c)}
            for (a, s, tol), c in zip(WATER_CURVE, curve, strict=True)
        ],
    }
    settings = {k: v for k, v in dataclasses.asdict(config).items() if k not in ("parameters", "targets", "threads")}
    return {
        "config": settings,
        "parameters": parameters,
        "covariance": cov.tolist(),
        "targets": targets,
        "water": water,
        "sample": sample.tolist(),
        "seconds": round(seconds, 1),
        "runs": runs,
        "objective": float(sum(t["z"] ** 2 for t in targets if t.get("fitted"))),
    }


# ---- output ----------------------------------------------------------------------------------


#: The calibrated scenario's title and description (not inherited from the prior file).
CALIBRATED_ABOUT = (
    'title = { en = "Mali, national, calibrated", fr = "Mali, national, calibré" }',
    (
        "description = { en = \"The national scenario with its parameters fitted to Mali's remittance figures by the "
        'simulated method of moments.", fr = "Le scénario national avec ses paramètres ajustés aux chiffres des envois '
        'du Mali par la méthode des moments simulés." }'
    ),
)


def calibrated_toml(record: dict, base: Scenario) -> str:
    """The calibrated scenario: ``extends`` the prior file, sets the fitted
    values, and says in comments how they were fitted and how sure they are."""
    lines = [
        "# Mali, national, CALIBRATED. Generated by `codev calibrate` (codev.calibrate); do not edit.",
        _reproduce_line(record["config"]),
        "# Method: simulated method of moments, weights 1/tolerance^2 (docs/validation.md); the full",
        "# record (targets, covariance, posterior sample) is mali-national-calibration.json.",
        "# Fitted parameters: estimate, standard error, 90 % range of the posterior sample.",
    ]
    for p in record["parameters"] + [record["water"]]:
        low, high = p["range_90"]
        lines.append(f"#   {p['key']} = {p['estimate']:.6g} (se {p['se']:.2g}; 90 % {low:.4g} to {high:.4g})")
    lines.append(
        "# Targets: public figure (tolerance) -> simulated at the estimate [90 % range]; z = (sim - target)/tol"
    )
    for t in record["targets"]:
        if "target" in t:
            lines.append(
                f"#   {t['name']}: {t['target']:g} ({t['tolerance']:g}) -> {t['simulated']:.4g} "
                f"[{t['range_90'][0]:.4g}, {t['range_90'][1]:.4g}] z = {t['z']:+.2f}"
                f"{'' if t['fitted'] else ' HELD OUT'}  ({t['source']})"
            )
    lines += ["", 'extends = "mali-national.toml"', *CALIBRATED_ABOUT, ""]
    values = {p["key"]: p["estimate"] for p in record["parameters"]}
    values[WATER_KEY] = record["water"]["estimate"]
    lines.append(_toml.document(_nested(values, base)))
    return "\n".join(lines).rstrip() + "\n"


def _reproduce_line(config: dict) -> str:
    return (
        f"# Reproduce: codev calibrate --seed {config['seed']} --migrants {config['migrants']} "
        f"--replicates {config['replicates']} --draws {config['posterior_draws']} "
        f"--iterations {config['max_iterations']}"
    )


def _nested(values: dict, base: Scenario) -> dict:
    """Dotted keys to nested tables. A fitted shock key rewrites the whole
    ``shocks`` array (an extending file replaces arrays whole), starting from
    the shocks as the prior file writes them (only the keys it sets)."""
    tree: dict = {}
    for key, value in values.items():
        parts = key.split(".")
        if parts[0] == "shocks":
            if "shocks" not in tree:  # read the prior's shocks once
                tree["shocks"] = _file_shocks(base)
            tree["shocks"][int(parts[1])][parts[2]] = _round(value)
            continue
        node = tree
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = _round(value)
    if "shocks" in tree:
        tree["shocks"] = tree.pop("shocks")  # arrays of tables after the tables
    return tree


def _file_shocks(base: Scenario) -> list:
    with open(base.path or SCENARIO, "rb") as f:
        return tomllib.load(f).get("shocks", [])


def _round(value: float) -> float:
    return float(f"{value:.6g}")


def write(record: dict, base: Scenario, out: Path = CALIBRATED, record_path: Path | None = RECORD) -> Path:
    """Write the calibrated scenario (and the JSON record beside it)."""
    out = Path(out)
    out.write_text(calibrated_toml(record, base), encoding="utf-8")
    if record_path is not None:
        Path(record_path).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    return out


# Each option's allowed range: a bad value is one line and exit 2 before a
# calibration of many minutes starts, never a traceback from deep inside it.
_RANGES = {
    "migrants": (100, 100_000_000),
    "replicates": (1, 1000),
    "draws": (2, 100_000),
    "iterations": (1, 10_000),
    "threads": (0, 1024),
    "seed": (0, 2**64 - 1),
}


def _check_options(args) -> None:
    for name, (low, high) in _RANGES.items():
        value = getattr(args, name)
        if value is not None and not low <= value <= high:
            raise ValueError(f"--{name}: {value} is out of range (allowed: {low} to {high})")


STAGES = ("remittances", "associations")


def main(argv=None) -> int:
    """The national stage's command (``codev calibrate [--stage remittances]``)."""
    try:
        return _main(list(sys.argv[1:] if argv is None else argv))
    except (OSError, KeyError, ValueError) as error:
        return fail("calibrate", error)


def _main(argv) -> int:
    defaults = Config()
    parser = Parser("calibrate", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--stage",
        choices=STAGES,
        default=STAGES[0],
        help="remittances: fit mali-national.toml (these options); associations: the association stage "
        "of mali-kayes-baseline (codev calibrate --stage associations --help)",
    )
    parser.add_argument("scenario", nargs="?", default=str(SCENARIO), help="prior scenario (mali-national.toml)")
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--migrants", type=int, default=defaults.migrants, help="reduced-scale migrants")
    parser.add_argument("--replicates", type=int, default=defaults.replicates)
    parser.add_argument("--draws", type=int, default=defaults.posterior_draws, help="posterior draws")
    parser.add_argument("--iterations", type=int, default=defaults.max_iterations)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--out", default=str(CALIBRATED), help="calibrated scenario to write")
    parser.add_argument("--record", default=None, help="JSON record (default: beside --out, *-calibration.json)")
    args = parser.parse_args(argv)
    _check_options(args)
    config = Config(
        seed=args.seed,
        migrants=args.migrants,
        replicates=args.replicates,
        posterior_draws=args.draws,
        max_iterations=args.iterations,
        threads=args.threads,
    )
    base = Scenario.load(args.scenario)
    out = Path(args.out)
    record_path = (
        Path(args.record) if args.record else out.with_name(out.stem.replace("-calibrated", "") + "-calibration.json")
    )
    from ..report import check_writable  # the outputs are checked before minutes of work

    for path in (out, record_path):
        check_writable(path, [args.scenario])
    record = calibrate(config, base, progress=lambda line: print(line, file=sys.stderr))
    write(record, base, out, record_path)
    for t in record["targets"]:
        if "target" in t:
            print(
                f"{t['name']:<28} target {t['target']:>10.4g}  simulated {t['simulated']:>10.4g}  "
                f"[{t['range_90'][0]:.4g}, {t['range_90'][1]:.4g}]  z {t['z']:+.2f}"
                f"{'' if t['fitted'] else '  (held out)'}"
            )
    print(f"wrote {out} and {record_path} in {record['seconds']:.0f} s")
    return 0
