"""The numbers of the brief's main body (docs/appraisal.md): the options and
the one recommended, the economic analysis, the results framework, the
financing tables and the risk matrix, computed once from a results file and
read both by the templates (:mod:`codev.report.brief`) and by
``codev export`` (:mod:`codev.report.export`), so that both show the same
numbers.
"""

import math
from dataclasses import dataclass, field

import numpy as np
import xarray as xr

from . import economics
from .data import Spread, from_table, loans, paired, spread, year_end_stock, yearly_flow
from .uncertainty import Draws, Lever, run_draws, run_levers

#: Years the results framework shows (those within the horizon, and the last).
FRAMEWORK_YEARS = (1, 2, 3, 5, 10, 15, 20, 25, 30)
#: The 80 % band of the framework's targets.
BAND = (10, 90)
#: Stress tests of the risk matrix that need no run: a cost overrun, a delay.
COST_OVERRUN = 0.20
DELAY_YEARS = 2


@dataclass(frozen=True)
class Band:
    """A target: mean and the 10th and 90th percentiles over replicates."""

    mean: float
    low: float
    high: float


def band(values: xr.DataArray) -> Band:
    values = values.astype(float)
    low, high = np.nanpercentile(values.values, BAND)
    return Band(float(np.nanmean(values.values)), float(low), float(high))


def about(params: dict, name: str, lang: str) -> tuple[str, str]:
    """A scenario's title and description in ``lang`` (English when it has
    none in ``lang``; its name and no description when it declares none)."""
    title = params[name].get("title", {})
    description = params[name].get("description", {})
    return title.get(lang) or title.get("en") or name, description.get(lang) or description.get("en") or ""


@dataclass
class Option:
    """One policy against the baseline: what it adds, paired, and its economics."""

    name: str
    title: str
    description: str
    terms: economics.Terms
    appraisal: economics.Appraisal | None  # None: no benefit values declared
    people: Spread  # additional_people_reached
    projects: Spread  # additional_projects_completed
    cost_person: Spread  # cost_per_additional_person_reached (programme money per additional person)
    requested: Spread  # programme_money: the grants and assistance the funders are asked for
    loan: Spread  # loan_drawn
    unspent: Spread  # budget_unspent_share
    made_available: Spread  # budget_made_available


@dataclass(frozen=True)
class FrameworkRow:
    key: str  # the indicator's text key (i18n): fw_<key>, fw_<key>_verify, fw_<key>_assume
    kind: str  # page.KINDS
    start: float  # its value at the start of year 1 (the framework's baseline)
    targets: dict  # year -> Band


@dataclass(frozen=True)
class Risk:
    key: str  # risk_<key>, the text keys of the row
    enpv_change: float  # change of the option's mean ENPV under the stress (XOF); NaN: not measured
    stress: object  # the stress tested: a share (0.25), years (2) or a scenario's title
    switching: float  # how far the driver may move before ENPV is 0 (share or years; NaN: beyond the runs)
    extra: dict = field(default_factory=dict)

    def rating(self, enpv: float) -> str:
        """high, medium or low: the stress's loss as a share of the ENPV."""
        if not math.isfinite(self.enpv_change) or enpv <= 0:
            return "unrated"
        loss = -self.enpv_change / enpv
        return "high" if loss > 0.5 else "medium" if loss > 0.2 else "low"


@dataclass
class Appraisal:
    """Everything the brief's main body shows."""

    baseline: str
    baseline_title: str
    options: list  # Option, in the file's order
    recommended: Option
    criterion: str  # "enpv" or "cost_per_person"
    years: int
    draws: Draws | None
    levers: dict  # lever -> Lever; empty when not run
    framework: list  # FrameworkRow
    framework_years: list
    financing: dict  # see financing()
    risks: list  # Risk
    main_risk: Risk | None

    def option(self, name: str) -> Option:
        return next(o for o in self.options if o.name == name)


# ---- options ------------------------------------------------------------------------------


