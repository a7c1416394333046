"""The indicators of codev, in one place: each a function of a results
Dataset (``Results.to_xarray()``) that gives one number per scenario and
replicate, a DataArray with dimensions ``(scenario, replicate)``.

Sums run over each scenario's own months (later months of a shorter scenario
are masked); "at the horizon" means the scenario's last month (or the year
holding it). A ratio whose denominator is zero is NaN: the leverage of a
scenario without public money, say. ``Results.summary()`` gives the mean and
the 5-95 % range of each over replicates, skipping NaN (as ``codev run``'s
table does); ``Results.compare()`` the same for paired differences.

Symbols below: ``s`` scenario, ``r`` replicate, ``t`` month, ``k`` sector,
``c`` commune, ``T_s`` the last month of scenario s.
"""

import math
import tomllib

import numpy as np
import xarray as xr

#: name -> (function, unit), in the order of the summary table.
INDICATORS: dict = {}


def _indicator(unit: str):
    def register(function):
        INDICATORS[function.__name__] = (function, unit)
        return function
    return register


def _named(result: xr.DataArray, name: str) -> xr.DataArray:
    result = result.rename(name)
    result.attrs = {"units": INDICATORS[name][1], "long_name": INDICATORS[name][0].__doc__.splitlines()[0].rstrip(".")}
    return result


def _series(ds: xr.Dataset, name: str) -> xr.DataArray:
    """A recorded series as float64: int64 sums of XOF over 1,200 months of a
    large world can pass 2^63 and wrap to a wrong number; float64 sums are
    exact below 2^53 and only round above it."""
    return ds[name].astype(np.float64)


def _ratio(numerator: xr.DataArray, denominator: xr.DataArray) -> xr.DataArray:
    return (numerator / denominator.where(denominator > 0)).astype(float)


