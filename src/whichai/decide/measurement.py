"""A model's measurements as decide is given them: one run's per-model summary over the cases it answered.

``whichai.app.answered_only`` makes one from :meth:`whichai.measure.metrics.ModelSummary.to_json` (its
keys, and ``cases`` the scored answered cases, the task's count kept in ``cases_in_task``); tests
and callers may give the figures they have, so every key is optional. ``tests/test_decide_measured.py``
validates a real summary against this type.
"""

from __future__ import annotations

from typing import TypedDict


class LangRateJSON(TypedDict):
    cases: int
    scored: int
    passed: int | float
    pass_rate: float | None
    ci95: list[float]


class ConsistencyJSON(TypedDict):
    cases: int
    consistent: int
    share: float
    repeats: int


class Measurement(TypedDict, total=False):
    model: str
    cases: int  # scored answered cases (what the pass rate is over)
    cases_in_task: int
    answered: int
    scored: int
    passed: int | float
    pass_rate: float | None  # None: nothing scored, not measured
    pass_rate_ci95: list[float]
    pass_rate_over: str
    errors: int
    judge_errors: int
    missing: int
    partial: bool
    latency_p50_s: float | None
    latency_p95_s: float | None
    ttft_p50_s: float | None
    output_tokens_per_s: float | None
    input_tokens_mean: float | None
    output_tokens_mean: float | None
    tokens_counted: bool
    cost_usd: float | None
    cost_per_1000_cases_usd: float | None
    price_source: str | None
    origin: str
    by_lang: dict[str, LangRateJSON]
    consistency: ConsistencyJSON
    judge_cost_usd: float | None
    # the model's identity (whichai.providers.identity.summary_keys): what it serves, and where it ran
    serves: str
    self_hosted: bool
    hardware: str
    params_b: float
