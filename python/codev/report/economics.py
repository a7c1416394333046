"""The economic analysis of a policy against the baseline: with and without
the policy, year by year, replicate by replicate (docs/appraisal.md).

A scenario's yearly economic flows (:func:`cash_flows`) are read from the
results file:

- **benefits**: for each sector, the people its working projects serve,
  averaged over the year's months, times what a person served for a year is
  worth (``[appraisal] benefit_xof_per_person_year``, stated and cited in the
  scenario);
- **costs**: every resource paid into projects whoever pays it (programme
  grants, technical assistance, the communes' co-financing, the associations'
  money), their upkeep (the associations' maintenance and repairs), and, for
  a loan, the debt service in place of the outlays the loan financed, with
  the debt still owed at the horizon counted in the last year.

A policy's incremental flows are its flows minus the baseline's, replicate r
minus replicate r (common random numbers), so the noise the two share cancels.
From them: ENPV at the scenario's rate and at 6, 10 and 12 %, EIRR,
benefit-cost ratio, the present cost per additional person reached, and the
switching values of costs, benefits and delays (:func:`appraise`). Year 1 is
not discounted (t = 0).
"""

import math
from dataclasses import dataclass, field

import numpy as np
import xarray as xr
from scipy.optimize import brentq

from .data import Spread, spread

#: The rates every analysis reports besides the scenario's own.
STANDARD_RATES = (0.06, 0.10, 0.12)
#: Flows into projects, whoever pays them (XOF, monthly results variables).
INVESTMENT = (
    "programme_disbursed",
    "technical_assistance_paid",
    "commune_cofinancing_paid",
    "association_spending",
    "reinsertion_grants_paid",  # programme money to returnees: a cost, its jobs not valued
)
UPKEEP = ("maintenance_paid",)


@dataclass(frozen=True)
class Terms:
    """A scenario's ``[appraisal]`` table."""

    discount_rate: float = 0.12
    benefit: dict = field(default_factory=dict)  # sector -> XOF per person-year
    benefit_range: tuple = (1.0, 1.0)
    uncertain: dict = field(default_factory=dict)  # dotted key -> (low, high)

    @classmethod
    def of(cls, scenario_params: dict) -> "Terms":
        table = scenario_params.get("appraisal", {})
        low, high = table.get("benefit_range", [1.0, 1.0])
        return cls(
            discount_rate=float(table.get("discount_rate", 0.12)),
            benefit={k: float(v) for k, v in table.get("benefit_xof_per_person_year", {}).items()},
            benefit_range=(float(low), float(high)),
            uncertain={k: (float(v[0]), float(v[1])) for k, v in table.get("uncertain", {}).items()},
        )

    @property
    def valued(self) -> bool:
        """True when some sector's benefits have a value."""
        return any(v > 0 for v in self.benefit.values())

    def rates(self) -> tuple:
        """The scenario's rate first, then the standard ones it is not."""
        return (self.discount_rate, *[r for r in STANDARD_RATES if not math.isclose(r, self.discount_rate)])


