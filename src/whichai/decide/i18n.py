"""Every text decide shows, in English and Bahasa Indonesia (and any language with a catalog).

``t(key, lang, **params)`` formats one text of the ``decide`` table of the gettext catalogs
(``whichai/locale/<lang>/LC_MESSAGES/whichai.po``, read through :func:`whichai.i18n.text`); a missing
Indonesian text falls back to English (a test checks there are none). ``TEXTS`` is the table as
``key -> (English, Bahasa Indonesia)``. ``default_lang()`` reads the locale: LC_ALL, LC_MESSAGES or LANG
starting with ``id`` gives Indonesian.
"""

from __future__ import annotations

import os

from whichai.i18n import languages, pairs, text

LANGS = languages()

TEXTS: dict[str, tuple[str, str]] = pairs("decide")


def default_lang() -> str:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return value[:2].lower() if value[:2].lower() in LANGS else "en"
    return "en"


def normalise_lang(lang: str | None) -> str:
    if not lang:
        return default_lang()
    lang = lang.lower()
    if lang not in LANGS:
        from whichai.errors import InputError

        raise InputError(f"unknown language {lang!r}. Fix: pass {' or '.join(f'--lang {x}' for x in LANGS)}.")
    return lang


def t(key: str, lang: str = "en", **params: object) -> str:
    if key not in TEXTS:
        raise KeyError(key)
    return text(key, lang, "decide", **params)


def num(value: float, lang: str = "en", digits: int = 2) -> str:
    """A number in the reader's convention (1,234.5 in English; 1.234,5 in Indonesian)."""
    text = f"{value:,.{digits}f}"
    if lang == "id":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


def usd(value: float, lang: str = "en") -> str:
    digits = 2 if abs(value) < 1000 else 0
    return "$" + num(value, lang, digits)


def count(value: float, lang: str = "en") -> str:
    return num(round(value), lang, 0)


def pct(share: float, lang: str = "en") -> str:
    return num(abs(share) * 100 if abs(share) < 5e-3 else share * 100, lang, 0) + "%"
