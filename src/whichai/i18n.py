"""Every text whichai shows, read from gettext message catalogs: ``text(key, lang, **params)``.

The catalogs are ``whichai/locale/<lang>/LC_MESSAGES/whichai.po`` (one file per language, edited by
translators) compiled to ``whichai.mo`` by ``tools/compile_locales.py``; the standard library's
:mod:`gettext` reads the ``.mo`` files, so nothing beyond Python is needed at run time.

A message's ``msgid`` is its symbolic key (``ex.shutdown``) and its ``msgctxt`` the table it belongs to
(``decide``, ``report``, ``form``, ``form.section``, ``candidates``): the same key may mean different
texts in two tables (``verdict.closed`` is "closed source" in a sentence and "Closed source" as a
heading). A text missing in a language falls back to English, then to the key itself. A language is
a folder: adding ``locale/fr/LC_MESSAGES/whichai.po`` (and its ``.mo``) adds French.
"""

from __future__ import annotations

import functools
import gettext
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "whichai"
SOURCE_LANG = "en"
_CTX = "\x04"  # gettext's separator of msgctxt and msgid in a compiled catalog


def languages(locale_dir: Path = LOCALE_DIR) -> tuple[str, ...]:
    """The languages with a compiled catalog, English first."""
    found = sorted(p.parent.parent.name for p in locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return tuple(sorted(found, key=lambda lang: lang != SOURCE_LANG))


@functools.cache
def translations(lang: str, locale_dir: Path = LOCALE_DIR) -> gettext.NullTranslations:
    """The catalog of ``lang`` with English behind it (an unknown language is English)."""
    if lang == SOURCE_LANG:
        return _read(locale_dir / SOURCE_LANG / "LC_MESSAGES" / f"{DOMAIN}.mo")
    english = translations(SOURCE_LANG, locale_dir)
    path = locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if not path.is_file():
        return english
    own = _read(path)
    own.add_fallback(english)
    return own


def _read(path: Path) -> gettext.NullTranslations:
    if not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as handle:
        return gettext.GNUTranslations(handle)


def text(key: str, lang: str = "en", /, table: str = "decide", **params: object) -> str:
    """The text ``key`` of ``table`` in ``lang``, its ``{placeholders}`` filled from ``params``."""
    message = translations(lang).pgettext(table, key)
    return message.format(**params) if params else message


def keys(table: str, lang: str = SOURCE_LANG, locale_dir: Path = LOCALE_DIR) -> dict[str, str]:
    """Every key of ``table`` that ``lang``'s own catalog translates, with its text."""
    catalog = _own(lang, locale_dir)
    prefix = table + _CTX
    return {k[len(prefix):]: v for k, v in catalog.items() if isinstance(k, str) and k.startswith(prefix)}


def pairs(table: str) -> dict[str, tuple[str, str]]:
    """``key -> (English, Bahasa Indonesia)`` for ``table``, the shape the former Python tables had
    (an untranslated Indonesian text is "", as it was)."""
    indonesian = keys(table, "id")
    return {key: (en, indonesian.get(key, "")) for key, en in keys(table).items()}


def _own(lang: str, locale_dir: Path) -> dict[object, str]:
    catalog = translations(lang, locale_dir)
    if lang != SOURCE_LANG and catalog is translations(SOURCE_LANG, locale_dir):
        return {}
    return getattr(catalog, "_catalog", {})
