"""Cost of ownership as the report draws it: monthly cost against monthly volume, the break-even marked.

:mod:`whichai.decide` models each way to run a model (API, own hardware, rented GPUs) as a cost that
is a function of volume (``Mode.monthly(requests)``) and finds the break-even between the best API
option and the best self-hosted one. :func:`tco_curves` samples those same functions over a range of
volumes around the user's volume and the break-even, so the chart shows decide's own figures, not a
second model of cost. :func:`tco_view` turns the result into what the templates show.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from whichai.report.i18n import t

log = logging.getLogger(__name__)
MAX_SERIES = 8
POINTS = 61


def _grid(lo: float, hi: float, n: int = POINTS) -> list[float]:
    lo, hi = max(1.0, lo), max(lo * 10, hi)
    step = (math.log10(hi) - math.log10(lo)) / (n - 1)
    return [10 ** (math.log10(lo) + i * step) for i in range(n)]


def tco_curves(rec: Any, run_models: list[str]) -> dict[str, Any] | None:
    """Cost curves of the options that matter: the run's models (every way each can run), the winner,
    and the two sides of the break-even. None when the recommendation object has no cost model."""
    try:
        return _curves(rec, run_models)
    except (AttributeError, KeyError, TypeError, ValueError, StopIteration) as exc:
        log.warning("no cost-of-ownership curves for the report: %s", exc)
        return None


def _curves(rec: Any, run_models: list[str]) -> dict[str, Any] | None:
    out = rec.outcome
    volume = float(rec.profile.volume.requests_per_month)
    prepared = {p.cand.model: p for p in out.prepared if p.options}
    be = (rec.tco or {}).get("break_even") or None
    ranked = {r.model: r for r in out.ranked}
    wanted: list[tuple[str, str | None]] = []  # (model, mode kind)
    for m in run_models:
        if m not in prepared:
            continue
        chosen_kind = ranked[m].option.mode.kind if m in ranked else None
        if chosen_kind:
            wanted.append((m, chosen_kind))
        # and the cheapest way of the other family (API <-> self-hosted), when there is one
        others = [o for o in prepared[m].options if (o.mode.kind == "api") != (chosen_kind == "api")]
        if others:
            wanted.append((m, min(others, key=lambda o: o.mode.monthly(volume)).mode.kind))
    if out.ranked:
        wanted.append((out.ranked[0].model, out.ranked[0].option.mode.kind))
    if be:
        wanted.append((be["api_model"], "api"))
        wanted.append((be["self_hosted_model"], be.get("self_hosted_mode")))
    chosen: list[tuple[str, Any, Any]] = []
    seen: set[tuple[str, str]] = set()
    for model, kind in wanted:
        p = prepared.get(model)
        if p is None:
            continue
        for option in p.options:
            key = (model, option.mode.kind)
            if option.mode.kind == kind and key not in seen:
                seen.add(key)
                chosen.append((model, p.cand, option.mode))
    if not chosen:
        return None
    be_volume = be.get("requests_per_month") if be else None
    anchors = [volume] + ([be_volume] if be_volume else [])
    grid = _grid(min(anchors) / 100, max(anchors) * 100)
    series = []
    for model, cand, mode in chosen[:MAX_SERIES]:
        cap = getattr(mode, "capacity_requests", math.inf)
        points = []
        for v in grid:
            cost = mode.monthly(v) if v <= cap else None
            points.append([round(v, 2), round(cost, 4) if cost and cost > 0 else None])
        series.append({
            "model": model,
            "name": getattr(cand, "name", model),
            "openness": getattr(cand, "openness", None) or "unknown",
            "kind": mode.kind,
            "monthly_usd": round(mode.monthly(volume), 2),
            "capacity_requests_per_month": round(cap) if math.isfinite(cap) else None,
            "origin": getattr(mode, "cost_origin", None),
            "components": [c.to_json() for c in getattr(mode, "components", [])],
            "points": points,
        })
    break_even = None
    if be:
        break_even = {**be}
        if be_volume:
            api = next((m for mod, _, m in chosen if mod == be["api_model"] and m.kind == "api"), None)
            break_even["monthly_usd"] = round(api.monthly(be_volume), 2) if api is not None else None
    return {"requests_per_month": volume, "series": series, "break_even": break_even}


def tco_view(doc: dict[str, Any]) -> dict[str, Any] | None:
    """What the templates and the chart need, or None when there are no figures."""
    curves = doc.get("tco_curves") or _decide_curves(doc)
    if not curves or not curves.get("series"):
        return None
    lang = doc.get("lang", "en")
    be = curves.get("break_even")
    marker = None
    if be and be.get("kind") == "above" and be.get("requests_per_month"):
        marker = {"volume": be["requests_per_month"], "cost": be.get("monthly_usd")}
    return {
        "series": [
            {"model": s["model"], "kind": s["kind"], "openness": s["openness"],
             "volumes": [p[0] for p in s["points"]], "costs": [p[1] for p in s["points"]]}
            for s in curves["series"]
        ],
        "volume": curves["requests_per_month"],
        "break_even": marker,
        "break_even_text": break_even_text(be, curves["requests_per_month"], lang),
        "log": True,
        "rows": [
            {"model": s["model"], "kind": t(f"mode.{s['kind']}", lang), "monthly_usd": s["monthly_usd"],
             "openness": s["openness"], "note": "; ".join(c.get("detail", "") for c in s["components"] if c.get("detail"))}
            for s in curves["series"]
        ],
    }


def _decide_curves(doc: dict[str, Any]) -> dict[str, Any] | None:
    """decide's own ``tco.curves`` (its top models), used when the report could not sample its own."""
    tco = (doc.get("recommendation") or {}).get("tco") or {}
    if not tco.get("curves"):
        return None
    models = tco.get("models") or {}
    if isinstance(models, list):
        models = {m.get("model"): m for m in models if isinstance(m, dict)}
    series = [
        {**c, "monthly_usd": (models.get(c["model"]) or {}).get("monthly_usd"), "components": (models.get(c["model"]) or {}).get("components", [])}
        for c in tco["curves"] if c.get("points")
    ]
    return {"requests_per_month": (tco.get("volume") or {}).get("requests_per_month"), "series": series,
            "break_even": tco.get("break_even")}


def break_even_text(be: dict[str, Any] | None, volume: float, lang: str) -> str:
    if not be:
        return t("be.none", lang)
    names = {"api": be.get("api_name") or be.get("api_model"), "hosted": be.get("self_hosted_name") or be.get("self_hosted_model"),
             "mode": t(f"mode.{be.get('self_hosted_mode')}", lang), "volume": f"{volume:,.0f}"}
    kind = be.get("kind")
    if kind == "above" and be.get("requests_per_month"):
        return t("be.above", lang).format(at=f"{be['requests_per_month']:,.0f}", **names)
    if kind == "always":
        return t("be.always", lang).format(**names)
    return t("be.never", lang).format(**names)