def options(brief) -> list[Option]:
    """Every policy of the brief, with its economic analysis when its scenario values benefits."""
    made = []
    # One set of terms for every option, the baseline's: options valued at different
    # rates or with different values could not be ranked against each other.
    terms = economics.Terms.of(brief.params[brief.baseline])
    for name in brief.policies:
        added = paired(brief.table["people_reached"], name, brief.baseline).values
        title, description = about(brief.params, name, brief.lang)
        made.append(
            Option(
                name=name,
                title=title,
                description=description,
                terms=terms,
                appraisal=economics.appraise(brief.ds, name, brief.baseline, brief.params, added, terms)
                if terms.valued
                else None,
                people=from_table(brief.compared, name, "additional_people_reached"),
                projects=from_table(brief.compared, name, "additional_projects_completed"),
                cost_person=from_table(brief.compared, name, "cost_per_additional_person_reached"),
                requested=from_table(brief.summary, name, "programme_money"),
                loan=from_table(brief.summary, name, "loan_drawn"),
                unspent=from_table(brief.summary, name, "budget_unspent_share"),
                made_available=from_table(brief.summary, name, "budget_made_available"),
            )
        )
    return made


def recommend(made: list[Option]) -> tuple[Option, str]:
    """The option with the highest mean ENPV at its scenario's rate when
    benefits are valued ("enpv", or "enpv_negative" when even that ENPV is
    below zero), else the lowest programme cost per additional person reached
    among those that add people; and the criterion's name."""
    valued = [(o, o.appraisal.enpv_at_rate.mean) for o in made if o.appraisal is not None]
    if valued:
        best, enpv = max(valued, key=lambda pair: pair[1])
        return best, "enpv" if enpv > 0 else "enpv_negative"
    adding = [o for o in made if o.people.mean > 0 and math.isfinite(o.cost_person.mean)]
    if adding:
        return min(adding, key=lambda o: o.cost_person.mean), "cost_per_person"
    return max(made, key=lambda o: o.people.mean), "people"


# ---- results framework ---------------------------------------------------------------------


def _cumulative(ds, scenario: str, variable: str) -> xr.DataArray:
    flow = yearly_flow(ds, scenario, variable)
    if "sector" in flow.dims:
        flow = flow.sum("sector")
    return flow.cumsum("year")


def _start(ds, scenario: str, variable: str) -> float:
    values = ds[variable].sel(scenario=scenario).isel(month=0)
    if "sector" in values.dims:
        values = values.sum("sector")
    return float(values.mean())


def framework(ds, option: str, baseline: str) -> tuple[list[FrameworkRow], list[int]]:
    """The option's indicators by year with 80 % bands over replicates."""
    served = year_end_stock(ds, option, "people_served")
    rows = [
        ("people_served", "count", _start(ds, option, "people_served"), served),
        ("people_added", "count", 0.0, served - year_end_stock(ds, baseline, "people_served")),
        ("projects_completed", "count", 0.0, _cumulative(ds, option, "projects_completed")),
        ("cofinanced", "count", 0.0, _cumulative(ds, option, "cofinanced_projects_completed")),
        (
            "working",
            "count",
            _start(ds, option, "projects_operating"),
            year_end_stock(ds, option, "projects_operating"),
        ),
        (
            "disbursed",
            "money_m",
            0.0,
            _cumulative(ds, option, "programme_disbursed") + _cumulative(ds, option, "technical_assistance_paid"),
        ),
        (
            "associations",
            "count",
            _start(ds, option, "associations_active"),
            year_end_stock(ds, option, "associations_active"),
        ),
    ]
    last = int(served["year"].values[-1])
    years = sorted({y for y in FRAMEWORK_YEARS if y <= last} | {last})
    return [
        FrameworkRow(key, kind, start, {y: band(values.sel(year=y)) for y in years})
        for key, kind, start, values in rows
    ], years


# ---- financing -----------------------------------------------------------------------------


