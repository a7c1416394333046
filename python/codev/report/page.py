"""HTML pieces of the funding brief: the context every section reads
(:class:`Brief`), numbers as text in the brief's language, cells with a mean
and its 90 % range, numbered tables and figures, and the page's style sheet.
"""

import html
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd
import xarray as xr

from .data import Spread
from .i18n import number, percent, text

if TYPE_CHECKING:  # results.py imports the report: no import at run time
    from ..results import Results


@dataclass
class Brief:
    """What the sections of one brief read: the results and the tables of
    ``Results.summary()`` and ``Results.compare()`` computed once."""

    results: "Results"
    ds: xr.Dataset
    lang: str
    baseline: str
    policies: list[str]
    risk_runs: list  # data.RiskRun
    summary: pd.DataFrame  # Results.summary()
    compared: pd.DataFrame  # Results.compare(baseline)
    table: xr.Dataset  # indicators.table(ds): (scenario, replicate)
    params: dict  # scenario name -> resolved parameters
    model_link: str | None = None
    tables: int = 0
    figures: int = 0
    sector_cache: dict = field(default_factory=dict)

    def raw(self, key: str, **fields) -> str:
        """Translated text, its fields filled (plain text, for charts and for fields)."""
        return text(key, self.lang, **fields)

    def t(self, key: str, **fields) -> str:
        """Translated text for the page: filled with plain-text fields, then HTML-escaped."""
        return esc(text(key, self.lang, **fields))

    def title(self, scenario: str) -> str:
        """The scenario's title in the brief's language (its name when it declares none)."""
        title = self.params[scenario].get("title", {})
        return title.get(self.lang) or title.get("en") or scenario

    def years(self, scenario: str) -> str:
        months = int(self.ds["months_in_scenario"].sel(scenario=scenario))
        return number(months / 12, self.lang, 0 if months % 12 == 0 else 1)

    def has_programme(self, scenario: str) -> bool:
        return bool(self.params[scenario].get("programmes"))


def esc(value) -> str:
    return html.escape(str(value), quote=True)


# ---- numbers as text -------------------------------------------------------------------

#: kind -> (scale the value is divided by, decimals or None for adaptive)
KINDS = {
    "money_m": (1e6, None),
    "count": (1.0, 0),
    "share": (0.01, 1),
    "ratio2": (1.0, 2),
    "ratio1": (1.0, 1),
    "fcfa": (1.0, 0),
    "months": (1.0, 1),
}


def digits_for(kind: str, value: float) -> int:
    scale, digits = KINDS[kind]
    if digits is not None:
        return digits
    return 1 if math.isnan(value) or abs(value / scale) < 100 else 0


def fmt(value: float, kind: str, lang: str, digits: int | None = None) -> str:
    """One number of ``kind`` as the brief writes it (money in million FCFA,
    shares as percentages)."""
    digits = digits_for(kind, value) if digits is None else digits
    if kind == "share":
        return percent(value, lang, digits)
    return number(value / KINDS[kind][0], lang, digits)


def money_words(value: float, lang: str) -> str:
    """An amount for a sentence: billions (milliards) or millions of FCFA."""
    if math.isnan(value):
        return number(value, lang)
    if abs(value) >= 1e9:
        return text("money_bn", lang, value=number(value / 1e9, lang, 2))
    if abs(value) >= 1e6:
        return text("money_m", lang, value=number(value / 1e6, lang, 1 if abs(value) < 1e8 else 0))
    return text("money_fcfa", lang, value=number(value, lang, 0))


def range_words(s: Spread, lang: str, kind: str = "count") -> str:
    """``[low – high]`` for a sentence."""
    if kind == "money":
        unit_of = s.mean if not math.isnan(s.mean) else s.p95
        if abs(unit_of) >= 1e9:
            return f"[{number(s.p5 / 1e9, lang, 2)} – {number(s.p95 / 1e9, lang, 2)}]"
        return f"[{number(s.p5 / 1e6, lang, 1)} – {number(s.p95 / 1e6, lang, 1)}]"
    return f"[{fmt(s.p5, kind, lang)} – {fmt(s.p95, kind, lang)}]"


def cell(
    s: Spread, kind: str, lang: str, indicator: str | None = None, scenario: str | None = None, compact: bool = False
) -> str:
    """A table cell: the mean and, below it, the 90 % range. With ``indicator``,
    every number carries where it comes from (``data-indicator``, ``data-stat``,
    the exact ``data-value`` and the ``data-scale`` of the text), so a reader's
    tool, or a test, can check it against ``Results.summary()``. ``compact``
    puts the range beside the mean (long yearly tables)."""
    if math.isnan(s.mean):
        return f'<td class="num na">{esc(number(math.nan, lang))}</td>'
    digits = 0 if kind == "money_m" and s.mean == 0 else digits_for(kind, s.mean)

    def one(stat: str, value: float, css: str) -> str:
        attrs = ""
        if indicator is not None:
            attrs = (
                f' data-indicator="{esc(indicator)}" data-scenario="{esc(scenario)}" data-stat="{stat}"'
                f' data-value="{value!r}" data-scale="{KINDS[kind][0]!r}"'
            )
        return f'<span class="{css}"{attrs}>{esc(fmt(value, kind, lang, digits))}</span>'

    if math.isnan(s.p5) or (s.p5 == s.mean == s.p95):
        return f'<td class="num">{one("mean", s.mean, "v")}</td>'
    return (
        f'<td class="num">{one("mean", s.mean, "v")}{" " if compact else "<br>"}<span class="r">['
        f"{one('p5', s.p5, 'lo')} – {one('p95', s.p95, 'hi')}]</span></td>"
    )


