"""The charts of the funding brief, drawn with matplotlib as SVG text to put
inline in the HTML: text as paths (no font to load), no metadata, ids made
unique per chart, so that the page needs nothing from outside.
"""

import io
import re

import numpy as np
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .. import plots
from .i18n import number, text

COLOURS = {
    "programme": "#1f5f99",
    "ta": "#8c6bb1",
    "communes": "#2e8b57",
    "diaspora": "#e08a1e",
    "loan": "#555555",
    "debt": "#c0392b",
    "baseline": "#7f7f7f",
    "policy": "#1f5f99",
}
_SIZE = (7.5, 3.4)  # inches: fits the width of an A4 page at a readable scale


def svg(fig: Figure, name: str) -> str:
    """``fig`` as an inline ``<svg>`` element: no XML prolog, no metadata,
    glyphs drawn as paths, element ids prefixed by ``name``, width set by CSS."""
    buffer = io.StringIO()
    with rc_context({"svg.fonttype": "path", "svg.hashsalt": f"codev-{name}"}):
        fig.savefig(
            buffer,
            format="svg",
            bbox_inches="tight",
            metadata={"Creator": None, "Date": None, "Format": None, "Type": None},
        )
    drawing = buffer.getvalue()
    drawing = drawing[drawing.index("<svg") :]
    drawing = re.sub(r"<metadata>.*?</metadata>\s*", "", drawing, flags=re.DOTALL)
    # Ids of several charts share one HTML document: prefix them, and every reference to them.
    drawing = re.sub(r'id="([^"]+)"', rf'id="{name}-\1"', drawing)
    drawing = re.sub(r'(xlink:href|href)="#([^"]+)"', rf'\1="#{name}-\2"', drawing)
    drawing = re.sub(r"url\(#([^)]+)\)", rf"url(#{name}-\1)", drawing)
    drawing = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r'<svg\1 class="chart" role="img"', drawing, count=1)
    return drawing


def tick_decimals(value: float) -> int:
    """The fewest decimals (up to 2) that write a tick exactly: 12.5 years is
    not "12", 1,500 is not "1,500.0"."""
    for decimals in (0, 1):
        if abs(value - round(value, decimals)) <= 1e-9 * max(1.0, abs(value)):
            return decimals
    return 2


def _numbers(axis, lang: str) -> None:
    """Tick labels written as the brief writes numbers (1,500 or 1 500), no offset."""
    axis.set_major_formatter(FuncFormatter(lambda value, _: number(value, lang, tick_decimals(value))))


def financing_shares(rows: list[tuple[str, float, float, float]], lang: str, name: str) -> str:
    """Horizontal stacked bars: per scenario, the shares of the money paid
    into projects paid by the programme, the communes and the associations."""
    fig = Figure(figsize=(_SIZE[0], 0.45 * len(rows) + 1.1), layout="constrained")
    ax = fig.subplots()
    labels = [r[0] for r in rows]
    y = np.arange(len(rows))[::-1]
    left = np.zeros(len(rows))
    for i, (key, colour) in enumerate(
        [("fin_programme", "programme"), ("fin_communes", "communes"), ("fin_diaspora", "diaspora")]
    ):
        shares = np.nan_to_num(np.array([100.0 * float(r[1 + i]) for r in rows]))
        ax.barh(y, shares, left=left, color=COLOURS[colour], label=text(key, lang), height=0.6)
        for yi, l, s in zip(y, left, shares, strict=True):
            if s >= 7:
                ax.text(l + s / 2, yi, f"{s:.0f}%", ha="center", va="center", color="white", fontsize=8)
        left += shares
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_xlabel("%")
    fig.legend(loc="outside lower center", ncol=3, fontsize=8, frameon=False)
    return svg(fig, name)


def yearly_money(years, bars: dict, lines: dict, lang: str, name: str) -> str:
    """Stacked bars of money paid each year (million FCFA) and lines for the
    loan drawn and the debt service. A flow that is zero every year is left
    out, legend entry included; the legend sits below the axes, off the bars."""
    fig = Figure(figsize=_SIZE, layout="constrained")
    ax = fig.subplots()
    bottom = np.zeros(len(years))
    for (label, colour), values in bars.items():
        if not np.any(np.asarray(values, dtype=float)):
            continue
        ax.bar(years, values, bottom=bottom, color=COLOURS[colour], label=label, width=0.75)
        bottom += np.asarray(values, dtype=float)
    for (label, colour), values in lines.items():
        if not np.any(np.asarray(values, dtype=float)):
            continue
        ax.plot(years, values, color=COLOURS[colour], marker="o", markersize=3, linewidth=1.5, label=label)
    ax.set_xlabel(text("axis_year", lang))
    ax.set_ylabel(text("axis_m_fcfa", lang))
    ax.set_title(text("schedule_chart_title", lang), fontsize=10)
    ax.set_xticks(years if len(years) <= 20 else years[::2])
    _numbers(ax.yaxis, lang)
    ax.grid(axis="y", alpha=0.3)
    fig.legend(loc="outside lower center", ncol=3, fontsize=7, frameon=False)
    return svg(fig, name)


