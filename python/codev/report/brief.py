"""The funding brief: one self-contained HTML file (and, through Debian's
headless Chromium, its PDF) that compares each policy scenario of a results
file with the baseline, in English or French, for reviewers who do not run
the software (issue 9; docs/report.md lists its sections and the source of
every number).

From Python, ``codev.open("results/default.h5").report(baseline=..., out=...)``;
from the shell, ``codev report FILE.h5 --baseline NAME --out brief.html
[--pdf brief.pdf] [--lang fr|en]``, which runs ``python -m codev.report`` (this module's ``main``).

The page needs nothing from outside: the style is inline, the charts are
inline SVG drawn by matplotlib with their text as paths, and there is no
script.
"""

import datetime
import functools
import math
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import jinja2
import numpy as np
from markupsafe import Markup

from .. import indicators
from .._version import __version__
from ..indicators import UNSPENT_WARNING_SHARE
from . import appraisal, charts
from .data import Spread, find_risk_runs, from_table, parameters, scenario_hash
from .data import loans as loans_of
from .i18n import LANGUAGES, has_text, number, percent
from .page import STYLE, Brief, cell, esc, fmt, money_words, plain_cell, table
from .policy import section

#: Parameter draws and replicates a draw of the appraisal's uncertainty runs
#: (docs/appraisal.md 3): 16 x 2 pairs of runs of the recommended option.
DRAWS = 16
DRAW_REPLICATES = 2

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "/usr/bin/chromium")
#: Chromium headless, offline and quiet: for the PDF here, and for the
#: README's picture and the browser tests (through Playwright).
BROWSER_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
)
CHROMIUM_FLAGS = (*BROWSER_FLAGS, "--no-pdf-header-footer")


def write_report(
    results,
    baseline: str | None,
    out,
    pdf=None,
    lang: str = "en",
    scenarios=None,
    risk_scenarios=None,
    draws: int = DRAWS,
    draw_replicates: int = DRAW_REPLICATES,
) -> Path:
    """Write the brief of ``results`` against ``baseline`` (None: the scenario
    declaring ``baseline = true``); see ``Results.report``."""
    baseline = results.baseline(baseline)
    if lang not in LANGUAGES:
        raise ValueError(f"lang: '{lang}' is not a language of the brief (allowed: {', '.join(LANGUAGES)})")
    out = Path(out)
    check_writable(out, [results.path])
    chromium = None
    if pdf is not None:
        pdf = Path(pdf)
        check_writable(pdf, [results.path])
        if pdf.resolve() == out.resolve():
            raise OSError(f"cannot write '{pdf}': --out names the same file (give the PDF a name of its own)")
        chromium = find_chromium()
        if chromium is None:
            raise OSError("--pdf needs Chromium: install Debian's package 'chromium' (scripts/setup.sh does)")
    check_draws(draws, draw_replicates)
    page = build_html(results, baseline, lang, scenarios, risk_scenarios, _model_link(out), draws, draw_replicates)
    write_atomically(out, page)
    if pdf is not None:
        print_pdf(out, pdf, chromium)
    return out


def check_draws(draws: int, draw_replicates: int) -> None:
    """The sizes of the appraisal's runs, or ValueError naming the bad one."""
    if isinstance(draws, bool) or not isinstance(draws, int) or not 0 <= draws <= 10000:
        raise ValueError(f"draws: {draws} is out of range (allowed: 0 to 10000)")
    if isinstance(draw_replicates, bool) or not isinstance(draw_replicates, int) or not 1 <= draw_replicates <= 1000:
        raise ValueError(f"draw_replicates: {draw_replicates} is out of range (allowed: 1 to 1000)")


def build_html(
    results,
    baseline: str,
    lang: str = "en",
    scenarios=None,
    risk_scenarios=None,
    model_link: str | None = None,
    draws: int = DRAWS,
    draw_replicates: int = DRAW_REPLICATES,
) -> str:
    """The brief as one HTML document (a str); ``draws`` parameter draws of
    ``draw_replicates`` replicates each for the recommended option (0: none)."""
    brief = _brief(results, baseline, lang, scenarios, risk_scenarios, model_link)
    body = appraisal.build(brief, draws=draws, draw_replicates=draw_replicates)
    return render(brief, body)


