"""What the results page of a run shows: the policies against the baseline,
replicate r against replicate r (``Results.compare``), with 90 % ranges.

- the effect table: additional projects completed and working, additional
  people reached, programme cost per additional person reached, the budget
  left unspent (the names of :data:`codev.indicators.EFFECTS`);
- fan charts over time of the additional people served and projects working;
- the financing split: who paid the money put into projects;
- the spread over regions: additional people served at the horizon by region,
  and how many communes gain.
"""

import threading
from dataclasses import dataclass

import numpy as np
import xarray as xr
from matplotlib.figure import Figure

from .. import plots
from ..report import data as report_data
from ..report.charts import COLOURS, financing_shares, svg, tick_decimals
from ..results import Results
from .words import number, percent, text

# The effect table's columns: (effect of codev.indicators.EFFECTS, how it is written).
EFFECT_COLUMNS = (
    ("additional_projects_completed", "count"),
    ("additional_projects_working", "count"),
    ("additional_people_reached", "count"),
    ("additional_programme_money", "million"),
    ("cost_per_additional_person_reached", "fcfa"),
    ("budget_unspent_share", "share"),
)
_CHART_LOCK = threading.Lock()  # matplotlib's text layout is not thread-safe


@dataclass
class Cell:
    mean: str
    low: str
    high: str


@dataclass
class Comparison:
    rows: list[tuple[str, str, list[Cell]]]  # (scenario, title, cells)
    charts: dict[str, str]  # name -> inline SVG
    regions: list[tuple[str, list[Cell]]]  # (region, a cell per policy)
    communes: list[tuple[str, str]]  # (title, "k of n")


def compare(results: Results, baseline: str, policies: list[str], titles: dict[str, str], lang: str) -> Comparison:
    effects = results.compare(baseline).loc[policies]
    labels = {name: _label(title) for name, title in titles.items()}
    rows = []
    for name in policies:
        cells = [_cell(report_data.from_table(effects, name, column), kind, lang) for column, kind in EFFECT_COLUMNS]
        rows.append((name, titles[name], cells))
    titles = labels  # from here on, the names are drawn by matplotlib
    ds = results.to_xarray()
    with _CHART_LOCK:
        charts = {
            "people": _fan(ds, "people_served", baseline, policies, titles, lang, "chart_people", "axis_people"),
            "projects": _fan(
                ds, "projects_operating", baseline, policies, titles, lang, "chart_projects", "axis_projects"
            ),
            "financing": financing_shares(
                [
                    (
                        titles[n],
                        effects.loc[n, ("realised_programme_share", "mean")],
                        effects.loc[n, ("realised_commune_share", "mean")],
                        effects.loc[n, ("realised_diaspora_share", "mean")],
                    )
                    for n in policies
                ],
                lang,
                "app-financing",
            ),
        }
        regions, communes, charts["regions"] = _regions(ds, baseline, policies, titles, lang)
    return Comparison(rows, charts, regions, communes)


def _cell(stats: report_data.Spread, kind: str, lang: str) -> Cell:
    """The mean and its range, written with the same decimals (those the
    mean's size calls for)."""
    mean = stats.mean
    digits = 0 if kind == "fcfa" or not np.isfinite(mean) or abs(mean) >= 10 else 1

    def written(value) -> str:
        value = float(value)
        if kind == "share":
            return percent(value, lang)
        if kind == "million":
            return number(value / 1e6, lang, 1)
        return number(value, lang, digits)

    if not (np.isfinite(stats.p5) and np.isfinite(stats.p95)):
        return Cell(written(mean), "", "")  # no range (a ratio with replicates that add nobody)
    return Cell(written(mean), written(stats.p5), written(stats.p95))


def _label(title: str) -> str:
    """A scenario's title as matplotlib draws it as written: a ``$`` is not
    mathematics, and a leading ``_`` does not hide the entry from the legend."""
    title = title.replace("$", r"\$")
    return " " + title if title.startswith("_") else title


def _fan(ds, variable, baseline, policies, titles, lang, title_key, axis_key) -> str:
    fig = Figure(figsize=(7.5, 3.4), layout="constrained")
    ax = fig.subplots()
    plots.fan_chart(ds, variable, policies, baseline=baseline, ax=ax)
    for line in ax.get_lines():
        line.set_label(titles.get(line.get_label(), line.get_label()))
    ax.axhline(0, color=COLOURS["baseline"], linewidth=0.8)
    ax.set_title(text(title_key, lang), fontsize=10)
    ax.set_xlabel(text("axis_years", lang))
    ax.set_ylabel(text(axis_key, lang))
    ax.legend(title=text("legend_band", lang), fontsize=7, title_fontsize=7)
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_formatter(lambda value, _: number(value, lang, tick_decimals(value)))
    return svg(fig, f"app-{variable}")


def _regions(ds: xr.Dataset, baseline: str, policies: list[str], titles: dict[str, str], lang: str):
    """Additional people served in the last year, by region (paired, 90 %
    range over replicates), how many communes gain on average, and a chart of
    the communes ranked by what they gain (how concentrated the gains are)."""
    served = ds["people_served_by_commune"].sum("sector").isel(year=-1)
    added = served.sel(scenario=policies) - served.sel(scenario=baseline)  # replicate r against replicate r
    names = report_data.parameters(ds)[baseline]["world"]["regions"]
    index = ds["commune_region"].sel(scenario=baseline).values
    rows = []
    for i, region in enumerate(names):
        by_region = added.isel(commune=np.flatnonzero(index == i)).sum("commune")
        rows.append((region, [_cell(report_data.spread(by_region.sel(scenario=p)), "count", lang) for p in policies]))
    mean_by_commune = added.mean("replicate")
    total = added.sizes["commune"]
    communes = [
        (titles[p], text("communes_gaining", lang, k=int((mean_by_commune.sel(scenario=p) > 0).sum()), n=total))
        for p in policies
    ]
    fig = Figure(figsize=(7.5, 3.2), layout="constrained")
    ax = fig.subplots()
    for p in policies:
        ranked = np.sort(mean_by_commune.sel(scenario=p).values.astype(float))[::-1]
        ax.plot(np.arange(1, total + 1), ranked, label=titles[p], drawstyle="steps-post")
    ax.axhline(0, color=COLOURS["baseline"], linewidth=0.8)
    ax.set_xlabel(text("axis_communes_ranked", lang))
    ax.set_ylabel(text("axis_people_added", lang))
    ax.set_title(text("chart_communes", lang), fontsize=10)
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_formatter(lambda value, _: number(value, lang, tick_decimals(value)))
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3)
    return rows, communes, svg(fig, "app-communes")
