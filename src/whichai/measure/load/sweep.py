"""The sweep: concurrency 1, then doubling until throughput stops growing (or ``max_concurrency``),
then bisection around saturation and around the latency target (SLO).

- *Saturated*: a doubling raised output tokens/s by less than ``gain`` (10 %).
- ``saturation_concurrency``: the smallest concurrency measured that reaches 95 % of the highest
  throughput, found by bisection between the doubling points.
- ``at_slo``: the highest-throughput point whose p95 time to first token and p95 latency meet the
  targets, with no errors; bisection looks for the largest such concurrency.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import asdict, dataclass
from typing import NotRequired, TypedDict

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


class LoadPoint(TypedDict):
    """One point of a sweep, as ``whichai load --json`` prints it (rates per second, times in seconds).
    The first 13 keys are columns of ``load_points``; the others are stored as its ``extra`` JSON."""

    concurrency: int
    requests: int
    errors: int
    requests_per_s: float
    output_tokens_per_s: float
    ttft_p50_s: float | None
    ttft_p95_s: float | None
    itl_p50_s: float | None
    latency_p50_s: float | None
    latency_p95_s: float | None
    input_tokens_per_s: float | None
    tokens_per_s: float | None  # input + output
    tpot_p50_s: float | None
    output_tokens_per_request: NotRequired[float | None]
    input_tokens_per_request: NotRequired[float | None]
    tokens_reported: NotRequired[bool]
    elapsed_s: NotRequired[float]
    steady_s: NotRequired[float]
    error_classes: NotRequired[dict[str, int]]
    adaptive: NotRequired[Mapping[str, object]]  # AdaptiveLimiter.summary()


class Headline(TypedDict):
    """A point's headline figures (``at_saturation``)."""

    concurrency: int
    requests_per_s: float
    output_tokens_per_s: float
    input_tokens_per_s: float | None
    tokens_per_s: float | None
    ttft_p95_s: float | None
    latency_p95_s: float | None


class AtSlo(TypedDict):
    """The latency target and the best point that met it (its headline keys are None when none met it)."""

    slo_ttft_s: float | None
    slo_latency_s: float | None
    met: bool
    concurrency: int | None
    requests_per_s: float | None
    output_tokens_per_s: float | None
    input_tokens_per_s: float | None
    tokens_per_s: float | None
    ttft_p95_s: float | None
    latency_p95_s: float | None


class SweepSummary(TypedDict):
    """What :func:`sweep` found: the summary fields of a sweep's document."""

    points: list[LoadPoint]
    max_output_tokens_per_s: float
    max_at_concurrency: int
    saturated: bool
    saturation_concurrency: int | None
    at_saturation: Headline | None
    at_slo: AtSlo | None


class Workload(TypedDict, total=False):
    """What was sent: a task's cases, or synthetic prompts of a given size."""

    task: str | None
    distinct_prompts: int
    max_tokens: int
    input_tokens: int
    output_tokens: int
    exact_output: bool


class PlanJson(TypedDict, total=False):
    """The sweep's plan, as the document records it."""

    max_concurrency: int
    fixed_concurrency: int | None
    requests_per_point: int | None
    duration_s_per_point: float | None
    slo_ttft_s: float | None
    slo_latency_s: float | None
    adaptive: bool
    timeout_s: float


@dataclass(frozen=True)
class LoadSweep:
    """One sweep: the document ``whichai load --json`` prints and the store keeps (``elapsed_s``: the wall
    time of a sweep just run; not stored)."""

    id: str
    created_at: str
    model: str
    server: str
    serves: str | None
    hardware: str
    workload: Workload
    plan: PlanJson
    points: list[LoadPoint]
    max_output_tokens_per_s: float
    max_at_concurrency: int | None
    saturated: bool
    saturation_concurrency: int | None
    at_saturation: Headline | None
    at_slo: AtSlo | None
    whichai_version: str
    elapsed_s: float | None = None

    def to_json(self) -> dict[str, object]:
        """The ``whichai load --json`` document (``elapsed_s`` only when set)."""
        out = asdict(self)
        if self.elapsed_s is None:
            del out["elapsed_s"]
        return out


Measure = Callable[[int], Awaitable[LoadPoint]]


async def sweep(plan: SweepPlan, measure: Measure) -> SweepSummary:
    """Run the sweep, calling ``measure(concurrency)`` for each point; returns the summary fields."""
    points: dict[int, LoadPoint] = {}

    async def at(concurrency: int) -> LoadPoint:
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


async def _bisect(plan: SweepPlan, points: dict[int, LoadPoint], at: Measure,
                  beyond: Callable[[LoadPoint, float], bool]) -> None:
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


def meets_slo(plan: SweepPlan, point: LoadPoint) -> bool:
    if point["errors"] or point["ttft_p95_s"] is None:
        return False
    if plan.slo_ttft_s is not None and point["ttft_p95_s"] > plan.slo_ttft_s:
        return False
    latency = point["latency_p95_s"]
    return plan.slo_latency_s is None or (latency is not None and latency <= plan.slo_latency_s)


def summary(plan: SweepPlan, points: dict[int, LoadPoint], saturated: bool) -> SweepSummary:
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
        "at_saturation": headline(saturation) if saturation else None,
        "at_slo": _at_slo(plan, ordered),
    }


def headline(point: LoadPoint) -> Headline:
    return Headline(concurrency=point["concurrency"], requests_per_s=point["requests_per_s"],
                    output_tokens_per_s=point["output_tokens_per_s"], input_tokens_per_s=point["input_tokens_per_s"],
                    tokens_per_s=point["tokens_per_s"], ttft_p95_s=point["ttft_p95_s"], latency_p95_s=point["latency_p95_s"])


def _at_slo(plan: SweepPlan, ordered: list[LoadPoint]) -> AtSlo | None:
    if not plan.has_slo:
        return None
    meeting = [p for p in ordered if meets_slo(plan, p)]
    if not meeting:
        return AtSlo(slo_ttft_s=plan.slo_ttft_s, slo_latency_s=plan.slo_latency_s, met=False, concurrency=None,
                     requests_per_s=None, output_tokens_per_s=None, input_tokens_per_s=None, tokens_per_s=None,
                     ttft_p95_s=None, latency_p95_s=None)
    best = max(meeting, key=lambda p: p["output_tokens_per_s"])
    return AtSlo(slo_ttft_s=plan.slo_ttft_s, slo_latency_s=plan.slo_latency_s, met=True, **headline(best))
