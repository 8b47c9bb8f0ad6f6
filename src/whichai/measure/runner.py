"""The async core: runs cases × models concurrently, stores each result the moment it completes, resumes.

Policy lives here once, for every provider: a concurrency limit per provider, a per-request timeout,
bounded retries with exponential backoff and jitter (honouring Retry-After) on retryable errors only,
timing (time to first token, latency, output tokens per second), token counting where a provider reports
no usage, an answer size cap, cost, scoring and storage.

Identity and resume: a run's id is a hash over its models, the task's content and the generation
settings — not transport settings such as concurrency, timeout, retries or the answer cap. Running the
same command again opens the same run: results that finished (``ok``) are kept and never paid for
twice; cases with no result, or whose stored result is an error from an earlier attempt, run again. A
failing call never crashes a run: it becomes a stored error result with its error class.

Several processes on one run: each (model, case) is claimed in the database before it is called
(:meth:`whichai.store.Store.claim_many`, a batch per transaction, a bounded queue's worth ahead of the
calls), so two processes started with the same command share the cases
and no case is called twice; a process with nothing left to claim waits for the others (saying which
process holds the run through ``on_wait``) and takes over the claims of one that died.

What stays out of the timed window: the timed part of a call is the stream alone. Tokenizers are
loaded before the first call; token counting and scoring (time-bounded: a regex that runs past
``score_timeout`` is a recorded scoring error) run in worker threads, and SQLite writes in the one
database thread, a batch at a time (:mod:`whichai.measure.writer`), so they never
hold up the event loop that timestamps the chunks of concurrent calls.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import itertools
import json
import os
import random
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, cast

from whichai.defaults import RUN_DEFAULTS
from whichai.errors import FatalCallError, ProviderError, RetryableError, StorageError, WhichaiError, redact
from whichai.measure.adaptive import AdaptiveLimiter, CallBudget
from whichai.measure.call import CallResult
from whichai.measure.writer import ResultWriter
from whichai.providers.base import Chunk, GenerationSettings, Provider
from whichai.providers.registry import Registry
from whichai.store import HEARTBEAT_S, Store
from whichai.tasks.model import Case, Task
from whichai.tasks.scorers import Score

DEFAULT_MAX_ANSWER_BYTES = RUN_DEFAULTS.max_answer_bytes
WAIT_POLL_S = 0.5
CLAIM_BATCH = 64  # cases claimed per transaction
CASE_BATCH = 4096  # a run's cases stored per transaction (while the first calls go out)


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
    timeout: float = RUN_DEFAULTS.timeout  # seconds per request, retries excluded
    retries: int = RUN_DEFAULTS.retries  # extra attempts after the first, on retryable errors only
    backoff_initial: float = 0.5
    backoff_max: float = 30.0
    max_answer_bytes: int = DEFAULT_MAX_ANSWER_BYTES  # longer answers are cut here and marked truncated
    score_timeout: float = 2.0  # seconds a regex scorer may take on one answer
    calibrate_judges: bool = True  # a judge first grades a labelled sample; below the threshold it is not counted

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
    waited_for: list[int] = field(default_factory=list)  # pids of other processes that held cases of this run
    settings_not_applied: dict[str, dict[str, str]] = field(default_factory=dict)  # model -> {setting: why}
    # Set by the judge and adaptive-concurrency integrations (judge.py, adaptive.py) where they run:
    judged: int = 0  # answers graded by a judge model now
    judge_errors: int = 0  # judge calls that failed or could not be read
    judge_calibration: dict[str, dict[str, Any]] = field(default_factory=dict)  # judge model -> its agreement (judge.py)
    backoffs: dict[str, Any] = field(default_factory=dict)  # provider -> how far concurrency backed off


ResultCallback = Callable[[str, dict[str, Any]], None]
WaitCallback = Callable[[str, dict[int, int]], None]  # (run id, {pid: cases it is working on})


class Runner:
    def __init__(self, store: Store, registry: Registry, on_result: ResultCallback | None = None,
                 on_start: Callable[[dict[str, int], dict[str, int]], None] | None = None,
                 on_wait: WaitCallback | None = None) -> None:
        self.store = store
        self.registry = registry
        self.on_result = on_result
        self.on_start = on_start
        self.on_wait = on_wait
        self._prices: dict[str, tuple[float, float, str] | None] = {}
        self._limits: dict[str, AdaptiveLimiter] = {}  # per provider: AIMD when its server sheds load
        self._db_pool: ThreadPoolExecutor | None = None
        self._calibrations: dict[str, asyncio.Task[dict[str, Any]]] = {}  # judge model -> its calibration (once per run)

    async def _db(self, method: Callable[..., Any], *args: Any) -> Any:
        """Run a store method in the one database thread (off the event loop)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._db_pool, functools.partial(method, *args))

    async def run(self, plan: RunPlan) -> RunOutcome:
        run_id = plan.run_id
        resolved = {m: self.registry.resolve(m) for m in plan.models}
        self._db_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="whichai-db")
        token = None
        beat = None
        cases = _CaseRows(self.store, plan.task, run_id)
        try:
            resumed = await self._db(functools.partial(
                self.store.ensure_run, run_id, task_name=plan.task.name, task_hash=plan.task.content_hash(),
                models=plan.models, settings=plan.settings.identity(), cases=(), version=_version()))
            cases.storing = asyncio.create_task(cases.store_all(self._db))  # while the first calls go out
            finished = await self._db(self.store.finished, run_id)
            outcome = RunOutcome(run_id=run_id, resumed=resumed, ran=0, errors=0,
                                 reused=sum(1 for status in finished.values() if status == "ok"))
            if self.on_start:
                totals = {m: len(plan.task.cases) for m in plan.models}
                done = {m: sum(1 for (mm, _), s in finished.items() if mm == m and s == "ok") for m in plan.models}
                self.on_start(totals, done)
            token = await self._db(self.store.register_worker, run_id)
            beat = asyncio.create_task(self._heartbeat(token))
            await self._prepare(plan, resolved, finished, outcome)
            calls_started = time.perf_counter()
            await self._judge_stored(plan, outcome, token)
            await self._work(plan, resolved, token, outcome, finished, cases)
            outcome.calls_elapsed_s = time.perf_counter() - calls_started
        except (asyncio.CancelledError, KeyboardInterrupt, WhichaiError):
            self._mark_interrupted(run_id)
            raise
        finally:
            if beat is not None:
                beat.cancel()
            cases.stop()
            self._release(token)
            self._db_pool.shutdown(wait=True)
            cases.finish_now()
            await self.registry.aclose()
        self.store.set_status(run_id, "complete")
        return outcome

    def _mark_interrupted(self, run_id: str) -> None:
        try:
            self.store.set_status(run_id, "interrupted")
        except StorageError:  # the database itself is failing (disk full): its own error is on its way
            pass

    def _release(self, token: str | None) -> None:
        if token is None:
            return
        try:
            self.store.release_worker(token)
        except StorageError:  # as above; a dead worker's claims are taken over by the next run anyway
            pass

    async def _heartbeat(self, token: str) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_S)
            try:
                await self._db(self.store.heartbeat, token)
            except StorageError:
                return  # the next write reports the failure; claims then go stale, which is right

    async def _prepare(self, plan: RunPlan, resolved: dict[str, tuple[Provider, str]], finished: dict[tuple[str, str], str], outcome: RunOutcome) -> None:
        """Load models and tokenizers before anything is timed; note settings a provider ignores."""
        todo = [m for m in plan.models if any(finished.get((m, c.id)) != "ok" for c in plan.task.cases)]
        for model in todo:
            provider, name = resolved[model]
            await provider.prepare(name)
            # Counting tokens may load a tokenizer (a GGUF vocabulary) or compile a chat template: do it now.
            await asyncio.to_thread(provider.count_tokens, name, "warm up")
            await asyncio.to_thread(provider.count_prompt_tokens, name, [{"role": "user", "content": "warm up"}])
        from whichai.measure.judge import judge_models

        for judge_id in judge_models(plan.task):  # judge models load before anything is timed, too
            provider, name = self.registry.resolve(judge_id)
            await provider.prepare(name)
        if "promptfoo" in plan.task.scorers() and _embeds(plan.task):  # promptfoo's similar: the embedding model loads before the calls, too
            from whichai.tasks import promptfoo_embed

            await asyncio.to_thread(promptfoo_embed.embed, ["warm up"])
        for model in plan.models:
            provider, name = resolved[model]
            ignored = provider.settings_not_applied(name, plan.settings)
            if ignored:
                outcome.settings_not_applied[model] = ignored

    async def _work(self, plan: RunPlan, resolved: dict[str, tuple[Provider, str]], token: str, outcome: RunOutcome,
                    finished: dict[tuple[str, str], str], cases: _CaseRows) -> None:
        """Claim and run what is free; then wait while other processes hold cases; repeat until done.

        The first pass offers every (model, case) without an ok result when the run began, in order, as
        the producers reach it (claiming skips what another live process holds): the first call does not
        wait for the free pairs of a large run to be listed. Later passes ask the store what is free."""
        limits = self._limits
        for provider, _ in resolved.values():
            limits.setdefault(provider.name, AdaptiveLimiter(self._concurrency(provider, plan)))
        announced: set[int] = set()
        offered: Callable[[str, Case], bool] | None = _unfinished(finished)
        while True:
            if offered is not None:
                await self._feed(plan, resolved, token, offered, outcome)
            await cases.stored()  # what is free is read from the run's stored cases
            free = await self._db(self.store.claimable, outcome.run_id, token)
            offered = _among(free) if free else None
            if offered is not None:
                continue
            others = await self._db(self.store.others_working, outcome.run_id, token)
            if not others:
                outcome.backoffs = {n: limit.summary() for n, limit in limits.items() if limit.sheds}
                return
            if set(others) - announced and self.on_wait:
                self.on_wait(outcome.run_id, others)
            announced |= set(others)
            outcome.waited_for = sorted(announced)
            await asyncio.sleep(WAIT_POLL_S)

    async def _feed(self, plan: RunPlan, resolved: dict[str, tuple[Provider, str]], token: str,
                    offered: Callable[[str, Case], bool], outcome: RunOutcome) -> None:
        """Work fed, not spawned: per provider, a producer claims the free cases in batches (one transaction
        each) and feeds a bounded queue that as many workers as the provider's limit drain; results are
        stored in batches (:class:`~whichai.measure.writer.ResultWriter`). Tasks and memory stay bounded
        by the concurrency, not the number of cases, and few cases are claimed ahead of their call.
        ``offered(model, case)``: whether to offer that pair for a claim (models in order, each one's cases in order)."""
        lanes: dict[str, list[str]] = {}
        for model in plan.models:
            lanes.setdefault(resolved[model][0].name, []).append(model)
        save = functools.partial(self.store.save_results, outcome.run_id, token=token)
        writer = ResultWriter(functools.partial(self._db, save), save, functools.partial(self._stored, outcome))
        try:
            async with asyncio.TaskGroup() as group:
                for name, models in lanes.items():
                    workers = self._limits[name].maximum
                    queue: asyncio.Queue[tuple[str, Case] | None] = asyncio.Queue(maxsize=workers)
                    pairs = ((m, c) for m in models for c in plan.task.cases if offered(m, c))
                    group.create_task(self._claim_into(queue, pairs, workers, token, outcome.run_id))
                    for _ in range(workers):
                        group.create_task(self._drain(queue, plan, resolved, writer, outcome))
            await writer.close()
        except BaseExceptionGroup as failures:
            writer.flush_now()
            raise _first_error(failures) from None
        except BaseException:
            writer.flush_now()
            raise

    async def _claim_into(self, queue: asyncio.Queue[tuple[str, Case] | None], items: Iterator[tuple[str, Case]], workers: int,
                          token: str, run_id: str) -> None:
        while chunk := list(itertools.islice(items, CLAIM_BATCH)):
            by_id = {(model, case.id): (model, case) for model, case in chunk}
            for pair in await self._db(self.store.claim_many, run_id, list(by_id), token):
                await queue.put(by_id[pair])
        for _ in range(workers):
            await queue.put(None)

    async def _drain(self, queue: asyncio.Queue[tuple[str, Case] | None], plan: RunPlan, resolved: dict[str, tuple[Provider, str]], writer: ResultWriter,
                     outcome: RunOutcome) -> None:
        while (item := await queue.get()) is not None:
            await self._one(plan, resolved, writer, *item, outcome)

    def _stored(self, outcome: RunOutcome, result: dict[str, Any]) -> None:
        outcome.ran += 1
        outcome.errors += result["status"] == "error"
        if self.on_result:
            self.on_result(result["model"], result)

    async def _one(self, plan: RunPlan, resolved: dict[str, tuple[Provider, str]], writer: ResultWriter, model: str, case: Case,
                   outcome: RunOutcome) -> None:
        """One claimed case: call, finish (tokens, score, cost), hand the result to the writer."""
        provider, name = resolved[model]
        async with self._limits[provider.name]:
            measured, attempts, error = await self._call(provider, name, model, case, plan)
            if provider.local and measured is not None:  # one model on this machine: finish before the next call
                result = await asyncio.to_thread(self._finish, provider, name, model, case, measured, attempts, plan)
        if measured is None:
            assert error is not None  # _call gives the error result when it measured nothing
            result = error
        elif not provider.local:
            finish = functools.partial(self._finish, provider, name, model, case, measured, attempts, plan)
            result = finish() if _finishes_inline(case, measured) else await asyncio.to_thread(finish)
        if model in outcome.settings_not_applied:
            result["settings_not_applied"] = outcome.settings_not_applied[model]
        stored = writer.add(result)
        if result["status"] == "ok" and _needs_judge(case):
            await stored  # the verdict is written onto the stored result
            from whichai.measure.judge import with_measurements  # promptfoo's latency and cost assertions read them

            await self._judge(plan, outcome, model, with_measurements(case, result), result["answer"])

    async def _judge(self, plan: RunPlan, outcome: RunOutcome, model: str, case: Case, answer: str | None) -> None:
        """Ask the case's judge model about a stored answer, under the same policy as any call, and store
        its verdict (or the judge error) on the result. See whichai.measure.judge."""
        from whichai.measure import judge

        answer = answer or ""
        if not answer.strip():
            verdict = judge.empty_answer_judgement(case)
        elif not (calibration := await self._calibrated(plan, outcome, judge.judge_of(case)))["usable"]:
            verdict = judge.unusable_judgement(case, calibration)  # a judge that failed its sample is not counted
        elif case.scorer == "promptfoo":  # one judge call per llm-rubric assertion, combined by promptfoo's rule
            rubrics = judge.rubric_cases(case)
            asked = await asyncio.gather(*(self._ask_judge(plan, view, answer) for _, view in rubrics))
            verdict = judge.promptfoo_judgement(case, answer, [(path, j) for (path, _), j in zip(rubrics, asked, strict=True)])
        else:
            verdict = await self._ask_judge(plan, case, answer)
        await self._db(judge.save_judgement, self.store, outcome.run_id, model, case.id, verdict)
        outcome.judged += 1
        outcome.judge_errors += verdict["status"] == "error"

    async def _ask_judge(self, plan: RunPlan, case: Case, answer: str) -> dict[str, Any]:
        from whichai.measure import judge

        for attempt in range(judge.PARSE_ATTEMPTS):  # an unreadable verdict is asked again with another seed
            call = await self.call(case.options["model"], judge.grade_case(case, answer), plan, judge.settings(attempt))
            verdict = judge.judgement(case, answer, call)
            if verdict.get("error_class") != "judge_unparseable":
                break
        return verdict

    async def _calibrated(self, plan: RunPlan, outcome: RunOutcome, judge_id: str) -> dict[str, Any]:
        """The judge's agreement with the built-in labelled sample, measured once per run (stored; reused on
        resume) before its first verdict counts. See whichai.measure.judge.calibration_summary."""
        if not plan.calibrate_judges:
            return {"usable": True}
        if judge_id not in self._calibrations:
            self._calibrations[judge_id] = asyncio.ensure_future(self._calibrate(plan, outcome, judge_id))
        return await self._calibrations[judge_id]

    async def _calibrate(self, plan: RunPlan, outcome: RunOutcome, judge_id: str) -> dict[str, Any]:
        from whichai.measure import judge

        found: dict[str, Any] | None = (await self._db(judge.calibrations, self.store, outcome.run_id)).get(judge_id)
        if found is None:
            sample = judge.calibration_cases(judge_id)
            verdicts = await asyncio.gather(*(self._ask_judge(plan, case, answer) for case, answer, _ in sample))
            found = judge.calibration_summary(judge_id, [(c.id, label, v) for (c, _, label), v in zip(sample, verdicts, strict=True)])
            await self._db(judge.save_calibration, self.store, outcome.run_id, found)
        outcome.judge_calibration[judge_id] = found
        return found

    async def call(self, model_id: str, case: Case, plan: RunPlan, settings: GenerationSettings | None = None) -> CallResult:
        """One unscored call of ``model_id`` on ``case`` under the run's policy (the provider's concurrency
        limit, timeout, retries), for judge calls: {status: ok, answer, tokens, latency_s, cost_usd, price_source,
        attempts} or {status: error, error_class, error_message, attempts}. Load the model first (prepare)."""
        provider, name = self.registry.resolve(model_id)
        limit = self._limits.setdefault(provider.name, AdaptiveLimiter(self._concurrency(provider, plan)))
        async with limit:
            measured, attempts, error = await self._call(provider, name, model_id, case, plan, settings)
        if measured is None:
            assert error is not None  # _call gives the error result when it measured nothing
            return cast(CallResult, error)  # status error: model, case_id, error_class, error_message, attempts
        output_tokens, source, input_tokens, _ = await asyncio.to_thread(self._tokens, provider, name, case, measured, measured["text"])
        cost, price_source = self._cost(provider, model_id, input_tokens, output_tokens)
        return {"status": "ok", "answer": redact(measured["text"]), "attempts": attempts, "latency_s": measured["latency_s"],
                "input_tokens": input_tokens, "output_tokens": output_tokens, "tokens_counted": int(source != "provider"),
                "cost_usd": cost, "price_source": price_source}

    async def _judge_stored(self, plan: RunPlan, outcome: RunOutcome, token: str | None = None) -> None:
        """Judge the stored answers that have no verdict yet (a run interrupted between answer and verdict,
        or a judge error): a resumed run never asks the judge again about what it already judged."""
        from whichai.measure.judge import unjudged

        todo = await self._db(unjudged, self.store, outcome.run_id, plan.task, plan.models, token)
        async with asyncio.TaskGroup() as group:
            for model, case, answer in todo:
                group.create_task(self._judge(plan, outcome, model, case, answer))

    def _concurrency(self, provider: Provider, plan: RunPlan) -> int:
        configured = getattr(provider.config, "concurrency", None)
        if configured:
            return int(configured)
        if plan.concurrency and not provider.local:
            return plan.concurrency
        return provider.default_concurrency()

    async def _call(self, provider: Provider, name: str, model: str, case: Case, plan: RunPlan,
                    settings: GenerationSettings | None = None) -> tuple[dict[str, Any] | None, int, dict[str, Any] | None]:
        """(measured, attempts, None) for an answer; (None, attempts, error result) for a failed call.

        A retryable failure is tried again after a pause (:meth:`_pause`) until the call's budget is spent
        (:class:`~whichai.measure.adaptive.CallBudget`); then, as any other failure, it is the call's error."""
        messages = case.messages()
        budget = CallBudget(self._limits.get(provider.name), plan.retries, plan.backoff_initial)
        attempts = 0
        try:
            while True:
                attempts += 1
                try:
                    measured = await budget.attempt(lambda: self._attempt(provider, name, messages, plan, settings))
                    break
                except RetryableError as exc:
                    pause = _pause(exc, attempts, budget, plan)
                    if budget.stop():
                        raise
                    await asyncio.sleep(pause)
        except ProviderError as exc:
            return None, attempts, {
                "model": model, "case_id": case.id, "status": "error", "error_class": exc.error_class,
                "error_message": redact(str(exc)), "attempts": attempts, "tokens_counted": 0,
            }
        return measured, attempts, None

    async def _attempt(self, provider: Provider, name: str, messages: list[dict[str, str]], plan: RunPlan,
                       settings: GenerationSettings | None = None) -> dict[str, Any]:
        """One timed call: the stream alone is timed. Reading stops at ``plan.max_answer_bytes``."""
        parts: list[str] = []
        final: dict[str, Any] = {"finish_reason": None, "input_tokens": None, "output_tokens": None}
        ttft = None
        size = 0
        truncated = False
        start = time.perf_counter()
        try:
            async with asyncio.timeout(plan.timeout):
                async with contextlib.aclosing(provider.stream(name, messages, settings or plan.settings)) as stream:
                    async for chunk in stream:
                        if text := chunk.text:
                            if ttft is None:
                                ttft = time.perf_counter() - start
                            length = len(text.encode("utf-8"))
                            size += length
                            if size > plan.max_answer_bytes:
                                parts.append(_cut(text, plan.max_answer_bytes - (size - length)))
                                truncated = True
                                break
                            parts.append(text)
                        if chunk.finish_reason is not None or chunk.input_tokens is not None or chunk.output_tokens is not None:
                            _keep_final(final, chunk)
        except TimeoutError as exc:
            raise RetryableError(f"no complete answer within the {plan.timeout:g} s timeout", error_class="timeout") from exc
        except ProviderError:
            raise
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # foreign exceptions are classified at the boundary (see call_failure)
            raise call_failure(provider, exc) from exc
        latency = time.perf_counter() - start
        return {"text": "".join(parts), "deltas": len(parts), "ttft_s": ttft, "latency_s": latency,
                "truncated": truncated, "bytes": size, **final}

    def _finish(self, provider: Provider, name: str, model: str, case: Case, measured: dict[str, Any], attempts: int,
                plan: RunPlan) -> dict[str, Any]:
        """Count tokens, score, cost: after the call, in a worker thread (in the event loop when that is cheaper:
        :func:`_finishes_inline`)."""
        text = redact(measured["text"])  # a key echoed back by a server is neither scored nor stored
        output_tokens, token_source, input_tokens, input_source = self._tokens(provider, name, case, measured, text)
        latency = measured["latency_s"]
        tps = output_tokens / latency if output_tokens and latency > 0 else None
        judged = _needs_judge(case)  # scored by the judge model after the answer is stored (_judge); promptfoo's llm-rubric too
        cost, price_source = self._cost(provider, model, input_tokens, output_tokens)
        if case.scorer == "promptfoo":  # promptfoo's latency and cost assertions read this call's measurements
            case = case.model_copy(update={"options": {**case.options, "latency_ms": latency * 1000, "cost": cost}})
        verdict, scoring_error = (None, None) if judged else _score(case, text, plan.score_timeout)
        if scoring_error:  # a score that could not be computed in time: a recorded scoring error, not passed
            verdict = Score(False, 0.0, f"scoring error: {scoring_error}")
        return {
            "model": model, "case_id": case.id, "status": "ok", "answer": text,
            "passed": None if verdict is None else int(verdict.passed), "score": None if verdict is None else verdict.score,
            "reason": ("awaiting the judge" if judged else f"scoring error: {scoring_error}") if verdict is None else verdict.reason,
            "scoring_error": scoring_error,
            "finish_reason": "truncated" if measured["truncated"] else measured["finish_reason"],
            "input_tokens": input_tokens, "output_tokens": output_tokens,
            "tokens_counted": int(token_source != "provider" or input_source != "provider"),
            "token_source": token_source, "input_token_source": input_source,
            "ttft_s": measured["ttft_s"], "latency_s": latency, "output_tokens_per_s": tps,
            "cost_usd": cost, "price_source": price_source, "attempts": attempts,
            "answer_truncated": int(measured["truncated"]), "answer_bytes": measured["bytes"],
        }

    def _tokens(self, provider: Provider, name: str, case: Case, measured: dict[str, Any], text: str) -> tuple[int, str, int | None, str | None]:
        """(output tokens, their source, input tokens, their source). Sources: provider (reported in the
        response), tokenizer (counted with the model's own tokenizer), deltas (one per streamed piece:
        exact on llama.cpp, vLLM and TGI servers, an estimate elsewhere); input None when unknown."""
        output_tokens, token_source = measured["output_tokens"], "provider"
        if output_tokens is None:
            output_tokens, token_source = provider.count_tokens(name, text), "tokenizer"
            if output_tokens is None:
                output_tokens, token_source = measured["deltas"], "deltas"
        input_tokens = measured["input_tokens"]
        input_source: str | None = "provider"
        if input_tokens is None:
            input_tokens = provider.count_prompt_tokens(name, case.messages())
            input_source = "tokenizer" if input_tokens is not None else None
        return output_tokens, token_source, input_tokens, input_source

    def _cost(self, provider: Provider, model: str, input_tokens: int | None, output_tokens: int | None) -> tuple[float | None, str | None]:
        if provider.local:
            return 0.0, "local"
        price = self._price(provider, model)
        if price is None or input_tokens is None or output_tokens is None:
            return None, None
        pin, pout, source = price
        return (input_tokens * pin + output_tokens * pout) / 1_000_000, source

    def _price(self, provider: Provider, model: str) -> tuple[float, float, str] | None:
        if model not in self._prices:
            from whichai.measure.spend import price_of  # the same prices `run --max-cost` bounds the run with

            self._prices[model] = price_of(provider, model)
        return self._prices[model]


