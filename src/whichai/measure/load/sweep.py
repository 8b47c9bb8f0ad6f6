"""The sweep: concurrency 1, then doubling until throughput stops growing (or ``max_concurrency``),
then bisection around saturation and around the latency target (SLO).

- *Saturated*: a doubling raised output tokens/s by less than ``gain`` (10 %).
- ``saturation_concurrency``: the smallest concurrency measured that reaches 95 % of the highest
  throughput, found by bisection between the doubling points.
- ``at_slo``: the highest-throughput point whose p95 time to first token and p95 latency meet the
  targets, with no errors; bisection looks for the largest such concurrency.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

NEAR_MAX = 0.95
FAILING = 0.5  # a point where more than half the requests failed ends the doubling


@dataclass
class SweepPlan:
    max_concurrency: int = 64
    requests: int | None = None  # per point; None with no duration: max(16, 8 × concurrency) (a steady window of ~6 waves)
    duration_s: float | None = None  # per point
    slo_ttft_s: float | None = None
    slo_latency_s: float | None = None
    fixed: int | None = None  # measure this one concurrency only
    gain: float = 0.10
    bisect_steps: int = 3

    def requests_at(self, concurrency: int) -> int | None:
        if self.duration_s is not None:
            return None
        return self.requests if self.requests is not None else max(16, 8 * concurrency)

    @property
    def has_slo(self) -> bool:
        return self.slo_ttft_s is not None or self.slo_latency_s is not None


Measure = Callable[[int], Awaitable[dict[str, Any]]]


async def sweep(plan: SweepPlan, measure: Measure) -> dict[str, Any]:
    """Run the sweep, calling ``measure(concurrency)`` for each point; returns the summary fields."""
    points: dict[int, dict[str, Any]] = {}

    async def at(concurrency: int) -> dict[str, Any]:
        if concurrency not in points:
            points[concurrency] = await measure(concurrency)
        return points[concurrency]

    if plan.fixed is not None:
        await at(plan.fixed)
        return summary(plan, points, saturated=False)
    saturated = False
    concurrency, best = 1, 0.0
    while True:
        point = await at(concurrency)
        if point["requests"] and point["errors"] > FAILING * point["requests"]:
            break
        throughput = point["output_tokens_per_s"]
        if concurrency > 1 and throughput < best * (1 + plan.gain):
            saturated = True
            break
        best = max(best, throughput)
        if concurrency >= plan.max_concurrency:
            break
        concurrency = min(concurrency * 2, plan.max_concurrency)
    if saturated:
        await _bisect(plan, points, at, lambda p, top: p["output_tokens_per_s"] >= NEAR_MAX * top)
    if plan.has_slo:
        await _bisect(plan, points, at, lambda p, top: not meets_slo(plan, p))
    return summary(plan, points, saturated)


async def _bisect(plan: SweepPlan, points: dict[int, dict[str, Any]], at: Measure,
                  beyond: Callable[[dict[str, Any], float], bool]) -> None:
    """Narrow the gap between the largest concurrency not ``beyond`` and the smallest one that is."""
    for _ in range(plan.bisect_steps):
        top = max(p["output_tokens_per_s"] for p in points.values())
        measured = sorted(points)
        above = [c for c in measured if beyond(points[c], top)]
        if not above:
            return
        hi = above[0]
        below = [c for c in measured if c < hi and not beyond(points[c], top)]
        if not below:
            return
        lo = below[-1]
        if hi - lo <= 1:
            return
        await at((lo + hi) // 2)


def meets_slo(plan: SweepPlan, point: dict[str, Any]) -> bool:
    if point["errors"] or point["ttft_p95_s"] is None:
        return False
    if plan.slo_ttft_s is not None and point["ttft_p95_s"] > plan.slo_ttft_s:
        return False
    return plan.slo_latency_s is None or point["latency_p95_s"] <= plan.slo_latency_s


def summary(plan: SweepPlan, points: dict[int, dict[str, Any]], saturated: bool) -> dict[str, Any]:
    ordered = [points[c] for c in sorted(points)]
    top = max(ordered, key=lambda p: p["output_tokens_per_s"])
    near = [p for p in ordered if p["output_tokens_per_s"] >= NEAR_MAX * top["output_tokens_per_s"]]
    saturation = near[0] if saturated else None
    return {
        "points": ordered,
        "max_output_tokens_per_s": top["output_tokens_per_s"],
        "max_at_concurrency": top["concurrency"],
        "saturated": saturated,
        "saturation_concurrency": saturation["concurrency"] if saturation else None,
        "at_saturation": _headline(saturation) if saturation else None,
        "at_slo": _at_slo(plan, ordered),
    }


def _headline(point: dict[str, Any]) -> dict[str, Any]:
    keys = ("concurrency", "requests_per_s", "output_tokens_per_s", "input_tokens_per_s", "tokens_per_s",
            "ttft_p95_s", "latency_p95_s")
    return {k: point[k] for k in keys}


def _at_slo(plan: SweepPlan, ordered: list[dict[str, Any]]) -> dict[str, Any] | None:
    if not plan.has_slo:
        return None
    meeting = [p for p in ordered if meets_slo(plan, p)]
    target = {"slo_ttft_s": plan.slo_ttft_s, "slo_latency_s": plan.slo_latency_s}
    if not meeting:
        return {**target, "met": False, **{k: None for k in _headline(ordered[0])}}
    best = max(meeting, key=lambda p: p["output_tokens_per_s"])
    return {**target, "met": True, **_headline(best)}
