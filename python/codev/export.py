"""The funding brief's numbers as tables for a spreadsheet (``codev export``):
numbers in cells, one column per statistic, units in the headers, never a
"60 [53 - 67]" string.

Tables (:func:`tables`), each a :class:`pandas.DataFrame`:

- ``effects``: what each policy adds to the baseline, paired replicate by
  replicate (``Results.compare``): the brief's first page and its per-policy
  tables; a row per policy, for each effect its mean, 5th and 95th percentiles
  (left out for a file of the baseline alone);
- ``scenarios``: each scenario's indicators (``Results.summary``), mean and
  percentiles, the baseline included;
- ``money_by_year``: the brief's yearly disbursement tables: per scenario and
  year, the mean, 5th and 95th percentiles over replicates of the money each
  financier paid that year and of the budget left uncommitted at the year's end;
- ``communes``: the brief's spread over communes: per scenario, the Gini of
  people served per inhabitant and the communes with a working project;
- ``provenance``: the file, its writer, seed, replicates, and each scenario's
  SHA-256 (the brief's method annex).

``codev export FILE.h5 --baseline NAME --xlsx OUT.xlsx`` writes one sheet a
table; ``--csv DIR`` one UTF-8 CSV file a table.
"""

import argparse
import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from .indicators import EFFECTS, INDICATORS
from .report_data import communes_with_working_project, scenario_hash, year_end_stock, yearly_flow

#: (column, results variable) of the yearly money table: flows summed by year.
YEARLY_FLOWS = (
    ("programme grants paid", "programme_disbursed"),
    ("technical assistance paid", "technical_assistance_paid"),
    ("communes' co-financing paid", "commune_cofinancing_paid"),
    ("associations' money paid into projects", "association_spending"),
    ("loan disbursed", "loan_disbursed"),
    ("debt service paid", "debt_service_paid"),
)
STATISTICS = ("mean", "p5", "p95")


def _header(name: str, units: str, statistic: str) -> str:
    if units == "1":  # dimensionless, in the indicators' tables: say which kind
        units = "share, 0 to 1" if "share" in name else "number"
    return f"{name} [{units}] {statistic}" if units else f"{name} {statistic}"


def _flat(table: pd.DataFrame, units: dict[str, tuple[str, str]], index_name: str) -> pd.DataFrame:
    """Columns (name, statistic) as one header line each, with the name's units."""
    flat = table.copy()
    flat.columns = [_header(name, units.get(name, ("", ""))[0], stat) for name, stat in table.columns]
    flat.index.name = index_name
    return flat


def _spread(values: np.ndarray) -> list[np.ndarray]:
    """Mean, 5th and 95th percentiles over replicates (axis 0), per column."""
    return [values.mean(axis=0), np.percentile(values, 5, axis=0), np.percentile(values, 95, axis=0)]


def money_by_year(results) -> pd.DataFrame:
    """Money paid each year by each financier, and the budget uncommitted at
    the year's end, per scenario: mean and percentiles over replicates, XOF."""
    ds = results.to_xarray()
    frames = []
    for scenario in results.scenarios:
        columns = {}
        years = None
        for label, variable in YEARLY_FLOWS:
            if variable not in ds:
                continue
            flow = yearly_flow(ds, scenario, variable).transpose("replicate", "year")
            years = flow["year"].values
            for stat, values in zip(STATISTICS, _spread(flow.values.astype(float)), strict=True):
                columns[_header(label, "XOF", stat)] = values
        stock = year_end_stock(ds, scenario, "programme_budget_available").transpose("replicate", "year")
        for stat, values in zip(STATISTICS, _spread(stock.values.astype(float)), strict=True):
            columns[_header("programme budget uncommitted at the year's end", "XOF", stat)] = values
        frame = pd.DataFrame(columns)
        frame.insert(0, "year", np.asarray(years, dtype=int))
        frame.insert(0, "scenario", scenario)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def communes(results) -> pd.DataFrame:
    """The brief's spread over communes, per scenario: the Gini of people
    served per inhabitant and the communes with a working project at the
    horizon, mean and percentiles over replicates."""
    ds = results.to_xarray()
    working = communes_with_working_project(ds)
    gini = results.summary()["served_per_capita_gini"]
    rows = []
    for scenario in results.scenarios:
        counts = working.sel(scenario=scenario).values.astype(float)
        row = {"scenario": scenario}
        for stat in STATISTICS:
            row[_header("served_per_capita_gini", "number", stat)] = float(gini.loc[scenario, stat])
        for stat, value in zip(STATISTICS, _spread(counts[:, None]), strict=True):
            row[_header("communes with a working project at the horizon", "number", stat)] = float(value[0])
        rows.append(row)
    return pd.DataFrame(rows).set_index("scenario")


