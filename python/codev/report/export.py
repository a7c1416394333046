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

import math
import os
import sys
from pathlib import Path

import pandas as pd

from .._cli import Parser, fail
from ..indicators import EFFECTS, INDICATORS
from .brief import DRAW_REPLICATES, DRAWS, check_draws
from .data import communes_with_working_project, scenario_hash, spread, year_end_stock, yearly_flow

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


def _spread_columns(columns: dict, label: str, units: str, by_year) -> None:
    """Adds ``label``'s mean, p5 and p95 over replicates, one value a year, to
    ``columns``: the statistics of the brief (data.spread)."""
    spreads = [spread(by_year.sel(year=year)) for year in by_year["year"].values]
    for stat in STATISTICS:
        columns[_header(label, units, stat)] = [getattr(one, stat) for one in spreads]


def money_by_year(results, ds) -> pd.DataFrame:
    """Money paid each year by each financier, and the budget uncommitted at
    the year's end, per scenario: mean and percentiles over replicates, XOF."""
    frames = []
    for scenario in results.scenarios:
        columns: dict[str, list[float]] = {}
        for label, variable in YEARLY_FLOWS:
            _spread_columns(columns, label, "XOF", yearly_flow(ds, scenario, variable))
        stock = year_end_stock(ds, scenario, "programme_budget_available")
        _spread_columns(columns, "programme budget uncommitted at the year's end", "XOF", stock)
        frame = pd.DataFrame(columns)
        frame.insert(0, "year", stock["year"].values.astype(int))
        frame.insert(0, "scenario", scenario)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def communes(results, ds, summary: pd.DataFrame) -> pd.DataFrame:
    """The brief's spread over communes, per scenario: the Gini of people
    served per inhabitant and the communes with a working project at the
    horizon, mean and percentiles over replicates."""
    working = communes_with_working_project(ds)
    rows = []
    for scenario in results.scenarios:
        row = {"scenario": scenario}
        for stat in STATISTICS:
            row[_header("served_per_capita_gini", "number", stat)] = summary.loc[
                scenario, ("served_per_capita_gini", stat)
            ]
        count = spread(working.sel(scenario=scenario))
        for stat in STATISTICS:
            row[_header("communes with a working project at the horizon", "number", stat)] = getattr(count, stat)
        rows.append(row)
    return pd.DataFrame(rows).set_index("scenario")


def provenance(results, ds) -> pd.DataFrame:
    attrs = ds.attrs
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
    rows += [(f"scenario {name} (SHA-256 of its TOML)", scenario_hash(ds, name)) for name in results.scenarios]
    return pd.DataFrame(rows, columns=["item", "value"])


# ---- the main body's tables (codev.report.appraisal) ---------------------------------------------


def _stats(row: dict, label: str, units: str, s) -> None:
    for stat, value in zip(STATISTICS, (s.mean, s.p5, s.p95), strict=True):
        row[_header(label, units, stat)] = value


def economics_table(body) -> pd.DataFrame:
    """Per option: ENPV at each rate, EIRR, benefit-cost ratio, present values,
    present cost per additional person, share of replicates with ENPV < 0."""
    rows = []
    for option in body.options:
        a = option.appraisal
        if a is None:
            continue
        row = {"option": option.name, "title": option.title, "recommended": option is body.recommended}
        for rate, s in a.enpv.items():
            _stats(row, f"ENPV at {rate:.0%}", "XOF", s)
        _stats(row, "EIRR", "share, 0 to 1", a.eirr)
        _stats(row, "benefit-cost ratio", "number", a.benefit_cost_ratio)
        _stats(row, "present value of incremental benefits", "XOF", a.pv_benefits)
        _stats(row, "present value of incremental costs", "XOF", a.pv_costs)
        _stats(row, "present cost per additional person reached", "XOF", a.cost_per_person)
        row["share of replicates with ENPV below 0 [share, 0 to 1]"] = a.p_negative
        rows.append(row)
    return pd.DataFrame(rows).set_index("option") if rows else pd.DataFrame()


