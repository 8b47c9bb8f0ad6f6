"""One ``whichai load``: calibrate the prompts, run the sweep, build the document that is printed and stored."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from whichai.measure.load.client import Sample, StreamClient
from whichai.measure.load.point import PointPlan, run_point
from whichai.measure.load.prompts import Prompt
from whichai.measure.load.sweep import LoadPoint, LoadSweep, SweepPlan, SweepSummary, Workload, sweep
from whichai.measure.load.target import Target


@dataclass
class Hooks:
    """Progress callbacks (the CLI draws a bar per point on stderr)."""

    point_start: Callable[[int, int | None], None] = lambda concurrency, total: None
    sample: Callable[[Sample], None] = lambda sample: None
    point_end: Callable[[LoadPoint], None] = lambda point: None


@dataclass
class LoadSpec:
    target: Target
    prompts: list[Prompt]
    plan: SweepPlan
    workload: Workload
    hardware: str
    timeout: float = 120.0
    adaptive: bool = True
    hooks: Hooks = field(default_factory=Hooks)


async def run_load(spec: LoadSpec) -> LoadSweep:
    top = spec.plan.fixed or spec.plan.max_concurrency
    client = StreamClient(spec.target, max_connections=top, timeout=spec.timeout)
    issued = 0
    try:
        await _calibrate(client, spec.prompts)

        async def measure(concurrency: int) -> LoadPoint:
            nonlocal issued
            requests = spec.plan.requests_at(concurrency)
            spec.hooks.point_start(concurrency, requests)
            point = await run_point(client, spec.prompts, PointPlan(concurrency, requests, spec.plan.duration_s,
                                                                   spec.adaptive), issued, spec.hooks.sample)
            issued += point["requests"]
            spec.hooks.point_end(point)
            return point

        result = await sweep(spec.plan, measure)
    finally:
        await client.aclose()
    return _document(spec, result)


async def _calibrate(client: StreamClient, prompts: list[Prompt]) -> None:
    """Ask the server for each distinct prompt's token count (synthetic prompts: the first 8, which
    have the same size), one call at a time, before any clock starts. It also warms the server up."""
    synthetic = prompts and prompts[0].label.startswith("synthetic-")
    for prompt in prompts[:8] if synthetic else prompts:
        prompt.input_tokens = await client.calibrate(prompt)
    if synthetic:
        known = [p.input_tokens for p in prompts[:8] if p.input_tokens]
        for prompt in prompts[8:]:
            prompt.input_tokens = round(sum(known) / len(known)) if known else None


def _document(spec: LoadSpec, result: SweepSummary) -> LoadSweep:
    from whichai import __version__
    from whichai.store import now_iso

    plan = spec.plan
    return LoadSweep(
        id=uuid.uuid4().hex[:12],
        created_at=now_iso(),
        model=spec.target.model_id,
        server=spec.target.base_url,
        serves=spec.target.serves,
        hardware=spec.hardware,
        workload=spec.workload,
        plan={"max_concurrency": plan.fixed or plan.max_concurrency, "fixed_concurrency": plan.fixed,
              "requests_per_point": plan.requests, "duration_s_per_point": plan.duration_s,
              "slo_ttft_s": plan.slo_ttft_s, "slo_latency_s": plan.slo_latency_s, "adaptive": spec.adaptive,
              "timeout_s": spec.timeout},
        **result,
        whichai_version=__version__,
    )


def run_load_sync(spec: LoadSpec) -> LoadSweep:
    started = time.perf_counter()
    document = asyncio.run(run_load(spec))
    return replace(document, elapsed_s=round(time.perf_counter() - started, 3))
