"""The funding brief (issue 9): one self-contained HTML page per results file,
in English or French, whose financing numbers are those of Results.summary(),
which headless Chromium loads offline without errors or outside requests, and
prints to a PDF whose tables are not cut by page breaks."""

import html
import math
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

import pytest

import codev
from codev import report
from codev.indicators import table as indicators_table
from codev.report import data as report_data
from codev.report import economics
from codev.report import i18n as report_i18n

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "data" / "small"
BASELINE = "mali-kayes-baseline"
CHROMIUM = report.find_chromium()
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (scripts/setup.sh installs it)"
)
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
    reason="poppler-utils (pdftotext, pdfinfo) is not installed",
)
BROWSER_ARGS = list(report.BROWSER_FLAGS)


def small_world_scenarios():
    """The baseline and codev rule at test scale, the codev rule with a
    regional-bank loan, and two risk runs: the baseline under a host
    recession, and the codev rule with doubled failure hazards."""
    base = codev.Scenario.load(SMALL / "mali-kayes-baseline.toml")
    share = codev.Scenario.load(SMALL / "codev-share-70.toml")
    size = {"months": base.months, "world.migrants": base.get("world.migrants")}
    loan = share.with_(
        **{
            "programmes.codev.carry_over": "full",
            "programmes.codev.loan": {
                "amount_xof": 1_500_000_000,
                "interest_rate": 0.015,
                "grace_years": 2,
                "tenor_years": 5,
                "disbursement": [0.4, 0.3, 0.3],
            },
            "title": {"en": "Codevelopment rule with a regional bank loan (test scale)"},
        }
    ).renamed("regional-bank-line")
    recession = codev.Scenario.load(ROOT / "scenarios" / "recession-shock.toml").with_(**size)
    hazards = {
        f"sectors.{s}.abandonment_hazard": 2 * share.get(f"sectors.{s}.abandonment_hazard")
        for s in ("water", "health", "education", "energy", "agriculture")
    }
    fragile = share.with_(
        **hazards, title={"en": "Codevelopment rule, projects abandoned twice as often (test scale)"}
    ).renamed("codev-share-70-fragile")
    return [base, share, loan, recession, fragile]


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "small.h5"
    with codev.run(small_world_scenarios(), replicates=4, seed=7, out=out, progress=False) as opened:
        yield opened


@pytest.fixture(scope="module")
def brief(results, tmp_path_factory):
    """The English brief with its PDF when Chromium is there, and the French one."""
    folder = tmp_path_factory.mktemp("brief")
    pdf = folder / "brief.pdf" if CHROMIUM else None
    html = results.report(baseline=BASELINE, out=folder / "brief.html", pdf=pdf)
    french = results.report(baseline=BASELINE, out=folder / "brief-fr.html", lang="fr")
    return {"en": html, "fr": french, "pdf": pdf}


# ---- reading the page back -------------------------------------------------------------------------


class Page(HTMLParser):
    """What a test needs of the brief: tags used, financing numbers, tables."""

    def __init__(self):
        super().__init__()
        self.tags, self.links, self.numbers, self.tables = set(), [], [], []
        self._number, self._in_financing, self._cell, self._row = None, 0, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.add(tag)
        for name in ("href", "src", "xlink:href"):
            if name in attrs:
                self.links.append(attrs[name])
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
            self._in_financing = "financing" in attrs.get("class", "")
        elif tag == "tr":
            self._row = []
        elif tag in ("th", "td") and self._row is not None:
            self._cell = ""
        if tag == "span" and "data-indicator" in attrs and self._in_financing:
            self._number = dict(attrs, text="")

    def handle_endtag(self, tag):
        if tag == "span" and self._number is not None:
            self.numbers.append(self._number)
            self._number = None
        elif tag in ("th", "td") and self._cell is not None:
            self._row.append(self._cell.strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1]["rows"].append(self._row)
            self._row = None
        elif tag == "table":
            self._in_financing = False

    def handle_data(self, data):
        if self._number is not None:
            self._number["text"] += data
        if self._cell is not None:
            self._cell += data
        if self.lasttag == "caption" and self.tables and not self._cell:
            self.tables[-1]["caption"] += data


def read_page(path) -> Page:
    page = Page()
    page.feed(Path(path).read_text(encoding="utf-8"))
    return page


