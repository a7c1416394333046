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


def test_the_readme_picture_of_the_brief_is_newer_than_the_last_changed_results(tmp_path):
    script = load_script("brief_screenshot")
    stamp = json.loads((ROOT / "docs" / "brief-first-page.json").read_text(encoding="utf-8"))
    entries = script.changed_results_entries(ROOT / "CHANGELOG.md")
    assert stamp["changed_results_entries"] == entries, (
        "CHANGELOG.md has Changed results entries the picture predates: run scripts/quickstart.sh, then "
        ".venv/bin/python scripts/brief_screenshot.py results/brief.html docs/brief-first-page.png"
    )
    assert stamp.get("brief_sources") == script.brief_source_hash(ROOT), (
        "the brief's template, catalogues or style changed since the picture was taken: run scripts/quickstart.sh, "
        "then .venv/bin/python scripts/brief_screenshot.py results/brief.html docs/brief-first-page.png"
    )
    # The counter counts entries of every Changed results section, and nothing else.
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text(
        "## [2]\n### Added\n- a\n### Changed results\n- b\n  more\n- c\n## [1]\n"
        "### Changed results\n- d\n### Fixed\n- e\n",
        encoding="utf-8",
    )
    assert script.changed_results_entries(changelog) == 3
