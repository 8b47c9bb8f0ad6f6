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

import math
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from whichai.criteria import CRITERION_IDS
from whichai.decide.profile import Profile
from whichai.decide.scoring import TIE_BAND, Prepared, Pricing, Ranked, fast_top, flatten, verdict_of

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


def _beyond(at: float, x: float, up: bool) -> bool:
    """``at`` lies past ``x`` on the walk's side (up: above it; down: below it, not below 0)."""
    return (at > x and math.isfinite(at)) if up else 0.0 <= at < x


def _past(at: float, up: bool) -> float:
    """A weight just past ``at`` on the walk's side, where the winner after an event is read."""
    return at * (1 + 1e-9) + 1e-12 if up else max(at * (1 - 1e-9) - 1e-12, 0.0)


def _highest(lines: list[_Line], x: float, up: bool) -> _Line:
    """The highest line at ``x`` (of two equal there, the one that rises on the walk's side)."""
    return max(lines, key=lambda ln: (ln.a + ln.s * x, ln.s if up else -ln.s))


def _envelope(lines: list[_Line], x0: float, up: bool) -> list[tuple[float, float | None, _Line]]:
    """The upper envelope on the walk's side of ``x0``: (from, to, the highest line) for each stretch,
    ``to`` None on the last. A stretch ends where another line crosses its highest line
    (``a_j + s_j·x = a_h + s_h·x``); the next is read just past that crossing."""
    stretches = []
    x = x0
    while True:
        high = _highest(lines, x, up)
        end: float | None = None
        for ln in lines:
            ds = ln.s - high.s
            if ln is high or ds == 0:
                continue
            at = -(ln.a - high.a) / ds
            if _beyond(at, x, up) and (end is None or (at < end if up else at > end)):
                end = at
        stretches.append((x, end, high))
        if end is None:
            return stretches
        x = _past(end, up)


def _walk(lines: list[_Line], x0: float, up: bool, rest: float) -> tuple[tuple[float, _Line] | None, tuple[float, _Line] | None]:
    """First (x, new top) where the winner changes, and where the class (verdict) changes. The winner
    is the cheapest line within the tie band of the highest (:func:`_top`), so it can change only
    where a line's distance to the highest crosses the band: ``a_i + s_i·x = a_h + s_h·x − B·(rest + x)``
    with h the highest line there (:func:`_envelope`), a straight-line equation solved exactly. Below
    the highest by less than the band is one stretch of weights per line (the highest is convex), so
    the winner changes only where a line cheaper than it comes within the band, or where it leaves
    the band; the winner is read just past each such point, in order."""
    events: list[tuple[float, _Line | None, bool]] = []  # (weight, line, comes within the band); line None: the highest changes
    for start, end, high in _envelope(lines, x0, up):
        if end is not None:
            events.append((end, None, False))
        stop = None if end is None else _past(end, up)  # the winner after the stretch's end is read there
        events.extend(_band_crossings(lines, high, start, stop, up, rest))
    events.sort(key=lambda ev: ev[0], reverse=not up)
    top = _top(lines, x0, rest)
    first_class = top.openness
    winner_change = None
    x, i = x0, 0
    while i < len(events):
        at = events[i][0]
        if not _beyond(at, x, up):  # already passed: read with the event before it
            i += 1
            continue
        may_change = x == x0  # the first: the winner at x0 itself may sit on the band's edge
        x = _past(at, up)
        while i < len(events) and not _beyond(events[i][0], x, up):
            _, ln, enters = events[i]
            if ln is None or ln is top or (enters and _cheaper(ln, top)):  # where the highest changes: read too
                may_change = True
            i += 1
        if not may_change:
            continue
        new = _top(lines, x, rest)
        if new is top:
            continue
        top = new
        if winner_change is None:
            winner_change = (at, top)
        if top.openness != first_class and top.openness != "unknown":
            return winner_change, (at, top)
    return winner_change, None


