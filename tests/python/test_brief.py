"""The funding brief as a funder reads it (issue 17, docs/appraisal.md): its
words in both languages, its executive summary and economic analysis, the
switching values checked by running the model at them, the spreadsheet export
of the same tables, and the scenarios' titles."""

import math
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
from babel.messages.extract import extract_from_file

import codev
from codev.indicators import table as indicators_table
from codev.report import appraisal, economics, export, uncertainty
from codev.report import data as report_data
from codev.report import i18n as report_i18n
from codev.report.brief import _brief
from conftest import codev_command
from test_report import BASELINE, BROWSER_ARGS, CHROMIUM, needs_chromium, small_world_scenarios

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "python" / "codev" / "report"
SECTORS = ("water", "health", "education", "energy", "agriculture")
FIELD = re.compile(r"\{(\w+)\}")


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """The report tests' world, and the baseline under the same higher failure
    hazards as the codev rule's fragile run: the pair the risk matrix needs."""
    scenarios = small_world_scenarios()
    base, fragile = scenarios[0], scenarios[-1]
    hazards = {f"sectors.{s}.abandonment_hazard": fragile.get(f"sectors.{s}.abandonment_hazard") for s in SECTORS}
    scenarios.append(
        base.with_(**hazards, title={"en": "Baseline, projects abandoned twice as often"}).renamed(
            "mali-kayes-baseline-fragile"
        )
    )
    out = tmp_path_factory.mktemp("brief") / "small.h5"
    with codev.run(scenarios, replicates=4, seed=7, out=out, progress=False) as opened:
        yield opened


@pytest.fixture(scope="module")
def body(results):
    return appraisal.build(_brief(results, BASELINE, "en", None, None, None), draws=4, draw_replicates=2)


@pytest.fixture(scope="module")
def pages(results, tmp_path_factory):
    folder = tmp_path_factory.mktemp("pages")
    return {
        lang: results.report(baseline=BASELINE, out=folder / f"brief-{lang}.html", lang=lang, draws=4)
        for lang in report_i18n.LANGUAGES
    }


# ---- the words ---------------------------------------------------------------------------------


def used_keys() -> set[str]:
    """Every literal key the code and the template pass to t(), raw() or text()."""
    found = []
    for path in REPORT.glob("*.py"):
        found += extract_from_file("python", path, keywords={"t": None, "raw": None, "text": None})
    for path in (REPORT / "templates").glob("*.j2"):
        found += extract_from_file("jinja2.ext:babel_extract", path, keywords={"t": None})
    # (line, message, comments, context); a call with several strings gives a tuple, the key first
    first = (m[1][0] if isinstance(m[1], (list, tuple)) else m[1] for m in found)
    return {k for k in first if isinstance(k, str) and k}


def test_both_catalogues_have_every_key_translated_with_the_same_fields():
    en, fr = report_i18n.catalogue("en"), report_i18n.catalogue("fr")
    assert set(en) == set(fr) and len(en) > 300
    for key in en:
        assert en[key] and fr[key], key
        assert sorted(FIELD.findall(en[key])) == sorted(FIELD.findall(fr[key])), key


def test_every_key_the_brief_uses_is_in_the_catalogues():
    keys = used_keys()
    assert len(keys) > 150  # the extraction found the code's keys
    assert not keys - set(report_i18n.catalogue("en")), sorted(keys - set(report_i18n.catalogue("en")))
    # Keys made from parts: each family's members.
    for prefix, suffixes in (
        ("risk_", ("remittances", "participation", "delays", "costs", "benefits", "recession_run", "failure_run")),
        ("fw_", ("people_served", "people_added", "projects_completed", "cofinanced", "working", "disbursed")),
        ("x_recommend_", ("enpv", "enpv_negative", "cost_per_person", "people")),
        ("rating_", ("high", "medium", "low", "unrated")),
    ):
        for suffix in suffixes:
            assert f"{prefix}{suffix}" in report_i18n.catalogue("en"), prefix + suffix
    for kind in ("remittances", "participation", "delays", "costs", "benefits", "recession_run", "failure_run"):
        for part in ("_stress", "_mitigation", "_main"):
            assert f"risk_{kind}{part}" in report_i18n.catalogue("fr"), kind + part


