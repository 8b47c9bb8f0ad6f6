"""`whichai load`: the sweep logic, against a loopback server of known capacity (tests/fakeserver_capacity.py)
with small request counts; the JSON shape; storage (load_results, capacity_entries); bad input (exit 2)."""

from __future__ import annotations

import asyncio
import heapq
import json

import pytest
from conftest import write_config, write_jsonl
from fakeserver_capacity import CapacityServer

from whichai.measure.adaptive import AdaptiveLimiter
from whichai.measure.load.client import Sample
from whichai.measure.load.point import steady_window, summarise
from whichai.measure.load.store import capacity_entries, load_results
from whichai.measure.load.sweep import LoadPoint, SweepPlan, sweep
from whichai.store import Store

POINT_KEYS = {"concurrency", "requests", "errors", "requests_per_s", "output_tokens_per_s", "ttft_p50_s", "ttft_p95_s",
              "itl_p50_s", "latency_p50_s", "latency_p95_s"}
TOP_KEYS = {"model", "points", "max_output_tokens_per_s", "saturation_concurrency", "at_slo"}
SUMMARY_KEYS = {"saturated", "max_output_tokens_per_s", "max_at_concurrency", "saturation_concurrency", "at_saturation", "at_slo"}


def _fake_point(concurrency: int, capacity: int = 4, per_slot: float = 100.0, latency: float = 1.0, errors: int = 0) -> dict:
    """What a server with ``capacity`` slots would measure at ``concurrency`` (closed loop, no noise)."""
    busy = min(concurrency, capacity)
    queueing = latency * concurrency / capacity if concurrency > capacity else latency
    return {"concurrency": concurrency, "requests": 8, "errors": errors, "requests_per_s": busy / latency,
            "output_tokens_per_s": busy * per_slot, "ttft_p50_s": 0.1, "ttft_p95_s": 0.1 * queueing / latency,
            "itl_p50_s": 0.01, "latency_p50_s": queueing, "latency_p95_s": queueing, "input_tokens_per_s": None,
            "tokens_per_s": None}


def _sweep(plan: SweepPlan, capacity: int = 4, **kw) -> tuple[dict, list[int]]:
    order: list[int] = []

    async def measure(c: int) -> dict:
        order.append(c)
        return _fake_point(c, capacity, **kw)

    return asyncio.run(sweep(plan, measure)), order


def test_sweep_doubles_then_bisects_to_the_saturation_point():
    result, order = _sweep(SweepPlan(max_concurrency=64), capacity=6)
    assert order[:5] == [1, 2, 4, 8, 16] and set(order[5:]) <= {5, 6, 7}
    assert result["saturated"] and result["saturation_concurrency"] == 6
    assert result["max_output_tokens_per_s"] == 600.0


def test_sweep_that_never_saturates_says_so():
    result, order = _sweep(SweepPlan(max_concurrency=8), capacity=100)
    assert order == [1, 2, 4, 8] and not result["saturated"] and result["saturation_concurrency"] is None


def test_sweep_bisects_toward_the_latency_target():
    # Latency doubles from concurrency 8 (capacity 4): latency 1.0 up to c=4, c/4 beyond. Target 1.6 s.
    result, order = _sweep(SweepPlan(max_concurrency=64, slo_latency_s=1.6), capacity=4)
    slo = result["at_slo"]
    assert slo["met"] and slo["slo_latency_s"] == 1.6
    assert slo["concurrency"] == 4  # the highest throughput within the target (5 and 6 are no faster)
    assert 6 in order  # bisection between 4 (meets) and 8 (misses)
    none, _ = _sweep(SweepPlan(max_concurrency=8, slo_ttft_s=0.01), capacity=4)
    assert none["at_slo"]["met"] is False and none["at_slo"]["concurrency"] is None


def test_a_failing_point_ends_the_doubling():
    order: list[int] = []

    async def measure(c: int) -> dict:
        order.append(c)
        return _fake_point(c, errors=8 if c >= 4 else 0)

    result = asyncio.run(sweep(SweepPlan(max_concurrency=64), measure))
    assert order == [1, 2, 4] and not result["saturated"]


@pytest.fixture
def capacity_server():
    with CapacityServer(slots=4, ttft=0.03, tpot=0.004) as server:
        yield server


