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
import math
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .. import indicators
from .._version import __version__
from ..indicators import UNSPENT_WARNING_SHARE
from . import charts
from .data import find_risk_runs, from_table, parameters, scenario_hash
from .i18n import LANGUAGES, percent
from .page import STYLE, Brief, cell, esc, figure, money_words, range_words, table
from .policy import section

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
    results, baseline: str | None, out, pdf=None, lang: str = "en", scenarios=None, risk_scenarios=None
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
    page = build_html(results, baseline, lang, scenarios, risk_scenarios, _model_link(out))
    write_atomically(out, page)
    if pdf is not None:
        print_pdf(out, pdf, chromium)
    return out


def build_html(
    results, baseline: str, lang: str = "en", scenarios=None, risk_scenarios=None, model_link: str | None = None
) -> str:
    """The brief as one HTML document (a str)."""
    brief = _brief(results, baseline, lang, scenarios, risk_scenarios, model_link)
    anchors = {name: f"policy-{i + 1}" for i, name in enumerate(brief.policies)}
    body = [cover(brief, anchors), overview(brief)]
    body += [section(brief, name, anchors[name]) for name in brief.policies]
    body.append(method(brief))
    title = f"{brief.t('title')}: {esc(', '.join(brief.policies))}"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="codev {esc(_version())}">'
        f"<title>{title}</title><style>{STYLE}</style></head>\n<body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


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


# ---- first page, overview, method -------------------------------------------------------------


def cover(b: Brief, anchors: dict) -> str:
    source = esc(b.results.path.name) if b.results.path else b.t("in_memory")
    made = b.t(
        "made_from",
        file="\0",
        scenarios=len(b.results.scenarios),
        replicates=b.results.replicates,
        seed=b.results.seed,
        years=b.years(b.baseline),
        version=_version(),
        date=datetime.date.today().isoformat(),
    ).replace("\0", f"<code>{source}</code>")
    items = "".join(f'<li><a href="#{anchors[name]}">{esc(name)}</a></li>' for name in b.policies)
    items += f'<li><a href="#method">{b.t("method")}</a></li>'
    return (
        f'<header><h1>{b.t("title")}</h1><p class="subtitle">'
        f"{b.t('subtitle', policies=', '.join(b.policies), baseline=b.baseline)}</p>"
        f'<p class="meta">{made}</p><p class="note">{b.t("how_to_read", replicates=b.results.replicates)}</p>'
        f"<nav><b>{b.t('contents')}</b><ol>{items}</ol></nav></header>"
    )


def overview(b: Brief) -> str:
    """Page 1: what each policy adds to the baseline, paired, every number a cell of Results.compare()."""
    lang, rows, shares, warnings = b.lang, [], [], []
    for name in b.policies:

        def c(effect, name=name):
            return from_table(b.compared, name, effect)

        def effect(name_of_effect, kind, name=name):
            return cell(c(name_of_effect), kind, lang, name_of_effect, name)

        rows.append(
            [
                esc(name),
                effect("additional_people_reached", "count"),
                effect("cost_per_additional_person_reached", "fcfa"),
                effect("cost_per_additional_person_reached_with_debt_service", "fcfa"),
                effect("additional_projects_completed", "count"),
                effect("additional_public_money", "money_m"),
                effect("built_anyway_share", "share"),
                effect("budget_unspent_share", "share"),
            ]
        )
        receipts = c("additional_household_receipts")
        if receipts.clear_sign != 0:  # a fee policy: its effect is on households, not projects
            warnings.append(
                b.t(
                    "receipts_note",
                    name=name,
                    receipts=money_words(receipts.mean, lang),
                    receipts_range=range_words(receipts, lang, "money"),
                )
            )
        if c("budget_unspent_share").mean > UNSPENT_WARNING_SHARE:
            warnings.append(b.t("unspent_warning", name=name, unspent=percent(c("budget_unspent_share").mean, lang)))
    for name in [b.baseline, *b.policies]:
        paid = [
            from_table(b.summary, name, i).mean
            for i in ("programme_grants", "commune_cofinancing", "diaspora_project_spending")
        ]
        total = sum(paid)
        grants, commune, diaspora = (v / total if total > 0 else math.nan for v in paid)
        shares.append((name, grants, commune, diaspora))
    header = [
        b.t("scenario"),
        b.t("col_extra_people"),
        b.t("col_cost_person"),
        b.t("col_cost_person_public"),
        b.t("col_extra_projects"),
        b.t("col_extra_public"),
        b.t("col_built_anyway"),
        b.t("col_unspent"),
    ]
    chart = charts.financing_shares(shares, lang, "financing-overview")
    notes = "".join(f'<p class="warning">{w}</p>' for w in warnings)
    return (
        f'<section class="overview" id="overview"><h2>{b.t("overview")}</h2>'
        + table(b, b.t("overview_caption", years=b.years(b.baseline)), header, rows, "overview")
        + f'<p class="note">{b.t("overview_note")}</p>'
        + notes
        + figure(b, chart, b.t("financing_overview_caption"))
        + "</section>"
    )


def method(b: Brief) -> str:
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
        f'<section class="method" id="method"><h2>{b.t("method")}</h2><p>{model}</p>'
        + table(b, b.t("prov_caption"), ["", ""], rows, "provenance")
        + table(
            b, b.t("hash_caption"), [b.t("scenario"), b.t("hash_role"), b.t("hash_months"), "SHA-256"], hashes, "hashes"
        )
        + "</section>"
    )


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
