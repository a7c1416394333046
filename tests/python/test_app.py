"""The workbench (``codev app``, docs/app.md) without a browser: its form
checks values as the scenario loader does, saves files that load, refuses a
second run, cancels, survives a failed run and a broken file, shows the
numbers of ``Results.compare``, and speaks both languages.
tests/python/test_app_browser.py drives the same pages in Chromium."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import warnings

import pytest

import codev
from codev import _core
from codev.app import compare, levers, make_app, words
from codev.app.server import LOCAL_HOSTS
from codev.app.workspace import Workspace
from conftest import ROOT, SMALL, codev_command
from test_report import CHROMIUM

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's note on httpx versions
    from starlette.testclient import TestClient

APP = ROOT / "python" / "codev" / "app"


@pytest.fixture
def client(tmp_path, monkeypatch):
    monkeypatch.setenv("CODEV_SCENARIOS", str(SMALL))
    app = make_app(Workspace(tmp_path / "workbench"), hosts=(*LOCAL_HOSTS, "testserver"))
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
            "description": saved.get("description"),  # what it says: test_a_saved_copy_is_no_baseline...
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
    results = codev.open(next((tmp_path / "workbench" / "runs").glob("*/results.h5")))
    effects = results.compare("mali-kayes-baseline")
    for lang in ("en", "fr"):
        page = client.get(f"{run}?lang={lang}").text
        for name in ("codev-share-70", "three-for-one"):
            row = re.search(rf'<tr data-scenario="{name}">.*?</tr>', page, re.DOTALL).group(0)
            cells = re.findall(r'<span class="mean">([^<]*)</span><span class="range">([^<]*) – ([^<]*)</span>', row)
            assert len(cells) == len(compare.EFFECT_COLUMNS)
            for (column, kind), shown in zip(compare.EFFECT_COLUMNS, cells, strict=True):
                stats = effects.loc[name, column]
                digits = 0 if kind == "fcfa" or abs(stats["mean"]) >= 10 else 1
                for value, text in zip((stats["mean"], stats["p5"], stats["p95"]), shown, strict=True):
                    if kind == "share":
                        expected = words.percent(value, lang)
                    elif kind == "million":
                        expected = words.number(value / 1e6, lang, 1)
                    else:
                        expected = words.number(value, lang, digits)
                    assert text == expected, (lang, name, column)
    assert results.replicates == 6 and results.seed == 3
    for section in ("effects", "over-time", "financing", "regions", "downloads"):
        assert f'id="{section}"' in page
    assert page.count("<svg") == 4
    assert client.get(f"{run}/files/results.h5").content[:8] == b"\x89HDF\r\n\x1a\n"


def test_bad_run_requests_are_answered_in_the_page(client):
    cases = [
        ({"policy": []}, "at least one policy"),
        ({"replicates": "many"}, "Replicates: “many” is not a whole number from 1 to 1000"),
        ({"replicates": "0"}, "from 1 to 1000"),
        ({"seed": "-1"}, "Seed: “-1” is not a whole number"),
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
    assert page.status_code == 200 and "cannot be shown" in alerts(page.text)[0]
    for address, status in [
        ("/runs/20990101-000000-abcd", 404),
        ("/runs/not-a-run", 404),
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


def test_a_saved_copy_is_no_baseline_and_says_what_it_is(client, tmp_path):
    data = {"fees.formal_fee_pct": "0.03 # the G20 target", "save_as": "fees-3", "title_en": "Fees at 3 %"}
    assert client.post("/scenarios/mali-kayes-baseline", data=data, follow_redirects=False).status_code == 303
    saved = codev.Scenario.load(tmp_path / "workbench" / "scenarios" / "fees-3.toml")
    assert saved.get("fees.formal_fee_pct") == 0.03  # the comment is not part of the value
    assert saved.get("baseline") is False  # two declared baselines would make compare() ask which
    assert saved.get("description") == {
        "en": "“mali-kayes-baseline” with fees.formal_fee_pct = 0.03.",
        "fr": "« mali-kayes-baseline » avec fees.formal_fee_pct = 0.03.",
    }
    data = {"save_as": "my-baseline", "title_en": "Mine", "baseline": "true", "description_en": "Kayes, as I see it"}
    client.post("/scenarios/mali-kayes-baseline", data=data)
    mine = codev.Scenario.load(tmp_path / "workbench" / "scenarios" / "my-baseline.toml")
    assert mine.get("baseline") is True and mine.get("description.en") == "Kayes, as I see it"


def test_a_scenario_whose_parent_changes_is_checked_again(client, tmp_path):
    own = tmp_path / "workbench" / "scenarios"
    (own / "parent.toml").write_text(f'extends = "{SMALL / "codev-share-70.toml"}"\n')
    (own / "child.toml").write_text('extends = "parent.toml"\n')
    assert 'class="broken"' not in re.search(
        r'<tr data-scenario="child".*?</tr>', client.get("/").text, re.DOTALL
    ).group(0)
    time.sleep(0.01)
    (own / "parent.toml").write_text(f'extends = "{SMALL / "codev-share-70.toml"}"\nmonths = 0\n')
    row = re.search(r'<tr data-scenario="child".*?</tr>', client.get("/").text, re.DOTALL).group(0)
    assert 'class="broken"' in row and "months: 0 is out of range" in row
    answer = start(client, policies=["child"])
    assert answer.status_code == 200 and "does not load" in alerts(answer.text)[0]


def test_a_run_that_cannot_be_compared_is_refused_before_it_runs(client, tmp_path):
    smaller = tmp_path / "workbench" / "scenarios" / "fewer-communes.toml"
    smaller.write_text(f'extends = "{SMALL / "codev-share-70.toml"}"\n[world]\ncommunes = 7\n')
    answer = start(client, policies=["fewer-communes"])
    assert "different numbers of communes" in alerts(answer.text)[0]
    assert client.get("/task").json() == {"state": "idle"}


def test_the_record_is_final_when_the_task_says_it_has_ended(client, tmp_path):
    run = start(client, replicates="2").headers["location"].rsplit("/", 1)[1]
    while client.get("/task").json()["state"] == "running":
        pass  # no sleep: read the record the moment the task ends
    record = json.loads((tmp_path / "workbench" / "runs" / run / "run.json").read_text())
    assert record["state"] == "done"


def test_a_damaged_run_record_is_skipped_not_fatal(client, tmp_path):
    run = start(client, replicates="2").headers["location"]
    wait_idle(client)
    record = next((tmp_path / "workbench" / "runs").glob("*/run.json"))
    for damaged in ('{"state": "done"}', "[]", "{"):
        record.write_text(damaged)
        assert client.get("/").status_code == 200
        page = client.get(run)
        assert page.status_code == 404 and "not one the workbench wrote" in alerts(page.text)[0]


def test_the_brief_replaces_its_files_as_one_set_and_is_not_cancelled(client, tmp_path):
    run = start(client, replicates="2").headers["location"]
    wait_idle(client)
    folder = next((tmp_path / "workbench" / "runs").glob("*/"))
    (folder / "brief.pdf").write_text("an older brief's PDF")
    assert client.post(f"{run}/brief", data={"draws": "0"}, follow_redirects=False).status_code == 303
    page = client.get(run).text
    assert 'id="cancel-button"' not in page and 'id="effects"' in page  # the results stay in view
    client.post("/task/cancel")
    assert wait_idle(client)["state"] == "done"
    made = sorted(p.name for p in folder.iterdir())
    assert "brief.html" in made and "tables.xlsx" in made and "brief-in-progress" not in made
    assert (folder / "brief.pdf").read_bytes()[:4] == b"%PDF" if CHROMIUM else not (folder / "brief.pdf").exists()
    page = client.post(f"{run}/brief?lang=fr", data={"draws": "many"}).text
    assert "Tirages de paramètres : « many » n'est pas un nombre entier de 0 à 64." in alerts(page)


def test_only_this_computers_pages_may_drive_it(client, tmp_path):
    data = {"save_as": "planted", "title_en": "Planted"}
    foreign = client.post("/scenarios/codev-share-70", data=data, headers={"Origin": "http://evil.example"})
    assert foreign.status_code == 403
    cross = client.post("/scenarios/codev-share-70", data=data, headers={"Sec-Fetch-Site": "cross-site"})
    assert cross.status_code == 403
    assert client.get("/", headers={"Host": "evil.example:8050"}).status_code == 403  # DNS rebinding
    assert not (tmp_path / "workbench" / "scenarios" / "planted.toml").exists()
    same = client.post("/scenarios/codev-share-70", data=data, headers={"Origin": "http://testserver"})
    assert same.status_code == 200 and (tmp_path / "workbench" / "scenarios" / "planted.toml").exists()


def serve(folder) -> tuple[subprocess.Popen, str]:
    """A real ``codev app`` process on a free port, with the test-scale
    scenarios as the shipped ones, and the address it serves."""
    env = dict(os.environ, CODEV_PYTHON=sys.executable, CODEV_SCENARIOS=str(SMALL))
    process = subprocess.Popen(
        [codev_command(), "app", "--port", "0", "--no-browser", "--folder", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    line = process.stdout.readline()
    found = re.search(r"serving (http://127\.0\.0\.1:\d+/)", line)
    if not found:
        process.kill()
        raise AssertionError(f"codev app did not start: {line}{process.stderr.read()}")
    return process, found.group(1)


def test_ctrl_c_during_a_run_stops_it_and_records_it_cancelled(tmp_path):
    import httpx

    process, url = serve(tmp_path)
    try:
        data = {"baseline": "mali-kayes-baseline", "policy": "codev-share-70", "replicates": "1000", "seed": "0"}
        assert httpx.post(url + "runs", data=data).status_code == 303
        deadline = time.monotonic() + 60
        while httpx.get(url + "task").json()["done"] == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=120)
    finally:
        process.kill()
    assert process.returncode == 0, errors
    assert "terminate called" not in errors and "Traceback" not in errors
    (record,) = (tmp_path / "runs").glob("*/run.json")
    assert json.loads(record.read_text())["state"] == "cancelled"
    assert not list((tmp_path / "runs").glob("*/results.h5"))


def test_the_baseline_ticked_at_first_is_the_one_most_scenarios_extend_then_the_last_runs(tmp_path, monkeypatch):
    shipped = tmp_path / "shipped"
    shipped.mkdir()
    small = SMALL / "mali-kayes-baseline.toml"
    (shipped / "kayes.toml").write_text(f'extends = "{small}"\nbaseline = true\n')
    (shipped / "a-baseline.toml").write_text(f'extends = "{small}"\nbaseline = true\n')
    for policy in ("p1", "p2"):
        (shipped / f"{policy}.toml").write_text('extends = "kayes.toml"\n')
    monkeypatch.setenv("CODEV_SCENARIOS", str(shipped))
    app = make_app(Workspace(tmp_path / "workbench"), hosts=(*LOCAL_HOSTS, "testserver"))
    with TestClient(app, raise_server_exceptions=False) as c:

        def ticked() -> str:
            return re.search(r'name="baseline" value="([^"]+)"[^>]*checked', c.get("/").text).group(1)

        assert ticked() == "kayes"  # two scenarios extend it, none the other
        c.post("/runs", data={"baseline": "a-baseline", "policy": "p1", "replicates": "1", "seed": "0"})
        wait_idle(c)
        assert ticked() == "a-baseline"
