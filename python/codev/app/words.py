"""The workbench's words in English and French.

Like the brief's (:mod:`codev.report.i18n`), they are gettext catalogues,
``locale/<language>/LC_MESSAGES/app.po`` beside this module, read with Babel,
whose message ids are keys (``run_button``); the test suite checks that both
catalogues hold every key the code and the templates use. Numbers are written
as the brief writes them (:func:`codev.report.i18n.number`).
"""

import functools
from pathlib import Path

from ..report.i18n import LANGUAGES, number, percent, read_catalogue

LOCALE = Path(__file__).resolve().parent / "locale"

__all__ = ["LANGUAGES", "catalogue", "language", "number", "percent", "text"]


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    """The workbench's texts in ``lang``, by key."""
    return read_catalogue(LOCALE / language(lang) / "LC_MESSAGES" / "app.po", lang)


def language(lang: str | None) -> str:
    """``lang`` when it is a language of the workbench, else English."""
    return lang if lang in LANGUAGES else "en"


def text(key: str, lang: str, **fields) -> str:
    """The text of ``key`` in ``lang``, its ``{fields}`` filled."""
    template = catalogue(language(lang))[key]
    return template.format(**fields) if fields else template