def parse_number(text: str, lang: str) -> tuple[float, int]:
    """A number as the brief writes it -> (value, decimals shown)."""
    text = text.replace("\u2212", "-").replace("%", "").replace("\u202f", "").replace("\xa0", "").strip()
    text = text.replace(",", "") if lang == "en" else text.replace(" ", "").replace(",", ".")
    decimals = len(text.split(".")[1]) if "." in text else 0
    return float(text), decimals


def check_financing_numbers(page: Page, summary, lang: str, scenarios) -> None:
    seen = set()
    for number in page.numbers:
        indicator, scenario, stat = number["data-indicator"], number["data-scenario"], number["data-stat"]
        expected = float(summary.loc[scenario, (indicator, stat)])
        assert float(number["data-value"]) == expected, (scenario, indicator, stat)
        shown, decimals = parse_number(number["text"], lang)
        scale = float(number["data-scale"])
        assert abs(shown * scale - expected) <= 0.5 * 10**-decimals * scale * (1 + 1e-9), (
            scenario,
            indicator,
            stat,
            number["text"],
            expected,
        )
        seen.add((scenario, indicator))
    for scenario in scenarios:
        for indicator in (
            "programme_grants",
            "commune_cofinancing",
            "diaspora_project_spending",
            "budget_made_available",
            "programme_money",
            "budget_unspent_share",
        ):
            assert (scenario, indicator) in seen, (scenario, indicator)
    assert ("regional-bank-line", "loan_drawn") in seen


# ---- the page -------------------------------------------------------------------------------------


def test_the_policies_are_those_of_the_file_less_the_baseline_and_the_risk_runs(results):
    params = report_data.parameters(results.to_xarray())
    runs = {(r.variant, r.reference, r.kind) for r in report_data.find_risk_runs(params, BASELINE)}
    assert runs == {("recession-shock", BASELINE, "recession"), ("codev-share-70-fragile", "codev-share-70", "failure")}
    assert report_data.loan_counterpart(params, "regional-bank-line") == "codev-share-70"
    assert report_data.loan_counterpart(params, "codev-share-70") is None


def test_the_brief_needs_nothing_from_outside(brief):
    for lang in ("en", "fr"):
        page = read_page(brief[lang])
        text = Path(brief[lang]).read_text(encoding="utf-8")
        assert {"script", "link", "img", "iframe", "object"}.isdisjoint(page.tags)
        assert all(link.startswith("#") or link.endswith("docs/model.md") for link in page.links), page.links
        assert not re.search(r"url\(\s*['\"]?(https?:|//)|@import|@font-face", text)
        # who paid, the ENPV over parameter draws, 3 per policy, the loan's
        assert text.count("<svg") == text.count('class="chart"') == 9


def test_every_number_of_the_financing_table_is_that_of_the_summary(results, brief):
    summary = results.summary()
    policies = ["codev-share-70", "regional-bank-line"]
    check_financing_numbers(read_page(brief["en"]), summary, "en", policies)
    check_financing_numbers(read_page(brief["fr"]), summary, "fr", policies)


def test_no_text_is_escaped_twice(brief):
    """An escaped text filled into another text and escaped again shows its
    entity on the page ("d&#x27;accueil"): the brief's HTML holds none."""
    for lang in ("en", "fr"):
        text = Path(brief[lang]).read_text(encoding="utf-8")
        twice = sorted(set(re.findall(r".{0,30}&amp;(?:#x?[0-9a-fA-F]+|[a-z]+);", text)))
        assert not twice, f"{lang}: {twice[:5]}"
    french = Path(brief["fr"]).read_text(encoding="utf-8")
    assert "d&#39;accueil" in french or "d&#x27;accueil" in french, "the check reads French text"


def test_the_brief_speaks_french_when_asked(brief):
    text = Path(brief["fr"]).read_text(encoding="utf-8")
    assert '<html lang="fr">' in text
    for words in (
        "Note de financement",
        "Plan de financement",
        "Décaissements annuels",
        "Coût-efficacité",
        "Répartition entre communes",
        "Le prêt de la banque régionale",
        "Risques",
        "Résumé",
        "Analyse économique",
        "Cadre de résultats",
        "Matrice des risques",
        "Limites",
        "Annexe B : méthode et provenance",
    ):
        assert words in text, words
    assert "Financing plan" not in text


