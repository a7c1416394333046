"""The workbench (``codev app``, docs/app.md) without a browser: its form
checks values as the scenario loader does, saves files that load, refuses a
second run, cancels, survives a failed run and a broken file, shows the
numbers of ``Results.compare``, and speaks both languages.
tests/python/test_app_browser.py drives the same pages in Chromium."""

import re
import socket
import subprocess
import sys
import time
import warnings

import pytest

import codev
from codev import _core
from codev.app import levers, make_app, words
from codev.app.workspace import Workspace
from conftest import ROOT, SMALL, codev_command

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's note on httpx versions
    from starlette.testclient import TestClient

APP = ROOT / "python" / "codev" / "app"


@pytest.fixture
def client(tmp_path, monkeypatch):
    monkeypatch.setenv("CODEV_SCENARIOS", str(SMALL))
    app = make_app(Workspace(tmp_path / "workbench"))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c
    app.state.pages.tasks.cancel()


def alerts(page: str) -> list[str]:
    return [re.sub(r"&#3?9;", "'", m) for m in re.findall(r'role="alert"[^>]*>([^<]*)<', page)]


def wait_idle(client, seconds: float = 300.0) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status = client.get("/task").json()
        if status["state"] != "running":
            return status
        time.sleep(0.2)
    raise AssertionError("the task did not end")


def start(client, policies=("codev-share-70", "three-for-one"), replicates="4", **extra):
    data = {"baseline": "mali-kayes-baseline", "policy": list(policies), "replicates": replicates, "seed": "3"}
    return client.post("/runs", data=data | extra, follow_redirects=False)


# ---- the catalogue ------------------------------------------------------------------------


def test_the_catalogue_lists_shipped_and_own_scenarios_by_title_in_both_languages(client, tmp_path):
    (tmp_path / "workbench" / "scenarios" / "broken.toml").write_text('extends = "nowhere.toml"\n')
    (tmp_path / "workbench" / "scenarios" / "three-for-one.toml").write_text("months = 12\n")
    english, french = client.get("/").text, client.get("/?lang=fr").text
    for name in codev.Scenario.load(SMALL / "codev-share-70.toml").name, "mali-kayes-baseline":
        title = codev.Scenario.load(SMALL / f"{name}.toml").get("title")
        assert title["en"] in english and title["fr"].replace("'", "&#39;") in french
    # A file that does not load is listed with the loader's message, and cannot be picked.
    row = re.search(r'<tr data-scenario="broken" class="broken">.*?</tr>', english, re.DOTALL).group(0)
    assert "nowhere.toml" in row and "disabled" in row
    # A file named like a shipped scenario is flagged, not run in its place.
    assert english.count('data-scenario="three-for-one"') == 2
    assert "has the name of a shipped scenario" in english


# ---- the form -------------------------------------------------------------------------------


def test_the_form_fields_come_from_the_scenario_schema(client):
    docs = {(d["table"], d["key"]): d for d in _core.parameter_docs()}
    share = docs[("programmes.*", "share")]
    assert share["unit"] == "share of cost" and share["allowed"] == "0 to 1"
    fields = {f.key: f for f in levers.fields(codev.Scenario.load(SMALL / "codev-share-70.toml"))}
    assert fields["programmes.codev.share"].allowed == "0 to 1"
    assert fields["programmes.codev.share"].value == "0.7"
    assert fields["programmes.codev.selection"].choices == ('"first_come"', '"need_ranked"', '"lottery"')
    page = client.get("/scenarios/codev-share-70").text
    assert 'name="programmes.codev.budget_per_year_xof"' in page and "XOF/year" in page
    # Every lever the form names is in the schema (a renamed key fails here, not in a designer's page).
    for table, keys in levers.LEVERS.items():
        for key in keys:
            assert (table, key) in docs


def test_a_bad_value_gets_the_message_codev_validate_gives(client, tmp_path):
    page = client.post("/scenarios/codev-share-70", data={"programmes.codev.share": "1.5", "save_as": "x"})
    assert page.status_code == 200  # the form again, with the message
    shown = alerts(page.text)
    file = tmp_path / "bad.toml"
    file.write_text(f'extends = "{SMALL / "codev-share-70.toml"}"\n[programmes.codev]\nshare = 1.5\n')
    validate = subprocess.run([codev_command(), "validate", str(file)], capture_output=True, text=True, check=False)
    said = validate.stderr.strip().split(": ", 3)[-1]  # codev: error: FILE:LINE: KEY: problem
    assert validate.returncode == 2 and said.startswith("programmes.codev.share: 1.5 is out of range")
    assert said in shown
    assert not (tmp_path / "workbench" / "scenarios" / "x.toml").exists()
    # Text that is no value at all, and an emptied field, are answered too.
    page = client.post("/scenarios/codev-share-70", data={"programmes.codev.share": "0,5", "save_as": "x"})
    assert any("“0,5” is not a value" in a for a in alerts(page.text))
    page = client.post("/scenarios/codev-share-70", data={"programmes.codev.cap_xof": " ", "save_as": "x"})
    assert "needs a value" in alerts(page.text)


