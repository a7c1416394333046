"""The workbench in a real browser (Playwright driving Debian's Chromium)
against a real ``codev app`` process: a designer's journey from the catalogue
to a downloaded brief, a bad value refused with its message, a run cancelled,
the language switched, and no console error on any page.

The pictures of docs/app.md are taken here: ``CODEV_UPDATE_SCREENSHOTS=1``
writes them into docs/app/ (else into a temporary folder)."""

import os
import re
from pathlib import Path

import pytest

from conftest import ROOT
from test_app import serve
from test_report import BROWSER_ARGS, CHROMIUM, needs_chromium

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (a dev dependency) is not installed")
pytestmark = needs_chromium

PICTURES = ROOT / "docs" / "app"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``codev app`` on a free port, with the test-scale scenarios as the shipped ones."""
    folder = tmp_path_factory.mktemp("workbench")
    process, url = serve(folder)
    yield url, folder
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=BROWSER_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.set_default_timeout(180_000)
    yield page
    context.close()


@pytest.fixture(scope="module")
def pictures(tmp_path_factory) -> Path:
    if os.environ.get("CODEV_UPDATE_SCREENSHOTS") == "1":
        PICTURES.mkdir(exist_ok=True)
        return PICTURES
    return tmp_path_factory.mktemp("pictures")


def test_a_designer_goes_from_the_catalogue_to_a_downloaded_brief(page, server, pictures, tmp_path):
    url, folder = server
    page.goto(url + "?lang=en")
    assert page.locator("h1").inner_text() == "Compare co-financing policies"
    page.screenshot(path=pictures / "catalogue.png", full_page=True)

    # Change the codev share and the yearly budget; save them as a scenario of one's own.
    page.locator('tr[data-scenario="codev-share-70"] a', has_text="Change its levers").click()
    page.fill('[name="programmes.codev.share"]', "0.6")
    page.fill('[name="programmes.codev.budget_per_year_xof"]', "2_000_000_000")
    page.fill('[name="save_as"]', "codev-share-60")
    page.fill('[name="title_en"]', "Codevelopment rule at 60 %, 2 billion a year")
    page.fill('[name="title_fr"]', "Règle du codéveloppement à 60 %, 2 milliards par an")
    page.click("#save-button")
    page.wait_for_selector("#saved")
    saved = (folder / "scenarios" / "codev-share-60.toml").read_text()
    assert "\nshare = 0.6\n" in saved and "\nbudget_per_year_xof = 2000000000\n" in saved

    # Pick the baseline and two policies; run 20 replicates.
    page.check('input[name="baseline"][value="mali-kayes-baseline"]')
    page.check('input[name="policy"][value="codev-share-60"]')
    page.check('input[name="policy"][value="three-for-one"]')
    page.fill('[name="replicates"]', "20")
    page.click("#run-button")
    page.wait_for_selector("#effects")
    rows = page.locator("#effects tbody tr")
    assert rows.count() == 2
    first = page.locator('#effects tr[data-scenario="codev-share-60"]')
    assert first.locator("th").inner_text() == "Codevelopment rule at 60 %, 2 billion a year"
    assert first.locator(".range").count() == 6  # each effect with its 90 % range
    assert page.locator("svg.chart").count() == 4
    assert "20 replicates" in page.locator(".lead").inner_text()
    page.screenshot(path=pictures / "results.png", full_page=True)

    # The brief and the tables, then the downloads.
    page.fill('[name="draws"]', "0")
    page.click("#brief-button")
    page.wait_for_selector("#download-brief-html", timeout=300_000)
    with page.expect_download() as download:
        page.click("#download-brief-html")
    brief = tmp_path / "brief.html"
    download.value.save_as(brief)
    assert "Codevelopment rule at 60 %, 2 billion a year" in brief.read_text(encoding="utf-8")
    for name in ("results-h5", "tables-xlsx", "brief-pdf"):
        with page.expect_download() as download:
            page.click(f"#download-{name}")
        assert download.value.suggested_filename.endswith(name.replace("-", "."))
    assert page.errors == []


def test_a_bad_value_is_refused_with_its_message(page, server, pictures):
    url, folder = server
    page.goto(url + "scenarios/codev-share-70?lang=en")
    page.fill('[name="programmes.codev.share"]', "1.5")
    page.fill('[name="save_as"]', "never-saved")
    page.click("#save-button")
    message = page.locator(".field.invalid .problem")
    assert message.inner_text() == "programmes.codev.share: 1.5 is out of range (allowed: 0 to 1)"
    assert page.locator('[name="programmes.codev.share"]').input_value() == "1.5"  # what was typed stays
    assert not (folder / "scenarios" / "never-saved.toml").exists()
    page.locator(".field.invalid").scroll_into_view_if_needed()
    page.screenshot(path=pictures / "bad-value.png")
    assert page.errors == []


def test_a_run_shows_its_progress_and_can_be_cancelled(page, server, pictures):
    url, _ = server
    page.goto(url + "?lang=en")
    page.check('input[name="policy"][value="codev-share-70"]')
    page.fill('[name="replicates"]', "1000")
    page.click("#run-button")
    progress = page.locator("#progress")
    page.wait_for_function("document.getElementById('progress').value > 0")
    assert float(progress.get_attribute("max")) >= 1000 * 12
    assert "months simulated" in page.locator("#progress-text").inner_text()
    page.screenshot(path=pictures / "progress.png")
    page.click("#cancel-button")
    page.wait_for_selector("#run-cancelled")
    page.goto(url)
    assert page.locator("#run-button").is_enabled()
    assert page.errors == []


def test_the_language_switch_turns_every_label_french(page, server, pictures):
    url, _ = server
    page.goto(url + "?lang=en")
    page.click('nav.languages a[hreflang="fr"]')
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text() == "Comparer des politiques de cofinancement"
    assert page.locator("#run-button").inner_text() == "Simuler et comparer"
    # The French titles of the scenarios, and the language kept on the next page.
    assert "Règle du codéveloppement" in page.locator("table.catalogue").inner_text()
    page.locator('tr[data-scenario="codev-share-70"] a').click()
    assert page.locator("#save-button").inner_text() == "Vérifier et enregistrer"
    assert page.errors == []


def test_the_documentation_shows_the_pictures_taken_here():
    text = (ROOT / "docs" / "app.md").read_text(encoding="utf-8")
    named = re.findall(r"\]\((app/[a-z-]+\.png)\)", text)
    assert set(named) == {f"app/{n}.png" for n in ("catalogue", "results", "bad-value", "progress")}
    for name in named:
        assert (ROOT / "docs" / name).is_file(), name