def _yearly(ds: xr.Dataset, scenario: str, variable: str, how: str = "sum") -> xr.DataArray:
    """A monthly series of one scenario by year (years from 1; the last may
    be short), (replicate, year[, sector]): summed, or averaged over the
    year's months. Numpy reshapes, not a groupby: the appraisal's runs call
    this thousands of times."""
    months = int(ds["months_in_scenario"].sel(scenario=scenario))
    series = ds[variable].sel(scenario=scenario).isel(month=slice(0, months))
    series = series.transpose("replicate", "month", ...)
    values = series.values.astype(float)
    years = -(-months // 12)
    padded = np.zeros((values.shape[0], years * 12, *values.shape[2:]))
    padded[:, :months] = values
    by_year = padded.reshape(values.shape[0], years, 12, *values.shape[2:]).sum(axis=2)
    if how != "sum":
        counts = np.minimum(12, months - 12 * np.arange(years)).astype(float)
        by_year /= counts.reshape(1, years, *([1] * (values.ndim - 2)))
    dims = ["replicate", "year", *series.dims[2:]]
    coords = {"replicate": series["replicate"].values, "year": np.arange(1, years + 1)}
    coords.update({str(d): series[d].values for d in series.dims[2:]})
    return xr.DataArray(by_year, dims=dims, coords=coords)


def total(arrays: list) -> xr.DataArray:
    """The sum of a non-empty list of arrays (``sum`` would start from the int 0)."""
    out = arrays[0]
    for more in arrays[1:]:
        out = out + more
    return out


def _loan_rates(scenario_params: dict) -> list[float]:
    return [
        float(p["loan"]["interest_rate"])
        for p in scenario_params.get("programmes", {}).values()
        if isinstance(p, dict) and isinstance(p.get("loan"), dict) and p["loan"].get("amount_xof", 0) > 0
    ]


def debt_at_horizon(ds: xr.Dataset, scenario: str, scenario_params: dict) -> xr.DataArray:
    """What the programmes still owe at the horizon, per replicate: loan
    money drawn, with interest at the loan's rate, less the service paid
    (docs/model.md 7.6.4); 0 without a loan. With several loans the highest
    rate is used (an upper bound)."""
    rates = _loan_rates(scenario_params)
    if not rates:
        return xr.zeros_like(ds["replicate"], dtype=float)
    months = int(ds["months_in_scenario"].sel(scenario=scenario))
    drawn = ds["loan_disbursed"].sel(scenario=scenario).isel(month=slice(0, months)).values.astype(float)
    paid = ds["debt_service_paid"].sel(scenario=scenario).isel(month=slice(0, months)).values.astype(float)
    monthly = max(rates) / 12
    owed = np.zeros(drawn.shape[0])
    for m in range(months):
        owed = np.maximum(owed * (1 + monthly) + drawn[:, m] - paid[:, m], 0.0)
    return xr.DataArray(owed, dims=["replicate"], coords={"replicate": ds["replicate"].values})


def cash_flows(ds: xr.Dataset, scenario: str, scenario_params: dict, terms: Terms) -> xr.Dataset:
    """One scenario's yearly economic flows, (replicate, year), XOF: the
    simulated years 1..N, and a year N + 1 holding only the debt still owed
    at the end of year N (a stock at the horizon, discounted as such)."""
    # Person-years: people served summed over the year's months / 12, so a short last year counts its months.
    served = _yearly(ds, scenario, "people_served") / 12.0  # (replicate, year, sector)
    values = xr.DataArray(
        [terms.benefit.get(str(s), 0.0) for s in served["sector"].values],
        dims=["sector"],
        coords={"sector": served["sector"].values},
    )
    years = served["year"].values
    after = np.arange(1, len(years) + 2)  # the simulated years and the one after

    def padded(da: xr.DataArray) -> xr.DataArray:
        return da.reindex(year=after, fill_value=0.0)

    benefits_by_sector = padded(served * values)
    investment = padded(total([_yearly(ds, scenario, v) for v in INVESTMENT if v in ds]))
    upkeep = padded(total([_yearly(ds, scenario, v) for v in UPKEEP]))
    financed = padded(_yearly(ds, scenario, "loan_disbursed"))
    service = padded(_yearly(ds, scenario, "debt_service_paid"))
    owed = xr.zeros_like(service)
    owed.loc[{"year": int(after[-1])}] = debt_at_horizon(ds, scenario, scenario_params)
    debt = service + owed - financed
    costs = investment + upkeep + debt
    benefits = benefits_by_sector.sum("sector")
    return xr.Dataset(
        {
            "benefits": benefits,
            "benefits_by_sector": benefits_by_sector,
            "investment": investment,
            "upkeep": upkeep,
            "debt": debt,
            "costs": costs,
            "net": benefits - costs,
        }
    )


def incremental(ds: xr.Dataset, policy: str, baseline: str, params: dict, terms: Terms | None = None) -> xr.Dataset:
    """The policy's flows minus the baseline's, replicate by replicate
    (the policy's ``[appraisal]`` terms value both)."""
    terms = terms or Terms.of(params[policy])
    months = {int(ds["months_in_scenario"].sel(scenario=s)) for s in (policy, baseline)}
    if len(months) != 1:
        raise ValueError(
            f"cannot appraise '{policy}' against '{baseline}': they simulate different horizons ({sorted(months)} months)"
        )
    return cash_flows(ds, policy, params[policy], terms) - cash_flows(ds, baseline, params[baseline], terms)


# ---- measures of a stream of yearly flows --------------------------------------------------


def discount_factors(years: int, rate: float) -> np.ndarray:
    """1 / (1 + rate)^t for t = 0 .. years - 1."""
    return (1.0 + rate) ** -np.arange(years, dtype=float)


def present_value(flows, rate: float) -> np.ndarray:
    """Present value along the last axis (years), year 1 undiscounted."""
    flows = np.asarray(flows, dtype=float)
    return flows @ discount_factors(flows.shape[-1], rate)


def irr(flows, near: float = 0.10) -> float:
    """The internal rate of return of one stream: a rate in (-0.99, 10) where
    its present value is 0. A stream may have several (a late cost, such as
    a debt repaid after the horizon, adds one near -100 %): the one taken is
    where the present value falls through zero as the rate rises (the
    investment's rate), the nearest to ``near`` when there are several; a
    rise through zero only when there is no fall. NaN when the present value
    never changes sign (all flows zero included)."""
    flows = np.asarray(flows, dtype=float)
    if not np.any(flows):
        return math.nan
    grid = np.concatenate([np.linspace(-0.99, 1.0, 400), np.linspace(1.0, 10.0, 91)[1:]])
    values = np.array([present_value(flows, r) for r in grid])
    falls = np.nonzero((values[:-1] > 0) & (values[1:] <= 0))[0]
    rises = np.nonzero((values[:-1] < 0) & (values[1:] >= 0))[0]
    changes = falls if falls.size else rises
    if not changes.size:
        return math.nan
    i = changes[np.argmin(np.abs(grid[changes] - near))]
    if values[i + 1] == 0.0:
        return float(grid[i + 1])
    return float(brentq(lambda r: present_value(flows, r), grid[i], grid[i + 1], xtol=1e-12))


@dataclass(frozen=True)
class Appraisal:
    """The economic analysis of one policy against the baseline.

    Spreads are over replicates: mean, 5th and 95th percentiles; ratios
    (EIRR, benefit-cost ratio, cost per person) are those of the mean flows,
    with the percentiles of the per-replicate ratios.
    """

    policy: str
    baseline: str
    terms: Terms
    years: int
    enpv: dict  # rate -> Spread of ENPV (XOF)
    eirr: Spread
    benefit_cost_ratio: Spread
    pv_benefits: Spread
    pv_costs: Spread
    cost_per_person: Spread  # PV of incremental costs per additional person reached, XOF
    p_negative: float  # share of replicates whose ENPV at the scenario's rate is below 0
    switching: dict  # "costs", "benefits" (shares), "delay" (years) -> float
    flows: xr.Dataset  # the incremental yearly flows, (replicate, year)

    @property
    def enpv_at_rate(self) -> Spread:
        return self.enpv[self.terms.discount_rate]


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> Spread:
    """Ratio of the means, with the 5-95 % range of the per-replicate ratios
    (infinite when a denominator is not positive)."""
    mean = numerator.mean() / denominator.mean() if denominator.mean() > 0 else math.inf
    each = np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1.0), math.inf)
    p5, p95 = np.percentile(each, [5, 95]) if np.isfinite(each).all() else (math.nan, math.nan)
    return Spread(float(mean), float(p5), float(p95))