def test_each_policy_has_every_section_and_the_risks_it_can_support(results, brief):
    """Annex A: one part per policy, named by its title, with every section."""
    text = html.unescape(Path(brief["en"]).read_text(encoding="utf-8"))
    sections = re.split(r'<section class="policy"', text)[1:]
    titles = [re.search(r"<h2>([^<]+)</h2>", s).group(1) for s in sections]
    assert titles == [
        f"Annex A.{i}: “{results.scenario(name).get('title')['en']}” in detail"
        for i, name in enumerate(["codev-share-70", "regional-bank-line"], start=1)
    ]  # the baseline and risk runs are not policies
    by_name = dict(zip(["codev-share-70", "regional-bank-line"], sections, strict=True))
    for section in by_name.values():
        for heading in (
            "Summary",
            "Financing plan",
            "Yearly disbursement",
            "Expected outputs",
            "Cost-effectiveness",
            "Budget left unspent",
            "Spread over communes",
            "Risks",
        ):
            assert f"<h3>{heading}</h3>" in section, heading
        # no policy ran under the recession: the baseline's run stands in, described in words
        assert "Recession in the host countries (risk) is the baseline under it" in section
        assert "kind = host_recession" not in section and "wage_multiplier" not in section
    assert "is Codevelopment rule: the programme pays 70 % (test scale) under this risk." in by_name["codev-share-70"]
    assert (
        "Not quantified in this file: it holds no run of “Codevelopment rule with a regional bank loan"
        in (by_name["regional-bank-line"])
    )
    assert "The regional-bank loan" not in by_name["codev-share-70"]
    assert "run a scenario" not in text and "make the brief again" not in text  # no instructions to run software


def test_the_method_gives_the_provenance_of_every_scenario(results, brief):
    text = Path(brief["en"]).read_text(encoding="utf-8")
    ds = results.to_xarray()
    for name in results.scenarios:
        assert report_data.scenario_hash(ds, name) in text
    assert f"codev {codev.__version__}" in text and "docs/model.md" in text
    assert str(ds.attrs["git_commit"]) in text


def test_the_yearly_schedule_adds_up_to_the_summary(results):
    ds = results.to_xarray()
    summary = results.summary()
    for name in ("codev-share-70", "regional-bank-line"):
        for variable, indicator in (
            ("programme_disbursed", "programme_grants"),
            ("loan_disbursed", "loan_drawn"),
            ("debt_service_paid", "debt_service"),
        ):
            yearly = report_data.yearly_flow(ds, name, variable).sum("year").mean("replicate")
            assert float(yearly) == pytest.approx(summary.loc[name, (indicator, "mean")], rel=1e-12)


def test_numbers_are_written_as_each_language_writes_them():
    assert report_i18n.number(-1234.5, "en", 1) == "\u22121,234.5"
    assert report_i18n.number(1234.5, "fr", 1) == "1\u202f234,5"
    assert report_i18n.percent(0.125, "fr") == "12,5\u202f%"
    assert report_i18n.number(math.nan, "en") == "–"


def test_shipped_regional_bank_line_scales_up_the_codev_programme_with_a_loan():
    line = codev.Scenario.load(ROOT / "scenarios" / "regional-bank-line.toml")
    share = codev.Scenario.load(ROOT / "scenarios" / "codev-share-70.toml")
    loan = line.get("programmes.codev.loan")
    assert loan["amount_xof"] == 15_000_000_000 and sum(loan["disbursement"]) == pytest.approx(1.0)
    assert line.get("programmes.codev.budget_per_year_xof") == share.get("programmes.codev.budget_per_year_xof")
    params = {"regional-bank-line": line.to_dict(), "codev-share-70": share.to_dict()}
    assert report_data.loan_counterpart(params, "regional-bank-line") == "codev-share-70"


# ---- errors ----------------------------------------------------------------------------------------


def test_results_report_refuses_an_unknown_baseline_or_language(results, tmp_path):
    with pytest.raises(ValueError, match="no scenario 'nope'"):
        results.report(baseline="nope", out=tmp_path / "x.html")
    with pytest.raises(ValueError, match="lang: 'de'"):
        results.report(baseline=BASELINE, out=tmp_path / "x.html", lang="de")
    with pytest.raises(OSError, match="does not exist"):
        results.report(baseline=BASELINE, out=tmp_path / "no" / "x.html")
    assert not list(tmp_path.iterdir())