def _at_horizon(da: xr.DataArray, ds: xr.Dataset, dim: str = "month") -> xr.DataArray:
    """``da`` at each scenario's last month (``dim="month"``) or last year."""
    if "months_in_scenario" not in ds:
        return da.isel({dim: -1})
    last = ds["months_in_scenario"].astype(int) - 1
    return da.isel({dim: last // 12 if dim == "year" else last})


@_indicator("1")
def projects_completed(ds: xr.Dataset) -> xr.DataArray:
    """Projects completed over the horizon, all sectors.

    ``sum_t sum_k projects_completed[s, r, t, k]``
    """
    return _named(_series(ds, "projects_completed").sum(["month", "sector"]), "projects_completed")


@_indicator("1")
def people_served(ds: xr.Dataset) -> xr.DataArray:
    """People served by working projects at the horizon, all sectors.

    ``sum_k people_served[s, r, T_s, k]``
    """
    return _named(_at_horizon(_series(ds, "people_served").sum("sector"), ds), "people_served")


@_indicator("XOF")
def public_disbursed(ds: xr.Dataset) -> xr.DataArray:
    """Public money paid out: programme grants plus technical assistance.

    ``sum_t (programme_disbursed + technical_assistance_paid)[s, r, t]``
    """
    paid = _series(ds, "programme_disbursed") + _series(ds, "technical_assistance_paid")
    return _named(paid.sum("month"), "public_disbursed")


@_indicator("XOF per XOF")
def leverage(ds: xr.Dataset) -> xr.DataArray:
    """Value of completed projects per XOF of public money.

    ``value_completed / public_disbursed``; NaN without public money. All
    completed projects count, self-financed ones too, as in ``codev run``.
    """
    return _named(_ratio(value_completed(ds), public_disbursed(ds)), "leverage")


@_indicator("XOF per person")
def public_cost_per_person_served(ds: xr.Dataset) -> xr.DataArray:
    """Public money per person served at the horizon.

    ``public_disbursed / people_served``; NaN without public money or
    without anyone served.
    """
    public = public_disbursed(ds)
    return _named(_ratio(public.where(public > 0), people_served(ds)), "public_cost_per_person_served")


@_indicator("XOF")
def value_completed(ds: xr.Dataset) -> xr.DataArray:
    """Total value (cost, overruns included) of the projects completed.

    ``sum_t completed_value[s, r, t]``
    """
    return _named(_series(ds, "completed_value").sum("month"), "value_completed")


@_indicator("month")
def months_idea_to_completion(ds: xr.Dataset) -> xr.DataArray:
    """Mean months from a project's idea to its completion, over the projects completed.

    ``sum_t idea_to_completion_months[s, r, t] / projects_completed``; NaN
    when no project was completed.
    """
    months = _series(ds, "idea_to_completion_months").sum("month")
    return _named(_ratio(months, projects_completed(ds)), "months_idea_to_completion")


@_indicator("1")
def budget_unspent_share(ds: xr.Dataset) -> xr.DataArray:
    """Share of the programme budget made available that was not paid out.

    ``1 - public_disbursed / (B_s + sum_t loan_disbursed[s, r, t])`` where
    ``B_s`` is the budget the programmes of scenario s open over its horizon:
    for each programme and each model year ``y`` it runs (``start_year <= y
    <= end_year``, ``y < ceil(months / 12)``), ``budget_per_year_xof``, capped
    in total by ``total_budget_xof`` when set (MODEL.md 7.5); read from the
    scenario's stored TOML. Money committed to projects but not yet paid at
    the horizon counts as unspent. NaN when the scenario has no programme.
    """
    return _named(1.0 - _ratio(public_disbursed(ds), budget_available(ds)), "budget_unspent_share")


@_indicator("1")
def served_per_capita_gini(ds: xr.Dataset) -> xr.DataArray:
    """Gini coefficient, across communes, of the people served per inhabitant at the horizon.

    With ``x_c = sum_k people_served_by_commune[s, r, Y_s, c, k] /
    commune_population[s, c]`` (``Y_s`` the year holding ``T_s``) over the n
    communes of the scenario, ``G = sum_c sum_d |x_c - x_d| / (2 n^2 mean(x))``:
    0 when every commune gained the same per inhabitant, towards 1 when one
    commune gained everything. Each commune counts once (not weighted by
    population). NaN when nobody is served.
    """
    by_commune = _series(ds, "people_served_by_commune").sum("sector", min_count=1)
    per_capita = _at_horizon(by_commune, ds, "year") / _series(ds, "commune_population")
    gini = xr.apply_ufunc(gini_coefficient, per_capita, input_core_dims=[["commune"]], vectorize=True)
    return _named(gini, "served_per_capita_gini")


@_indicator("1")
def fees_share_of_remittances(ds: xr.Dataset) -> xr.DataArray:
    """Fees paid as a share of the individual remittances sent.

    ``sum_t remit_fees / sum_t (remit_formal + remit_informal)``, formal and
    informal channels together; NaN when nothing was sent.
    """
    sent = (_series(ds, "remit_formal") + _series(ds, "remit_informal")).sum("month")
    return _named(_ratio(_series(ds, "remit_fees").sum("month"), sent), "fees_share_of_remittances")


# ---- financing: who paid for the projects, where the programme's money came from ----


@_indicator("XOF")
def programme_grants(ds: xr.Dataset) -> xr.DataArray:
    """Programme grants paid to projects (technical assistance not included).

    ``sum_t programme_disbursed[s, r, t]``
    """
    return _named(_series(ds, "programme_disbursed").sum("month"), "programme_grants")


@_indicator("XOF")
def technical_assistance(ds: xr.Dataset) -> xr.DataArray:
    """Technical assistance paid by the programmes.

    ``sum_t technical_assistance_paid[s, r, t]``
    """
    return _named(_series(ds, "technical_assistance_paid").sum("month"), "technical_assistance")


@_indicator("XOF")
def commune_cofinancing(ds: xr.Dataset) -> xr.DataArray:
    """Communes' co-financing paid to projects.

    ``sum_t commune_cofinancing_paid[s, r, t]``
    """
    return _named(_series(ds, "commune_cofinancing_paid").sum("month"), "commune_cofinancing")


@_indicator("XOF")
def diaspora_spending(ds: xr.Dataset) -> xr.DataArray:
    """Money the diaspora's associations paid out for projects, overruns and self-financed projects included.

    ``sum_t association_spending[s, r, t]``
    """
    return _named(_series(ds, "association_spending").sum("month"), "diaspora_spending")


@_indicator("XOF")
def project_spending(ds: xr.Dataset) -> xr.DataArray:
    """Money paid into projects by all who pay for them: programme grants, communes, associations.

    ``programme_grants + commune_cofinancing + diaspora_spending``, summed
    over the horizon; projects still under way count with what was paid so far.
    """
    paid = programme_grants(ds) + commune_cofinancing(ds) + diaspora_spending(ds)
    return _named(paid, "project_spending")


@_indicator("1")
def programme_share_of_project_spending(ds: xr.Dataset) -> xr.DataArray:
    """Share of the money paid into projects that the programmes paid.

    ``programme_grants / project_spending``; NaN when nothing was paid.
    """
    return _named(_ratio(programme_grants(ds), project_spending(ds)), "programme_share_of_project_spending")


@_indicator("1")
def commune_share_of_project_spending(ds: xr.Dataset) -> xr.DataArray:
    """Share of the money paid into projects that the communes paid.

    ``commune_cofinancing / project_spending``; NaN when nothing was paid.
    """
    return _named(_ratio(commune_cofinancing(ds), project_spending(ds)), "commune_share_of_project_spending")


@_indicator("1")
def diaspora_share_of_project_spending(ds: xr.Dataset) -> xr.DataArray:
    """Share of the money paid into projects that the diaspora's associations paid.

    ``diaspora_spending / project_spending``; NaN when nothing was paid.
    """
    return _named(_ratio(diaspora_spending(ds), project_spending(ds)), "diaspora_share_of_project_spending")


@_indicator("XOF")
def grant_budget_opened(ds: xr.Dataset) -> xr.DataArray:
    """Grant budget the programmes opened over the horizon (loans not included).

    ``B_s``: for each programme and each model year ``y`` it runs
    (``start_year <= y <= end_year``, ``y < ceil(months / 12)``),
    ``budget_per_year_xof``, capped in total by ``total_budget_xof`` when set
    (MODEL.md 7.5); read from the scenario's stored TOML, the same for every
    replicate (sum over programmes).
    """
    opened = xr.DataArray([_budget_opened(text) for text in ds["scenario_toml"].values],
                          dims="scenario", coords={"scenario": ds["scenario"].values})
    return _named(opened + xr.zeros_like(loan_drawn(ds), dtype=float), "grant_budget_opened")


@_indicator("XOF")
def loan_drawn(ds: xr.Dataset) -> xr.DataArray:
    """Loan money paid into programme budgets.

    ``sum_t loan_disbursed[s, r, t]``
    """
    return _named(_series(ds, "loan_disbursed").sum("month"), "loan_drawn")


@_indicator("XOF")
def budget_available(ds: xr.Dataset) -> xr.DataArray:
    """Programme money made available over the horizon: grant budget and loan money.

    ``grant_budget_opened + loan_drawn``, both summed over the horizon.
    """
    return _named(grant_budget_opened(ds) + loan_drawn(ds), "budget_available")


@_indicator("XOF")
def debt_service(ds: xr.Dataset) -> xr.DataArray:
    """Interest and principal repaid on programme loans within the horizon.

    ``sum_t debt_service_paid[s, r, t]``; what falls due after the horizon is
    not counted.
    """
    return _named(_series(ds, "debt_service_paid").sum("month"), "debt_service")


@_indicator("people per million XOF")
def people_served_per_million_debt_service(ds: xr.Dataset) -> xr.DataArray:
    """People served at the horizon per million XOF of debt service paid.

    ``people_served / debt_service * 1e6``; NaN without debt service.
    """
    ratio = _ratio(people_served(ds), debt_service(ds)) * 1e6
    return _named(ratio, "people_served_per_million_debt_service")


def gini_coefficient(values) -> float:
    """Gini coefficient of non-negative values, NaN ignored: ``sum_i sum_j
    |x_i - x_j| / (2 n^2 mean(x))``; NaN when empty or all zero."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if x.size == 0 or x.sum() <= 0:
        return math.nan
    return float(np.abs(x[:, None] - x[None, :]).sum() / (2.0 * x.size**2 * x.mean()))


def table(ds: xr.Dataset) -> xr.Dataset:
    """Every indicator of :data:`INDICATORS`, as one Dataset ``(scenario, replicate)``."""
    return xr.Dataset({name: function(ds) for name, (function, _) in INDICATORS.items()})


def _budget_opened(scenario_toml: str) -> float:
    params = tomllib.loads(str(scenario_toml))
    years = math.ceil(params["months"] / 12)
    total = 0
    for programme in params.get("programmes", {}).values():
        granted = 0
        for year in range(years):
            if not programme["start_year"] <= year <= programme["end_year"]:
                continue
            fresh = programme["budget_per_year_xof"]
            if programme.get("total_budget_xof", 0) > 0:
                fresh = min(fresh, programme["total_budget_xof"] - granted)
            granted += fresh
        total += granted
    return float(total)