def test_the_french_brief_has_no_english_label(pages):
    """No text of the English catalogue that French words differently shows in
    the French brief (charts are drawn as paths and checked by their keys)."""
    page = re.sub(r"<svg.*?</svg>|<style>.*?</style>", "", pages["fr"].read_text(encoding="utf-8"), flags=re.DOTALL)
    shown = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    en, fr = report_i18n.catalogue("en"), report_i18n.catalogue("fr")
    for key, text in en.items():
        fixed = [part.strip() for part in FIELD.split(text)[::2] if len(part.strip()) >= 14]
        if text != fr[key]:
            for part in fixed:
                assert part not in shown, (key, part)


# ---- the economic analysis on a real run ----------------------------------------------------------


def test_the_brief_recommends_by_its_stated_criterion(body):
    valued = [o for o in body.options if o.appraisal is not None]
    assert valued and body.recommended in valued
    best = max(o.appraisal.enpv_at_rate.mean for o in valued)
    assert body.recommended.appraisal.enpv_at_rate.mean == best
    assert body.criterion == ("enpv" if best > 0 else "enpv_negative")


def test_the_appraisal_pairs_the_results_file_replicate_by_replicate(results, body):
    ds = results.to_xarray()
    params = report_data.parameters(ds)
    name = body.recommended.name
    flows = economics.incremental(ds, name, BASELINE, params)
    # by hand: the policy's payments minus the baseline's, replicate 0, year 1
    months = slice(0, 12)
    paid = sum(
        ds[v].sel(scenario=name, replicate=0).isel(month=months).sum()
        - ds[v].sel(scenario=BASELINE, replicate=0).isel(month=months).sum()
        for v in (*economics.INVESTMENT, *economics.UPKEEP)
    )
    assert float(flows["investment"].values[0, 0] + flows["upkeep"].values[0, 0]) == pytest.approx(float(paid))
    added = report_data.paired(indicators_table(ds)["people_reached"], name, BASELINE).values
    again = economics.appraise(ds, name, BASELINE, params, added)
    assert again.enpv_at_rate == body.recommended.appraisal.enpv_at_rate
    assert body.recommended.people == report_data.from_table(
        results.compare(baseline=BASELINE), name, "additional_people_reached"
    )


def test_the_draws_run_the_declared_parameters_and_rescale_benefits(results, body):
    draws = body.draws
    assert draws.enpv.shape == (4, 2) and np.isfinite(draws.enpv).all()
    terms = body.recommended.terms
    for values in draws.parameters:
        assert set(values) == {*terms.uncertain, "benefit_factor"}
        for key, (low, high) in terms.uncertain.items():
            assert low <= values[key] <= high
    assert 0.0 <= draws.p_negative <= 1.0
    # Parameter uncertainty is wider than replicate noise alone.
    assert np.ptp(draws.enpv) > body.recommended.appraisal.enpv_at_rate.p95 - body.recommended.appraisal.enpv_at_rate.p5


def test_a_switching_value_of_participation_is_where_a_rerun_of_the_model_gives_zero(results):
    """Benefit values chosen so that ENPV crosses zero between the runs; the
    model run again at the interpolated switching value (other members, so
    other draws: replicate noise does not cancel) gives an ENPV whose mean is
    within three standard errors of zero."""
    ds = results.to_xarray()
    params = report_data.parameters(ds)
    name, seed, replicates = "codev-share-70", results.seed, 6
    run = uncertainty.run_levers(ds, params, name, BASELINE, replicates=replicates, seed=seed)["participation"]
    b, c = np.array(run.pv_benefits), np.array(run.pv_costs)
    k = float(np.mean((c / b)[[0, -1]]))  # the factor on the benefit values midway between the ends' zeros
    net = k * b - c
    assert net[0] * net[-1] < 0, "the chosen values make ENPV cross zero within the runs"
    switching = uncertainty.crossing(run.multipliers, tuple(net))
    assert 0.25 < switching < 1.0
    # The rerun, through the brief's own steps: both scenarios with membership scaled, paired.
    texts = {s: str(ds["scenario_toml"].sel(scenario=s).values) for s in (name, BASELINE)}
    scaled = [
        uncertainty._scenario(
            texts[s], f"{s}-at", {"associations.member_share": params[s]["associations"]["member_share"] * switching}
        )
        for s in (BASELINE, name)
    ]
    _, again_ds, again_params = uncertainty._run(scaled, replicates, seed)
    terms = economics.Terms.of(params[name])
    valued = economics.Terms(terms.discount_rate, {s: v * k for s, v in terms.benefit.items()})
    added = report_data.paired(indicators_table(again_ds)["people_reached"], f"{name}-at", f"{BASELINE}-at").values
    at = economics.appraise(again_ds, f"{name}-at", f"{BASELINE}-at", again_params, added, valued)
    each = economics.present_value(at.flows["net"].values, terms.discount_rate)
    assert abs(each.mean()) < 3 * each.std(ddof=1) / math.sqrt(replicates), (each.mean(), each.std(ddof=1))


