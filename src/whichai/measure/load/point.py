"""One point of a sweep: a closed loop at one concurrency, and the statistics of what came back.

``concurrency`` workers each send a request, wait for the whole answer, and send the next, until the
point's request count (or its duration) is reached. Rates are measured at steady state: in the window
from the end of the first wave (the ``concurrency``-th answer: warm-up, connections opened) to the
moment the first worker finds nothing left to send (drain), each request counts for the share of its
time in flight that falls inside the window, so a partly full first or last wave, or answers that come
back in groups from a queueing server, do not bias the figure. Points too short for a window (one wave)
fall back to answers over the whole elapsed time. Calls go through an :class:`AdaptiveLimiter`:
a server that sheds load makes the point lower its concurrency, retry the shed request once a slot
is free, and raise the concurrency again as answers come back (AIMD).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

from whichai.errors import FatalCallError
from whichai.measure.adaptive import AdaptiveLimiter
from whichai.measure.load.client import Sample, StreamClient
from whichai.measure.load.prompts import Prompt
from whichai.measure.load.sweep import LoadPoint
from whichai.measure.metrics import percentile

FATAL = frozenset({"auth", "not_found", "bad_request"})
MAX_ATTEMPTS = 8  # per request: shed requests are retried after the limit came down


@dataclass
class PointPlan:
    concurrency: int
    requests: int | None = None
    duration_s: float | None = None
    adaptive: bool = True


async def run_point(client: StreamClient, prompts: list[Prompt], plan: PointPlan, offset: int = 0,
                    on_sample: Callable[[Sample], None] | None = None) -> LoadPoint:
    limiter = AdaptiveLimiter(plan.concurrency)
    samples: list[Sample] = []
    issued = 0
    answered_any = False
    start = time.perf_counter()
    deadline = start + plan.duration_s if plan.duration_s else None

    async def one(prompt: Prompt) -> Sample:
        nonlocal answered_any
        for _attempt in range(MAX_ATTEMPTS):
            async with limiter.slot():
                sent_at = limiter.generation
                sample = await client.stream(prompt)
                if sample.ok:
                    answered_any = True
                    if plan.adaptive:
                        limiter.success()
                    return sample
            if sample.error_class in FATAL and not answered_any:
                raise FatalCallError(f"{client.target.model_id}: {sample.message}", error_class=sample.error_class)
            if sample.retry_after:
                await asyncio.sleep(min(sample.retry_after, 30.0))
            elif sample.shed and plan.adaptive:
                limiter.shed(sample.error_class or "shed", sent_at)
            else:
                return sample
        return sample

    spans: list[tuple[float, float, Sample]] = []  # (sent, answered, sample) of the answered requests
    drain_at: float | None = None

    async def worker() -> None:
        nonlocal issued, drain_at
        while True:
            now = time.perf_counter()
            if (plan.requests is not None and issued >= plan.requests) or (deadline is not None and now >= deadline):
                drain_at = drain_at or now
                return
            prompt = prompts[(offset + issued) % len(prompts)]
            issued += 1
            sample = await one(prompt)
            samples.append(sample)
            if sample.ok:
                spans.append((now, time.perf_counter(), sample))
            if on_sample:
                on_sample(sample)

    async with asyncio.TaskGroup() as group:
        for _ in range(plan.concurrency):
            group.create_task(worker())
    elapsed = time.perf_counter() - start
    return summarise(plan.concurrency, samples, elapsed, prompts, limiter, steady_window(spans, plan.concurrency, drain_at))


@dataclass
class Window:
    """What was answered at steady state: requests and output tokens (fractional), over ``seconds``."""

    requests: float
    output_tokens: float
    seconds: float


def steady_window(spans: list[tuple[float, float, Sample]], concurrency: int, drain_at: float | None) -> Window | None:
    """The steady-state window of a closed loop (see the module docstring); None when the point is too short."""
    if drain_at is None or len(spans) < 2 * concurrency:
        return None
    begin = sorted(done for _, done, _ in spans)[concurrency - 1]
    if drain_at <= begin:
        return None
    requests = tokens = 0.0
    for sent, done, sample in spans:
        inside = min(done, drain_at) - max(sent, begin)
        if inside > 0 and done > sent:
            share = inside / (done - sent)
            requests += share
            tokens += share * sample.output_tokens
    return Window(requests, tokens, drain_at - begin) if requests >= concurrency else None


def summarise(concurrency: int, samples: list[Sample], elapsed: float, prompts: list[Prompt],
              limiter: AdaptiveLimiter, window: Window | None = None) -> LoadPoint:
    ok = [s for s in samples if s.ok]
    output = sum(s.output_tokens for s in ok)
    window = window or Window(len(ok), output, elapsed)
    seconds = window.seconds
    calibrated = [p.input_tokens for p in prompts if p.input_tokens]
    fallback = sum(calibrated) / len(calibrated) if calibrated else None
    inputs = [s.input_tokens if s.input_tokens is not None else fallback for s in ok]
    input_known = bool(ok) and all(i is not None for i in inputs)
    input_total = sum(i for i in inputs if i is not None) if input_known else None
    input_rate = input_total / len(ok) * window.requests / seconds if input_total is not None and seconds > 0 else None
    gaps = [g for s in ok for g in s.gaps]
    tpot = [(s.latency_s - s.ttft_s) / (s.output_tokens - 1) for s in ok if s.ttft_s is not None and s.output_tokens > 1]
    ttft = [s.ttft_s for s in ok if s.ttft_s is not None]
    latency = [s.latency_s for s in ok]
    errors: dict[str, int] = {}
    for s in samples:
        if not s.ok:
            errors[s.error_class or "error"] = errors.get(s.error_class or "error", 0) + 1
    point: LoadPoint = {
        "concurrency": concurrency,
        "requests": len(samples),
        "errors": len(samples) - len(ok),
        "requests_per_s": window.requests / seconds if seconds > 0 else 0.0,
        "output_tokens_per_s": window.output_tokens / seconds if seconds > 0 else 0.0,
        "ttft_p50_s": percentile(ttft, 0.5),
        "ttft_p95_s": percentile(ttft, 0.95),
        "itl_p50_s": percentile(gaps, 0.5),
        "latency_p50_s": percentile(latency, 0.5),
        "latency_p95_s": percentile(latency, 0.95),
        # extra fields
        "input_tokens_per_s": input_rate,
        "tokens_per_s": input_rate + window.output_tokens / seconds if input_rate is not None else None,
        "tpot_p50_s": percentile(tpot, 0.5),
        "output_tokens_per_request": output / len(ok) if ok else None,
        "input_tokens_per_request": input_total / len(ok) if input_total is not None and ok else None,
        "tokens_reported": bool(ok) and all(s.tokens_reported for s in ok),
        "elapsed_s": elapsed,
        "steady_s": seconds,  # the steady-state window the rates are measured over
        "error_classes": errors,
        "adaptive": limiter.summary(),
    }
    return point