# Scorers whose work on an answer is a few string operations: finishing such an answer in the event loop costs
# less than handing it to a worker thread and back (a regex has a time bound but may use all of it, promptfoo's
# assertions and a judge do much more; they stay in a thread).
_INLINE_SCORERS = frozenset({"exact", "contains", "any_of", "numeric", "choice"})
_INLINE_BYTES = 16 * 1024


class _CaseRows:
    """A run's cases, stored by the database thread a batch at a time (one transaction each) while the first
    calls go out: on 100,000 cases, serialising and inserting them (0.4 s) no longer comes before the first
    call. They are all stored before the run asks the database what is left to claim; a run stopped early
    stores the rest before it exits, so an interrupted run lists all its cases. A run resumed with its cases
    stored (counted by SQLite) stores nothing; one whose process was killed while storing them stores the
    rest (a case stored already is kept as it is)."""

    def __init__(self, store: Store, task: Task, run_id: str) -> None:
        self.store, self.task, self.run_id = store, task, run_id
        self.done = 0  # cases before this position are stored
        self.storing: asyncio.Task[None] | None = None

    async def store_all(self, db: Callable[..., Any]) -> None:
        total = len(self.task.cases)
        if await db(self.store.case_count, self.run_id) >= total:
            self.done = total
        while self.done < total:
            await db(self._add, self.done, self.done + CASE_BATCH)
            self.done = min(self.done + CASE_BATCH, total)

    def _add(self, start: int, stop: int | None) -> None:
        self.store.add_cases(self.run_id, self.task.case_rows(start, stop), start)

    async def stored(self) -> None:
        if self.storing is not None:
            await self.storing

    def stop(self) -> None:
        """Stop the batches (the run is ending); a failure of theirs is raised by :meth:`stored`, or by the
        run's own end where the run failed first."""
        if self.storing is not None and not self.storing.done():
            self.storing.cancel()

    def finish_now(self) -> None:
        """Store what the batches had not (after the database thread has finished its work)."""
        if self.storing is None or self.done >= len(self.task.cases):
            return
        if self.storing.done() and not self.storing.cancelled() and self.storing.exception() is not None:
            return  # the database failed: its error is the run's
        try:
            self._add(self.done, None)
        except StorageError:  # as in _release: the database itself is failing, its own error is on its way
            pass


