"""The report's charts as Plotly figures, built from the report document (:mod:`whichai.report.build`).

Each function returns a figure as a JSON string or None when there is nothing to draw. The JSON is
the figure spec plotly.js draws, written directly (traces, and the layout over plotly.py's default
template, read from its package data): the same figure ``plotly.graph_objects.Figure(...).to_json()``
gives (tests/test_charts_spec.py compares them), without importing plotly.py's figure classes (their
import and validation cost more CPU than the rest of the charts). The page embeds plotly.js once and
draws every figure from its JSON; see :func:`whichai.report.html.script_json` for how the JSON is made
safe inside ``<script>``.
Open and closed models have distinct colours everywhere (:data:`COLOURS`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from whichai.report.document import ReportDocument

from whichai.report.i18n import t

COLOURS = {
    "open-source": "#1f9e6e",
    "open-weights": "#2f7fc1",
    "closed": "#e0632a",
    "unknown": "#8a8f98",
}
FONT = "Inter, -apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"


def _layout(**extra: Any) -> dict[str, Any]:
    base = {
        "font": {"family": FONT, "size": 13, "color": "#1d2433"},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "#fbfcfe",
        "margin": {"l": 64, "r": 24, "t": 16, "b": 56},
        "height": 360,
        "hoverlabel": {"font": {"family": FONT}},
        "legend": {"orientation": "h", "y": -0.22, "x": 0},
    }
    base.update(extra)
    return base


def _axis(title: str, **extra: Any) -> dict[str, Any]:
    return {"title": {"text": title}, "gridcolor": "#e6e9f0", "zerolinecolor": "#cfd5e1", **extra}


def plotly_package_data(name: str) -> Path:
    """A file of the installed plotly package's data (``plotly/package_data/NAME``), found without importing it."""
    import importlib.util

    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("plotly is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "package_data" / name


@lru_cache(maxsize=1)
def _template() -> dict[str, Any]:
    """plotly.py's default template ("plotly"), which ``Figure.to_json()`` writes into every layout."""
    return json.loads(plotly_package_data("templates/plotly.json").read_text(encoding="utf-8"))


def _figure(traces: list[dict[str, Any]], layout: dict[str, Any]) -> str:
    """A figure's JSON as plotly.py writes it: compact, ``NaN`` and infinities as null, and ``<``, ``>``
    and ``/`` escaped (plotly.io's ``_swap_json``), so that no string can close a ``<script>``."""
    text = json.dumps({"data": traces, "layout": {"template": _template(), **layout}}, separators=(",", ":"))
    if "NaN" in text or "Infinity" in text:  # as plotly's encoder: extended JSON back to strict
        text = json.dumps(json.loads(text, parse_constant=lambda _: None), separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("/", "\\u002f")


def _trace(kind: str, **props: Any) -> dict[str, Any]:
    return {**props, "type": kind}


def _short(model: str) -> str:
    return model.split("/", 1)[1] if "/" in model else model


def _esc(text: str) -> str:
    """Plotly renders a small HTML subset in labels: show model names and texts literally."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _grouped(summaries: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for s in summaries:
        groups.setdefault(s.get("openness", "unknown"), []).append(s)
    return {k: groups[k] for k in COLOURS if k in groups}


def _quality_scatter(doc: ReportDocument, x_key: str, x_title: str, lang: str, hover_x: str) -> str | None:
    rows = [s for s in doc["summaries"] if s.get(x_key) is not None]
    if not rows:
        return None
    traces: list[dict[str, Any]] = []
    for openness, group in _grouped(rows).items():
        traces.append(
            _trace(
                "scatter",
                x=[s[x_key] for s in group],
                y=[s["pass_rate"] for s in group],
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": [max(0.0, s["pass_rate_ci95"][1] - s["pass_rate"]) for s in group],
                    "arrayminus": [max(0.0, s["pass_rate"] - s["pass_rate_ci95"][0]) for s in group],
                    "color": COLOURS[openness],
                    "thickness": 1.5,
                    "width": 6,
                },
                mode="markers+text",
                text=[_esc(_short(s["model"])) for s in group],
                textposition="middle right",
                marker={"size": 16, "color": COLOURS[openness], "line": {"width": 2, "color": "white"}},
                name=t(f"openness.{openness}", lang),
                customdata=[[_esc(s["model"]), s["pass_rate_ci95"][0], s["pass_rate_ci95"][1]] for s in group],
                hovertemplate="<b>%{customdata[0]}</b><br>"
                + t("pass_rate", lang)
                + ": %{y:.0%} (%{customdata[1]:.0%}–%{customdata[2]:.0%})<br>"
                + hover_x
                + ": %{x}<extra></extra>",
                cliponaxis=False,
            )
        )
    top = max(s[x_key] for s in rows) or 1.0
    return _figure(
        traces,
        _layout(
            xaxis=_axis(x_title, range=[-0.04 * top, 1.45 * top]),
            yaxis=_axis(t("axis.pass_rate", lang), range=[-0.03, 1.08], tickformat=".0%"),
        ),
    )


def quality_vs_cost(doc: ReportDocument, lang: str) -> str | None:
    return _quality_scatter(doc, "cost_per_1000_cases_usd", t("axis.cost_1000", lang), lang, t("cost_1000", lang) + " (USD)")


def quality_vs_latency(doc: ReportDocument, lang: str) -> str | None:
    return _quality_scatter(doc, "latency_p50_s", t("axis.latency_p50", lang), lang, t("latency_p50", lang) + " (s)")


def latency_distribution(doc: ReportDocument, lang: str) -> str | None:
    openness = {s["model"]: s.get("openness", "unknown") for s in doc["summaries"]}
    series = {m: v for m, v in doc["latencies"].items() if v}
    if not series:
        return None
    traces: list[dict[str, Any]] = []
    for model, values in series.items():
        colour = COLOURS.get(openness.get(model, "unknown"), COLOURS["unknown"])
        traces.append(
            _trace(
                "box",
                x=values,
                name=_esc(_short(model)),
                boxpoints="all",
                jitter=0.4,
                pointpos=0,
                marker={"color": colour, "size": 5, "opacity": 0.55},
                line={"color": colour},
                fillcolor="rgba(0,0,0,0)",
                orientation="h",
                hovertemplate="%{x:.2f} s<extra>" + _esc(model) + "</extra>",
                showlegend=False,
            )
        )
    return _figure(
        traces,
        _layout(
            xaxis=_axis(t("axis.latency", lang), rangemode="tozero"),
            yaxis={"automargin": True},
            height=max(220, 90 + 70 * len(series)),
            margin={"l": 24, "r": 24, "t": 16, "b": 56},
        ),
    )


def criteria_heatmap(doc: ReportDocument, lang: str) -> str | None:
    """decide's ten criterion scores of the shown models (hover: the origin and the reason)."""
    from whichai.criteria import CRITERION_IDS, label
    from whichai.decide.i18n import t as decide_text
    from whichai.report.views import criteria_rows, text

    rows = criteria_rows(doc)
    if not rows:
        return None
    z = [[r["criteria"][c]["score"] for c in CRITERION_IDS] for r in rows]
    hover = [[_wrap(f"{decide_text('origin.' + r['criteria'][c]['origin'], lang)}: {text(r['criteria'][c]['reason'], lang)}")
              for c in CRITERION_IDS] for r in rows]
    trace = _trace(
        "heatmap",
        z=z,
        x=[label(c, lang) for c in CRITERION_IDS],
        y=[_esc(f"#{r['rank']} {_short(r['model'])}") for r in rows],
        zmin=0,
        zmax=1,
        colorscale=[[0, "#f4d6cc"], [0.5, "#f6efc9"], [1, "#2f9e74"]],
        text=[[f"{v:.2f}" for v in row] for row in z],
        texttemplate="%{text}",
        customdata=hover,
        hovertemplate="<b>%{y}</b> · %{x}: %{z:.2f}<br>%{customdata}<extra></extra>",
        xgap=3,
        ygap=3,
        colorbar={"thickness": 10, "len": 0.8},
    )
    return _figure(
        [trace],
        _layout(
            height=max(240, 140 + 40 * len(rows)),
            margin={"l": 24, "r": 24, "t": 16, "b": 24},
            xaxis={"side": "top", "tickangle": -25, "automargin": True},
            yaxis={"automargin": True, "autorange": "reversed"},
        ),
    )


HEADLINE_DIMS = ("weights_downloadable", "license_open", "code_open", "data_information")
_OPEN = ("yes", "open", "released-open")
_PARTIAL = ("partial", "released")
_CLOSED = ("no", "closed", "none", "not")


def dim_class(value: Any) -> str:
    """open / partial / closed / unknown from a catalog dimension value such as ``"yes (osai-index: ...)"``."""
    if isinstance(value, dict):
        value = value.get("value") or value.get("class") or value.get("rating")
    if value is None:
        return "unknown"
    word = str(value).strip().split(" ", 1)[0].rstrip(":,;").lower()
    if word in _OPEN:
        return "open"
    if word in _PARTIAL:
        return "partial"
    if word in _CLOSED:
        return "closed"
    return "unknown"


def openness_dims(model: Mapping[str, object]) -> list[str]:
    """The dimensions to chart for a model (a catalog entry's JSON, or a report's model): the four headline
    ones, then every other one it records."""
    found = model.get("openness_dimensions")
    dims = found if isinstance(found, dict) else {}
    return [d for d in HEADLINE_DIMS if d in dims] + [d for d in dims if d not in HEADLINE_DIMS and d != "mof_class"]


_DIM_VALUE = {"open": 1.0, "partial": 0.5, "closed": 0.0, "unknown": None}


def openness_heatmap(doc: ReportDocument, lang: str) -> str | None:
    """The four headline openness dimensions per model (the catalog's openness rule decides on them)."""
    models = [m for m in doc["models"] if m.get("openness_dimensions")]
    if not models:
        return None
    dims = [d for d in HEADLINE_DIMS if any(d in m["openness_dimensions"] for m in models)]
    if not dims:
        dims = list(dict.fromkeys(d for m in models for d in openness_dims(m)))[:16]
    z, text, hover = [], [], []
    for m in models:
        values = m["openness_dimensions"]
        classes = [dim_class(values.get(d)) for d in dims]
        z.append([_DIM_VALUE[c] for c in classes])
        text.append([t(f"dim.{c}", lang) for c in classes])
        hover.append([_wrap(str(values.get(d, "")), 70) for d in dims])
    trace = _trace(
        "heatmap",
        z=z,
        x=[t(f"dimname.{d}", lang) for d in dims],
        y=[_esc(_short(m["id"])) for m in models],
        zmin=0,
        zmax=1,
        colorscale=[[0, "#e9b7a4"], [0.5, "#f3dc8d"], [1, "#2f9e74"]],
        showscale=False,
        text=text,
        texttemplate="%{text}",
        customdata=hover,
        hovertemplate="<b>%{y}</b> · %{x}<br>%{customdata}<extra></extra>",
        xgap=3,
        ygap=3,
    )
    return _figure(
        [trace],
        _layout(
            height=max(200, 110 + 46 * len(models)),
            margin={"l": 24, "r": 24, "t": 16, "b": 24},
            xaxis={"side": "top", "automargin": True},
            yaxis={"automargin": True, "autorange": "reversed"},
        ),
    )


_DASH = {"api": "solid", "owned": "dash", "rented": "dot"}


def tco_chart(doc: ReportDocument, lang: str) -> str | None:
    """decide's cost curves (tco.curves: monthly cost against monthly volume, log-log), one line per
    model and way to run it; the user's volume and decide's break-even marked."""
    tco = doc["decision"]["tco"]
    curves = [c for c in tco["curves"] if c["points"]]
    if not curves:
        return None
    traces: list[dict[str, Any]] = []
    for c in curves:
        colour = COLOURS.get(c["openness"], COLOURS["unknown"])
        name = f"{_short(c['model'])} · {t('mode.' + c['mode'], lang)}"
        traces.append(_trace("scatter",
            x=[p[0] for p in c["points"]], y=[p[1] if p[1] > 0 else None for p in c["points"]], mode="lines", name=_esc(name),
            line={"color": colour, "width": 2.5, "dash": _DASH.get(c["mode"], "solid")},
            hovertemplate="%{x:,.0f} → $%{y:,.2f}<extra>" + _esc(name) + "</extra>", connectgaps=False,
        ))
    volume = tco["requests_per_month"]
    shapes = [{"type": "line", "x0": volume, "x1": volume, "yref": "paper", "y0": 0, "y1": 1,
               "line": {"color": "#7a8193", "dash": "dot", "width": 1.5}}] if volume > 0 else []
    annotations = [{"x": math.log10(volume), "yref": "paper", "y": 1.0, "text": t("your_volume", lang), "showarrow": False,
                    "yanchor": "bottom", "font": {"color": "#4a5163", "size": 12}}] if volume > 0 else []
    be = tco.get("break_even")
    at, cost = (be["requests_per_month"], be["monthly_usd"]) if be else (None, None)
    if be and be["kind"] == "above" and at and cost:
        traces.append(_trace("scatter",
            x=[at], y=[cost], mode="markers", name=t("break_even", lang),
            marker={"symbol": "diamond", "size": 14, "color": "#1d2433", "line": {"color": "white", "width": 2}},
            hovertemplate=t("break_even", lang) + ": %{x:,.0f} → $%{y:,.2f}<extra></extra>",
        ))
        annotations.append({"x": math.log10(at), "y": math.log10(cost),
                            "text": f"{t('break_even', lang)}: {at:,.0f}", "showarrow": True, "arrowhead": 0,
                            "ax": -60, "ay": -36, "bgcolor": "white", "bordercolor": "#1d2433", "borderpad": 4, "font": {"size": 12}})
    return _figure(traces, _layout(
        xaxis=_axis(t("axis.volume", lang), type="log"), yaxis=_axis(t("axis.monthly_cost", lang), type="log", tickprefix="$"),
        shapes=shapes, annotations=annotations, height=400, legend={"orientation": "v", "x": 1.02, "y": 1, "font": {"size": 12}},
        margin={"l": 64, "r": 24, "t": 24, "b": 56},
    ))


def load_chart(doc: ReportDocument, lang: str) -> str | None:
    """Load sweeps (issue 12): output tokens/s against median latency, one line per sweep, each point
    labelled with its concurrency; the p95 latency as a dotted line; the saturation point marked."""
    sweeps = [s for s in doc.get("loads") or [] if s.get("points")]
    if not sweeps:
        return None
    traces: list[dict[str, Any]] = []
    palette = ["#2f7fc1", "#1f9e6e", "#e0632a", "#7a5bc7", "#b7791f", "#d64545"]
    for i, s in enumerate(sweeps):
        colour = COLOURS.get(doc["openness"].get(s["model"], ""), palette[i % len(palette)])
        name = _esc(_short(s["model"]) + (f" · {s['server']}" if s.get("server") else ""))
        pts = sorted(s["points"], key=lambda p: p["concurrency"])
        traces.append(_trace("scatter",
            x=[p["latency_p50_s"] for p in pts], y=[p["output_tokens_per_s"] for p in pts], mode="lines+markers+text", name=name,
            text=[str(p["concurrency"]) for p in pts], textposition="top center", line={"color": colour, "width": 2.5},
            marker={"size": 9, "color": colour}, customdata=[[p["concurrency"], p.get("requests_per_s"), p.get("ttft_p50_s")] for p in pts],
            hovertemplate=t("load_concurrency", lang) + " %{customdata[0]}: %{y:,.1f} tok/s · p50 %{x:.2f} s · TTFT p50 %{customdata[2]:.2f} s<extra>"
            + name + "</extra>",
        ))
        if all(p.get("latency_p95_s") is not None for p in pts):
            traces.append(_trace("scatter",
                x=[p["latency_p95_s"] for p in pts], y=[p["output_tokens_per_s"] for p in pts], mode="lines", name=name + " · p95",
                line={"color": colour, "width": 1.5, "dash": "dot"}, hovertemplate="p95 %{x:.2f} s<extra>" + name + "</extra>",
            ))
        sat = next((p for p in pts if p["concurrency"] == s.get("saturation_concurrency")), None)
        if sat is not None:
            traces.append(_trace("scatter",
                x=[sat["latency_p50_s"]], y=[sat["output_tokens_per_s"]], mode="markers", name=t("load_saturation", lang),
                marker={"symbol": "diamond", "size": 15, "color": "#1d2433", "line": {"color": "white", "width": 2}},
                showlegend=i == 0, hovertemplate=t("load_saturation", lang) + " @ %{text}<extra></extra>", text=[str(sat["concurrency"])],
            ))
    return _figure(traces, _layout(xaxis=_axis(t("axis.latency_p50", lang), rangemode="tozero"),
                                yaxis=_axis(t("tokens_per_s", lang), rangemode="tozero"), height=380))


def _wrap(text: str, width: int = 60) -> str:
    """Hover text lines for Plotly (which renders a small HTML subset: escape it)."""
    text = _esc(text)
    words, lines, line = text.split(), [], ""
    for w in words:
        if len(line) + len(w) + 1 > width and line:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    if line:
        lines.append(line)
    return "<br>".join(lines)


def all_charts(doc: ReportDocument, lang: str) -> dict[str, str | None]:
    return {
        "quality_cost": quality_vs_cost(doc, lang),
        "quality_latency": quality_vs_latency(doc, lang),
        "latency_dist": latency_distribution(doc, lang),
        "criteria": criteria_heatmap(doc, lang),
        "openness_dims": openness_heatmap(doc, lang),
        "tco": tco_chart(doc, lang),
        "load": load_chart(doc, lang),
    }
