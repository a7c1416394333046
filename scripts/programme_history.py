"""Mali's programmes as they ran, and the futures from 2026: the tables of
docs/validation.md ("Mali's programmes, as they ran"), computed from a
results file.

    codev run mali-codev-history mali-codev-future-mali-budget \\
        mali-codev-future-regional-bank -r 20 --seed 2026 --out history.h5
    python scripts/programme_history.py history.h5

Prints, as Markdown: for each programme of the history, its years, funder
and what it co-financed over its life (applications accepted, projects
completed, grants paid), each the mean [5 %, 95 %] over replicates; the
co-financed projects completed per year and programme; and for the futures,
what each adds to the history (paired effects) and who paid from 2026.
"""

from __future__ import annotations

import argparse

import pandas as pd

import codev

HISTORY = "mali-codev-history"


def spread(frame: pd.DataFrame, digits: int = 0, scale: float = 1.0) -> str:
    """'mean [p5, p95]' of one row of a mean/p5/p95 frame."""
    mean, low, high = (float(frame[c]) * scale for c in ("mean", "p5", "p95"))
    return f"{mean:,.{digits}f} [{low:,.{digits}f}, {high:,.{digits}f}]"


def life_totals(results: codev.Results, variable: str) -> pd.DataFrame:
    """A programme variable over each programme's life (each replicate's years summed), by programme name."""
    return results.by_programme(variable, over_life=True).loc[HISTORY].droplevel("funder")


def programmes_table(results: codev.Results) -> str:
    names = results.programmes().loc[HISTORY]
    approved = life_totals(results, "projects_approved")
    completed = life_totals(results, "projects_completed")
    grants = life_totals(results, "grants_disbursed")
    years = results.by_programme("projects_approved").loc[HISTORY]
    lines = [
        "| programme | funder | years active | applications accepted | co-financed projects completed | grants paid (M XOF) |",
        "|---|---|---|---|---|---|",
    ]
    for name, funder in zip(names["name"], names["funder"], strict=True):
        if approved.loc[name, "p95"] == 0:  # no collective projects (a reinsertion programme)
            continue
        accepted_years = years.xs(name, level="programme")["mean"]
        active = accepted_years[accepted_years > 0].index.get_level_values("year")
        span = f"{active.min()}–{active.max()}" if len(active) else "none"
        lines.append(
            f"| `{name}` | {funder} | {span} | {spread(approved.loc[name])} | {spread(completed.loc[name])} | "
            f"{spread(grants.loc[name], 0, 1e-6)} |"
        )
    return "\n".join(lines)


def yearly_table(results: codev.Results) -> str:
    completed = results.by_programme("projects_completed").loc[HISTORY]["mean"]
    table = completed.droplevel("funder").unstack("programme").fillna(0.0)
    table = table.loc[(table.sum(axis=1) > 0.05), table.sum(axis=0) > 0]
    header = "| year | " + " | ".join(f"`{c}`" for c in table.columns) + " | all |"
    lines = [header, "|---" * (len(table.columns) + 2) + "|"]
    for year, row in table.iterrows():
        cells = " | ".join(f"{v:.1f}" for v in row)
        lines.append(f"| {year} | {cells} | {row.sum():.1f} |")
    return "\n".join(lines)


def components_table(results: codev.Results) -> str:
    """The FSP era's other components: ANAEM's returnees' businesses, the FSP's skills missions."""
    yearly = {
        name: results.yearly(name).sel(scenario=HISTORY)
        for name in ("reinsertion_businesses_started", "reinsertion_businesses_open", "reinsertion_jobs")
    }
    missions = results.by_programme("skills_missions").loc[HISTORY]["mean"].groupby(level="programme").sum()
    rows = [
        (
            "reinsertion businesses started, 2003–2009",
            yearly["reinsertion_businesses_started"].sel(year=slice(2003, 2009)).sum("year"),
        ),
        ("  open at the end of 2009", yearly["reinsertion_businesses_open"].sel(year=2009)),
        ("  open at the end of 2020", yearly["reinsertion_businesses_open"].sel(year=2020)),
        ("  jobs at the end of 2009", yearly["reinsertion_jobs"].sel(year=2009)),
    ]
    lines = ["| the FSP era's other components | mean [5 %, 95 %] |", "|---|---|"]
    for label, values in rows:
        values = values.astype(float)
        lines.append(
            f"| {label} | {float(values.mean()):,.0f} [{float(values.quantile(0.05)):,.0f}, "
            f"{float(values.quantile(0.95)):,.0f}] |"
        )
    lines.append(f"| the FSP's skills missions, 2003–2009 | {missions.get('fsp', 0.0):,.0f} |")
    return "\n".join(lines)


def futures_table(results: codev.Results) -> str:
    effects = results.compare(baseline=HISTORY)
    money = results.by_funder("public_money")
    late = money[money.index.get_level_values("year") >= 2026]
    lines = [
        (
            "| future (from 2026) | additional projects completed | additional people reached | "
            "cost per additional person, programme money (XOF) | public money paid 2026–2030, by funder (M XOF) |"
        ),
        "|---|---|---|---|---|",
    ]
    for scenario in effects.index:
        row = effects.loc[scenario]
        paid = late.loc[scenario]["mean"].groupby(level="funder").sum()
        by_funder = ", ".join(f"{f} {v * 1e-6:,.0f}" for f, v in paid.items() if v > 0)
        lines.append(
            f"| `{scenario}` | {spread(row['additional_projects_completed'])} | "
            f"{spread(row['additional_people_reached'])} | "
            f"{spread(row['cost_per_additional_person_reached'])} | {by_funder} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", help="results file of the history and its futures")
    args = parser.parse_args()
    with codev.open(args.results) as results:
        print(f"Replicates: {results.replicates}, seed {results.seed}.\n")
        print(programmes_table(results), end="\n\n")
        print(yearly_table(results), end="\n\n")
        print(components_table(results), end="\n\n")
        print(futures_table(results))


if __name__ == "__main__":
    main()
