"""The documents' pictures follow the model: README.md's picture of the brief
is taken again after every change that moves results or the brief's page."""

import importlib.util
import json

from conftest import ROOT


def load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_pictures_of_the_brief_are_newer_than_the_last_changed_results_and_the_briefs_page(tmp_path):
    script = load_script("brief_screenshot")
    entries = script.changed_results_entries(ROOT / "CHANGELOG.md")
    stamps = sorted((ROOT / "docs").glob("brief-first-page*.json"))
    assert [p.name for p in stamps] == ["brief-first-page-fr.json", "brief-first-page.json"]
    for path in stamps:
        stamp = json.loads(path.read_text(encoding="utf-8"))
        again = "run scripts/quickstart.sh, then scripts/brief_screenshot.py (docs/report.md, 'The screenshot')"
        assert stamp["changed_results_entries"] == entries, (
            f"{path.name}: CHANGELOG.md has Changed results entries the picture predates: {again}"
        )
        assert stamp.get("brief_sources") == script.brief_source_hash(ROOT), (
            f"{path.name}: the brief's template, catalogues or style changed since the picture was taken: {again}"
        )
    # The counter counts entries of every Changed results section, and nothing else.
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text(
        "## [2]\n### Added\n- a\n### Changed results\n- b\n  more\n- c\n## [1]\n"
        "### Changed results\n- d\n### Fixed\n- e\n",
        encoding="utf-8",
    )
    assert script.changed_results_entries(changelog) == 3
