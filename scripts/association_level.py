"""The association level of docs/validation.md, computed from a results file.

    codev run mali-kayes-baseline codev-share-70 -r 20 --seed 1 --out base.h5
    python scripts/association_level.py base.h5

Prints, for the baseline (and the stylised facts for the policy), what an
association raises, spends and builds in years 10-20 of the run (from
--from-month on), its
treasury at the horizon, the broken share of water points, membership and
the associations' lives (docs/model.md 7.5.1): each as the mean [5 %, 95 %]
over replicates, the figures docs/validation.md's table compares with what
associations report.
"""

from __future__ import annotations

import argparse

import numpy as np
import xarray as xr

FIRST_MONTH = 120  # years 10-20 of the README's run: the first decade fills the pipeline


def _range(values: np.ndarray, scale: float = 1.0, digits: int = 2) -> str:
    v = np.asarray(values, dtype=float) * scale
    low, high = np.percentile(v, [5, 95])
    return f"{v.mean():,.{digits}f} [{low:,.{digits}f}, {high:,.{digits}f}]"


def _per_association_year(ds: xr.Dataset, flow: xr.DataArray, first_month: int) -> np.ndarray:
    """A flow from first_month on, per association (active or dormant) and year."""
    window = slice(first_month, None)
    association_months = (ds.associations_active + ds.associations_dormant).isel(month=window).sum("month")
    return (flow.isel(month=window).sum("month") / association_months * 12).values


def association_level(ds: xr.Dataset, first_month: int = FIRST_MONTH) -> list[tuple[str, str]]:
    """The baseline's rows, flows from first_month to the horizon."""
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
    return [
        (
            "dues paid a member a month (XOF)",
            _range(
                (
                    ds.dues_paid.isel(month=window).sum("month")
                    / ds.association_members.isel(month=window).sum("month")
                ).values,
                digits=0,
            ),
        ),
        (
            "money raised net of fees an association a year (M XOF)",
            _range(_per_association_year(ds, raised, first_month), 1e-6),
        ),
        (
            "spent on projects an association a year (M XOF)",
            _range(_per_association_year(ds, ds.association_spending, first_month), 1e-6),
        ),
        ("projects completed an association a year", _range(_per_association_year(ds, completed, first_month))),
        (
            "mean value of a completed project (M XOF)",
            _range(
                (ds.completed_value.isel(month=window).sum("month") / completed.isel(month=window).sum("month")).values,
                1e-6,
                1,
            ),
        ),
        (
            "share of money raised passed to the solidarity fund",
            _range(
                (
                    ds.solidarity_spending.isel(month=window).sum("month") / raised.isel(month=window).sum("month")
                ).values,
                100,
                0,
            )
            + " %",
        ),
        ("treasury an association holds at the horizon (M XOF)", _range(treasury.values, 1e-6)),
        ("  in years of its raising", _range((treasury / raised_last_year).values)),
        ("broken share of water points (%)", _range((broken / (broken + working)).values, 100, 1)),
        ("members among migrants, month 0 (%)", _range(members.isel(month=0).values, 100, 1)),
        ("members among migrants, the horizon (%)", _range(members.isel(month=last).values, 100, 1)),
        ("associations active at month 0", _range(ds.associations_active.isel(month=0).values, digits=0)),
        ("associations active at the horizon", _range(ds.associations_active.isel(month=last).values, digits=0)),
        ("associations dormant at the horizon", _range(ds.associations_dormant.isel(month=last).values, digits=0)),
        ("associations founded over the run", _range(ds.associations_founded.sum("month").values, digits=0)),
        ("associations dissolved over the run", _range(ds.associations_dissolved.sum("month").values, digits=0)),
        (
            "registered share of associations, month 0 (%)",
            _range((ds.associations_registered / associations).isel(month=0).values, 100, 0),
        ),
        (
            "registered share of associations, the horizon (%)",
            _range((ds.associations_registered / associations).isel(month=last).values, 100, 0),
        ),
    ]


def _completed(ds: xr.Dataset) -> xr.DataArray:
    return ds.projects_completed.sum(["sector", "month"])


def _raised(ds: xr.Dataset) -> xr.DataArray:
    return (ds.dues_paid + ds.contributions_paid - ds.association_fees).sum("month")


def stylised_facts(policy: xr.Dataset, baseline: xr.Dataset) -> list[tuple[str, str]]:
    cofinanced = policy.cofinanced_projects_completed.sum("month")
    return [
        ("co-financed projects completed", _range(cofinanced.values, digits=0)),
        (
            "  share built anyway (%)",
            _range((1 - (_completed(policy) - _completed(baseline)) / cofinanced).values, 100, 0),
        ),
        (
            "change in diaspora money paid into projects (bn XOF)",
            _range(
                (policy.association_spending.sum("month") - baseline.association_spending.sum("month")).values, 1e-9
            ),
        ),
        (
            "solidarity fund's share of money raised, baseline (%)",
            _range((baseline.solidarity_spending.sum("month") / _raised(baseline)).values, 100, 0),
        ),
        (
            "solidarity fund's share of money raised, policy (%)",
            _range((policy.solidarity_spending.sum("month") / _raised(policy)).values, 100, 0),
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", help="a results file with the baseline (and a policy)")
    parser.add_argument("--baseline", default="mali-kayes-baseline")
    parser.add_argument("--policy", default="codev-share-70")
    parser.add_argument("--from-month", type=int, default=FIRST_MONTH, help="first month of the flows (default 120)")
    args = parser.parse_args()
    with xr.open_dataset(args.results) as ds:
        baseline = ds.sel(scenario=args.baseline)
        print(
            f"{args.baseline}, months {args.from_month}-{ds.sizes['month'] - 1}, "
            f"mean [5 %, 95 %] over {ds.sizes['replicate']} replicates"
        )
        for name, value in association_level(baseline, args.from_month):
            print(f"  {name}: {value}")
        if args.policy in ds.scenario.values:
            print(f"{args.policy} against {args.baseline}, the whole run")
            for name, value in stylised_facts(ds.sel(scenario=args.policy), baseline):
                print(f"  {name}: {value}")


if __name__ == "__main__":
    main()