def test_grant_element_of_a_hand_computed_loan():
    # Drawn at once, interest only, repaid in one year after a year of grace: at the loan's own rate
    # (discounted monthly, as the service is paid) the grant element is about 0.
    terms = {"disbursement": [1.0], "interest_rate": 0.06, "grace_years": 1, "tenor_years": 2}
    assert appraisal.grant_element(terms, (1 + 0.06 / 12) ** 12 - 1) == pytest.approx(0.0, abs=1e-9)
    # A loan at 0 % is worth more the higher the discount rate.
    free = {"disbursement": [1.0], "interest_rate": 0.0, "grace_years": 5, "tenor_years": 30}
    assert 0 < appraisal.grant_element(free, 0.05) < appraisal.grant_element(free, 0.10) < 1


def test_the_framework_targets_are_bands_of_the_replicates(results, body):
    ds = results.to_xarray()
    row = next(r for r in body.framework if r.key == "people_served")
    last = body.framework_years[-1]
    served = report_data.year_end_stock(ds, body.recommended.name, "people_served").sel(year=last).values
    target = row.targets[last]
    assert target.mean == pytest.approx(served.mean())
    assert target.low == pytest.approx(np.percentile(served, 10)) and target.high == pytest.approx(
        np.percentile(served, 90)
    )


def test_the_risk_matrix_names_the_main_risk_as_its_largest_loss(body):
    rated = [r for r in body.risks if math.isfinite(r.enpv_change)]
    assert body.main_risk is min(rated, key=lambda r: r.enpv_change)
    keys = {r.key for r in body.risks}
    assert {"remittances", "participation", "delays", "costs", "benefits", "unspent"} <= keys
    assert "recession_run" not in keys  # the file has the baseline under a recession, not an option


def test_a_risk_run_of_an_option_is_appraised_against_the_baseline_under_the_same_risk(results, body):
    """The codev rule with higher failure hazards against the baseline with the
    same hazards: the change in the option's ENPV, not the world's."""
    brief = _brief(results, BASELINE, "en", None, None, None)
    share = next(o for o in body.options if o.name == "codev-share-70")
    (row,) = [r for r in appraisal.risks(share, {}, brief) if r.key == "failure_run"]
    ds = results.to_xarray()
    params = report_data.parameters(ds)
    fragile, base = "codev-share-70-fragile", "mali-kayes-baseline-fragile"
    added = report_data.paired(indicators_table(ds)["people_reached"], fragile, base).values
    under = economics.appraise(ds, fragile, base, params, added, share.terms)
    assert row.enpv_change == pytest.approx(under.enpv_at_rate.mean - share.appraisal.enpv_at_rate.mean)


# ---- the page ------------------------------------------------------------------------------------


def test_page_one_says_what_is_recommended_asked_and_bought(pages, body):
    for lang, path in pages.items():
        text = path.read_text(encoding="utf-8")
        summary = text.split('<section id="options">')[0]
        assert 'id="recommendation"' in summary and 'id="main-risk"' in summary
        for indicator in ("programme_money", "additional_people_reached", "cost_per_additional_person_reached", "enpv"):
            assert f'data-indicator="{indicator}"' in summary, (lang, indicator)
        assert "codev run" not in text and "scenarios/" not in text.split('<section class="method"')[0]


@needs_chromium
def test_the_french_page_in_chromium_has_no_console_error(pages, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (a dev dependency) is not installed")
    errors = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=BROWSER_ARGS)
        try:
            page = browser.new_page(viewport={"width": 900, "height": 1273})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(pages["fr"].resolve().as_uri(), wait_until="load")
            heading = page.inner_text("#summary h2")
            shown = page.inner_text("body")
        finally:
            browser.close()
    assert errors == []
    assert heading == "Résumé"
    assert "Risque principal." in shown and "VANE" in shown
    assert not re.search(r"&(#x?[0-9a-fA-F]+|amp|lt|gt|quot);", shown)