def _finishes_inline(case: Case, measured: dict[str, Any]) -> bool:
    """Whether to finish this answer (score, tokens, cost) without a thread hop: a string-matching scorer, a
    short answer, and token counts the provider reported (no tokenizer to run)."""
    return (case.scorer in _INLINE_SCORERS and measured["bytes"] <= _INLINE_BYTES
            and measured["output_tokens"] is not None and measured["input_tokens"] is not None)


def _keep_final(final: dict[str, Any], chunk: Chunk) -> None:
    """The finish reason and token counts a chunk carries, over those of earlier chunks."""
    for key in final:
        value = getattr(chunk, key)
        if value is not None:
            final[key] = value


def _unfinished(finished: dict[tuple[str, str], str]) -> Callable[[str, Case], bool]:
    """Whether a (model, case) had no ok result when the run began."""
    return lambda model, case: finished.get((model, case.id)) != "ok"


def _among(free: set[tuple[str, str]]) -> Callable[[str, Case], bool]:
    """Whether a (model, case) is one of these free (model, case id) pairs."""
    return lambda model, case: (model, case.id) in free


def _pause(exc: BaseException, attempt: int, budget: CallBudget, plan: RunPlan) -> float:
    """Seconds before trying a call again after its ``attempt``-th attempt failed with ``exc``: a short pause
    when the server shed it (the limit came down), else exponential backoff with jitter
    (``backoff_initial · 2^(attempt − 1) + U(0, backoff_initial)``, at most ``backoff_max``), never less
    than the server's Retry-After, and at most ``max(backoff_max, 1)`` seconds."""
    retry_after: float = getattr(exc, "retry_after", None) or 0.0
    shed = budget.pause(exc)
    if shed is not None:
        return shed
    jitter = random.uniform(0, plan.backoff_initial)
    try:
        backoff = plan.backoff_initial * 2.0 ** (attempt - 1) + jitter
    except OverflowError:
        backoff = plan.backoff_max
    return min(max(max(0, min(backoff, plan.backoff_max)), retry_after), max(plan.backoff_max, 1.0))


