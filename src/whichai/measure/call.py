"""What one unscored call gives back (:meth:`whichai.measure.runner.Runner.call`, for judges), in a module of
its own so the runner and the judge that reads it both import it without importing each other."""

from __future__ import annotations

from typing import TypedDict


class CallResult(TypedDict, total=False):
    """One unscored call (:meth:`Runner.call`, for judges): its answer and measurements (status ok), or its
    error (status error: ``error_class``, ``error_message``)."""

    status: str
    answer: str
    attempts: int
    latency_s: float
    input_tokens: int | None
    output_tokens: int | None
    tokens_counted: int
    cost_usd: float | None
    price_source: str | None
    error_class: str | None
    error_message: str
    model: str
    case_id: str
