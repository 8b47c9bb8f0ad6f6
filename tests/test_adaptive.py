"""Adaptive concurrency (AIMD): the limiter itself, and the runner against servers that shed load:
503s, 429s without Retry-After, streams cut by a newer request (a loopback server of known capacity,
tests/fakeserver_capacity.py), scripted 503s (tests/fakeopenai.py), and llama-cpp-python's real
server in its default mode, which interrupts a stream when a new request arrives."""

from __future__ import annotations

import asyncio

import pytest
from conftest import start_llama_server, write_config
from fakeserver_capacity import CapacityServer

from whichai.config import load_config
from whichai.errors import RetryableError
from whichai.measure.adaptive import AdaptiveLimiter, CallBudget, is_shed
from whichai.measure.runner import Runner, RunPlan
from whichai.providers.base import GenerationSettings
from whichai.providers.registry import Registry
from whichai.store import Store
from whichai.tasks.model import Case, Task


def test_limit_halves_on_shed_once_per_cooldown_and_recovers_additively():
    limiter = AdaptiveLimiter(8, window=2)
    limiter.shed("server_error", sent_at=0)
    limiter.shed("server_error", sent_at=0)  # sent before the decrease: the same round, counted only
    assert (limiter.limit, limiter.sheds, limiter.generation) == (4, 2, 1)
    limiter.shed("broken_stream", sent_at=1)
    assert limiter.limit == 2 and limiter.lowest == 2 and limiter.backed_off
    for _ in range(2 * 6):
        limiter.success()
    assert limiter.limit == 8  # +1 per window of 2 successes, never above the maximum
    limiter.success()
    assert limiter.limit == 8
    assert [e.reason for e in limiter.events][:2] == ["shed: server_error", "shed: broken_stream"]
    one = AdaptiveLimiter(1)
    one.shed("x")
    assert one.limit == 1 and not one.backed_off


def test_in_flight_never_exceeds_the_current_limit():
    async def main() -> int:
        limiter = AdaptiveLimiter(6)
        peak_after_shed = 0

        async def call(i: int) -> None:
            nonlocal peak_after_shed
            async with limiter.slot():
                if i == 3:
                    limiter.shed("server_error")  # 6 -> 3 while 6 are in flight
                await asyncio.sleep(0.01)
                if limiter.events:
                    peak_after_shed = max(peak_after_shed, limiter.in_flight)

        await asyncio.gather(*(call(i) for i in range(6)))
        await asyncio.gather(*(call(i + 10) for i in range(12)))
        return peak_after_shed, limiter

    peak, limiter = asyncio.run(main())
    assert limiter.in_flight == 0 and limiter.limit == 3
    assert peak <= 6


def test_shed_signals():
    assert is_shed(RetryableError("x", error_class="broken_stream"))
    assert is_shed(RetryableError("x", error_class="rate_limit"))
    assert not is_shed(RetryableError("x", error_class="rate_limit", retry_after=2.0))
    assert not is_shed(RetryableError("x", error_class="timeout"))

    class Status(Exception):
        status_code = 503

    try:
        raise RetryableError("x", error_class="server_error") from Status()
    except RetryableError as exc:
        assert is_shed(exc)


def test_shed_attempts_are_free_only_while_the_server_answers_others():
    limiter = AdaptiveLimiter(4)
    budget = CallBudget(limiter, retries=1)

    async def shed():
        raise RetryableError("cut", error_class="broken_stream")

    async def main():
        async with limiter.slot():
            for _ in range(3):  # nobody answered: a down server gets the ordinary budget
                with pytest.raises(RetryableError):
                    await budget.attempt(shed)
        return budget

    asyncio.run(main())
    assert budget.free == 0 and budget.stop()
    limiter.success()  # someone else was answered: now a shed attempt is free
    budget2 = CallBudget(limiter, retries=0)
    budget2._answered = limiter.answered - 1

    async def again():
        async with limiter.slot():
            with pytest.raises(RetryableError):
                await budget2.attempt(shed)

    asyncio.run(again())
    assert budget2.free == 1 and not budget2.stop()


CASES = [Case(id=f"c{i}", input=f"question {i}", expected="t0", scorer="contains") for i in range(16)]


def _run(tmp_path, base_url, model="cap/m", concurrency=8, cases=CASES, retries=3):
    config = load_config(write_config(tmp_path / "whichai.toml", model.split("/")[0], base_url))
    store = Store.open(tmp_path / "w.db")
    plan = RunPlan(task=Task(name="t", cases=cases), models=[model], concurrency=concurrency, timeout=30,
                   retries=retries, backoff_initial=0.05, backoff_max=1.0, settings=GenerationSettings(max_tokens=24))
    outcome = asyncio.run(Runner(store, Registry(config)).run(plan))
    return store, outcome


