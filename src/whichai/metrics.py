"""From stored results to the figures of the result table: pass rate with its Wilson interval,
latency percentiles, time to first token, output tokens per second, cost of the run and per 1,000 cases.

Every figure here is *measured* on this run. Definitions:

- ``pass_rate``: passed / cases, errors counted as not passed; ``pass_rate_ci95`` the 95 % Wilson interval.
- ``latency_*`` and ``ttft_p50_s``: percentiles (linear interpolation) over calls that returned an answer.
- ``output_tokens_per_s``: output tokens of all answers / their total latency (end-to-end, one call at a time).
- ``cost_usd``: sum over answered calls of tokens × price (None if any price is unknown); 0 for local models.
"""

from __future__ import annotations

import math
from typing import Any

from whichai.store import Store

Z95 = 1.959963984540054


def wilson(passed: int, n: int, z: float = Z95) -> tuple[float, float]:
    if n == 0:
        return (0.0, 1.0)
    p = passed / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = math.ceil(position)
    if low == high:
        return ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarise_results(model: str, results: list[dict[str, Any]], cases: int) -> dict[str, Any]:
    ok = [r for r in results if r["status"] == "ok"]
    errors = sum(1 for r in results if r["status"] == "error")
    passed = sum(1 for r in ok if r["passed"])
    latencies = [r["latency_s"] for r in ok if r["latency_s"] is not None]
    ttfts = [r["ttft_s"] for r in ok if r["ttft_s"] is not None]
    out_tokens = [r["output_tokens"] for r in ok if r["output_tokens"] is not None]
    in_tokens = [r["input_tokens"] for r in ok if r["input_tokens"] is not None]
    costs = [r["cost_usd"] for r in ok]
    cost = None if not ok or any(c is None for c in costs) else sum(costs)
    total_latency = sum(r["latency_s"] for r in ok if r["output_tokens"] is not None and r["latency_s"])
    low, high = wilson(passed, cases)
    return {
        "model": model,
        "cases": cases,
        "answered": len(ok),
        "passed": passed,
        "pass_rate": passed / cases if cases else 0.0,
        "pass_rate_ci95": [round(low, 4), round(high, 4)],
        "errors": errors,
        "missing": cases - len(ok) - errors,
        "latency_p50_s": percentile(latencies, 0.5),
        "latency_p95_s": percentile(latencies, 0.95),
        "ttft_p50_s": percentile(ttfts, 0.5),
        "output_tokens_per_s": (sum(out_tokens) / total_latency) if out_tokens and total_latency > 0 else None,
        "input_tokens_mean": (sum(in_tokens) / len(in_tokens)) if in_tokens else None,
        "output_tokens_mean": (sum(out_tokens) / len(out_tokens)) if out_tokens else None,
        "tokens_counted": any(r.get("tokens_counted") for r in ok),
        "cost_usd": cost,
        "cost_per_1000_cases_usd": (cost / len(ok) * 1000) if cost is not None and ok else None,
        "price_source": next((r["price_source"] for r in ok if r.get("price_source")), None),
        "origin": "measured",
    }


def summarise(store: Store, run_id: str) -> list[dict[str, Any]]:
    """Per model of the run, in the run's order: the measured figures."""
    run = store.run(run_id)
    if run is None:
        return []
    cases = len(store.cases(run["id"]))
    rows = store.results(run["id"])
    return [summarise_results(m, [r for r in rows if r["model"] == m], cases) for m in run["models"]]
