"""Cost of ownership as the report draws it: one cost line per option against monthly volume.

:mod:`whichai.decide` computes the cost of ownership at the user's volume and the break-even; this
module only turns its ``tco`` document into series to plot and rows to tabulate.
"""

from __future__ import annotations

from typing import Any


def tco_view(doc: dict[str, Any]) -> dict[str, Any] | None:
    rec = doc.get("recommendation") or {}
    tco = rec.get("tco")
    if not tco:
        return None
    openness = {m["id"]: m.get("openness", "unknown") for m in doc.get("models", [])}
    return _view(tco, openness)


def _view(tco: dict[str, Any], openness: dict[str, str]) -> dict[str, Any] | None:
    curves = tco.get("curves") or []
    series = []
    for c in curves:
        points = c.get("points") or []
        if not points:
            continue
        series.append(
            {
                "model": c["model"],
                "kind": c.get("kind"),
                "openness": c.get("openness") or openness.get(c["model"], "unknown"),
                "volumes": [p[0] for p in points],
                "costs": [p[1] for p in points],
            }
        )
    be = tco.get("break_even") or None
    break_even = None
    if isinstance(be, dict) and be.get("requests_per_month"):
        break_even = {"volume": be["requests_per_month"], "cost": be.get("monthly_usd")}
    return {
        "series": series,
        "volume": tco.get("requests_per_month"),
        "break_even": break_even,
        "log": True,
        "rows": tco.get("models") or [],
    }