def report_command(codev_path, *args):
    env = dict(os.environ, CODEV_PYTHON=sys.executable)  # build/dev has no Python beside it
    return subprocess.run(
        [codev_path, "report", *map(str, args)], capture_output=True, text=True, env=env, timeout=600, check=False
    )


def test_codev_report_errors_are_one_line_and_status_2(codev, results, tmp_path):
    good = results.path
    cases = [
        (tmp_path / "missing.h5", BASELINE, tmp_path / "a.html", "does not exist"),
        (good, "nope", tmp_path / "b.html", "no scenario 'nope'"),
        (good, BASELINE, tmp_path / "no" / "c.html", "cannot write"),
        (ROOT / "README.md", BASELINE, tmp_path / "d.html", "README.md"),
    ]
    for file, baseline, out, message in cases:
        done = report_command(codev, file, "--baseline", baseline, "--out", out)
        assert done.returncode == 2, done.stderr
        assert done.stderr.count("\n") == 1 and done.stderr.startswith("codev: error: "), done.stderr
        assert message in done.stderr
        assert not out.exists()
    done = report_command(codev, good, "--baseline", BASELINE, "--out", tmp_path / "x.html", "--lang", "de")
    assert done.returncode == 2 and done.stderr.count("\n") == 1


def test_codev_report_writes_the_brief(codev, results, tmp_path):
    out = tmp_path / "brief.html"
    done = report_command(
        codev,
        results.path,
        *("--baseline", BASELINE, "--out", out, "--lang", "fr", "--scenarios", "regional-bank-line"),
        *("--draws", "2", "--draw-replicates", "1"),
    )
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert text.count('<section class="policy"') == 1 and "regional-bank-line" in text


# ---- in the browser, and on paper --------------------------------------------------------------------


@needs_chromium
def test_chromium_shows_the_brief_offline_without_errors(brief, results, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (a dev dependency) is not installed")
    from PIL import Image, ImageStat

    outside, console = [], []

    def route(request_route):
        url = request_route.request.url
        if url.startswith(("file:", "data:", "about:")):
            request_route.continue_()
        else:
            outside.append(url)
            request_route.abort()

    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=BROWSER_ARGS,
            viewport={"width": 1000, "height": 1400},
            offline=True,
        )
        try:
            context.route("**/*", route)
            page = context.new_page()
            page.on(
                "console", lambda m: console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None
            )
            page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
            page.goto(Path(brief["en"]).resolve().as_uri(), wait_until="load")
            shot = page.screenshot()
            charts = page.eval_on_selector_all("svg.chart", "els => els.map(e => e.getBoundingClientRect().height)")
            cells = page.eval_on_selector_all(
                "table.financing [data-indicator]",
                "els => els.map(e => [e.dataset.scenario, e.dataset.indicator, e.dataset.stat, e.innerText])",
            )
            # Page 1's key figures, as shown, with where they come from.
            first = page.eval_on_selector(
                "table.keyfigures",
                """t => ({
                cells: [...t.querySelectorAll('[data-indicator]')].map(
                    e => [e.dataset.scenario, e.dataset.indicator, e.dataset.stat, Number(e.dataset.value)]),
                top: t.getBoundingClientRect().top})""",
            )
            shown_text = page.inner_text("body")
        finally:
            context.close()
    assert console == [] and outside == []
    image = Image.open(BytesIO(shot)).convert("L")
    assert ImageStat.Stat(image).stddev[0] > 20  # not one colour
    dark = sum(image.histogram()[:200]) / (image.width * image.height)
    assert 0.01 < dark < 0.6, dark  # text and charts on a white page
    assert len(charts) == 9 and min(charts) > 100
    assert len(cells) >= 30  # the financing tables were laid out, numbers and all
    assert not re.search(r"&(#x?[0-9a-fA-F]+|amp|lt|gt|quot);", shown_text)  # nothing shows escaped
    # Page 1 leads with the recommended option's key figures, each a number of Results or of its appraisal.
    assert first["top"] < 1400  # within the first screen
    compared, summary = results.compare(baseline=BASELINE), results.summary()
    shown = {(indicator, stat): (scenario, value) for scenario, indicator, stat, value in first["cells"]}
    recommended = {scenario for scenario, *_ in first["cells"]}
    assert len(recommended) == 1
    (name,) = recommended
    for effect in ("additional_projects_completed", "additional_people_reached", "cost_per_additional_person_reached"):
        for stat in ("mean", "p5", "p95"):
            assert shown[(effect, stat)][1] == pytest.approx(compared.loc[name, (effect, stat)])
    assert shown[("programme_money", "mean")][1] == pytest.approx(summary.loc[name, ("programme_money", "mean")])
    params = report_data.parameters(results.to_xarray())
    added = report_data.paired(indicators_table(results.to_xarray())["people_reached"], name, BASELINE).values
    own = economics.appraise(results.to_xarray(), name, BASELINE, params, added)
    assert shown[("enpv", "mean")][1] == pytest.approx(own.enpv_at_rate.mean)
    assert shown[("enpv", "p5")][1] == pytest.approx(own.enpv_at_rate.p5)