def render(brief: Brief, body: "appraisal.Appraisal") -> str:
    """The page of ``brief`` from its main body's numbers (templates/brief.html.j2)."""
    anchors = {name: f"policy-{i + 1}" for i, name in enumerate(brief.policies)}
    lang = brief.lang
    helpers = _Helpers(brief)
    source = brief.results.path.name if brief.results.path else brief.raw("in_memory")
    made_from = brief.raw(
        "made_from",
        file=source,
        scenarios=len(brief.results.scenarios),
        replicates=brief.results.replicates,
        seed=brief.results.seed,
        years=brief.years(brief.baseline),
        version=_version(),
        date=datetime.date.today().isoformat(),
    )
    shares = []
    for name in [brief.baseline, *brief.policies]:
        paid = [
            from_table(brief.summary, name, i).mean
            for i in ("programme_grants", "commune_cofinancing", "diaspora_project_spending")
        ]
        total = sum(paid)
        grants, commune, diaspora = (v / total if total > 0 else math.nan for v in paid)
        shares.append((appraisal.about(brief.params, name, lang)[0], grants, commune, diaspora))
    enpv_chart = ""
    if body.draws is not None:
        enpv_chart = Markup(charts.enpv_distribution(body.draws.enpv / 1e6, lang, "enpv-draws"))
    context = {
        "lang": lang,
        "version": _version(),
        "style": Markup(STYLE),
        "appraisal": body,
        "made_from": made_from,
        "replicates": brief.results.replicates,
        "baseline_description": appraisal.about(brief.params, brief.baseline, lang)[1],
        "unspent_warning": UNSPENT_WARNING_SHARE,
        "financing_chart": Markup(charts.financing_shares(shares, lang, "financing-overview")),
        "enpv_chart": enpv_chart,
        "years_header": [brief.raw("x_year_n", year=y) for y in body.framework_years],
        "payer_header": [_payer(brief, k) for k in body.financing["by_payer"]],
        "period_rows": _period_rows(brief, body, helpers),
        "loans": _loans(brief, body),
        "anchors": anchors,
        **helpers.functions(),
    }
    # The annexes are built when the template reaches them, so that tables and
    # figures are numbered in the order they appear.
    sections = _Deferred(lambda: [Markup(section(brief, n, anchors[n])) for n in brief.policies])
    method_part = _Deferred(lambda: Markup(method(brief, body)))
    template = _environment().get_template("brief.html.j2")
    return template.render(**context, policy_sections=sections, method_section=method_part)


class _Deferred:
    """A part of the page built when the template reaches it, so that tables
    and figures are numbered in the order they appear."""

    def __init__(self, build):
        self.build, self.value = build, None

    def _get(self):
        if self.value is None:
            self.value = self.build()
        return self.value

    def __iter__(self):
        return iter(self._get())

    def __html__(self):
        return str(self._get())


def _period_rows(brief: Brief, body, helpers) -> list[dict]:
    """The financing table's rows: each period of years, then the total."""
    f = body.financing
    years, keys = f["years"], list(f["by_payer"])
    rows = []
    spans = [slice(s, s + appraisal.PERIOD_YEARS) for s in range(0, len(years), appraisal.PERIOD_YEARS)]
    labels = [
        str(years[s][0]) if len(years[s]) == 1 else brief.raw("x_years_range", first=years[s][0], last=years[s][-1])
        for s in spans
    ]
    for label, span in zip([*labels, brief.raw("sch_total")], [*spans, slice(0, len(years))], strict=True):
        paid = [float(np.sum(f["by_payer"][k][span])) for k in keys]
        disbursed = float(np.sum(f["disbursed"][span]))
        last = min(len(years), span.stop) - 1
        rows.append(
            {
                "label": label,
                "cells": [helpers.plain(v, "money_m") for v in (*paid, sum(paid), disbursed)]
                + [helpers.plain(float(f["cumulative_share"][last]), "share")],
            }
        )
    return rows


