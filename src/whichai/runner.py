"""The async core: runs cases × models concurrently, stores each result the moment it completes, resumes.

Policy lives here once, for every provider: a concurrency limit per provider, a per-request timeout,
bounded retries with exponential backoff and jitter (honouring Retry-After) on retryable errors only,
timing (time to first token, latency, output tokens per second), token counting where a provider reports
no usage, cost, scoring and storage.

Identity and resume: a run's id is a hash over its models, the task's content and the generation
settings — not transport settings such as concurrency, timeout or retries. Running the same command
again opens the same run: results that finished (``ok``) are kept and never paid for twice; cases
with no result, or whose stored result is an error, run again. A failing call never crashes a run:
it becomes a stored error result with its error class.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from whichai.errors import FatalCallError, ProviderError, RetryableError, redact
from whichai.providers.base import GenerationSettings, Provider
from whichai.providers.registry import Registry
from whichai.store import Store
from whichai.tasks.model import Case, Task


def run_identity(models: list[str], task: Task, settings: GenerationSettings) -> str:
    payload = json.dumps(
        {"models": sorted(models), "task": task.content_hash(), "settings": settings.identity()}, sort_keys=True
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:12]


@dataclass
class RunPlan:
    task: Task
    models: list[str]
    settings: GenerationSettings = field(default_factory=GenerationSettings)
    concurrency: int | None = None  # per provider; None: the config's or the provider's default
    timeout: float = 60.0  # seconds per request, retries excluded
    retries: int = 3  # extra attempts after the first, on retryable errors only
    backoff_initial: float = 0.5
    backoff_max: float = 30.0

    @property
    def run_id(self) -> str:
        return run_identity(self.models, self.task, self.settings)


@dataclass
class RunOutcome:
    run_id: str
    resumed: bool
    reused: int  # results kept from an earlier attempt at the same run
    ran: int  # calls made now
    errors: int  # results stored as errors now
    interrupted: bool = False
    calls_elapsed_s: float = 0.0  # from the first call to the last, model loading excluded


ResultCallback = Callable[[str, dict[str, Any]], None]


class Runner:
    def __init__(self, store: Store, registry: Registry, on_result: ResultCallback | None = None,
                 on_start: Callable[[dict[str, int], dict[str, int]], None] | None = None) -> None:
        self.store = store
        self.registry = registry
        self.on_result = on_result
        self.on_start = on_start
        self._prices: dict[str, tuple[float, float, str] | None] = {}

    async def run(self, plan: RunPlan) -> RunOutcome:
        run_id = plan.run_id
        resolved = {m: self.registry.resolve(m) for m in plan.models}
        resumed = self.store.ensure_run(
            run_id,
            task_name=plan.task.name,
            task_hash=plan.task.content_hash(),
            models=plan.models,
            settings=plan.settings.identity(),
            cases=[(c.id, c.model_dump(mode="json")) for c in plan.task.cases],
            version=_version(),
        )
        finished = self.store.finished(run_id)
        pending = [
            (model, case)
            for model in plan.models
            for case in plan.task.cases
            if finished.get((model, case.id)) != "ok"
        ]
        reused = sum(1 for status in finished.values() if status == "ok")
        totals = {m: len(plan.task.cases) for m in plan.models}
        done = {m: sum(1 for (mm, _), s in finished.items() if mm == m and s == "ok") for m in plan.models}
        if self.on_start:
            self.on_start(totals, done)

        limits: dict[str, asyncio.Semaphore] = {}
        for provider, _ in resolved.values():
            if provider.name not in limits:
                limits[provider.name] = asyncio.Semaphore(self._concurrency(provider, plan))
        outcome = RunOutcome(run_id=run_id, resumed=resumed, reused=reused, ran=0, errors=0)
        try:
            for model in dict.fromkeys(m for m, _ in pending):
                provider, name = resolved[model]
                await provider.prepare(name)

            async def one(model: str, case: Case) -> None:
                provider, name = resolved[model]
                async with limits[provider.name]:
                    result = await self._call(provider, name, model, case, plan)
                    self.store.save_result(run_id, result)
                outcome.ran += 1
                outcome.errors += result["status"] == "error"
                if self.on_result:
                    self.on_result(model, result)

            calls_started = time.perf_counter()
            async with asyncio.TaskGroup() as group:
                for model, case in pending:
                    group.create_task(one(model, case))
            outcome.calls_elapsed_s = time.perf_counter() - calls_started
        except (asyncio.CancelledError, KeyboardInterrupt):
            outcome.interrupted = True
            self.store.set_status(run_id, "interrupted")
            raise
        finally:
            await self.registry.aclose()
        self.store.set_status(run_id, "complete")
        return outcome

    def _concurrency(self, provider: Provider, plan: RunPlan) -> int:
        configured = getattr(provider.config, "concurrency", None)
        if configured:
            return configured
        if plan.concurrency and not provider.local:
            return plan.concurrency
        return provider.default_concurrency()

    async def _call(self, provider: Provider, name: str, model: str, case: Case, plan: RunPlan) -> dict[str, Any]:
        from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_exponential_jitter

        messages = case.messages()
        backoff = wait_exponential_jitter(initial=plan.backoff_initial, max=plan.backoff_max, jitter=plan.backoff_initial)

        def wait(state) -> float:
            exc = state.outcome.exception() if state.outcome else None
            retry_after = getattr(exc, "retry_after", None) or 0.0
            return min(max(backoff(state), retry_after), max(plan.backoff_max, 1.0))

        attempts = 0
        try:
            async for attempt in AsyncRetrying(
                stop=stop_after_attempt(plan.retries + 1),
                wait=wait,
                retry=retry_if_exception_type(RetryableError),
                reraise=True,
            ):
                with attempt:
                    attempts += 1
                    measured = await self._attempt(provider, name, messages, plan)
        except ProviderError as exc:
            return {
                "model": model, "case_id": case.id, "status": "error", "error_class": exc.error_class,
                "error_message": redact(str(exc)), "attempts": attempts, "tokens_counted": 0,
            }
        return self._finish(provider, name, model, case, measured, attempts)

    async def _attempt(self, provider: Provider, name: str, messages: list[dict[str, str]], plan: RunPlan) -> dict[str, Any]:
        parts: list[str] = []
        final: dict[str, Any] = {"finish_reason": None, "input_tokens": None, "output_tokens": None}
        ttft = None
        start = time.perf_counter()
        try:
            async with asyncio.timeout(plan.timeout):
                async for chunk in provider.stream(name, messages, plan.settings):
                    if chunk.text:
                        if ttft is None:
                            ttft = time.perf_counter() - start
                        parts.append(chunk.text)
                    for key in final:
                        value = getattr(chunk, key)
                        if value is not None:
                            final[key] = value
        except TimeoutError as exc:
            raise RetryableError(f"no complete answer within the {plan.timeout:g} s timeout", error_class="timeout") from exc
        except ProviderError:
            raise
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # foreign exceptions are classified by the provider, at the boundary
            raise provider.classify(exc) from exc
        latency = time.perf_counter() - start
        return {"text": "".join(parts), "deltas": len(parts), "ttft_s": ttft, "latency_s": latency, **final}

    def _finish(self, provider: Provider, name: str, model: str, case: Case, measured: dict[str, Any], attempts: int) -> dict[str, Any]:
        from whichai.tasks.scorers import score

        text = measured["text"]
        counted = False
        input_tokens, output_tokens = measured["input_tokens"], measured["output_tokens"]
        if output_tokens is None:
            # The model's tokenizer where whichai has it; else the streamed deltas, one token each on
            # llama.cpp, vLLM and TGI servers. Either way the result is marked as counted.
            output_tokens = provider.count_tokens(name, text)
            if output_tokens is None:
                output_tokens = measured["deltas"]
            counted = True
        if input_tokens is None:
            input_tokens = provider.count_prompt_tokens(name, case.messages())
            counted = True
        latency = measured["latency_s"]
        tps = output_tokens / latency if output_tokens and latency > 0 else None
        verdict = score(case, text)
        cost, price_source = self._cost(provider, model, input_tokens, output_tokens)
        return {
            "model": model, "case_id": case.id, "status": "ok", "answer": text,
            "passed": int(verdict.passed), "score": verdict.score, "reason": verdict.reason,
            "finish_reason": measured["finish_reason"], "input_tokens": input_tokens, "output_tokens": output_tokens,
            "tokens_counted": int(counted), "ttft_s": measured["ttft_s"], "latency_s": latency,
            "output_tokens_per_s": tps, "cost_usd": cost, "price_source": price_source, "attempts": attempts,
        }

    def _cost(self, provider: Provider, model: str, input_tokens: int | None, output_tokens: int | None) -> tuple[float | None, str | None]:
        if provider.local:
            return 0.0, "local"
        price = self._price(provider, model)
        if price is None or input_tokens is None or output_tokens is None:
            return None, None
        pin, pout, source = price
        return (input_tokens * pin + output_tokens * pout) / 1_000_000, source

    def _price(self, provider: Provider, model: str) -> tuple[float, float, str] | None:
        if model in self._prices:
            return self._prices[model]
        configured = getattr(provider.config, "price_usd_per_mtok", None)
        price = None
        if configured is not None:
            price = (configured.input, configured.output, "config")
        else:
            from whichai.catalog import load_catalog

            found = load_catalog().price_for(model)
            if found is not None:
                price = (found.input, found.output, f"catalog:{found.source}@{found.as_of}")
        self._prices[model] = price
        return price


def _version() -> str:
    from whichai import __version__

    return __version__


__all__ = ["FatalCallError", "RunOutcome", "RunPlan", "Runner", "run_identity"]
