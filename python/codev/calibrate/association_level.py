"""What an association raises, spends and builds, measured on a results file.

The association level of docs/validation.md, defined once: the table there
(``scripts/association_level.py``) and the association stage of the
calibration (:mod:`codev.calibrate.associations`) both read these figures.
Flows are taken from ``first_month`` to the horizon and divided by the
association-months of associations active or dormant (docs/model.md 7.5.1:
associations are founded, go dormant and dissolve during the run), so they
are per association and year. Every figure is an array with one value per
replicate, in natural units (XOF, fractions, counts).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

FIRST_MONTH = 120  # years 10-20 of the README's run: the first decade fills the pipeline


def _per_association_year(ds: xr.Dataset, flow: xr.DataArray, first_month: int) -> np.ndarray:
    window = slice(first_month, None)
    association_months = (ds.associations_active + ds.associations_dormant).isel(month=window).sum("month")
    return (flow.isel(month=window).sum("month") / association_months * 12).values


def moments(ds: xr.Dataset, first_month: int = FIRST_MONTH) -> dict[str, np.ndarray]:
    """The association level of one scenario (``ds`` without a scenario
    dimension), each figure an array over replicates."""
    if not 0 <= first_month < ds.sizes["month"]:
        raise ValueError(f"first month {first_month} is outside the run's {ds.sizes['month']} months")
    window = slice(first_month, None)
    raised = ds.dues_paid + ds.contributions_paid - ds.association_fees
    associations = ds.associations_active + ds.associations_dormant
    water = ds.sel(sector="water")
    broken = water.projects_broken.isel(month=window).sum("month")
    working = water.projects_operating.isel(month=window).sum("month")
    completed = ds.projects_completed.sum("sector")
    last = ds.sizes["month"] - 1
    treasury = ds.association_treasury.isel(month=last) / associations.isel(month=last)
    raised_last_year = raised.isel(month=slice(last - 11, None)).sum("month") / associations.isel(month=last)
    members = ds.association_members / ds.migrants
    registered = ds.associations_registered / associations

    def total(array: xr.DataArray) -> xr.DataArray:
        return array.isel(month=window).sum("month")

    return {
        "dues_per_member_month_xof": (total(ds.dues_paid) / total(ds.association_members)).values,
        "raised_per_association_year_xof": _per_association_year(ds, raised, first_month),
        "spent_per_association_year_xof": _per_association_year(ds, ds.association_spending, first_month),
        "projects_per_association_year": _per_association_year(ds, completed, first_month),
        "completed_value_mean_xof": (total(ds.completed_value) / total(completed)).values,
        "solidarity_share_of_raised": (total(ds.solidarity_spending) / total(raised)).values,
        "treasury_at_horizon_xof": treasury.values,
        "treasury_at_horizon_years_of_raising": (treasury / raised_last_year).values,
        "water_broken_share": (broken / (broken + working)).values,
        "member_share_month_0": members.isel(month=0).values,
        "member_share_horizon": members.isel(month=last).values,
        "associations_active_month_0": ds.associations_active.isel(month=0).values,
        "associations_active_horizon": ds.associations_active.isel(month=last).values,
        "associations_dormant_horizon": ds.associations_dormant.isel(month=last).values,
        "associations_founded": ds.associations_founded.sum("month").values,
        "associations_dissolved": ds.associations_dissolved.sum("month").values,
        "registered_share_month_0": registered.isel(month=0).values,
        "registered_share_horizon": registered.isel(month=last).values,
    }