def people_over_time(ds, policy: str, baseline: str, lang: str, name: str, labels=None) -> str:
    """The fan chart of ``Results.plot("people_served")`` for the policy and the
    baseline, in the brief's language; ``labels`` names them in the legend."""
    fig = Figure(figsize=_SIZE, layout="constrained")
    ax = fig.subplots()
    plots.fan_chart(ds, "people_served", [baseline, policy], ax=ax)
    for artist in [*ax.get_lines(), *ax.collections]:
        if labels and artist.get_label() in labels:
            artist.set_label(labels[artist.get_label()])
    ax.set_xlabel(text("axis_years", lang))
    ax.set_ylabel(text("axis_people", lang))
    ax.set_title(text("people_chart_title", lang), fontsize=10)
    ax.legend(title=text("legend_band", lang), fontsize=7, title_fontsize=7)
    _numbers(ax.yaxis, lang)
    _numbers(ax.xaxis, lang)
    return svg(fig, name)


def lorenz(curves: dict[tuple[str, str], np.ndarray], lang: str, name: str) -> str:
    """Lorenz curves of people served per inhabitant across communes, keyed by (label, colour)."""
    fig = Figure(figsize=(_SIZE[0] * 0.62, _SIZE[1]), layout="constrained")
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1], color="#bbbbbb", linestyle="--", linewidth=1, label=text("lorenz_equal", lang))
    for (label, colour), values in curves.items():
        x = np.sort(values[~np.isnan(values)])
        if x.size == 0 or x.sum() <= 0:
            continue
        cumulative = np.concatenate([[0.0], np.cumsum(x) / x.sum()])
        ax.plot(np.linspace(0, 1, x.size + 1), cumulative, color=COLOURS[colour], linewidth=1.5, label=label)
    ax.set_xlabel(text("lorenz_x", lang), fontsize=8)
    ax.set_ylabel(text("lorenz_y", lang), fontsize=8)
    ax.set_title(text("lorenz_title", lang), fontsize=9)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    _numbers(ax.xaxis, lang)
    _numbers(ax.yaxis, lang)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    return svg(fig, name)


def loan_and_outputs(years, drawn, service, added, added_label: str, lang: str, name: str) -> str:
    """Loan drawn (bars up) and debt service (bars down) each year, in million
    FCFA, beside the people served added by the policy (line, right axis)."""
    fig = Figure(figsize=_SIZE, layout="constrained")
    ax = fig.subplots()
    ax.bar(years, drawn, color=COLOURS["loan"], width=0.75, label=text("sch_loan", lang))
    ax.bar(years, -np.asarray(service, dtype=float), color=COLOURS["debt"], width=0.75, label=text("sch_debt", lang))
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_xlabel(text("axis_year", lang))
    ax.set_ylabel(text("axis_m_fcfa", lang))
    ax.set_xticks(years if len(years) <= 20 else years[::2])
    right = ax.twinx()
    right.plot(years, added, color=COLOURS["programme"], marker="o", markersize=3, linewidth=1.5, label=added_label)
    right.set_ylabel(text("axis_people_added", lang))
    _numbers(ax.yaxis, lang)
    _numbers(right.yaxis, lang)
    handles = ax.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
    fig.legend(
        handles, [str(h.get_label()) for h in handles], fontsize=7, loc="outside lower center", ncol=3, frameon=False
    )
    ax.set_title(text("loan_chart_title", lang), fontsize=10)
    ax.grid(axis="y", alpha=0.3)
    return svg(fig, name)


def enpv_distribution(values_m, lang: str, name: str) -> str:
    """Histogram of the ENPV (million FCFA) over parameter draws and
    replicates, with zero marked: the share of the area left of the line is
    the chance the option loses value."""
    values = np.asarray(values_m, dtype=float).ravel()
    fig = Figure(figsize=(_SIZE[0] * 0.62, _SIZE[1] * 0.9), layout="constrained")
    ax = fig.subplots()
    ax.hist(values, bins=min(20, max(5, values.size // 3)), color=COLOURS["policy"], alpha=0.85)
    ax.axvline(0, color=COLOURS["debt"], linewidth=1.2, linestyle="--")
    ax.set_xlabel(text("axis_enpv", lang), fontsize=8)
    ax.set_ylabel(text("axis_draws", lang), fontsize=8)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5))  # a narrow chart: few ticks, none overlapping
    ax.tick_params(labelsize=7)
    _numbers(ax.xaxis, lang)
    ax.grid(axis="y", alpha=0.3)
    return svg(fig, name)
