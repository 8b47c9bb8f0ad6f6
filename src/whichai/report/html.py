"""The report as one self-contained HTML page (Jinja2, autoescaped; plotly.js inlined once).

Everything a model wrote is untrusted: templates autoescape every value, and data handed to scripts
goes through :func:`script_json`, which escapes ``<``, ``>`` and ``&`` so that nothing inside a
``<script type="application/json">`` block can close it or open another element. Bidi and zero-width
controls (which reorder or hide what a reader sees: a "pass" that reads as "fail", a hidden word) are
shown as ``\\u202e``-style text by :func:`neutral`, applied to every value a template prints (the
environment's ``finalize``) and to the data handed to scripts.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from markupsafe import Markup

if TYPE_CHECKING:
    from whichai.report.document import ReportDocument

TEMPLATES = Path(__file__).with_name("templates")
# Bidi embeddings, overrides and isolates, the Arabic letter mark, zero-width spaces and joiners, the
# word joiner and invisible operators, and the byte-order mark used as a zero-width no-break space.
_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def neutral(value: Any) -> Any:
    """A printed value with its bidi and zero-width controls shown as ``\\u202e``-style text. Other
    values, and markup the templates built themselves, pass unchanged. (The environment's finalize: called for
    every printed value, so Markup is imported once, with this module.)"""
    if isinstance(value, str) and not isinstance(value, Markup) and _INVISIBLE.search(value):
        return _INVISIBLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", value)
    return value


def script_json(value: Any) -> Any:
    """JSON safe to place inside ``<script>``: ``</script>``, ``<!--`` and HTML entities cannot appear."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    # inside JSON strings: a literal backslash + "u202e" (six visible characters once parsed)
    text = _INVISIBLE.sub(lambda m: f"\\\\u{ord(m.group(0)):04x}", text)
    text = (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    return Markup(text)


def _pct(value: Any, lang: str = "en", digits: int = 0) -> str:
    from whichai.decide.i18n import num

    return "–" if value is None else num(value * 100, lang, digits) + "%"


def _secs(value: Any, lang: str = "en") -> str:
    from whichai.decide.i18n import num

    if value is None:
        return "–"
    return f"{num(value * 1000, lang, 0)} ms" if value < 1 else f"{num(value, lang, 2)} s"


def _usd(value: Any, lang: str = "en") -> str:
    from whichai.decide.i18n import num, usd

    if value is None:
        return "–"
    if 0 < abs(value) < 0.01:  # the cost of a few calls: keep the digits that say it
        return "$" + num(value, lang, 4)
    return usd(value, lang)


def _num(value: Any, lang: str = "en", digits: int = 2) -> str:
    from whichai.decide.i18n import num

    return "–" if value is None else num(value, lang, digits)


def _count(value: Any, lang: str = "en") -> str:
    from whichai.decide.i18n import count

    return "–" if value is None else count(value, lang)


def environment(extra_dirs: list[Path] | None = None) -> Any:
    """The Jinja2 environment shared by the report and the dashboard (autoescape always on)."""
    from jinja2 import Environment, FileSystemLoader

    import whichai.report.views as views
    from whichai.criteria import label
    from whichai.decide.i18n import t as decide_text
    from whichai.report.charts import dim_class, openness_dims
    from whichai.report.i18n import t

    env = Environment(
        loader=FileSystemLoader([str(d) for d in (extra_dirs or [])] + [str(TEMPLATES)]),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=neutral,  # every printed value: bidi and zero-width controls made visible
    )
    env.filters.update(pct=_pct, secs=_secs, usd=_usd, num=_num, count=_count, script_json=script_json, neutral=neutral)
    env.globals.update(
        t=t, dt=decide_text, text=views.text, criterion=label, provisional=views.provisional, run_ranking=views.run_ranking,
        criteria_rows=views.criteria_rows, tco_rows=views.tco_rows, excluded_rows=views.excluded_rows, dim_class=dim_class,
        openness_dims=openness_dims, short=lambda m: m.split("/", 1)[1] if "/" in m else m,
    )
    return env


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """plotly.min.js from the installed plotly package (offline, ~4.6 MB): the file ``plotly.offline.get_plotlyjs``
    reads, read without importing plotly."""
    from whichai.report.charts import plotly_package_data

    return plotly_package_data("plotly.min.js").read_bytes().decode("utf-8").replace("</script", "<\\/script")


class PageContext(TypedDict):
    """What the report's templates (and the dashboard's run and profile pages) render."""

    doc: ReportDocument
    lang: str
    charts: dict[str, str | None]  # chart name -> its plotly figure as JSON (None: nothing to draw)
    colours: dict[str, str]  # openness -> colour


def page_context(doc: ReportDocument, lang: str) -> PageContext:
    """What the report views need: the document and its charts."""
    from whichai.report.charts import COLOURS, all_charts

    return {"doc": doc, "lang": lang, "charts": all_charts(doc, lang), "colours": COLOURS}


@lru_cache(maxsize=1)
def charts_js() -> str:
    """The drawing code of the charts (also served to the dashboard as /static/charts.js)."""
    return (TEMPLATES / "charts.js").read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    import base64
    import hashlib

    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


@lru_cache(maxsize=1)
def report_csp() -> str:
    """The report's Content-Security-Policy: no network at all, and only its two own scripts run
    (allowed by their SHA-256 hashes; no 'unsafe-inline', no 'unsafe-eval')."""
    return (
        f"default-src 'none'; script-src {_sha256(plotly_js())} {_sha256(charts_js())}; style-src 'unsafe-inline'; "
        "img-src data:; font-src data:; base-uri 'none'; form-action 'none'; object-src 'none'"
    )


def render_html(doc: ReportDocument, lang: str = "en") -> str:
    env = environment()
    template = env.get_template("report.html.j2")
    return template.render(**page_context(doc, lang), plotly_js=script_safe(plotly_js()), charts_js=script_safe(charts_js()),
                           csp=report_csp())


def script_safe(js: str) -> Any:
    return Markup(js)