def flows_table(body) -> pd.DataFrame:
    """Per option and year: the incremental benefits, costs and net flow (mean over replicates)."""
    frames = []
    for option in body.options:
        if option.appraisal is None:
            continue
        flows = option.appraisal.flows.mean("replicate")
        frame = pd.DataFrame(
            {
                "option": option.name,
                "year": flows["year"].values.astype(int),
                "incremental benefits [XOF] mean": flows["benefits"].values,
                "incremental investment [XOF] mean": flows["investment"].values,
                "incremental upkeep [XOF] mean": flows["upkeep"].values,
                "incremental debt flows [XOF] mean": flows["debt"].values,
                "incremental costs [XOF] mean": flows["costs"].values,
                "incremental net flow [XOF] mean": flows["net"].values,
            }
        )
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def uncertainty_table(body) -> pd.DataFrame:
    """The recommended option's runs over parameter uncertainty: one row a
    draw and replicate, the drawn values and the ENPV at the scenario's rate."""
    if body.draws is None:
        return pd.DataFrame()
    rows = []
    for d, values in enumerate(body.draws.parameters):
        for r, enpv in enumerate(body.draws.enpv[d]):
            rows.append({"draw": d, "replicate": r, **values, "ENPV [XOF]": float(enpv)})
    return pd.DataFrame(rows)


def switching_table(body) -> pd.DataFrame:
    a = body.recommended.appraisal
    if a is None:
        return pd.DataFrame()
    rows = [
        ("costs", a.switching["costs"], "share of incremental costs, change"),
        ("benefits", -a.switching["benefits"], "share of incremental benefits, change"),
        ("delay of benefits", a.switching["delay"], "years"),
    ]
    rows += [(lever, run.change, "share of the driver, change") for lever, run in body.levers.items()]
    return pd.DataFrame(rows, columns=["driver", "switching value", "units"]).set_index("driver")


def framework_table(body) -> pd.DataFrame:
    rows = []
    for r in body.framework:
        for year, target in r.targets.items():
            units = "XOF" if r.kind == "money_m" else "number"
            rows.append(
                {
                    "indicator": r.key,
                    f"start [{units}]": r.start,
                    "year": year,
                    f"target [{units}] mean": target.mean,
                    f"target [{units}] p10": target.low,
                    f"target [{units}] p90": target.high,
                }
            )
    return pd.DataFrame(rows)


def financing_table(body) -> pd.DataFrame:
    f = body.financing
    frame = pd.DataFrame({"year": f["years"]})
    for payer, values in f["by_payer"].items():
        frame[f"{payer.rstrip(':')} [XOF] mean"] = values
    frame["programme disbursement [XOF] mean"] = f["disbursed"]
    frame["cumulative share disbursed [share, 0 to 1]"] = f["cumulative_share"]
    frame["loan drawn [XOF] mean"] = f["loan_drawn"]
    frame["debt service [XOF] mean"] = f["debt_service"]
    return frame.set_index("year")


def loans_table(brief, body) -> pd.DataFrame:
    from .appraisal import financing

    rows = []
    for option in body.options:
        for terms in financing(brief, option)["loan_terms"]:
            rows.append(
                {
                    "option": option.name,
                    "programme": terms["programme"],
                    "amount [XOF]": terms["amount"],
                    "interest rate [share, 0 to 1]": terms["rate"],
                    "grace [years]": terms["grace"],
                    "tenor [years]": terms["tenor"],
                    f"grant element at {option.terms.discount_rate:.0%} [share, 0 to 1]": terms["grant_element"],
                }
            )
    return pd.DataFrame(rows)


def risks_table(body) -> pd.DataFrame:
    enpv = body.recommended.appraisal.enpv_at_rate.mean if body.recommended.appraisal else math.nan
    rows = []
    for r in body.risks:
        rows.append(
            {
                "risk": r.key,
                "stress": r.stress,
                "change in ENPV [XOF]": r.enpv_change,
                "switching value": r.switching,
                "rating": r.rating(enpv),
                "budget unspent share [share, 0 to 1] mean": r.extra["share"].mean if "share" in r.extra else math.nan,
            }
        )
    return pd.DataFrame(rows).set_index("risk")