def test_values_checked_together_change_together_and_the_saved_file_loads(client, tmp_path):
    # 0.5 + 0.45 is allowed; 0.7 + 0.45 (one value at a time) is not.
    data = {
        "programmes.codev.share": "0.5",
        "programmes.codev.commune_share": "0.45",
        "programmes.codev.budget_per_year_xof": "2_000_000_000",
        "save_as": "codev-half",
        "title_en": "Half the cost",
        "title_fr": "",
    }
    answer = client.post("/scenarios/codev-share-70", data=data, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/?saved=codev-half"
    saved = codev.Scenario.load(tmp_path / "workbench" / "scenarios" / "codev-half.toml")
    expected = codev.Scenario.load(SMALL / "codev-share-70.toml").with_(
        {
            "programmes.codev.share": 0.5,
            "programmes.codev.commune_share": 0.45,
            "programmes.codev.budget_per_year_xof": 2_000_000_000,
            "title": {"en": "Half the cost", "fr": "Half the cost"},
        }
    )
    assert saved.to_toml() == expected.to_toml()
    assert "Changed: programmes.codev.share = 0.5" in saved.path.read_text()
    assert "Half the cost" in client.get("/").text
    # A name in use, or not a name, is refused; the file is never replaced.
    before = saved.path.read_bytes()
    for name, said in [
        ("codev-half", "exists already"),
        ("mali-kayes-baseline", "exists already"),
        ("a b", "not a file name"),
    ]:
        page = client.post("/scenarios/codev-share-70", data=data | {"save_as": name})
        assert any(said in a for a in alerts(page.text)), name
    assert saved.path.read_bytes() == before


# ---- runs -----------------------------------------------------------------------------------


def test_a_run_compares_policies_with_the_numbers_of_results_compare(client, tmp_path):
    answer = start(client, replicates="6")
    assert answer.status_code == 303
    run = answer.headers["location"]
    assert wait_idle(client)["state"] == "done"
    page = client.get(run).text
    results = codev.open(next((tmp_path / "workbench" / "runs").glob("*/results.h5")))
    effects = results.compare("mali-kayes-baseline")
    row = re.search(r'<tr data-scenario="three-for-one">.*?</tr>', page, re.DOTALL).group(0)
    means = re.findall(r'<span class="mean">([^<]*)', row)
    assert means[2] == words.number(effects.loc["three-for-one", ("additional_people_reached", "mean")], "en")
    assert means[5] == words.percent(effects.loc["three-for-one", ("budget_unspent_share", "mean")], "en")
    assert results.replicates == 6 and results.seed == 3
    for section in ("effects", "over-time", "financing", "regions", "downloads"):
        assert f'id="{section}"' in page
    assert page.count("<svg") == 4
    assert client.get(f"{run}/files/results.h5").content[:8] == b"\x89HDF\r\n\x1a\n"


def test_bad_run_requests_are_answered_in_the_page(client):
    cases = [
        ({"policy": []}, "at least one policy"),
        ({"replicates": "many"}, "replicates: “many” is not a whole number from 1 to 1000"),
        ({"replicates": "0"}, "from 1 to 1000"),
        ({"seed": "-1"}, "seed"),
        ({"policy": ["nothing-like-it"]}, "no scenario “nothing-like-it”"),
    ]
    for change, said in cases:
        data = {"baseline": "mali-kayes-baseline", "policy": ["codev-share-70"], "replicates": "2", "seed": "0"}
        page = client.post("/runs", data=data | change)
        assert any(said in a for a in alerts(page.text)), change
    assert client.get("/task").json() == {"state": "idle"}


def test_a_second_run_is_refused_and_a_run_can_be_cancelled(client, tmp_path):
    first = start(client, replicates="1000")
    assert first.status_code == 303
    second = start(client)
    assert "A run is under way" in alerts(second.text)[0]
    deadline = time.monotonic() + 60
    while client.get("/task").json()["done"] == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    page = client.post("/task/cancel", follow_redirects=True)
    assert client.get("/task").json()["state"] == "cancelled"
    assert 'id="run-cancelled"' in page.text
    assert not list((tmp_path / "workbench" / "runs").glob("*/results.h5"))
    assert start(client, replicates="2").status_code == 303  # and the workbench goes on
    assert wait_idle(client)["state"] == "done"


def test_a_failed_run_leaves_its_message_and_the_page_usable(client, monkeypatch):
    class Failing:
        months_done = months_total = 0

        def wait(self, seconds):
            return True

        def result(self):
            raise RuntimeError("invariant broken: money not conserved (a test)")

    monkeypatch.setattr(codev.ensemble, "start", lambda *args: Failing())
    run = start(client).headers["location"]
    assert wait_idle(client)["state"] == "failed"
    page = client.get(run)
    assert page.status_code == 200
    assert "The run failed: invariant broken: money not conserved (a test)" in alerts(page.text)
    assert client.get("/").status_code == 200


def test_a_broken_results_file_and_bad_addresses_get_a_page_not_a_traceback(client, tmp_path):
    run = start(client, replicates="2").headers["location"]
    wait_idle(client)
    next((tmp_path / "workbench" / "runs").glob("*/results.h5")).write_bytes(b"not a results file")
    page = client.get(run)
    assert page.status_code == 200 and "cannot be read" in alerts(page.text)[0]
    for address, status in [
        ("/runs/20990101-000000-abcd", 404),
        ("/runs/..%2F..%2Fetc", 404),
        (f"{run}/files/run.json", 404),
        ("/scenarios/nothing", 404),
        ("/no/such/page", 404),
    ]:
        answer = client.get(address)
        assert answer.status_code == status and "Traceback" not in answer.text and alerts(answer.text), address


# ---- words and the command --------------------------------------------------------------------


def _keys_used() -> set[str]:
    """Every key the templates and the code name: t("key"), text("key", ...),
    InputError("key"), and the keys made of a prefix and a known ending."""
    used = set()
    for path in [*APP.glob("templates/*.j2"), *APP.glob("*.py")]:
        source = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'\bt\(\s*["\']([a-z_]+)["\']\s*[,)]', source))
        used |= set(re.findall(r'\btext\(\s*["\']([a-z_]+)["\']', source))
        used |= set(re.findall(r'InputError\(\s*["\']([a-z_]+)["\']', source))
    made = {
        "state_": ["running", "done", "failed", "cancelled"],
        "busy_banner_": ["run", "brief"],
        "running_": ["run", "brief"],
        "progress_": ["run", "brief"],
        "error_busy_": ["run", "brief"],
        "effect_": [c for c, _ in codev.app.compare.EFFECT_COLUMNS],
        "file_": ["results_h5", "brief_html", "brief_pdf", "tables_xlsx"],
    }
    return used | {prefix + end for prefix, ends in made.items() for end in ends}


