"""The report as one self-contained HTML page (Jinja2, autoescaped; plotly.js inlined once).

Everything a model wrote is untrusted: templates autoescape every value, and data handed to scripts
goes through :func:`script_json`, which escapes ``<``, ``>`` and ``&`` so that nothing inside a
``<script type="application/json">`` block can close it or open another element.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).with_name("templates")


def script_json(value: Any) -> Any:
    """JSON safe to place inside ``<script>``: ``</script>``, ``<!--`` and HTML entities cannot appear."""
    from markupsafe import Markup

    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    return Markup(text)


def _pct(value: Any, digits: int = 0) -> str:
    return "–" if value is None else f"{value * 100:.{digits}f}%"


def _secs(value: Any) -> str:
    if value is None:
        return "–"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def _usd(value: Any) -> str:
    if value is None:
        return "–"
    if value == 0:
        return "$0"
    if abs(value) < 0.01:
        return f"${value:.4f}"
    return f"${value:,.2f}"


def _num(value: Any, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def environment(extra_dirs: list[Path] | None = None) -> Any:
    """The Jinja2 environment shared by the report and the dashboard (autoescape always on)."""
    from jinja2 import Environment, FileSystemLoader

    env = Environment(
        loader=FileSystemLoader([str(d) for d in (extra_dirs or [])] + [str(TEMPLATES)]),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    from whichai.report.build import explain_blocks, run_ranking, sensitivity_lines
    from whichai.report.charts import dim_class, openness_dims
    from whichai.report.i18n import t

    env.filters.update(pct=_pct, secs=_secs, usd=_usd, num=_num, script_json=script_json)
    env.globals.update(t=t, sensitivity_lines=sensitivity_lines, explain_blocks=explain_blocks, run_ranking=run_ranking, dim_class=dim_class, openness_dims=openness_dims, short=lambda m: m.split("/", 1)[1] if "/" in m else m)
    return env


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """plotly.min.js from the installed plotly package (offline, ~4.6 MB)."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs().replace("</script", "<\\/script")


def page_context(doc: dict[str, Any], lang: str) -> dict[str, Any]:
    """What the report views need: the document, its charts and the cost-of-ownership rows."""
    from whichai.report.charts import COLOURS, all_charts
    from whichai.report.tco import tco_view

    return {
        "doc": doc,
        "lang": lang,
        "charts": all_charts(doc, lang),
        "tco": tco_view(doc),
        "colours": COLOURS,
        "openness": {m["id"]: m["openness"] for m in doc["models"]},
    }


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


def render_html(doc: dict[str, Any], lang: str = "en") -> str:
    env = environment()
    template = env.get_template("report.html.j2")
    return template.render(**page_context(doc, lang), plotly_js=script_safe(plotly_js()), charts_js=script_safe(charts_js()),
                           csp=report_csp())


def script_safe(js: str) -> Any:
    from markupsafe import Markup

    return Markup(js)