def grant_element(terms: dict, rate: float) -> float:
    """The grant element of a loan on ``terms`` (a ``[programmes.X.loan]``
    table) drawn whole on its availability schedule at the start of each
    year, serviced as docs/model.md 7.6.4 says: 1 − PV(service) / PV(drawings)
    at ``rate`` a year, discounted monthly."""
    shares = terms.get("disbursement") or [1.0]
    monthly = float(terms["interest_rate"]) / 12
    grace, tenor = int(terms["grace_years"]), int(terms["tenor_years"])
    n = max(1, 12 * (tenor - grace))
    discount = (1 + rate) ** (-1 / 12)
    owed = drawn = pv_drawn = pv_paid = 0.0
    for month in range(12 * (tenor + len(shares)) + 24):
        # The service falls due before the month's call, which draws (docs/model.md 7.6.4).
        principal = min(owed, drawn / n) if month >= 12 * grace else 0.0
        pv_paid += (owed * monthly + principal) * discount**month
        owed -= principal
        if month % 12 == 0 and month // 12 < len(shares):
            share = shares[month // 12]
            owed, drawn, pv_drawn = owed + share, drawn + share, pv_drawn + share * discount**month
        elif owed <= 1e-12 and month // 12 >= len(shares):
            break
    return 1.0 - pv_paid / pv_drawn


#: The programme's money paid, monthly results variables: grants, assistance, reinsertion grants.
PROGRAMME_FLOWS = ("programme_disbursed", "technical_assistance_paid", "reinsertion_grants_paid")
#: Periods of the main body's financing table, in years.
PERIOD_YEARS = 5


def financing(brief, option: Option) -> dict:
    """Cost and financing of the option by financier and period, its
    disbursement schedule by year, and its loans' terms."""
    ds, name = brief.ds, option.name
    by_payer = {}
    if "programme" in ds.dims:
        # Public money by the funder of each programme, years of twelve months from month 0.
        grants, assistance, reinsertion = (
            yearly_flow(ds, name, v).mean("replicate")
            for v in ("programme_grants_disbursed", "programme_assistance_paid", "programme_reinsertion_grants_paid")
        )
        public = grants + assistance + reinsertion
        funders = [str(f) for f in ds["programme_funder"].sel(scenario=name).values]
        for funder in dict.fromkeys(f for f in funders if f):
            paid = public.isel(programme=[i for i, f in enumerate(funders) if f == funder]).sum("programme")
            if float(paid.sum()) > 0:
                by_payer[f"programme:{'' if funder == 'unspecified' else funder}"] = paid.values
    # The programme's money, one definition for every column: grants, assistance, reinsertion grants.
    disbursed = economics.total([yearly_flow(ds, name, v) for v in PROGRAMME_FLOWS if v in ds]).mean("replicate").values
    if not by_payer:
        by_payer["programme:"] = disbursed
    by_payer["communes"] = yearly_flow(ds, name, "commune_cofinancing_paid").mean("replicate").values
    by_payer["associations"] = yearly_flow(ds, name, "association_spending").mean("replicate").values
    total = disbursed.sum()
    loan_terms = []
    for programme, terms in loans(brief.params[name]).items():
        loan_terms.append(
            {
                "programme": programme,
                "amount": float(terms["amount_xof"]),
                "rate": float(terms["interest_rate"]),
                "grace": int(terms["grace_years"]),
                "tenor": int(terms["tenor_years"]),
                "grant_element": grant_element(terms, option.terms.discount_rate),
            }
        )
    service = yearly_flow(ds, name, "debt_service_paid").mean("replicate").values
    drawn = yearly_flow(ds, name, "loan_disbursed").mean("replicate").values
    owed = economics.debt_at_horizon(ds, name, brief.params[name]).values
    return {
        "years": list(range(1, len(disbursed) + 1)),
        "by_payer": by_payer,
        "disbursed": disbursed,
        "cumulative_share": np.cumsum(disbursed) / total if total > 0 else np.zeros_like(disbursed),
        "loan_terms": loan_terms,
        "loan_drawn": drawn,
        "debt_service": service,
        "owed_at_horizon": spread(xr.DataArray(owed, dims=["replicate"])) if loan_terms else None,
    }


def option_years(ds, name: str) -> int:
    return math.ceil(int(ds["months_in_scenario"].sel(scenario=name)) / 12)


def periods(years: list[int], values: np.ndarray) -> list[tuple[str, float]]:
    """Yearly values summed by period of PERIOD_YEARS years: (label, sum)."""
    out = []
    for start in range(0, len(years), PERIOD_YEARS):
        chunk = years[start : start + PERIOD_YEARS]
        out.append((f"{chunk[0]}–{chunk[-1]}", float(np.sum(values[start : start + PERIOD_YEARS]))))
    return out


# ---- risks ---------------------------------------------------------------------------------


def _same_risk(params: dict, a: str, b: str) -> bool:
    """Two risk runs apply the same risk: the same shocks and sector hazards."""

    def risk(tree: dict):
        return tree.get("shocks", []), {k: v.get("abandonment_hazard") for k, v in tree.get("sectors", {}).items()}

    return risk(params[a]) == risk(params[b])


def risks(option: Option, levers: dict, brief=None) -> list[Risk]:
    """The risk matrix of the recommended option: each risk the model can
    quantify, the loss of ENPV under a stated stress, and how far the driver
    may move before ENPV reaches zero; with ``brief``, also the file's risk
    runs of the option (a recession, higher failure hazards) appraised
    against the baseline."""
    a = option.appraisal
    rows = []
    if a is not None and brief is not None:
        # The option under a risk against the baseline under the same risk: what
        # the risk does to the option's value, not to the whole world's.
        for risk_run in brief.risk_runs:
            if risk_run.reference != option.name or risk_run.kind not in ("recession", "failure"):
                continue
            twin = next(
                (
                    r
                    for r in brief.risk_runs
                    if r.reference == brief.baseline
                    and r.kind == risk_run.kind
                    and r.keys == risk_run.keys
                    and _same_risk(brief.params, r.variant, risk_run.variant)
                ),
                None,
            )
            if twin is None:
                continue  # not measurable from the file: the baseline under the same risk is missing
            variant, base = risk_run.variant, twin.variant
            added = paired(brief.table["people_reached"], variant, base).values
            under = economics.appraise(brief.ds, variant, base, brief.params, added, option.terms)
            change = under.enpv_at_rate.mean - a.enpv_at_rate.mean
            title = about(brief.params, variant, brief.lang)[0]
            rows.append(Risk(f"{risk_run.kind}_run", change, title, math.nan))
    if a is not None:
        rate = a.terms.discount_rate
        pv_b, pv_c = a.pv_benefits.mean, a.pv_costs.mean
        for lever in ("remittances", "participation"):
            if lever in levers:
                run: Lever = levers[lever]
                i = run.multipliers.index(0.75) if 0.75 in run.multipliers else 1
                rows.append(
                    Risk(
                        lever,
                        run.enpv[i] - run.enpv[0],
                        1 - run.multipliers[i],
                        run.change,
                    )
                )
        rows.append(Risk("delays", pv_b * ((1 + rate) ** -DELAY_YEARS - 1), DELAY_YEARS, a.switching["delay"]))
        rows.append(Risk("costs", -COST_OVERRUN * pv_c, COST_OVERRUN, a.switching["costs"]))
        rows.append(Risk("benefits", -COST_OVERRUN * pv_b, COST_OVERRUN, -a.switching["benefits"]))
    rows.append(
        Risk(
            "unspent",
            math.nan,
            "",
            math.nan,
            {"share": option.unspent, "idle": option.made_available.mean * option.unspent.mean},
        )
    )
    return rows


# ---- the whole ------------------------------------------------------------------------------


def build(brief, draws: int = 16, draw_replicates: int = 2, levers: bool = True) -> Appraisal:
    """The brief's main body. ``draws`` parameter draws of ``draw_replicates``
    replicates each (0: none) and the two levers' runs are made for the
    recommended option only."""
    made = options(brief)
    chosen, criterion = recommend(made)
    uncertainty, lever_runs = None, {}
    if chosen.appraisal is not None:
        seed = brief.results.seed
        if draws > 0:
            uncertainty = run_draws(brief.ds, brief.params, chosen.name, brief.baseline, draws, draw_replicates, seed)
        if levers and draw_replicates > 0:
            lever_runs = run_levers(brief.ds, brief.params, chosen.name, brief.baseline, draw_replicates, seed)
    rows, years = framework(brief.ds, chosen.name, brief.baseline)
    matrix = risks(chosen, lever_runs, brief)
    rated = [r for r in matrix if math.isfinite(r.enpv_change)]
    return Appraisal(
        baseline=brief.baseline,
        baseline_title=about(brief.params, brief.baseline, brief.lang)[0],
        options=made,
        recommended=chosen,
        criterion=criterion,
        years=option_years(brief.ds, chosen.name),
        draws=uncertainty,
        levers=lever_runs,
        framework=rows,
        framework_years=years,
        financing=financing(brief, chosen),
        risks=matrix,
        main_risk=min(rated, key=lambda r: r.enpv_change) if rated else None,
    )
