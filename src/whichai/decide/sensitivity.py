"""How far each input can move before the answer changes.

- **Weights** (exact): with the other weights fixed, each model's weighted sum is a straight line in
  one criterion's weight; the winner is the cheapest line within the tie band of the highest (the
  ranking's rule, :func:`whichai.decide.scoring.rank_order`), so walking the points where the highest
  line changes or a line crosses the band gives the exact weight where the winner changes and where
  the verdict (open source / open weights / closed) changes.
- **Volume, API prices, GPU rent** (numeric): multiply by factors 2, 4, ... 1024 (and 1/2 ... 1/1024),
  then bisect the first interval where the winner or the verdict changes. Exclusions that depend on
  them (over budget, hardware capacity) are re-checked at each point.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from whichai.criteria import CRITERION_IDS
from whichai.decide.profile import Profile
from whichai.decide.scoring import TIE_BAND, Prepared, Ranked, cost_reference, fast_top, flatten, verdict_of

MAX_FACTOR_STEPS = 10  # 2**10 = 1024
BISECT_STEPS = 7


@dataclass
class _Line:
    a: float
    s: float
    model: str
    openness: str
    monthly: float = 0.0


def _top(lines: list[_Line], x: float, rest: float) -> _Line:
    """The winner at weight ``x`` under the ranking's own rule (:func:`whichai.decide.scoring.rank_order`):
    the cheapest of the lines within ``TIE_BAND`` × the total weight (``rest + x``) of the highest."""
    floor = max(ln.a + ln.s * x for ln in lines) - TIE_BAND * ((rest + x) or 1.0) - 1e-12
    return min((ln for ln in lines if ln.a + ln.s * x >= floor), key=lambda ln: (round(ln.monthly, 6), ln.model))


def _contenders(lines: list[_Line], x0: float, up: bool, rest: float) -> list[_Line]:
    """The lines that can come within the tie band of the highest on the walk's side of ``x0``; the
    others never win and never change the winner there, so the walk leaves them out (same result, a
    fraction of the work).

    Divided by the total weight (``rest + x``), line i is the weighted average ``(1 - t)·u_i + t·s_i``
    with ``u_i = a_i / rest`` and ``t = x / (rest + x)``: a straight line in ``t``, and the band is
    ``TIE_BAND`` there. The walk covers ``t`` from ``t0`` up to 1, or from 0 up to ``t0``; a line that
    another beats by more than the band at both ends of that interval is beaten by more everywhere in it."""
    if rest <= 0 or len(lines) < 3:
        return lines
    at_x0 = [(ln.a + ln.s * x0) / (rest + x0) for ln in lines]
    ends = [(v, ln.s) for v, ln in zip(at_x0, lines)] if up else [(ln.a / rest, v) for v, ln in zip(at_x0, lines)]
    margin = TIE_BAND + 1e-9
    order = sorted(range(len(lines)), key=lambda i: -ends[i][0])
    firsts = [-ends[i][0] for i in order]  # ascending, for bisect
    best, prefix = -math.inf, []
    for i in order:
        best = max(best, ends[i][1])
        prefix.append(best)
    keep = []
    for ln, (first, second) in zip(lines, ends):
        above = bisect.bisect_right(firsts, -(first + margin))  # the lines at least a band higher at the first end
        if not above or prefix[above - 1] < second + margin:
            keep.append(ln)
    return keep


def _walk(lines: list[_Line], x0: float, up: bool, rest: float) -> tuple[tuple[float, _Line] | None, tuple[float, _Line] | None]:
    """First (x, new top) where the winner changes, and where the class (verdict) changes. The winner
    is the cheapest line within the tie band of the highest (:func:`_top`), so it can change only
    where the highest line changes (two lines cross: ``a_j + s_j·x = a_m + s_m·x``) or where a line's
    distance to the highest crosses the band (``a_i + s_i·x = a_m + s_m·x − B·(rest + x)``); both are
    straight-line equations, solved exactly. Each step moves to the nearest such weight and takes the
    winner just past it."""
    top = _top(lines, x0, rest)
    first_class = top.openness
    x = x0
    winner_change = None
    for _ in range(8 * (len(lines) + 2)):
        high = max(lines, key=lambda ln: (ln.a + ln.s * x, ln.s if up else -ln.s))
        nxt: float | None = None
        for ln in lines:
            if ln is high:
                continue
            for da, ds in ((ln.a - high.a, ln.s - high.s), (ln.a - high.a + TIE_BAND * rest, ln.s - high.s + TIE_BAND)):
                if ds == 0:
                    continue
                at = -da / ds
                if (up and at > x and math.isfinite(at)) or (not up and 0.0 <= at < x):
                    if nxt is None or (at < nxt if up else at > nxt):
                        nxt = at
        if nxt is None:
            return winner_change, None
        past = nxt * (1 + 1e-9) + 1e-12 if up else max(nxt * (1 - 1e-9) - 1e-12, 0.0)
        new = _top(lines, past, rest)
        x = past
        if new is top:
            continue
        top = new
        if winner_change is None:
            winner_change = (nxt, top)
        if top.openness != first_class and top.openness != "unknown":
            return winner_change, (nxt, top)
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
            lines.append(_Line(r.raw - wk * s, s, r.model, r.cand.openness, r.monthly))

        def share(x: float, rest: float = rest) -> float:
            return x / (rest + x) if rest + x > 0 else 1.0

        item: dict[str, Any] = {"criterion": cid, "weight": round(share(wk), 4), "raw_weight": wk}
        for direction, up in (("above", True), ("below", False)):
            win, ver = _walk(_contenders(lines, wk, up, rest), wk, up, rest)
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
                lo, hi = prev, float(lf)
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
    total_w = math.fsum(weights.values()) or 1.0

    probes: dict[str, Probe] = {
        "volume": lambda f: fast_top(flat, volume * f, 1.0, 1.0, budget, w_cost, reference, total_w),
        "api_prices": lambda f: fast_top(flat, volume, f, 1.0, budget, w_cost, reference, total_w),
        "gpu_price": lambda f: fast_top(flat, volume, 1.0, f, budget, w_cost, reference, total_w),
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
