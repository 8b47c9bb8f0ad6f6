"""The runner against a misbehaving OpenAI-compatible server on loopback: every case ends as a result
or a recorded error, retries stay bounded, and only retryable errors are retried."""

from __future__ import annotations

import asyncio
import time

from conftest import write_config

from whichai.config import load_config
from whichai.measure.runner import Runner, RunPlan
from whichai.providers.registry import Registry
from whichai.store import Store
from whichai.tasks.model import Case, Task

CASES = [
    Case(id="a", input="alpha question", expected="alpha", scorer="contains"),
    Case(id="b", input="beta question", expected="beta", scorer="contains"),
    Case(id="c", input="gamma question", expected="nothing-like-this", scorer="contains"),
]


def _run(tmp_path, fake, models, retries=3, timeout=2.0, cases=CASES):
    config = load_config(write_config(tmp_path / "whichai.toml", "fake", fake.base_url,
                                      price_usd_per_mtok="{ input = 1.0, output = 2.0 }"))
    store = Store.open(tmp_path / "w.db")
    plan = RunPlan(task=Task(name="t", cases=cases), models=models, timeout=timeout, retries=retries,
                   backoff_initial=0.05, backoff_max=2.0)
    outcome = asyncio.run(Runner(store, Registry(config)).run(plan))
    return store, outcome


def _by_model(store, run_id):
    out: dict[str, list[dict]] = {}
    for r in store.results(run_id):
        out.setdefault(r["model"].split("/", 1)[1], []).append(r)
    return out


def test_every_fault_ends_as_a_result_or_a_recorded_error(tmp_path, fake):
    models = ["fake/echo", "fake/fail-429-1", "fake/fail-500-2", "fake/fail-503-1", "fake/cut-1", "fake/badjson-1", "fake/auth"]
    started = time.perf_counter()
    store, outcome = _run(tmp_path, fake, models)
    elapsed = time.perf_counter() - started
    results = _by_model(store, outcome.run_id)
    assert all(len(results[m.split("/")[1]]) == len(CASES) for m in models)
    for model in ("echo", "fail-429-1", "fail-500-2", "fail-503-1", "cut-1", "badjson-1"):
        rows = results[model]
        assert [r["status"] for r in rows] == ["ok"] * 3, model
        assert [bool(r["passed"]) for r in rows] == [True, True, False], model
        assert all(r["answer"].startswith("You asked:") for r in rows)
        assert all(r["input_tokens"] and r["output_tokens"] and not r["tokens_counted"] for r in rows)
        assert all(r["cost_usd"] > 0 and r["price_source"] == "config" for r in rows)
    # Retries: exactly the failures plus one success per case.
    assert fake.total("echo") == 3
    assert fake.total("fail-429-1") == 6 and fake.total("fail-503-1") == 6 and fake.total("cut-1") == 6
    assert fake.total("fail-500-2") == 9
    assert fake.total("badjson-1") == 6
    assert [r["attempts"] for r in results["fail-500-2"]] == [3, 3, 3]
    # Retry-After: 1 was honoured on the 429s.
    assert elapsed >= 1.0
    # Authentication failures are not retried, and are stored as errors with their class.
    assert fake.total("auth") == 3
    assert {(r["status"], r["error_class"], r["attempts"]) for r in results["auth"]} == {("error", "auth", 1)}
    assert outcome.errors == 3 and outcome.ran == 21


def test_timeouts_and_persistent_failures_are_bounded_and_recorded(tmp_path, fake):
    fake.slow_seconds = 1.0
    store, outcome = _run(tmp_path, fake, ["fake/slow", "fake/fail-503"], retries=2, timeout=0.3, cases=CASES[:2])
    results = _by_model(store, outcome.run_id)
    assert {(r["status"], r["error_class"], r["attempts"]) for r in results["slow"]} == {("error", "timeout", 3)}
    assert {(r["status"], r["error_class"], r["attempts"]) for r in results["fail-503"]} == {("error", "server_error", 3)}
    assert fake.total("slow") == 6 and fake.total("fail-503") == 6
    assert outcome.errors == 4


def test_same_run_again_asks_only_for_what_failed(tmp_path, fake):
    store, first = _run(tmp_path, fake, ["fake/echo", "fake/auth"], retries=0)
    assert first.errors == 3
    store.close()
    store, second = _run(tmp_path, fake, ["fake/echo", "fake/auth"], retries=0)
    assert second.run_id == first.run_id and second.resumed and second.reused == 3
    assert fake.total("echo") == 3  # finished results are never asked for (or paid for) twice
    assert fake.total("auth") == 6  # failed ones are tried again, by the documented rule


def test_run_identity_ignores_transport_settings(tmp_path):
    from whichai.providers.base import GenerationSettings

    task = Task(name="t", cases=CASES)
    a = RunPlan(task=task, models=["x/a", "y/b"], concurrency=1, timeout=5, retries=0)
    b = RunPlan(task=task, models=["y/b", "x/a"], concurrency=50, timeout=90, retries=9)
    c = RunPlan(task=task, models=["x/a", "y/b"], settings=GenerationSettings(max_tokens=64))
    d = RunPlan(task=Task(name="other-name", cases=CASES[:2]), models=["x/a", "y/b"])
    assert a.run_id == b.run_id
    assert a.run_id != c.run_id and a.run_id != d.run_id


def test_price_comes_from_the_catalog_when_the_config_gives_none(tmp_path, fake):
    from whichai.catalog import load_catalog

    published = load_catalog().price_for("groq/llama-3.1-8b-instant")
    assert published is not None and published.as_of
    # A hosted open-model API, pointed at the loopback server (its cloud cannot be reached here).
    config = load_config(write_config(tmp_path / "whichai.toml", "groq", fake.base_url))
    store = Store.open(tmp_path / "w.db")
    plan = RunPlan(task=Task(name="t", cases=CASES[:1]), models=["groq/llama-3.1-8b-instant"], retries=0)
    outcome = asyncio.run(Runner(store, Registry(config)).run(plan))
    [row] = store.results(outcome.run_id)
    expected = (row["input_tokens"] * published.input + row["output_tokens"] * published.output) / 1_000_000
    assert row["cost_usd"] == expected
    assert row["price_source"] == f"catalog:{published.source}@{published.as_of}"