def _loans(brief: Brief, body) -> list[dict]:
    """Every option's loans: terms, grant element, and what was drawn and serviced."""
    rows = []
    for option in body.options:
        if not loans_of(brief.params[option.name]):
            continue
        money = appraisal.financing(brief, option)
        for terms in money["loan_terms"]:
            rows.append(
                {
                    **terms,
                    "name": option.name,
                    "title": option.title,
                    "drawn": from_table(brief.summary, option.name, "loan_drawn"),
                    "service": from_table(brief.summary, option.name, "debt_service"),
                    "owed": money["owed_at_horizon"],
                }
            )
    return rows


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _payer(brief: Brief, key: str) -> str:
    """A financier's column: a programme's funder by name, the communes, the associations."""
    if key.startswith("programme:"):
        funder = key.split(":", 1)[1]
        return brief.raw("x_payer_programme", funder=funder) if funder else brief.raw("x_payer_programme_all")
    if key == "communes":
        return brief.raw("fin_communes")
    return brief.raw("fin_diaspora")


class _Helpers:
    """The template's functions: texts in the brief's language and table cells."""

    def __init__(self, brief: Brief):
        self.brief = brief

    def plain(self, value: float, kind: str) -> Markup:
        return Markup(plain_cell(value, kind, self.brief.lang))

    def functions(self) -> dict:
        b, lang = self.brief, self.brief.lang

        def counter(name: str) -> int:
            setattr(b, name, getattr(b, name) + 1)
            return getattr(b, name)

        def signed_pct(share: float) -> str:
            if share is None or not math.isfinite(share):
                return "∞" if share == math.inf else number(math.nan, lang)
            return ("+" if share > 0 else "") + percent(share, lang, 0)

        def switching_text(risk, option_appraisal) -> str:
            """A risk row's switching value: a change, years, "beyond" the runs,
            below zero already, or none (a risk run)."""
            if risk.key.endswith("_run"):
                return number(math.nan, lang)
            if option_appraisal.enpv_at_rate.mean <= 0:
                return b.raw("x_sw_negative")
            if not math.isfinite(risk.switching):
                # beyond the runs for a lever; no value (costs or benefits of zero) otherwise
                return (
                    b.raw("x_sw_beyond_short") if risk.key in ("remittances", "participation") else b.raw("x_sw_none")
                )
            if risk.key == "delays":
                return b.raw("x_years_value", years=fmt(risk.switching, "ratio1", lang))
            return signed_pct(risk.switching)

        def lever_text(run, option_appraisal) -> str:
            """A lever's switching value: its change, "beyond" the runs, or below zero already."""
            if math.isfinite(run.switching):
                return signed_pct(run.change)
            if option_appraisal.enpv_at_rate.mean <= 0:
                return b.raw("x_sw_negative")
            return b.raw("x_sw_beyond", limit=signed_pct(run.multipliers[-1] - 1))

        def stress_text(risk) -> str:
            if isinstance(risk.stress, float):
                return percent(risk.stress, lang, 0)
            return str(risk.stress)

        def sector_name(sector: str) -> str:
            return b.raw(f"sector_{sector}") if has_text(f"sector_{sector}") else sector

        return {
            "t": b.raw,
            "counter": counter,
            "cell": lambda s, kind, indicator=None, scenario=None: Markup(cell(s, kind, lang, indicator, scenario)),
            "plain": self.plain,
            "plain_text": lambda value: Markup(f"<td>{esc(value)}</td>"),
            "num_text": lambda value: Markup(f'<td class="num">{esc(value)}</td>'),
            "na": lambda: Markup(f'<td class="num na">{esc(number(math.nan, lang))}</td>'),
            "pct": lambda share, digits=1: percent(share, lang, digits),
            "fmt": lambda value, kind: fmt(value, kind, lang),
            "money": lambda value: money_words(value, lang),
            "signed_pct": signed_pct,
            "switching_text": switching_text,
            "stress_text": stress_text,
            "lever_text": lever_text,
            "compared": lambda name, effect: from_table(b.compared, name, effect),
            "sector_name": sector_name,
            "rates_header": lambda rates: [b.raw("x_enpv_at", rate=percent(r, lang, 0)) for r in rates],
            "enpv_cells": lambda o, rates: [Markup(cell(o.appraisal.enpv[r], "money_m", lang)) for r in rates],
            "target_cells": lambda r: [
                Markup(cell(Spread(t.mean, t.low, t.high), r.kind, lang)) for t in r.targets.values()
            ],
        }


