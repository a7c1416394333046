"""The words of the funding brief (``codev.report``) in English and French,
from gettext catalogues, and the way each language writes numbers.

The catalogues are ``locale/<language>/LC_MESSAGES/brief.po`` beside this
module, read with Babel. Their message ids are *keys* (``exec_title``), not
English sentences: the brief's sentences are long, change with the model, and
carry fields, and a key lets the code, the templates and both catalogues name
one text the same way while the English text is edited like the French one.
Every text the brief shows, charts included, is a key; a text's ``{fields}``
are filled by :func:`text`. A new language adds one catalogue; the test suite
checks that every catalogue has every key the code and templates use, each
translated, and the same fields in each language.
"""

import functools
import math
from pathlib import Path

from babel.messages.pofile import read_po

LANGUAGES = ("en", "fr")
LOCALE = Path(__file__).resolve().parent / "locale"


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    """The texts of ``lang`` by key."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang: '{lang}' is not a language of the brief (allowed: {', '.join(LANGUAGES)})")
    return read_catalogue(LOCALE / lang / "LC_MESSAGES" / "brief.po", lang)


def read_catalogue(path: Path, lang: str) -> dict[str, str]:
    """The translated, not fuzzy, texts of one gettext catalogue by key (the
    brief's, and the workbench's: codev.app.words)."""
    with open(path, "rb") as f:
        read = read_po(f, locale=lang)
    return {str(m.id): str(m.string) for m in read if m.id and m.string and not m.fuzzy}


def text(key: str, lang: str, **fields) -> str:
    """The text of ``key`` in ``lang``, its ``{fields}`` filled."""
    template = catalogue(lang)[key]
    return template.format(**fields) if fields else template


def has_text(key: str, lang: str = "en") -> bool:
    return key in catalogue(lang)


def number(value, lang: str, digits: int = 0) -> str:
    """``value`` with ``digits`` decimals and the language's separators: 12,345.6
    in English, 12 345,6 in French (narrow no-break space); a minus sign for
    negative numbers; a dash for NaN; ∞ for an unbounded value (a cost per
    additional person where some replicates add nobody)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return text("not_available", lang)
    value = float(value)
    if math.isinf(value):
        return ("\u2212" if value < 0 else "") + "∞"
    if round(value, digits) == 0:
        value = 0.0  # no "-0"
    written = f"{abs(value):,.{digits}f}"
    if lang == "fr":
        written = written.replace(",", "\u202f").replace(".", ",")
    return ("\u2212" if value < 0 else "") + written


def percent(share, lang: str, digits: int = 1) -> str:
    """A share (0..1) as a percentage: 12.5% in English, 12,5 % in French."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return text("not_available", lang)
    return number(100.0 * share, lang, digits) + ("\u202f%" if lang == "fr" else "%")
