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

from codev.calibrate.association_level import FIRST_MONTH, moments

# (label, key of codev.calibrate.association_level.moments, scale, digits, suffix)
ROWS = (
    ("dues paid a member a month (XOF)", "dues_per_member_month_xof", 1.0, 0, ""),
    ("money raised net of fees an association a year (M XOF)", "raised_per_association_year_xof", 1e-6, 2, ""),
    ("spent on projects an association a year (M XOF)", "spent_per_association_year_xof", 1e-6, 2, ""),
    ("projects completed an association a year", "projects_per_association_year", 1.0, 2, ""),
    ("mean value of a completed project (M XOF)", "completed_value_mean_xof", 1e-6, 1, ""),
    ("share of money raised passed to the solidarity fund", "solidarity_share_of_raised", 100, 0, " %"),
    ("treasury an association holds at the horizon (M XOF)", "treasury_at_horizon_xof", 1e-6, 2, ""),
    ("  in years of its raising", "treasury_at_horizon_years_of_raising", 1.0, 2, ""),
    ("broken share of water points (%)", "water_broken_share", 100, 1, ""),
    ("members among migrants, month 0 (%)", "member_share_month_0", 100, 1, ""),
    ("members among migrants, the horizon (%)", "member_share_horizon", 100, 1, ""),
    ("associations active at month 0", "associations_active_month_0", 1.0, 0, ""),
    ("associations active at the horizon", "associations_active_horizon", 1.0, 0, ""),
    ("associations dormant at the horizon", "associations_dormant_horizon", 1.0, 0, ""),
    ("associations founded over the run", "associations_founded", 1.0, 0, ""),
    ("associations dissolved over the run", "associations_dissolved", 1.0, 0, ""),
    ("registered share of associations, month 0 (%)", "registered_share_month_0", 100, 0, ""),
    ("registered share of associations, the horizon (%)", "registered_share_horizon", 100, 0, ""),
)


def _range(values: np.ndarray, scale: float = 1.0, digits: int = 2) -> str:
    v = np.asarray(values, dtype=float) * scale
    low, high = np.percentile(v, [5, 95])
    return f"{v.mean():,.{digits}f} [{low:,.{digits}f}, {high:,.{digits}f}]"


def association_level(ds: xr.Dataset, first_month: int = FIRST_MONTH) -> list[tuple[str, str]]:
    """The baseline's rows, flows from first_month to the horizon."""
    figures = moments(ds, first_month)
    return [(label, _range(figures[key], scale, digits) + suffix) for label, key, scale, digits, suffix in ROWS]


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