@needs_chromium
def test_on_a_phone_the_page_keeps_the_screen_width_and_wide_tables_scroll_in_their_box(brief, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (a dev dependency) is not installed")
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=BROWSER_ARGS,
            viewport={"width": 390, "height": 844},  # a phone's screen, in CSS pixels
            offline=True,
        )
        try:
            page = context.new_page()
            page.goto(Path(brief["fr"]).resolve().as_uri(), wait_until="load")
            page_width = page.evaluate("document.documentElement.scrollWidth")
            screen = page.evaluate("window.innerWidth")
            boxes = page.eval_on_selector_all(
                ".table-wrap",
                "els => els.map(e => [e.getBoundingClientRect().right, e.scrollWidth, e.clientWidth,"
                " getComputedStyle(e).overflowX])",
            )
        finally:
            context.close()
    assert page_width <= screen, (page_width, screen)
    assert len(boxes) == len(read_page(brief["fr"]).tables)  # every table is in a box
    assert all(right <= screen for right, *_ in boxes)
    wide = [box for box in boxes if box[1] > box[2]]
    assert wide, "Table 1 is wider than a phone: its box must scroll"
    assert all(overflow == "auto" for *_, overflow in wide)


@needs_chromium
@needs_poppler
def test_the_pdf_has_the_brief_on_whole_pages(brief):
    pdf = brief["pdf"]
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert "A4" in info
    assert 4 <= pages <= 28  # a main body of up to eight pages, two policies of a few pages each, the method
    text = [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(p), "-l", str(p), pdf, "-"], capture_output=True, text=True, check=True
        ).stdout
        for p in range(1, pages + 1)
    ]
    assert "funding brief" in text[0].lower() and "Executive summary" in text[0] and "Main risk." in text[0]
    # The main body (executive summary to limitations) fits in about eight pages.
    annexes = next(i for i, page in enumerate(text) if "Annex A.1:" in page and "Annexes" in page)
    assert annexes <= 8, annexes
    assert any("Annex B: method and provenance" in page for page in text[-3:])
    every = "\n".join(text)
    for words in (
        "Financing plan of Codevelopment rule: the programme pays 70 % (test scale)",
        "Financing plan of Codevelopment rule with a regional bank loan (test scale)",
        "What the loan buys in Codevelopment rule with a regional bank loan (test scale)",
        "people reached added to",
        "Risk matrix of",
        "Results framework of",
    ):
        assert words in every.replace("\n", " "), words
    # No heading ends a page: a heading, its introduction and what it introduces stay together.
    source = Path(brief["en"]).read_text(encoding="utf-8")
    headings = {
        html.unescape(re.sub(r"<[^>]+>", "", h)).strip() for h in re.findall(r"<h[23][^>]*>(.*?)</h[23]>", source)
    }
    for number, page in enumerate(text, start=1):
        ending = [line.strip() for line in page.splitlines() if line.strip()][-4:]
        assert not headings.intersection(ending), (number, ending)
    # No table is cut by a page break: its caption and its last row are on one page.
    for number, table in enumerate(read_page(brief["en"]).tables, start=1):
        last = table["rows"][-1][0].split()[0]
        on = [i for i, page in enumerate(text) if re.search(rf"Table {number}\.", page)]
        assert len(on) == 1, number
        assert last in text[on[0]].split(f"Table {number}.", 1)[1], (number, last)
