"""The numbers behind the funding brief (``codev.report``).

Headline numbers come from ``Results.compare()`` (what each policy adds to the
baseline) and ``Results.summary()`` (each scenario's totals), both built from
the indicators the results file stores (:mod:`codev.indicators`). What no
indicator splits (money by year, communes, people served by sector) is read
from the results variables (sums over each scenario's own months, stocks at
the end).
A spread is always the mean and the 5 % and 95 % quantiles over replicates, as
in ``Results.summary()``.

It also reads the scenarios' stored TOML to find which runs of the file are
*risk runs* (a scenario that differs from another only by a shock, or only by
higher failure hazards) and which run is the same programme without its loan.
"""

import hashlib
import math
import re
import tomllib
import warnings
from dataclasses import dataclass

import numpy as np
import xarray as xr

_FAILURE_KEY = re.compile(r"sectors\.[^.]+\.abandonment_hazard\Z")
_BUDGET_KEY = re.compile(r"programmes\.[^.]+\.(loan\..+|carry_over|budget_per_year_xof|total_budget_xof)\Z")


@dataclass(frozen=True)
class Spread:
    """Mean and 5-95 % range of one quantity over replicates."""

    mean: float
    p5: float
    p95: float

    @property
    def clear_sign(self) -> int:
        """+1 or -1 when the whole 90 % range is above or below zero, else 0."""
        if self.p5 > 0:
            return 1
        if self.p95 < 0:
            return -1
        return 0


def spread(values: xr.DataArray) -> Spread:
    """Mean and 5 % / 95 % quantiles over ``replicate`` of a (replicate,) array,
    NaN left out: the statistics of ``Results.summary()``."""
    values = values.astype(float)
    with warnings.catch_warnings():  # all NaN (no programme): NaN, not news
        warnings.simplefilter("ignore", RuntimeWarning)
        mean = float(values.mean("replicate", skipna=True))
        low, high = (float(values.quantile(q, dim="replicate", skipna=True)) for q in (0.05, 0.95))
    return Spread(mean, low, high)


def from_table(table, scenario: str, indicator: str) -> Spread:
    """The spread of ``indicator`` for ``scenario`` in a ``summary()`` or
    ``compare()`` table; NaN when the table has no such row or column."""
    if scenario not in table.index or indicator not in table.columns.get_level_values(0):
        return Spread(math.nan, math.nan, math.nan)
    row = table.loc[scenario, indicator]
    return Spread(float(row["mean"]), float(row["p5"]), float(row["p95"]))


def paired(values: xr.DataArray, scenario: str, reference: str) -> xr.DataArray:
    """``values[scenario, r] - values[reference, r]`` replicate by replicate."""
    return values.sel(scenario=scenario) - values.sel(scenario=reference)


# ---- by sector, by year ---------------------------------------------------------------


def by_sector(ds: xr.Dataset, sector: str) -> xr.DataArray:
    """People served in one sector at each scenario's horizon, ``(scenario,
    replicate)``: a person served in two sectors counts in each."""
    return _at_horizon(ds["people_served"].sel(sector=sector, drop=True), ds)