def _embeds(task: Task) -> bool:
    """A promptfoo case asserts similarity and the embedding model can run here."""
    from whichai.tasks import promptfoo_embed
    from whichai.tasks.promptfoo_assert import SIMILAR, assertion_types

    return any(c.scorer == "promptfoo" and SIMILAR & set(assertion_types(c.options.get("assert") or [])) for c in task.cases) \
        and promptfoo_embed.available()


_JUDGED_SCORERS = frozenset({"judge", "promptfoo"})  # the only scorers whose cases a judge model may score


def _needs_judge(case: Case) -> bool:
    if case.scorer not in _JUDGED_SCORERS:  # every call asks, twice: most cases answer here, without judge.py
        return False
    from whichai.measure.judge import needs_judge

    return needs_judge(case)


def _score(case: Case, text: str, timeout: float) -> tuple[Score | None, str | None]:
    """(Score, None), or (None, why) when the scorer ran past its time bound."""
    from whichai.tasks.scorers import score

    try:
        return score(case, text, timeout=timeout), None
    except TimeoutError:
        return None, (f"the {case.scorer} scorer ran past {timeout:g} s on this answer "
                      "(a pattern with nested repetition, e.g. (a|aa)+, backtracks without end); simplify the pattern")
    except Exception as exc:  # noqa: BLE001 - one answer never kills the run: a recorded scoring error on that result
        return None, f"the {case.scorer} scorer could not read this answer ({type(exc).__name__}: {str(exc)[:200]})"


