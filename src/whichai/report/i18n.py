"""View labels of the report and the dashboard (headings, column names), in English and Bahasa Indonesia.

Only labels live here. What explains the decision (verdict, evidence, reasons, break-even, origin
names) is text of the decision document or of :mod:`whichai.decide.i18n`, which also formats every
number and amount; criterion names come from :mod:`whichai.criteria`. The labels are the ``report``
table of the gettext catalogs (``whichai/locale/<lang>/LC_MESSAGES/whichai.po``). ``t(key, lang)``
falls back to English, then to the key itself.
"""

from __future__ import annotations

from whichai.i18n import languages, pairs, text

LANGS = languages()

LABELS: dict[str, tuple[str, str]] = pairs("report")  # key: (English, Bahasa Indonesia), from the gettext catalogs


def t(key: str, lang: str = "en") -> str:
    return text(key, lang, "report")


def check_lang(lang: str) -> str:
    from whichai.errors import InputError

    if lang not in LANGS:
        raise InputError(f"unknown language {lang!r}. Fix: pass {' or '.join(f'--lang {x}' for x in LANGS)}.")
    return lang