def _brief(results, baseline, lang, scenarios, risk_scenarios, model_link) -> Brief:
    results._check_scenario(baseline)
    if len(results.scenarios) < 2:
        raise ValueError(f"nothing to report: '{baseline}' is the only scenario")
    ds = results.to_xarray()
    params = parameters(ds)
    named_risks = list(risk_scenarios or [])
    for name in [*(scenarios or []), *named_risks]:
        results._check_scenario(name)
    runs = [r for r in find_risk_runs(params, baseline, named_risks) if r.variant != baseline]
    if scenarios:
        policies = [s for s in scenarios if s != baseline]
    else:
        variants = {r.variant for r in runs}
        policies = [s for s in results.scenarios if s != baseline and s not in variants]
    if not policies:
        raise ValueError("nothing to report: no policy scenario besides the baseline and the risk runs")
    return Brief(
        results=results,
        ds=ds,
        lang=lang,
        baseline=baseline,
        policies=policies,
        risk_runs=runs,
        summary=results.summary(),
        compared=results.compare(baseline=baseline),
        table=indicators.table(ds),
        params=params,
        model_link=model_link,
    )


# ---- annex: method and provenance ----------------------------------------------------------


def method(b: Brief, body: "appraisal.Appraisal") -> str:
    ds = b.ds
    link = f'<a href="{esc(b.model_link)}">{b.t("method_link_text")}</a>' if b.model_link else b.t("method_link_text")
    model = b.t("method_model", link="\0").replace("\0", link)
    attrs = ds.attrs
    source = str(b.results.path) if b.results.path else b.raw("in_memory")
    rows = [
        [b.t(key), f"<td>{esc(value)}</td>"]
        for key, value in (
            ("prov_file", source),
            ("prov_written_by", attrs.get("codev_version", "?")),
            ("prov_commit", attrs.get("git_commit", "?")),
            ("prov_created", attrs.get("created", "?")),
            ("prov_command", attrs.get("command_line", "?")),
            ("prov_seed", b.results.seed),
            ("prov_replicates", b.results.replicates),
            ("prov_format", attrs.get("format_version", "?")),
            (
                "prov_report",
                f"codev {_version()}, {datetime.datetime.now(datetime.UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
            ),
        )
    ]
    risk_names = {r.variant for r in b.risk_runs}
    hashes = []
    for name in b.results.scenarios:
        role = (
            "role_baseline"
            if name == b.baseline
            else "role_policy"
            if name in b.policies
            else "role_risk"
            if name in risk_names
            else "role_other"
        )
        months = int(ds["months_in_scenario"].sel(scenario=name))
        hashes.append(
            [
                esc(name),
                f"<td>{b.t(role)}</td>",
                f'<td class="num">{months}</td>',
                f'<td class="hash">{scenario_hash(ds, name)}</td>',
            ]
        )
    return (
        f'<section class="method" id="method"><h2>{b.t("x_annex_method")}</h2><p>{model}</p>'
        + _appraisal_method(b, body)
        + table(b, b.t("prov_caption"), ["", ""], rows, "provenance")
        + table(
            b, b.t("hash_caption"), [b.t("scenario"), b.t("hash_role"), b.t("hash_months"), "SHA-256"], hashes, "hashes"
        )
        + "</section>"
    )


def _appraisal_method(b: Brief, body: "appraisal.Appraisal") -> str:
    """How the economic analysis was made: its terms, the parameters drawn and
    their ranges, and the switching runs (docs/appraisal.md)."""
    rec = body.recommended
    terms = rec.terms
    if rec.appraisal is None:
        return f"<p>{b.t('x_not_valued')}</p>"
    lang = b.lang
    rows = [
        [b.t("x_m_rate"), f'<td class="num">{esc(percent(terms.discount_rate, lang, 0))}</td>'],
        [
            b.t("x_m_benefit_range"),
            f'<td class="num">{esc(number(terms.benefit_range[0], lang, 2))} – {esc(number(terms.benefit_range[1], lang, 2))}</td>',
        ],
    ]
    rows += [
        [f"<code>{esc(key)}</code>", f'<td class="num">{esc(number(low, lang, 4))} – {esc(number(high, lang, 4))}</td>']
        for key, (low, high) in terms.uncertain.items()
    ]
    draws = (
        b.t("x_m_draws", draws=body.draws.enpv.shape[0], replicates=body.draws.enpv.shape[1], seed=b.results.seed)
        if body.draws is not None
        else b.t("x_uncertainty_not_run")
    )
    levers = []
    for lever, run in body.levers.items():
        cells = "".join(f'<td class="num">{esc(fmt(v, "money_m", lang))}</td>' for v in run.enpv)
        levers.append([b.t(f"x_sw_{lever}"), cells])
    parts = f"<h3>{b.t('x_m_title')}</h3><p>{b.t('x_m_intro')} {draws}</p>" + table(
        b, b.t("x_m_caption"), [b.t("x_m_parameter"), b.t("x_m_drawn")], rows, "appraisal-terms"
    )
    if levers:
        header = [b.t("x_driver"), *[esc(percent(m, lang, 0)) for m in next(iter(body.levers.values())).multipliers]]
        parts += table(b, b.t("x_m_levers_caption", option=rec.title), header, levers, "levers")
    return parts