def test_load_finds_the_known_capacity_and_stores_it(cli, tmp_path, capacity_server):
    """The whole path (CLI, a real server whose capacity is enforced by its slots, SQLite), checked on what
    does not depend on the machine's load: what was sent and counted, and that the summary is what the sweep's
    rule makes of the points measured. How close the measured capacity comes to the analytic one is a wall-clock
    figure: bench/bench_load_capacity.py; the rule on a slot-bound server in virtual time: the tests below."""
    config = write_config(tmp_path / "whichai.toml", "cap", capacity_server.base_url)
    db = tmp_path / "w.db"
    done = cli("load", "cap/m", "--config", str(config), "--db", str(db), "--output-tokens", "24", "--input-tokens",
               "64", "--requests", "16", "--max-concurrency", "16", "--json")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert TOP_KEYS <= set(document) and all(POINT_KEYS <= set(p) for p in document["points"])
    assert document["model"] == "cap/m" and document["hardware"] == "this-machine"
    concurrencies = [p["concurrency"] for p in document["points"]]
    assert concurrencies == sorted(concurrencies) and concurrencies[:2] == [1, 2]
    assert all(p["errors"] == 0 and p["requests"] == 16 for p in document["points"])
    assert capacity_server.max_active == 4 and capacity_server.requests == 16 * len(concurrencies)  # slots enforced
    for point in document["points"]:  # the figures are what the code computes from the timings it measured
        assert point["output_tokens_per_request"] == 24 and point["tokens_reported"]
        assert point["output_tokens_per_s"] == pytest.approx(24 * point["requests_per_s"])
        assert point["tokens_per_s"] == pytest.approx(point["input_tokens_per_s"] + point["output_tokens_per_s"])
        assert 0 < point["ttft_p50_s"] <= point["latency_p50_s"] <= point["latency_p95_s"]
        assert 0 < point["steady_s"] <= point["elapsed_s"]
    measured = {p["concurrency"]: p for p in document["points"]}

    async def again(concurrency: int) -> LoadPoint:
        return measured[concurrency]  # the sweep asks for exactly the points it measured, and decides as it did

    replayed = asyncio.run(sweep(SweepPlan(max_concurrency=16, requests=16), again))
    assert {k: document[k] for k in SUMMARY_KEYS} == {k: replayed[k] for k in SUMMARY_KEYS}
    assert replayed["points"] == document["points"]
    assert "concurrency" in done.stderr  # the progress bars

    store = Store.open(db)
    [stored] = [s.to_json() for s in load_results(store, "cap/m")]
    assert stored["points"] == document["points"]
    assert {k: stored[k] for k in TOP_KEYS} == {k: document[k] for k in TOP_KEYS}
    assert load_results(store, "other/model") == []
    [entry] = capacity_entries(store)
    assert entry.origin == "measured" and entry.model == "cap/m" and entry.hardware == "this-machine"
    saturated = next(p for p in document["points"] if p["concurrency"] == document["saturation_concurrency"])
    assert entry.tokens_per_s == pytest.approx(saturated["tokens_per_s"])
    assert entry.tokens_per_s > saturated["output_tokens_per_s"]  # input + output tokens

    listed = cli("loads", "--db", str(db), "--json")
    assert listed.returncode == 0 and json.loads(listed.stdout)["capacity"] == [entry.to_json()]


def test_load_with_a_task_and_a_latency_target(cli, tmp_path, capacity_server):
    config = write_config(tmp_path / "whichai.toml", "cap", capacity_server.base_url)
    task = write_jsonl(tmp_path / "t.jsonl", [{"id": f"q{i}", "input": f"question {i}", "expected": "x"} for i in range(5)])
    done = cli("load", "cap/m", "--config", str(config), "--db", str(tmp_path / "w.db"), "--task", str(task),
               "--output-tokens", "16", "--requests", "8", "--max-concurrency", "8", "--slo-latency", "30")  # met at any load: the line is checked, not the timing
    assert done.returncode == 0, done.stderr
    assert "saturation" in done.stdout and "best in SLO" in done.stdout and "task t" in done.stdout