def switching_values(pv_benefits: float, pv_costs: float, rate: float) -> dict:
    """How far costs may rise, benefits fall, or benefits be delayed before
    ENPV reaches 0 (of the mean flows): {"costs": share, "benefits": share,
    "delay": years}; negative when ENPV is already below 0."""
    enpv = pv_benefits - pv_costs
    delay = math.nan
    if pv_benefits > 0 and pv_costs > 0 and rate > 0:
        delay = math.log(pv_benefits / pv_costs) / math.log(1 + rate)
    return {
        "costs": enpv / pv_costs if pv_costs > 0 else math.inf,
        "benefits": enpv / pv_benefits if pv_benefits > 0 else math.nan,
        "delay": delay,
    }


def appraise(
    ds: xr.Dataset, policy: str, baseline: str, params: dict, people_added: np.ndarray, terms: Terms | None = None
) -> Appraisal:
    """The economic analysis of ``policy`` against ``baseline``;
    ``people_added`` are the additional people reached, per replicate."""
    terms = terms or Terms.of(params[policy])
    flows = incremental(ds, policy, baseline, params, terms)
    rate = terms.discount_rate
    benefits, costs = flows["benefits"].values, flows["costs"].values
    net = benefits - costs
    enpv = {r: spread(xr.DataArray(present_value(net, r), dims=["replicate"])) for r in terms.rates()}
    pv_b, pv_c = present_value(benefits, rate), present_value(costs, rate)
    each_irr = np.array([irr(row, rate) for row in net])
    mean_irr = irr(net.mean(axis=0), rate)
    finite = each_irr[np.isfinite(each_irr)]
    eirr = Spread(
        mean_irr,
        float(np.percentile(finite, 5)) if finite.size == len(each_irr) else math.nan,
        float(np.percentile(finite, 95)) if finite.size == len(each_irr) else math.nan,
    )
    return Appraisal(
        policy=policy,
        baseline=baseline,
        terms=terms,
        years=int(net.shape[-1]) - 1,  # the simulated years; the last column is the debt still owed
        enpv=enpv,
        eirr=eirr,
        benefit_cost_ratio=_ratio(pv_b, pv_c),
        pv_benefits=spread(xr.DataArray(pv_b, dims=["replicate"])),
        pv_costs=spread(xr.DataArray(pv_c, dims=["replicate"])),
        cost_per_person=_ratio(pv_c, np.asarray(people_added, dtype=float)),
        p_negative=float((present_value(net, rate) < 0).mean()),
        switching=switching_values(float(pv_b.mean()), float(pv_c.mean()), rate),
        flows=flows,
    )
