"""Cost of ownership of a recommendation: per ranked model (its mode's components, every allowed
mode's total), cost curves over volume for the first models, and the break-even between the best
API model and the best self-hosted one. Figures only; the texts come from :mod:`whichai.decide.explain`.
"""

from __future__ import annotations

import math
from typing import Any

from whichai.decide.outcome import Outcome
from whichai.decide.scoring import Ranked
from whichai.decide.tco import at_volume, break_even


def _mode_json(mode: Any, requests: float) -> dict[str, Any]:
    mode = at_volume(mode, requests)  # its components at the volume shown
    out: dict[str, Any] = {
        "mode": mode.kind,
        "monthly_usd": round(mode.monthly(requests), 2),
        "fixed_usd": round(mode.fixed_usd, 2),
        "origin": mode.cost_origin,
        "components": [{"name": c.name, "monthly_usd": round(c.usd, 2), "origin": c.origin, "detail": c.detail, "params": dict(c.params)}
                       for c in mode.components],
    }
    if mode.seconds_per_request is not None:
        out["seconds_per_request"] = round(mode.seconds_per_request, 4)
        out["hours_needed"] = round(mode.hours_needed(requests) or 0.0, 2)
        out["throughput_origin"] = mode.throughput_origin
        out["throughput_detail"] = mode.throughput_detail
    if math.isfinite(mode.capacity_requests):
        out["capacity_requests_per_month"] = round(mode.capacity_requests)
    if mode.kind == "api":
        out["usd_per_request"] = round(mode.api_per_request, 8)
    return out


CURVE_FACTORS = tuple(10 ** (k / 4) for k in range(-8, 9))  # 1/100 × … 100 × the profile's volume
CURVE_MODELS = 5


def _curve(r: Ranked, mode: Any, requests: float) -> dict[str, Any]:
    points = []
    for f in CURVE_FACTORS:
        v = requests * f
        if v <= mode.capacity_requests:
            points.append([round(v, 2), round(mode.monthly(v), 2)])
    return {"model": r.model, "name": r.cand.name, "openness": r.cand.openness, "mode": mode.kind, "origin": mode.cost_origin, "points": points}


def _picks(out: Outcome, requests: float) -> tuple[tuple[Ranked, Any] | None, tuple[Ranked, Any] | None]:
    """The best-ranked model with an API option, and the best-ranked self-hostable one (its cheaper mode)."""
    api_pick = self_pick = None
    for r in out.ranked:
        options = out.options(r)
        if api_pick is None:
            api = [o for o in options if o.mode.kind == "api"]
            if api:
                api_pick = (r, api[0])
        if self_pick is None:
            hosted = [o for o in options if o.mode.kind in ("owned", "rented") and requests <= o.mode.capacity_requests]
            hosted = hosted or [o for o in options if o.mode.kind in ("owned", "rented")]
            if hosted:
                self_pick = (r, min(hosted, key=lambda o: (o.mode.monthly(requests), o.mode.kind)))
        if api_pick and self_pick:
            break
    return api_pick, self_pick


def _break_even(out: Outcome, api_pick: tuple[Ranked, Any], self_pick: tuple[Ranked, Any], requests: float) -> dict[str, Any]:
    found = break_even(api_pick[1].mode, self_pick[1].mode)
    be: dict[str, Any] = {
        "api_model": api_pick[0].model,
        "api_name": api_pick[0].cand.name,
        "self_hosted_model": self_pick[0].model,
        "self_hosted_name": self_pick[0].cand.name,
        "self_hosted_mode": self_pick[1].mode.kind,
        "kind": found["kind"],  # above | always | never
        "requests_per_month": None if found["requests_per_month"] is None else round(found["requests_per_month"]),
        "current_requests_per_month": requests,
        "origin": "estimate",
    }
    if be["requests_per_month"] is not None:
        v = out.profile.volume
        be["tokens_per_month"] = round(be["requests_per_month"] * (v.input_tokens_per_request + v.output_tokens_per_request))
        be["monthly_usd"] = round(api_pick[1].mode.monthly(be["requests_per_month"]), 2)
    return be


def model_row(r: Ranked, out: Outcome, requests: float) -> dict[str, Any]:
    """A ranked model's cost of ownership in full: its chosen mode with components, and every allowed mode's total."""
    row = {"model": r.model, "name": r.cand.name, "openness": r.cand.openness, **_mode_json(r.option.mode, requests)}
    row["alternatives"] = _alternatives(r, out, requests)
    return row


def _alternatives(r: Ranked, out: Outcome, requests: float) -> dict[str, float]:
    return {o.mode.kind: round(o.mode.monthly(requests), 2) for o in out.options(r)}


def _brief_row(r: Ranked, out: Outcome, requests: float) -> dict[str, Any]:
    mode = r.option.mode
    return {"model": r.model, "name": r.cand.name, "openness": r.cand.openness, "mode": mode.kind,
            "monthly_usd": round(mode.monthly(requests), 2), "origin": mode.cost_origin, "alternatives": _alternatives(r, out, requests)}


def tco_summary(out: Outcome, full: bool = True) -> dict[str, Any]:
    """Cost of ownership per ranked model, curves and the break-even. ``full``: every model with its
    components (:func:`model_row`); else each model's total, its origin and every allowed mode's
    total (the document details the models it names: :func:`model_row` for those)."""
    requests = out.profile.volume.requests_per_month
    row = model_row if full else _brief_row
    models = [row(r, out, requests) for r in out.ranked]
    api_pick, self_pick = _picks(out, requests)
    curves = [_curve(r, r.option.mode, requests) for r in out.ranked[:CURVE_MODELS]]
    be: dict[str, Any] | None = None
    if api_pick and self_pick:
        for r, opt in (api_pick, self_pick):
            if not any(c["model"] == r.model and c["mode"] == opt.mode.kind for c in curves):
                curves.append(_curve(r, opt.mode, requests))
        be = _break_even(out, api_pick, self_pick, requests)
    v = out.profile.volume
    return {
        "requests_per_month": requests,
        "input_tokens_per_request": v.input_tokens_per_request,
        "output_tokens_per_request": v.output_tokens_per_request,
        "currency": "USD",
        "period": "month",
        "models": models,
        "curves": curves,
        "break_even": be,
    }