@needs_chromium
def test_printed_on_a4_no_table_is_wider_than_the_page(pages):
    """Laid out for print at the width of an A4 page between its margins
    (184 mm, 695 CSS pixels), every table fits: a wide one would be cut off
    on paper, where nothing scrolls."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (a dev dependency) is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=BROWSER_ARGS)
        try:
            for lang, path in pages.items():
                page = browser.new_page(viewport={"width": 695, "height": 1000})
                page.emulate_media(media="print")
                page.goto(path.resolve().as_uri(), wait_until="load")
                wide = page.eval_on_selector_all(
                    ".table-wrap",
                    "els => els.filter(e => e.scrollWidth > e.clientWidth + 1)"
                    ".map(e => e.querySelector('caption').innerText.slice(0, 60))",
                )
                assert wide == [], (lang, wide)
                assert page.evaluate("document.documentElement.scrollWidth") <= 695, lang
        finally:
            browser.close()


# ---- the export ----------------------------------------------------------------------------------


def test_export_writes_the_briefs_tables_as_numbers(results, body, tmp_path):
    found = export.tables(results, BASELINE, draws=4, draw_replicates=2)
    for name in (
        "economics",
        "incremental_flows",
        "uncertainty",
        "switching_values",
        "results_framework",
        "financing",
        "risks",
    ):
        assert name in found and not found[name].empty, name
    economics_table = found["economics"]
    rec = body.recommended
    assert economics_table.loc[rec.name, f"ENPV at {rec.terms.discount_rate:.0%} [XOF] mean"] == pytest.approx(
        rec.appraisal.enpv_at_rate.mean
    )
    np.testing.assert_allclose(found["uncertainty"]["ENPV [XOF]"].values, body.draws.enpv.ravel())
    for frame in found.values():  # numbers in cells, never "60 [53 - 67]"
        for column in frame.columns:
            if frame[column].dtype == object:
                assert not frame[column].astype(str).str.contains(r"\[.*–.*\]").any(), column
    written = export.write_xlsx(found, tmp_path / "brief.xlsx")
    import openpyxl

    sheets = openpyxl.load_workbook(written, read_only=True).sheetnames
    assert {"economics", "results_framework", "risks", "financing"} <= set(sheets)


# ---- titles in the scenario files ----------------------------------------------------------------


def test_every_shipped_scenario_has_a_title_and_description_in_both_languages():
    for path in sorted((ROOT / "scenarios").glob("*.toml")):
        scenario = codev.Scenario.load(path)
        for key in ("title", "description"):
            text = scenario.get(key)
            assert text.get("en") and text.get("fr"), (path.name, key)


def test_a_title_is_not_inherited_and_a_bad_one_is_refused(tmp_path):
    child = tmp_path / "child.toml"
    child.write_text(f'extends = "{ROOT / "scenarios" / "codev-share-70.toml"}"\n', encoding="utf-8")
    assert "title" not in codev.Scenario.load(child).to_dict()
    assert codev.Scenario.load(child).get("appraisal.discount_rate") == 0.12  # the appraisal is inherited
    bad = tmp_path / "bad.toml"
    for text, message in (
        ('title = { en = "x", de = "y" }\n', "title.de: is not a language of the report"),
        ('title = { fr = "x" }\n', "title: needs its English text (en)"),
        ("[appraisal]\nbenefit_range = [2, 1]\n", "appraisal.benefit_range: needs [low, high] with low <= high"),
        ('[appraisal]\nuncertain = { "nope" = [1, 2] }\n', "is not a dotted key of the scenario"),
        ("[appraisal]\ndiscount_rate = 1.5\n", "appraisal.discount_rate"),
    ):
        bad.write_text(f'extends = "{ROOT / "scenarios" / "codev-share-70.toml"}"\n{text}', encoding="utf-8")
        done = subprocess.run([codev_command(), "validate", str(bad)], capture_output=True, text=True, check=False)
        assert done.returncode != 0 and message in done.stderr, (text, done.stderr)
        assert done.stderr.count("\n") == 1


def test_an_uncertain_key_the_scenario_lacks_is_one_clear_error(results, tmp_path):
    ds = results.to_xarray()
    params = report_data.parameters(ds)
    params[BASELINE] = {**params[BASELINE], "appraisal": {**params[BASELINE]["appraisal"]}}
    params[BASELINE]["appraisal"]["uncertain"] = {"associations.no_such_key": [0.0, 1.0]}
    with pytest.raises(ValueError, match=r"'associations\.no_such_key' is not a key of scenario"):
        uncertainty.run_draws(ds, params, "codev-share-70", BASELINE, draws=1, replicates=1, seed=1)
