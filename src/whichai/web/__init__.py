"""``whichai serve``: a local dashboard over the same SQLite database as the CLI.

Server-rendered pages (Jinja2, autoescaped; the report's own views), no external CDN: plotly.js is
served from the installed plotly package. Binds loopback by default and answers only to the names
it is bound to (DNS rebinding); when a token is set, every request must carry it (``?token=``, a
``Bearer`` header, or the cookie set after the first). Every response carries a strict CSP and the
other security headers (:mod:`whichai.web.security`). Profiles are loaded by name only: built-in
ones and those saved through the dashboard (:mod:`whichai.web.profiles`).
See :func:`whichai.web.app.create_app`.
"""

from __future__ import annotations

from typing import Any


def create_app(db_path: Any, token: str | None = None, lang: str = "en", host: str | None = None, **options: Any) -> Any:
    """``options``: ``report_slots`` (report pages built at once; more are answered 503)."""
    from whichai.web.app import create_app as _create

    return _create(db_path, token=token, lang=lang, host=host, **options)


__all__ = ["create_app"]