def _at_horizon(da: xr.DataArray, ds: xr.Dataset, dim: str = "month") -> xr.DataArray:
    """``da`` at each scenario's last month (``dim="month"``) or last year."""
    last = ds["months_in_scenario"].astype(int) - 1
    return da.isel({dim: last // 12 if dim == "year" else last})


def yearly_flow(ds: xr.Dataset, scenario: str, variable: str) -> xr.DataArray:
    """A monthly flow summed by year of the scenario, ``(replicate, year)``,
    years numbered from 1 (year 1 is months 0 to 11)."""
    months = int(ds["months_in_scenario"].sel(scenario=scenario))
    series = ds[variable].sel(scenario=scenario).isel(month=slice(0, months))
    year = (series["month"] // 12 + 1).rename("year")
    return series.groupby(year).sum("month")


def year_end_stock(ds: xr.Dataset, scenario: str, variable: str) -> xr.DataArray:
    """A monthly stock at the end of each year of the scenario (or at its last
    month), ``(replicate, year)``, years numbered from 1; summed over sectors."""
    months = int(ds["months_in_scenario"].sel(scenario=scenario))
    ends = [min(12 * y + 11, months - 1) for y in range(math.ceil(months / 12))]
    series = ds[variable].sel(scenario=scenario)
    if "sector" in series.dims:
        series = series.sum("sector")
    stock = series.isel(month=ends).rename(month="year")
    return stock.assign_coords(year=np.arange(1, len(ends) + 1))


# ---- communes ------------------------------------------------------------------------


def communes_with_working_project(ds: xr.Dataset) -> xr.DataArray:
    """Communes with at least one working project at the horizon, ``(scenario, replicate)``."""
    operating = ds["projects_operating_by_commune"].sum("sector", min_count=1)
    at_end = _at_horizon(operating, ds, "year")
    return (at_end > 0).sum("commune")  # padding communes are NaN, never > 0


def served_per_inhabitant(ds: xr.Dataset, scenario: str) -> np.ndarray:
    """People served per inhabitant at the horizon in each commune of the
    scenario, mean over replicates: what ``served_per_capita_gini`` is the Gini of."""
    by_commune = ds["people_served_by_commune"].sum("sector", min_count=1)
    per_capita = _at_horizon(by_commune, ds, "year") / ds["commune_population"]
    communes = int(ds["communes_in_scenario"].sel(scenario=scenario))
    values = per_capita.sel(scenario=scenario).isel(commune=slice(0, communes)).mean("replicate")
    return np.asarray(values, dtype=float)


# ---- the scenarios' parameters ---------------------------------------------------------


def parameters(ds: xr.Dataset) -> dict[str, dict]:
    """Each scenario's resolved parameters, from the TOML stored in the file."""
    return {
        str(name): tomllib.loads(str(text))
        for name, text in zip(ds["scenario"].values, ds["scenario_toml"].values, strict=True)
    }


def scenario_hash(ds: xr.Dataset, scenario: str) -> str:
    """SHA-256 of the scenario's full TOML text as stored in the file (UTF-8)."""
    return hashlib.sha256(str(ds["scenario_toml"].sel(scenario=scenario).values).encode("utf-8")).hexdigest()


def flatten(tree: dict, prefix: str = "") -> dict:
    """``{"a": {"b": 1}}`` -> ``{"a.b": 1}``; arrays (``shocks`` too) stay whole."""
    flat = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            flat.update(flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


#: Keys that name or describe a scenario but change nothing it simulates.
NOT_PARAMETERS = ("baseline", "title", "description")


def differing_keys(a: dict, b: dict) -> list[str]:
    """Dotted keys whose values differ between two parameter trees; ``baseline``
    (which scenario the others are compared with), the title and the
    description are not parameters of the world or the policy, and are left out."""
    fa, fb = flatten(a), flatten(b)
    return sorted(k for k in fa.keys() | fb.keys() if fa.get(k) != fb.get(k) and k.split(".")[0] not in NOT_PARAMETERS)


@dataclass(frozen=True)
class RiskRun:
    """A scenario of the file that is another one (``reference``) under a risk."""

    variant: str
    reference: str
    kind: str  # "recession", "failure" or "other"
    keys: tuple = ()  # the parameters that differ


def risk_kind(variant: dict, reference: dict) -> str | None:
    """``"recession"`` when ``variant`` is ``reference`` plus host-recession
    shocks, ``"failure"`` when it is ``reference`` with higher abandonment
    hazards, ``"other"`` for other added shocks; None otherwise."""
    keys = differing_keys(variant, reference)
    if not keys:
        return None
    if keys == ["shocks"] and len(variant.get("shocks", [])) > len(reference.get("shocks", [])):
        added = [s for s in variant["shocks"] if s not in reference.get("shocks", [])]
        return "recession" if added and all(s.get("kind") == "host_recession" for s in added) else "other"
    if all(_FAILURE_KEY.match(k) for k in keys):
        fv, fr = flatten(variant), flatten(reference)
        if all(k in fv and k in fr and fv[k] >= fr[k] for k in keys):
            return "failure"
    return None


def find_risk_runs(params: dict[str, dict], baseline: str, named=()) -> list[RiskRun]:
    """Every risk run of the file: scenarios that are another scenario under a
    recession or higher failure hazards, and the scenarios ``named`` by the
    user (paired with the scenario they differ least from when they fit no
    pattern, the baseline on a tie)."""
    runs = []
    for variant, tree in params.items():
        found = [
            RiskRun(variant, ref, kind, tuple(differing_keys(tree, other)))
            for ref, other in params.items()
            if ref != variant and (kind := risk_kind(tree, other))
        ]
        if found:
            runs += found
        elif variant in named:
            ref = min(
                (r for r in params if r != variant), key=lambda r: (len(differing_keys(tree, params[r])), r != baseline)
            )
            runs.append(RiskRun(variant, ref, "other", tuple(differing_keys(tree, params[ref]))))
    return runs


def loans(scenario_params: dict) -> dict[str, dict]:
    """The loans of a scenario's programmes, by programme name."""
    return {name: p["loan"] for name, p in scenario_params.get("programmes", {}).items() if "loan" in p}


def loan_counterpart(params: dict[str, dict], scenario: str) -> str | None:
    """The scenario of the file that is the same as ``scenario`` without its
    loan: no loan, and no other difference than the loan and the budget
    settings around it (carry-over, budget per year, total budget)."""
    if not loans(params[scenario]):
        return None
    for other, other_params in params.items():
        if other == scenario or loans(other_params):
            continue
        keys = differing_keys(params[scenario], other_params)
        if keys and all(_BUDGET_KEY.match(k) for k in keys):
            return other
    return None


def carry_over_rules(scenario_params: dict) -> set[str]:
    """The carry-over rules of a scenario's programmes."""
    return {p.get("carry_over", "none") for p in scenario_params.get("programmes", {}).values()}