def _band_crossings(lines: list[_Line], high: _Line, start: float, stop: float | None, up: bool, rest: float) -> list[tuple[float, _Line, bool]]:
    """(weight, line, comes within the band) where a line's distance to ``high`` crosses the band, past
    ``start`` and up to ``stop`` on the walk's side: ``a_i + s_i·x = a_h + s_h·x − B·(rest + x)``."""
    # up: start < x <= stop (finite); down: stop <= x < start, not below 0
    lo, hi = (start, sys.float_info.max if stop is None else stop) if up else (stop or 0.0, start)
    found = []
    for ln in lines:
        ds = ln.s - high.s + TIE_BAND
        if ln is high or ds == 0:
            continue
        at = -(ln.a - high.a + TIE_BAND * rest) / ds
        if (lo < at <= hi) if up else (lo <= at < hi):
            found.append((at, ln, (ds > 0) == up))
    return found


def _cheaper(a: _Line, b: _Line) -> bool:
    """``a`` comes before ``b`` among lines within the band (:func:`_top`'s order)."""
    return (round(a.monthly, 6), a.model) < (round(b.monthly, 6), b.model)


def _contenders(a: list[float], s: list[float], x0: float, up: bool, rest: float) -> list[int]:
    """The lines (by index) that can come within the tie band of the highest on the walk's side of
    ``x0``; the others never win, never are the highest and never cross the band there, so the walk
    leaves them out (the same events, a fraction of the work).

    Divided by the total weight (``rest + x``), line i is the weighted average ``(1 - t)·u_i + t·s_i``
    with ``u_i = a_i / rest`` and ``t = x / (rest + x)``: a straight line in ``t``, and the band is
    ``TIE_BAND`` there. The walk covers ``t`` from ``t0`` up to 1, or from 0 up to ``t0``; a line that
    another beats by at least the band at both ends of that interval is beaten by more than the band
    everywhere in it. The lines tried as that other: the highest at either end."""
    if rest <= 0 or len(a) < 3:
        return list(range(len(a)))
    near = [(ai + si * x0) / (rest + x0) for ai, si in zip(a, s)]
    far = s if up else [ai / rest for ai in a]
    margin = TIE_BAND + 1e-9
    j, k = max(range(len(a)), key=near.__getitem__), max(range(len(a)), key=far.__getitem__)
    nj, fj, nk, fk = near[j] - margin, far[j] - margin, near[k] - margin, far[k] - margin
    return [i for i, (n, f) in enumerate(zip(near, far)) if (n > nj or f > fj) and (n > nk or f > fk)]


def weight_sensitivity(ranked: list[Ranked], weights: dict[str, float]) -> list[dict[str, Any]]:
    if not ranked:
        return []
    total = math.fsum(weights.values())
    out = []
    for cid in CRITERION_IDS:
        wk = weights[cid]
        rest = total - wk
        scores = [r.cost_value for r in ranked] if cid == "cost" else [r.option.criteria[cid].score for r in ranked]
        a = [r.raw - wk * x for r, x in zip(ranked, scores)]

        def share(x: float, rest: float = rest) -> float:
            return x / (rest + x) if rest + x > 0 else 1.0

        item: dict[str, Any] = {"criterion": cid, "weight": round(share(wk), 4), "raw_weight": wk}
        for direction, up in (("above", True), ("below", False)):
            lines = [_Line(a[i], scores[i], ranked[i].model, ranked[i].cand.openness, ranked[i].monthly) for i in _contenders(a, scores, wk, up, rest)]
            win, ver = _walk(lines, wk, up, rest)
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
    total_w = math.fsum(weights.values()) or 1.0

    probes: dict[str, Probe] = {
        "volume": lambda f: fast_top(flat, Pricing.of(profile, weights, volume * f), total_w),
        "api_prices": lambda f: fast_top(flat, Pricing.of(profile, weights, api_factor=f), total_w),
        "gpu_price": lambda f: fast_top(flat, Pricing.of(profile, weights, gpu_factor=f), total_w),
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
