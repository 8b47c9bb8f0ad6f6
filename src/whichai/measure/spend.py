"""What a run may cost on paid APIs, known before it starts (``whichai run --max-cost USD``).

An upper estimate, per model: calls (cases × repeats, and the judge's calls for judged cases) ×
(prompt tokens × input price + the answer's cap × output price). The prices are the ones the run
itself costs its answers at (:func:`price_of`: a price configured for the provider, else the
catalog's for the model as named); prompt tokens are counted as one per ``CHARS_PER_TOKEN``
characters plus ``TOKENS_PER_MESSAGE`` for each message's chat template (generous for English, about
right for Indonesian); every answer is counted at its cap (``--max-tokens``, the judge's own).
Retries are not counted: a failed attempt is rarely billed in full. Self-hosted models (a local
model, a local server, a server declared ``self_hosted``) cost nothing per call.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

CHARS_PER_TOKEN = 3
TOKENS_PER_MESSAGE = 8


def price_of(provider: Any, model: str) -> tuple[float, float, str] | None:
    """(USD per million input tokens, per million output tokens, source) of ``model`` as the run costs
    it: the price configured for its provider (``price_usd_per_mtok``), else the catalog's published
    price for that id; None when neither is known."""
    configured = getattr(provider.config, "price_usd_per_mtok", None)
    if configured is not None:
        return configured.input, configured.output, "config"
    from whichai.catalog import load_catalog

    found = load_catalog().price_for(model)
    if found is None:
        return None
    return found.input, found.output, f"catalog:{found.source}@{found.as_of}"


def prompt_tokens(messages: list[dict[str, str]]) -> int:
    """An upper estimate of the tokens of a chat prompt."""
    return sum(math.ceil(len(m.get("content") or "") / CHARS_PER_TOKEN) + TOKENS_PER_MESSAGE for m in messages)


@dataclass
class Spend:
    """The estimate: {model, calls, input_tokens, output_tokens, usd, price} per paid model, and the
    models that would be called on a paid API with no price on record (their cost has no bound)."""

    models: list[dict[str, Any]] = field(default_factory=list)
    unpriced: list[str] = field(default_factory=list)

    @property
    def usd(self) -> float:
        total: float = sum(m["usd"] for m in self.models)
        return total

    def add(self, model: str, price: tuple[float, float, str], calls: int, input_tokens: int, output_tokens: int) -> None:
        usd = (input_tokens * price[0] + output_tokens * price[1]) / 1_000_000
        self.models.append({"model": model, "calls": calls, "input_tokens": input_tokens, "output_tokens": output_tokens,
                            "usd": usd, "price": price[2]})


def estimate(registry: Any, task: Any, models: list[str], max_tokens: int, repeat: int = 1) -> Spend:
    """The most the run's calls to paid APIs may cost: the models on the task, then the judges."""
    spend = Spend()
    cases = task.cases
    memo: list[int] = []

    def prompt() -> int:  # counted only for a priced model (100,000 cases: half a second)
        if not memo:
            memo.append(sum(prompt_tokens(c.messages()) for c in cases) * repeat)
        return memo[0]

    for model in models:
        _add(spend, registry, model, len(cases) * repeat, prompt, len(cases) * repeat * max_tokens)
    _judges(spend, registry, task, models, max_tokens, repeat)
    return spend


def _add(spend: Spend, registry: Any, model: str, calls: int, input_tokens: int | Callable[[], int], output_tokens: int) -> None:
    from whichai.providers.identity import is_self_hosted

    provider, name = registry.resolve(model)
    if is_self_hosted(provider) or calls == 0:  # the user's own machine or server: no API bill
        return
    price = price_of(provider, model)
    if price is None:
        spend.unpriced.append(model)
    else:
        spend.add(model, price, calls, input_tokens if isinstance(input_tokens, int) else input_tokens(), output_tokens)


def _judges(spend: Spend, registry: Any, task: Any, models: list[str], max_tokens: int, repeat: int) -> None:
    """A judge grades each judged case's answer of every model: its prompt holds the case and the answer
    (at most the answer's cap, and at most the judge's limit of shown characters)."""
    from whichai.measure.judge import ANSWER_LIMIT, JUDGE_MAX_TOKENS, grade_messages, judge_models, judge_views

    judges = judge_models(task)
    if not judges:
        return
    by_id = {c.id: c for c in task.cases}
    answer = min(max_tokens, math.ceil(ANSWER_LIMIT / CHARS_PER_TOKEN))
    for judge, case_ids in judges.items():
        views = [v for i in case_ids for v in judge_views(by_id[i])]  # a promptfoo case: one call per llm-rubric
        calls = len(views) * len(models) * repeat
        per_model = sum(prompt_tokens(grade_messages(v, "")) + answer for v in views)
        _add(spend, registry, judge, calls, per_model * len(models) * repeat, calls * JUDGE_MAX_TOKENS)
