"""Takes the picture of the funding brief's first screen that README.md shows
(docs/brief-first-page.png), from a brief the current model wrote:

    .venv/bin/python scripts/brief_screenshot.py results/brief.html docs/brief-first-page.png

`scripts/quickstart.sh` writes results/brief.html from the README's run. The
picture is taken with Playwright driving Debian's Chromium (never a
downloaded browser), offline, at 900 x 1273 pixels (an A4 page's proportions).
Beside it, OUT with .json holds how many "Changed results" entries CHANGELOG.md
had when it was taken, and a hash of the brief's own sources (its template,
its catalogues, its style): tests/python/test_docs.py fails once a later
entry (a change that moved results) or a change to the brief's page is not
followed by a new picture.
"""

import argparse
import hashlib
import json
import re
import sys
import tempfile
from pathlib import Path

from codev.report import BROWSER_FLAGS, find_chromium


def changed_results_entries(changelog: Path) -> int:
    """The entries (top-level "- " lines) of every "### Changed results" section."""
    count, inside = 0, False
    for line in changelog.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            inside = bool(re.match(r"###\s+Changed results\s*$", line))
        elif inside and line.startswith("- "):
            count += 1
    return count


#: The files that decide how the brief's first page looks, under python/codev/report/.
BRIEF_SOURCES = ("templates/*.j2", "locale/*/LC_MESSAGES/brief.po", "page.py")


def brief_source_hash(root: Path) -> str:
    """SHA-256 over the brief's template, catalogues and style sheet, by path."""
    report = root / "python" / "codev" / "report"
    digest = hashlib.sha256()
    for path in sorted(p for pattern in BRIEF_SOURCES for p in report.glob(pattern)):
        digest.update(path.relative_to(report).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def screenshot(brief: Path, out: Path, width: int = 900, height: int = 1273) -> None:
    from playwright.sync_api import sync_playwright

    chromium = find_chromium()
    if chromium is None:
        raise SystemExit("brief_screenshot: Debian's chromium is not installed")
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=chromium,
            headless=True,
            args=list(BROWSER_FLAGS),
            viewport={"width": width, "height": height},
            offline=True,
        )
        try:
            page = context.new_page()
            page.goto(brief.resolve().as_uri(), wait_until="load")
            page.screenshot(path=str(out))
        finally:
            context.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("brief", type=Path, help="the brief (HTML) written by codev report")
    parser.add_argument("out", type=Path, help="the PNG to write")
    args = parser.parse_args(argv)
    if not args.brief.is_file():
        print(f"brief_screenshot: no brief at {args.brief}", file=sys.stderr)
        return 2
    screenshot(args.brief, args.out)
    root = Path(__file__).resolve().parents[1]
    stamp = {
        "changed_results_entries": changed_results_entries(root / "CHANGELOG.md"),
        "brief_sources": brief_source_hash(root),
        "brief": args.brief.name,
    }
    args.out.with_suffix(".json").write_text(json.dumps(stamp, indent=1) + "\n", encoding="utf-8")
    print(f"brief_screenshot: wrote {args.out} and {args.out.with_suffix('.json')}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