def provenance(results) -> pd.DataFrame:
    attrs = results.to_xarray().attrs
    rows = [
        ("file", str(results.path) if results.path else "(in memory)"),
        ("written by", str(attrs.get("codev_version", ""))),
        ("git commit", str(attrs.get("git_commit", ""))),
        ("created", str(attrs.get("created", ""))),
        ("command", str(attrs.get("command_line", ""))),
        ("seed", str(results.seed)),
        ("replicates", str(results.replicates)),
        ("results format", str(attrs.get("format_version", ""))),
    ]
    ds = results.to_xarray()
    rows += [(f"scenario {name} (SHA-256 of its TOML)", scenario_hash(ds, name)) for name in results.scenarios]
    return pd.DataFrame(rows, columns=["item", "value"])


def tables(results, baseline: str | None = None) -> dict[str, pd.DataFrame]:
    """The brief's numbers as tables (module docstring); ``baseline`` as in
    ``Results.compare`` (default: the scenario declared ``baseline = true``)."""
    found = {}
    if len(results.scenarios) > 1:  # a file of the baseline alone has no effects, but its other tables
        found["effects"] = _flat(results.compare(baseline=baseline), EFFECTS, "policy")
    found["scenarios"] = _flat(results.summary(), INDICATORS, "scenario")
    found["money_by_year"] = money_by_year(results)
    found["communes"] = communes(results)
    found["provenance"] = provenance(results)
    return found


def write_csv(found: dict[str, pd.DataFrame], folder) -> list[Path]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in found.items():
        path = folder / f"{name}.csv"
        table.to_csv(path, index=table.index.name is not None, encoding="utf-8")
        written.append(path)
    return written


def write_xlsx(found: dict[str, pd.DataFrame], path) -> Path:
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with pd.ExcelWriter(temporary, engine="openpyxl") as writer:
            for name, table in found.items():
                table.to_excel(writer, sheet_name=name, index=table.index.name is not None)
        os.replace(temporary, path)  # a reader never sees half a workbook
    finally:
        temporary.unlink(missing_ok=True)
    return path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="codev export",
        description="Write the funding brief's numbers as tables for a spreadsheet: one sheet (or CSV file) "
        "per table, numbers in cells, units in the headers.",
    )
    parser.add_argument("file", help="results file (HDF5) written by codev run")
    parser.add_argument(
        "--baseline", help="name of the baseline scenario (default: the scenario whose file declares baseline = true)"
    )
    parser.add_argument("--xlsx", metavar="OUT.xlsx", help="write an Excel workbook, one sheet a table")
    parser.add_argument("--csv", metavar="DIR", help="write one CSV file a table into this folder")
    args = parser.parse_args(argv)
    if not args.xlsx and not args.csv:
        parser.error("say where to write: --xlsx OUT.xlsx, --csv DIR, or both")
    from .results import open_results

    try:
        with open_results(args.file) as results:
            found = tables(results, args.baseline)
        written = [str(p) for p in write_csv(found, args.csv)] if args.csv else []
        if args.xlsx:
            written.append(str(write_xlsx(found, args.xlsx)))
    except (OSError, ValueError) as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        print(f"codev: error: {message}", file=sys.stderr)
        return 2
    print(f"codev: wrote {', '.join(written)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