def _policies_brief(results, baseline):
    """The brief's context when the file has a policy to appraise, else None."""
    from .brief import _brief

    if len(results.scenarios) < 2:
        return None
    name = results.baseline(baseline)
    try:
        return _brief(results, name, "en", None, None, None)
    except ValueError as error:
        if str(error).startswith("nothing to report"):
            return None
        raise


def tables(
    results, baseline: str | None = None, draws: int = DRAWS, draw_replicates: int = DRAW_REPLICATES
) -> dict[str, pd.DataFrame]:
    """The brief's numbers as tables (module docstring); ``baseline`` as in
    ``Results.compare`` (default: the scenario declared ``baseline = true``);
    ``draws`` and ``draw_replicates`` as in ``Results.report``."""
    check_draws(draws, draw_replicates)
    ds, summary = results.to_xarray(), results.summary()
    found = {}
    if len(results.scenarios) > 1:  # a file of the baseline alone has no effects, but its other tables
        found["effects"] = _flat(results.compare(baseline=baseline), EFFECTS, "policy")
    found["scenarios"] = _flat(summary, INDICATORS, "scenario")
    found["money_by_year"] = money_by_year(results, ds)
    found["communes"] = communes(results, ds, summary)
    brief = _policies_brief(results, baseline)
    if brief is not None:  # a file of the baseline and its risk runs has no option to appraise
        from .appraisal import build

        body = build(brief, draws=draws, draw_replicates=draw_replicates)
        found.update(
            {
                "economics": economics_table(body),
                "incremental_flows": flows_table(body),
                "uncertainty": uncertainty_table(body),
                "switching_values": switching_table(body),
                "results_framework": framework_table(body),
                "financing": financing_table(body),
                "loans": loans_table(brief, body),
                "risks": risks_table(body),
            }
        )
        found = {name: frame for name, frame in found.items() if not frame.empty}
    found["provenance"] = provenance(results, ds)
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


def add_draw_options(parser) -> None:
    """--draws and --draw-replicates, shared by codev report and codev export."""
    parser.add_argument(
        "--draws",
        type=int,
        default=DRAWS,
        metavar="N",
        help=f"parameter draws for the ranges over parameter uncertainty (default {DRAWS}; 0: none)",
    )
    parser.add_argument(
        "--draw-replicates",
        type=int,
        default=DRAW_REPLICATES,
        metavar="R",
        help=f"replicates of each draw and of the switching runs (default {DRAW_REPLICATES})",
    )


def main(argv=None) -> int:
    parser = Parser(
        "export",
        description="Write the funding brief's numbers as tables for a spreadsheet: one sheet (or CSV file) "
        "per table, numbers in cells, units in the headers.",
    )
    parser.add_argument("file", help="results file (HDF5) written by codev run")
    parser.add_argument(
        "--baseline", help="name of the baseline scenario (default: the scenario whose file declares baseline = true)"
    )
    parser.add_argument("--xlsx", metavar="OUT.xlsx", help="write an Excel workbook, one sheet a table")
    parser.add_argument("--csv", metavar="DIR", help="write one CSV file a table into this folder")
    add_draw_options(parser)
    args = parser.parse_args(argv)
    if not args.xlsx and not args.csv:
        parser.error("say where to write: --xlsx OUT.xlsx, --csv DIR, or both")
    from ..results import open_results  # here: the tables take any Results, and `import` stays light

    try:
        with open_results(args.file) as results:
            found = tables(results, args.baseline, args.draws, args.draw_replicates)
        written = [str(p) for p in write_csv(found, args.csv)] if args.csv else []
        if args.xlsx:
            written.append(str(write_xlsx(found, args.xlsx)))
    except (OSError, ValueError) as error:
        return fail("export", error)
    print(f"codev: wrote {', '.join(written)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
