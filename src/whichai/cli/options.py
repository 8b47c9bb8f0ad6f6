"""Options several commands share, defined once (one validation, one default, one help text)."""

from __future__ import annotations

from typing import Any

import typer


def _language(value: str | None) -> str:
    """``--lang``: en or id, lower-cased; without it, the locale's (LC_ALL, LC_MESSAGES, LANG), else en."""
    from whichai.decide.i18n import normalise_lang

    return normalise_lang(value)


def lang_option(what: str) -> Any:
    """The ``--lang`` option of a command whose ``what`` (e.g. "the explanation") is written in en or id."""
    return typer.Option(None, "--lang", callback=_language, show_default=False,
                        help=f"Language of {what}: en or id (default: from the locale, LC_ALL / LC_MESSAGES / LANG; else en).")