_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep  # whichai/, not whichai/measure/


def call_failure(provider: Provider, exc: Exception) -> ProviderError:
    """What a foreign exception raised while calling a model means: a bug of whichai's own
    (:func:`internal_error`), else what the provider classifies it as (rate limit, server error...)."""
    return internal_error(exc) or provider.classify(exc)


def internal_error(exc: BaseException) -> FatalCallError | None:
    """A bug of whichai's own, not a failure of the model, its server or its library: an exception
    other than whichai's errors raised by a line of whichai's code (the innermost frame of its
    traceback). It becomes a result that says so, with the file and line, rather than being
    classified by the provider as if the server or llama.cpp had failed; None for anything else."""
    tb = exc.__traceback__
    if tb is None or isinstance(exc, WhichaiError):
        return None
    while tb.tb_next is not None:
        tb = tb.tb_next
    where = os.path.abspath(tb.tb_frame.f_code.co_filename)
    if not where.startswith(_PACKAGE_DIR):
        return None
    place = f"{os.path.relpath(where, os.path.dirname(_PACKAGE_DIR.rstrip(os.sep)))}:{tb.tb_lineno}"
    return FatalCallError(f"internal error in whichai at {place}: {type(exc).__name__}: {exc}. This is a bug in whichai, "
                          "not in the model: please report it with this message.", error_class="internal")


def _cut(text: str, room: int) -> str:
    """The longest prefix of ``text`` that fits in ``room`` UTF-8 bytes, never splitting a character."""
    return text.encode("utf-8")[: max(room, 0)].decode("utf-8", "ignore")


def _first_error(group: BaseExceptionGroup) -> BaseException:
    """The first whichai error (else the first exception) in a TaskGroup's exception group."""
    for exc in group.exceptions:
        if isinstance(exc, BaseExceptionGroup):
            exc = _first_error(exc)
        if isinstance(exc, (WhichaiError, KeyboardInterrupt, asyncio.CancelledError)):
            return exc
    return group.exceptions[0]


def _version() -> str:
    from whichai import __version__

    return __version__


__all__ = ["FatalCallError", "RunOutcome", "RunPlan", "Runner", "run_identity"]