def plain_cell(value: float, kind: str, lang: str) -> str:
    return f'<td class="num">{esc(fmt(value, kind, lang))}</td>'


# ---- tables and figures ----------------------------------------------------------------


def table(brief: Brief, caption: str, header: list[str], rows: list, css: str = "", attrs: str = "") -> str:
    """A numbered table. ``rows``: lists of cells whose first is the row's label
    (text), the others HTML ``<td>``; a row that is a str is a group heading.
    The table sits in a box that scrolls sideways on a narrow screen (a
    phone), so the page itself never grows wider than the screen."""
    brief.tables += 1
    head = "".join(f'<th scope="col">{h}</th>' for h in header)
    body = []
    for row in rows:
        if isinstance(row, str):
            body.append(f'<tr class="group"><th colspan="{len(header)}" scope="rowgroup">{row}</th></tr>')
        else:
            label, *cells = row
            body.append(f'<tr><th scope="row">{label}</th>{"".join(cells)}</tr>')
    return (
        f'<div class="table-wrap"><table class="{css}"{attrs}>'
        f"<caption>{brief.t('table')} {brief.tables}. {caption}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def figure(brief: Brief, drawing: str, caption: str, css: str = "") -> str:
    """A numbered figure holding an inline SVG chart."""
    brief.figures += 1
    return (
        f'<figure class="{css}">{drawing}<figcaption>{brief.t("figure")} {brief.figures}. {caption}'
        f"</figcaption></figure>"
    )


STYLE = """
@page { size: A4; margin: 14mm 13mm 16mm 13mm; }
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 10pt;
       line-height: 1.4; color: #1b1b1b; background: #ffffff; margin: 0 auto; padding: 18px 28px;
       max-width: 200mm; }
h1 { font-size: 20pt; margin: 0 0 4px 0; color: #123c63; }
h1 + .subtitle { font-size: 12pt; margin: 0 0 10px 0; color: #333; }
h2 { font-size: 14pt; color: #123c63; border-bottom: 2px solid #123c63; padding-bottom: 2px; margin: 18px 0 8px 0; }
h3 { font-size: 11pt; color: #123c63; margin: 14px 0 4px 0; }
p { margin: 4px 0 8px 0; }
.meta { color: #444; font-size: 8.5pt; }
.note { color: #444; font-size: 8.5pt; }
.warning { border-left: 3px solid #b8860b; padding-left: 0.5em; }
.lead { background: #f1f5f9; border-left: 4px solid #123c63; padding: 6px 10px; }
.table-wrap { margin: 6px 0 12px 0; }
table { border-collapse: collapse; width: 100%; margin: 0; font-size: 8.5pt; }
caption { caption-side: top; text-align: left; font-weight: bold; font-size: 9pt; padding: 2px 0 4px 0; }
th, td { border-bottom: 1px solid #d5dbe1; padding: 3px 5px; vertical-align: top; }
thead th { background: #e6edf4; text-align: left; font-weight: bold; border-bottom: 2px solid #9fb3c8; }
tbody th { text-align: left; font-weight: normal; }
table.overview tbody th { min-width: 12em; }  /* titles wrap; the numbers keep their columns */
table.overview { font-size: 8pt; }
tr.group th { background: #f4f6f8; font-weight: bold; font-style: italic; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.na { color: #888; }
.r { color: #666; font-size: 7.5pt; }
td.hash { font-family: "DejaVu Sans Mono", monospace; font-size: 7pt; word-break: break-all; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 8pt; }
figure { margin: 6px 0 14px 0; }
figure.half { max-width: 62%; }
figcaption { font-size: 8.5pt; color: #333; margin-top: 2px; }
svg.chart { width: 100%; height: auto; display: block; }
nav ol { margin: 4px 0 8px 18px; padding: 0; columns: 2; font-size: 9pt; }
a { color: #123c63; }
section.policy, section.method, .annexes { break-before: page; }
.annexes section.policy:first-of-type { break-before: auto; }  /* the annexes' contents share Annex A.1's page */
.kicker { text-transform: uppercase; letter-spacing: 0.08em; font-size: 8pt; color: #555; margin: 0; }
.exec .lead { font-size: 10.5pt; }
table.keyfigures { font-size: 9.5pt; }
table.keyfigures td.num { width: 40%; }
dl.descriptions { font-size: 8.5pt; margin: 4px 0 10px 0; }
dl.descriptions dt { font-weight: bold; margin-top: 4px; }
dl.descriptions dd { margin: 0 0 0 1.2em; }
table.framework, table.risk-matrix, table.verification { font-size: 7.8pt; }
table.framework tbody th { min-width: 10em; }
table.framework td.num, table.risk td.num, table.schedule td.num { white-space: normal; }  /* a range may wrap after its dash */
.table-wrap, table, figure, .keep { break-inside: avoid; page-break-inside: avoid; }
h2, h3, caption { break-after: avoid; page-break-after: avoid; }
h2 + p, h3 + p { break-inside: avoid; break-after: avoid; page-break-after: avoid; }  /* a heading, its introduction and what it introduces stay together */
thead { display: table-header-group; }
tr { break-inside: avoid; }
@media (max-width: 600px) {  /* a phone: a wide table scrolls in its box, the page keeps the screen's width */
  body { padding: 10px 12px; }
  .table-wrap { overflow-x: auto; max-width: 100%; }
}
@media print {
  body { padding: 0; max-width: none; font-size: 9.5pt; }
  a { text-decoration: none; }
}
"""