def test_both_catalogues_hold_every_key_used_with_the_same_fields():
    english, french = words.catalogue("en"), words.catalogue("fr")
    assert set(english) == set(french)
    missing = _keys_used() - set(english)
    assert not missing, missing
    for key in english:
        assert set(re.findall(r"{(\w+)}", english[key])) == set(re.findall(r"{(\w+)}", french[key])), key


def test_the_french_page_has_no_english_label(client):
    start(client, replicates="2")
    wait_idle(client)
    run = client.get("/").text.split('href="/runs/')[1].split('"')[0]
    page = client.get(f"/runs/{run}?lang=fr").text
    assert '<html lang="fr">' in page
    english = words.catalogue("en")
    for key in (
        "effects_title",
        "over_time_title",
        "downloads_title",
        "brief_button",
        "effect_additional_people_reached",
    ):
        assert english[key] not in page and words.catalogue("fr")[key].replace("'", "&#39;") in page
    # The language sticks: the next page without ?lang= is French too.
    assert '<html lang="fr">' in client.get("/").text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_codev_app_says_what_is_wrong_in_one_line(tmp_path):
    env = {"CODEV_PYTHON": sys.executable, "PATH": "/usr/bin:/bin"}
    helped = subprocess.run([codev_command(), "app", "--help"], capture_output=True, text=True, env=env, check=False)
    assert helped.returncode == 0 and "--no-browser" in helped.stdout and "default: 8050" in helped.stdout
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        busy = subprocess.run(
            [codev_command(), "app", "--port", str(port), "--no-browser", "--folder", str(tmp_path)],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
    assert busy.returncode == 2
    assert busy.stderr.strip() == f"codev: error: app: 127.0.0.1:{port} is in use (give another with --port)"
    wrong = subprocess.run(
        [codev_command(), "app", "--port", "70000"], capture_output=True, text=True, env=env, check=False
    )
    assert wrong.returncode == 2 and wrong.stderr.count("\n") == 1 and "--port" in wrong.stderr