@pytest.mark.parametrize("mode", ["shed503", "shed429", "interrupt"])
def test_run_backs_off_and_answers_every_case(tmp_path, mode):
    slots = 1 if mode == "interrupt" else 2
    with CapacityServer(slots=slots, ttft=0.02, tpot=0.005, mode=mode) as server:
        store, outcome = _run(tmp_path, server.base_url, concurrency=8)
    results = store.results(outcome.run_id)
    assert [r["status"] for r in results] == ["ok"] * len(CASES), [r.get("error_message") for r in results]
    assert server.shed + server.cut > 0  # the server did shed load ...
    backoff = outcome.backoffs["cap"]
    assert backoff["configured"] == 8 and backoff["lowest"] <= slots + 1 and backoff["backed_off"]
    assert backoff["sheds"] == server.shed + server.cut
    # ... and whichai did not hammer it: far fewer shed requests than a retry storm at concurrency 8.
    assert server.requests <= 2 * len(CASES)


def test_scripted_503s_are_retried_and_reported(tmp_path, fake):
    cases = CASES[:4]
    store, outcome = _run(tmp_path, fake.base_url, model="fake/fail-503-2", concurrency=4, cases=cases)
    results = store.results(outcome.run_id)
    assert [(r["status"], r["attempts"]) for r in results] == [("ok", 3)] * 4
    assert outcome.backoffs["fake"]["sheds"] == 8 and outcome.backoffs["fake"]["lowest"] < 4


@pytest.fixture(scope="module")
def interrupting_llama_server():
    """llama-cpp-python's server as a new user starts it: WITHOUT --interrupt_requests False, so a
    new request cuts the stream in progress."""
    yield from start_llama_server(interrupt_requests=True)


def test_llama_cpp_server_that_interrupts_streams_answers_every_case(tmp_path, interrupting_llama_server):
    cases = [Case(id=f"q{i}", input=f"Count from 1 to {i + 5}.", expected="1", scorer="contains") for i in range(8)]
    store, outcome = _run(tmp_path, interrupting_llama_server, model="llama/smollm2", concurrency=3, cases=cases)
    results = store.results(outcome.run_id)
    assert [r["status"] for r in results] == ["ok"] * len(cases), [r.get("error_message") for r in results]
    assert all(r["output_tokens"] for r in results)
    # The server did cut streams at concurrency 3, and whichai came down to one at a time.
    assert outcome.backoffs["llama"]["lowest"] == 1 and outcome.backoffs["llama"]["sheds"] >= 1


def test_run_table_says_when_it_backed_off(cli, tmp_path):
    from conftest import write_jsonl

    task = write_jsonl(tmp_path / "t.jsonl", [{"id": f"c{i}", "input": f"q {i}", "expected": "t0"} for i in range(10)])
    with CapacityServer(slots=2, ttft=0.01, tpot=0.003, mode="shed503") as server:
        config = write_config(tmp_path / "whichai.toml", "cap", server.base_url)
        done = cli("run", "--task", str(task), "--models", "cap/m", "--config", str(config), "--concurrency", "8",
                   "--max-tokens", "12", "--no-report", "--db", str(tmp_path / "w.db"))
    assert done.returncode == 0, done.stderr
    assert "the server shed load" in done.stdout and "backed off from concurrency 8 to" in done.stdout


def test_load_against_the_interrupting_llama_cpp_server_answers_every_request(cli, tmp_path, interrupting_llama_server):
    import json

    config = write_config(tmp_path / "whichai.toml", "llama", interrupting_llama_server)
    done = cli("load", "llama/smollm2", "--config", str(config), "--db", str(tmp_path / "w.db"), "--concurrency", "3",
               "--requests", "6", "--input-tokens", "40", "--output-tokens", "12", "--json")
    assert done.returncode == 0, done.stderr
    [point] = json.loads(done.stdout)["points"]
    assert point["errors"] == 0 and point["requests"] == 6
    assert point["adaptive"]["backed_off"] and point["adaptive"]["lowest"] == 1


def test_each_freed_slot_wakes_exactly_one_waiter_in_order_and_cancelled_waiters_pass_it_on():
    async def main():
        limiter = AdaptiveLimiter(1)
        await limiter.acquire()
        order: list[int] = []

        async def wait(i: int) -> None:
            await limiter.acquire()
            order.append(i)

        tasks = [asyncio.create_task(wait(i)) for i in range(50)]
        await asyncio.sleep(0)
        assert len(limiter._waiters) == 50
        tasks[0].cancel()  # a waiter that gives up before its turn leaves the line
        await asyncio.sleep(0)
        limiter.release_nowait()
        assert len(limiter._waiters) == 48 and limiter.in_flight == 1  # one slot, one waiter woken
        tasks[1].cancel()  # handed the slot, then cancelled before it ran: the slot goes to the next
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        assert order == [2] and limiter.in_flight == 1
        for _ in range(47):
            limiter.release_nowait()
            await asyncio.sleep(0)
        assert order == list(range(2, 50))
        limiter.release_nowait()
        return limiter

    limiter = asyncio.run(main())
    assert limiter.in_flight == 0 and not limiter._waiters
