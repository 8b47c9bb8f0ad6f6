"""How far each input can move before the answer changes.

- **Weights** (exact): with the other weights fixed, each model's weighted sum is a straight line in
  one criterion's weight; walking the upper envelope of those lines gives the exact weight where the
  winner changes and where the verdict (open source / open weights / closed) changes.
- **Volume, API prices, GPU rent** (numeric): multiply by factors 2, 4, ... 1024 (and 1/2 ... 1/1024),
  then bisect the first interval where the winner or the verdict changes. Exclusions that depend on
  them (over budget, hardware capacity) are re-checked at each point.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

from whichai.criteria import CRITERION_IDS
from whichai.decide.profile import Profile
from whichai.decide.scoring import Prepared, Ranked, cost_reference, fast_top, flatten, verdict_of

MAX_FACTOR_STEPS = 10  # 2**10 = 1024
BISECT_STEPS = 7


@dataclass
class _Line:
    a: float
    s: float
    model: str
    openness: str


def _top(lines: list[_Line], x: float) -> _Line:
    return min(lines, key=lambda ln: (-(ln.a + ln.s * x), ln.model))


def _walk(lines: list[_Line], x0: float, up: bool) -> tuple[tuple[float, _Line] | None, tuple[float, _Line] | None]:
    """First (x, new top) where the winner changes, and where the class (verdict) changes."""
    top = _top(lines, x0)
    first_class = top.openness
    x = x0
    winner_change = None
    for _ in range(len(lines) + 1):
        best: tuple[float, float, str, _Line] | None = None
        for ln in lines:
            if ln is top:
                continue
            if up and ln.s > top.s:
                cross = (top.a - ln.a) / (ln.s - top.s)
                if cross >= x:
                    key = (cross, -ln.s, ln.model, ln)
                    if best is None or key[:3] < best[:3]:
                        best = key
            elif not up and ln.s < top.s:
                cross = (top.a - ln.a) / (ln.s - top.s)
                if 0.0 <= cross <= x:
                    key = (-cross, ln.s, ln.model, ln)
                    if best is None or key[:3] < best[:3]:
                        best = key
        if best is None:
            return winner_change, None
        x = best[0] if up else -best[0]
        top = best[3]
        if winner_change is None:
            winner_change = (x, top)
        if top.openness != first_class and top.openness != "unknown":
            return winner_change, (x, top)
    return winner_change, None


def weight_sensitivity(ranked: list[Ranked], weights: dict[str, float]) -> list[dict[str, Any]]:
    if not ranked:
        return []
    total = math.fsum(weights.values())
    out = []
    for cid in CRITERION_IDS:
        wk = weights[cid]
        rest = total - wk
        lines = []
        for r in ranked:
            s = r.cost_value if cid == "cost" else r.option.criteria[cid].score
            lines.append(_Line(r.raw - wk * s, s, r.model, r.cand.openness))

        def share(x: float) -> float:
            return x / (rest + x) if rest + x > 0 else 1.0

        item: dict[str, Any] = {"criterion": cid, "weight": round(share(wk), 4), "raw_weight": wk}
        for direction, up in (("above", True), ("below", False)):
            win, ver = _walk(lines, wk, up)
            item[direction] = (
                {"weight": round(share(win[0]), 4), "factor": _factor(win[0], wk), "winner": win[1].model} if win else None
            )
            item[f"verdict_{direction}"] = (
                {"weight": round(share(ver[0]), 4), "factor": _factor(ver[0], wk), "winner": ver[1].model, "verdict": ver[1].openness}
                if ver
                else None
            )
        out.append(item)
    return out


def _factor(x: float, x0: float) -> float | None:
    if x0 <= 0:
        return None
    return round(x / x0, 4)


Probe = Callable[[float], tuple[str | None, str | None]]


def _scan(probe: Probe, base: tuple[str | None, str | None], up: bool) -> dict[str, Any]:
    """First factor (from 1 outwards) where the winner, and where the verdict, changes."""
    result: dict[str, Any] = {"winner": None, "verdict": None}
    prev = 0.0  # log2 factor
    for j in range(1, MAX_FACTOR_STEPS + 1):
        lf = j if up else -j
        got = probe(2.0**lf)
        for idx, key in ((0, "winner"), (1, "verdict")):
            if result[key] is None and got[idx] != base[idx]:
                lo, hi = prev, lf
                found = got
                for _ in range(BISECT_STEPS):
                    mid = (lo + hi) / 2
                    at = probe(2.0**mid)
                    if at[idx] != base[idx]:
                        hi, found = mid, at
                    else:
                        lo = mid
                result[key] = {"factor": round(2.0**hi, 4), "winner": found[0], "verdict": found[1]}
        if result["winner"] is not None and result["verdict"] is not None:
            break
        prev = lf
    return result


def param_sensitivity(prepared: list[Prepared], profile: Profile, weights: dict[str, float], ranked: list[Ranked]) -> dict[str, Any]:
    base = (ranked[0].model if ranked else None, verdict_of(ranked))
    volume = profile.volume.requests_per_month
    flat = flatten(prepared)
    kinds = {opt.mode.kind for p in prepared for opt in p.options}
    budget, w_cost, reference = profile.budget_usd_per_month, weights["cost"], cost_reference(profile)

    probes: dict[str, Probe] = {
        "volume": lambda f: fast_top(flat, volume * f, 1.0, 1.0, budget, w_cost, reference),
        "api_prices": lambda f: fast_top(flat, volume, f, 1.0, budget, w_cost, reference),
        "gpu_price": lambda f: fast_top(flat, volume, 1.0, f, budget, w_cost, reference),
    }
    relevant = {"volume": volume > 0, "api_prices": "api" in kinds, "gpu_price": "rented" in kinds}
    out: dict[str, Any] = {}
    for name, probe in probes.items():
        if not relevant[name] or not flat:
            out[name] = None
            continue
        out[name] = {"up": _scan(probe, base, True), "down": _scan(probe, base, False)}
    if out.get("volume") is not None:
        out["volume"]["requests_per_month"] = volume
    return out
