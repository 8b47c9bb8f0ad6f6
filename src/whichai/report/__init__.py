"""What a person reads after a run: a self-contained HTML report with charts, and Markdown and JSON exports.

- :mod:`whichai.report.build` gathers one JSON-ready document: decide's decision document
  (``whichai.decision/1``, embedded unchanged: verdict, evidence, scores, costs, origins, texts), the
  run's measurements and answers, the catalog's openness facts, and stored load sweeps;
- :mod:`whichai.report.views` picks what each view shows out of it (no computation);
- :mod:`whichai.report.charts` turns it into Plotly figures; :mod:`whichai.report.html` lays it out
  in one page that opens with no network (plotly.js inlined once; a CSP that lets only its own two
  scripts run); :mod:`whichai.report.markdown` writes the same sections as Markdown tables.

The application layer (:mod:`whichai.app`) makes the recommendation and calls :func:`write_report`; the dashboard (:mod:`whichai.web`) shows the same views.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMATS = {"html": "html", "md": "md", "json": "json", "promptfoo": "promptfoo.json"}  # promptfoo: its results file


def default_report_path(store: Any, run_id: str, fmt: str = "html") -> Path:
    """``<data dir>/reports/whichai-report-<run id>.<ext>``, next to the database."""
    return Path(store.path).parent / "reports" / f"whichai-report-{run_id}.{FORMATS[fmt]}"


def check_request(fmt: str, lang: str) -> None:
    """An unknown format or language is an :class:`whichai.errors.InputError` naming the fix."""
    from whichai.errors import InputError
    from whichai.report.i18n import check_lang

    if fmt not in FORMATS:
        raise InputError(f"unknown report format {fmt!r}. Fix: pass --format html, md, json or promptfoo.")
    check_lang(lang)


@dataclass(frozen=True)
class Rendered:
    """A report as text in its format, and the run it is of (its full id)."""

    text: str
    run_id: str


def render_report(store: Any, run_id: str, *, recommendation: Any, fmt: str = "html", lang: str = "en") -> Rendered:
    """The report of ``run_id`` showing ``recommendation``, as text in ``fmt`` (html, md, json or promptfoo)."""
    from whichai.report.build import build_report

    check_request(fmt, lang)
    if fmt == "promptfoo":  # promptfoo's results file (EvaluateSummaryV3): no decision in it
        from whichai.report.promptfoo import promptfoo_results

        data = promptfoo_results(store, run_id)
        return Rendered(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n", data["metadata"]["whichai_run"])
    doc = build_report(store, run_id, lang=lang, recommendation=recommendation)
    assert doc["run"] is not None  # a run's report
    rid = doc["run"]["id"]
    if fmt == "json":
        return Rendered(json.dumps(doc, ensure_ascii=False, indent=2, default=str) + "\n", rid)
    if fmt == "md":
        from whichai.report.markdown import render_markdown

        return Rendered(render_markdown(doc, lang), rid)
    from whichai.report.html import render_html

    return Rendered(render_html(doc, lang), rid)


def write_report(
    store: Any, run_id: str, *, recommendation: Any, fmt: str = "html", out: str | Path | None = None, lang: str = "en"
) -> Path:
    """Write the report of ``run_id`` showing ``recommendation`` (the :class:`whichai.decide.Recommendation`
    made for this run by :mod:`whichai.app`) and return its path. ``out`` defaults to :func:`default_report_path`.
    Raises :class:`whichai.errors.InputError` for an unknown run, format or language, and
    :class:`whichai.errors.FileInputError` when the file cannot be written.
    """
    from whichai.errors import FileInputError

    rendered = render_report(store, run_id, fmt=fmt, lang=lang, recommendation=recommendation)
    path = Path(out) if out is not None else default_report_path(store, rendered.run_id, fmt)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(path, rendered.text)
    except OSError as exc:
        raise FileInputError(path, f"cannot write the report ({exc.strerror}).", "pass a writable --out PATH.") from exc
    return path


def _write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file made by ``tempfile.mkstemp`` in the same folder
    (a new, unpredictable name, created exclusively: a planted ``.tmp`` symlink is never followed), then
    ``os.replace``. The file gets the mode an ordinary write would give it (the umask's, or the old file's)."""
    import os
    import tempfile

    try:
        mode = path.stat().st_mode & 0o777 if path.is_file() else None
    except OSError:
        mode = None
    if mode is None:
        umask = os.umask(0o022)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            if hasattr(os, "fchmod"):
                os.fchmod(handle.fileno(), mode)
        os.replace(name, path)
    except BaseException:
        try:
            os.unlink(name)
        except OSError:
            pass
        raise


__all__ = ["Rendered", "check_request", "write_report", "render_report", "default_report_path"]