def test_load_backs_off_when_the_server_sheds(cli, tmp_path):
    with CapacityServer(slots=2, ttft=0.01, tpot=0.003, mode="shed503") as server:
        config = write_config(tmp_path / "whichai.toml", "cap", server.base_url)
        done = cli("load", "cap/m", "--config", str(config), "--db", str(tmp_path / "w.db"), "--concurrency", "8",
                   "--requests", "16", "--output-tokens", "12", "--json")
    assert done.returncode == 0, done.stderr
    [point] = json.loads(done.stdout)["points"]
    assert point["errors"] == 0 and point["requests"] == 16
    assert point["adaptive"]["backed_off"] and point["adaptive"]["lowest"] <= 2 and server.shed > 0


@pytest.mark.parametrize("args, needle", [
    (["local/smollm2-135m-instruct"], "python -m llama_cpp.server"),
    (["nosuch/model"], "unknown provider"),
    (["cap/m", "--task", "x.jsonl", "--input-tokens", "10"], "--task and --input-tokens"),
    (["cap/m", "--requests", "5", "--duration", "2"], "--requests and --duration"),
    (["cap/m", "--max-concurrency", "0"], "max-concurrency"),
    (["anthropic/claude-haiku-4-5"], "OpenAI-compatible"),
])
def test_bad_input_exits_2_with_the_fix(cli, tmp_path, args, needle):
    config = write_config(tmp_path / "whichai.toml", "cap", "http://127.0.0.1:9/v1")
    done = cli("load", *args, "--config", str(config), "--db", str(tmp_path / "w.db"), "--json")
    assert done.returncode == 2, done.stderr
    assert needle in done.stderr and done.stdout == ""
    assert not (tmp_path / "w.db").exists()  # bad input writes nothing


def test_unreachable_server_fails_with_exit_1(cli, tmp_path):
    config = write_config(tmp_path / "whichai.toml", "cap", "http://127.0.0.1:9/v1")
    done = cli("load", "cap/m", "--config", str(config), "--db", str(tmp_path / "w.db"), "--concurrency", "1")
    assert done.returncode == 1 and "cannot reach http://127.0.0.1:9/v1" in done.stderr


def _closed_loop(concurrency: int, slots: int, seconds: float, tokens: int, requests: int) -> LoadPoint:
    """One point of ``run_point``'s closed loop against a queueing server of ``slots`` slots, each request
    ``seconds`` long, in virtual time: the spans a perfectly timed run would record, summarised by the code
    ``run_point`` uses (steady window, then the point's figures)."""
    workers = [0.0] * concurrency  # when each worker sends next
    free = [0.0] * slots  # when each slot is free next (first come, first served)
    spans: list[tuple[float, float, Sample]] = []
    issued, drain_at = 0, None
    while drain_at is None:
        now = heapq.heappop(workers)
        if issued >= requests:
            drain_at = now
            break
        issued += 1
        done = max(now, heapq.heappop(free)) + seconds
        heapq.heappush(free, done)
        heapq.heappush(workers, done)
        spans.append((now, done, Sample(ok=True, ttft_s=seconds / 4, latency_s=done - now, output_tokens=tokens)))
    samples = [sample for _, _, sample in spans]
    elapsed = max(done for _, done, _ in spans)
    return summarise(concurrency, samples, elapsed, [], AdaptiveLimiter(concurrency),
                     steady_window(spans, concurrency, drain_at))


@pytest.mark.parametrize("slots", [4, 6, 16])
def test_a_slot_bound_server_saturates_at_its_slots_with_its_capacity(slots):
    """Issue 24: rates at steady state (warm-up and drain left out), so a partly full last wave no longer
    moves saturation past the server's capacity (it was found at 9 for 6 slots). The server is simulated in
    virtual time, so the figures are exact on any machine; the same sweep against a real server is timed in
    bench/bench_load_capacity.py."""
    seconds, tokens = 0.5, 16
    plan = SweepPlan(max_concurrency=4 * slots)

    async def measure(concurrency: int) -> LoadPoint:
        return _closed_loop(concurrency, slots, seconds, tokens, plan.requests_at(concurrency) or 0)

    found = asyncio.run(sweep(plan, measure))
    capacity = slots * tokens / seconds
    for point in found["points"]:
        expected = min(point["concurrency"], slots) * tokens / seconds
        assert point["output_tokens_per_s"] == pytest.approx(expected), point
    assert found["saturated"] and found["saturation_concurrency"] == slots
    assert found["max_output_tokens_per_s"] == pytest.approx(capacity)