# ---- files, PDF ----------------------------------------------------------------------------------


def check_writable(path: Path, inputs=()) -> None:
    """Raise OSError, naming the file, unless ``path`` can be written: it is
    new or a regular file (the final rename would replace a symbolic link, a
    FIFO or a device), and none of ``inputs`` (which it would destroy)."""
    directory = path.parent if str(path.parent) else Path(".")
    if path.is_symlink():
        raise OSError(
            f"cannot write '{path}': it is a symbolic link, which would be replaced (name the file it points to)"
        )
    if path.is_dir():
        raise OSError(f"cannot write '{path}': it is a directory")
    if path.exists() and not path.is_file():
        raise OSError(f"cannot write '{path}': it is not a regular file (a device or a FIFO)")
    for given in inputs:
        if given is not None and path.exists() and Path(given).exists() and os.path.samefile(path, given):
            raise OSError(f"cannot write '{path}': it is an input of this report ('{given}'), which it would destroy")
    if not directory.is_dir():
        raise OSError(f"cannot write '{path}': directory '{directory}' does not exist")
    try:
        with tempfile.NamedTemporaryFile(dir=directory, prefix=f".{path.name}.", delete=True):
            pass
    except OSError as error:
        raise OSError(f"cannot write '{path}': {error.strerror or error}") from None


def write_atomically(path: Path, content: str) -> None:
    temporary = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    try:
        temporary.write_text(content, encoding="utf-8")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def find_chromium() -> str | None:
    """Chromium's command: ``$CODEV_CHROMIUM``, else Debian's ``chromium`` on PATH
    or in /usr/bin; None when there is none."""
    explicit = os.environ.get("CODEV_CHROMIUM")
    if explicit:
        return explicit if shutil.which(explicit) else None
    for candidate in CHROMIUM_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def print_pdf(html: Path, pdf: Path, chromium: str | None = None, timeout: float = 180.0) -> Path:
    """Print ``html`` to ``pdf`` (A4, the page's own margins, no header or footer)
    with headless Chromium, in a fresh profile and without network use."""
    chromium = chromium or find_chromium()
    if chromium is None:
        raise OSError("printing a PDF needs Chromium: install Debian's package 'chromium' (scripts/setup.sh does)")
    temporary = pdf.with_name(f"{pdf.name}.tmp-{os.getpid()}")
    with tempfile.TemporaryDirectory(prefix="codev-chromium-") as profile:
        command = [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--print-to-pdf={temporary}",
            Path(html).resolve().as_uri(),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL, check=False
            )
        except subprocess.TimeoutExpired:
            temporary.unlink(missing_ok=True)
            raise OSError(f"Chromium did not print '{pdf}' within {timeout:.0f} s") from None
    if done.returncode != 0 or not temporary.exists() or temporary.stat().st_size == 0:
        temporary.unlink(missing_ok=True)
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise OSError(f"Chromium could not print '{pdf}' (exit {done.returncode}): {last}")
    os.replace(temporary, pdf)
    return pdf


def _model_link(out: Path) -> str | None:
    """A relative link from the brief to docs/model.md when the sources are there."""
    model = Path(__file__).resolve().parents[2] / "docs" / "model.md"
    if not model.exists():
        return None
    return Path(os.path.relpath(model, Path(out).resolve().parent)).as_posix()


def _version() -> str:
    return __version__
