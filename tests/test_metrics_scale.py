"""Issue 24: a run's figures are computed from narrow rows streamed out of SQLite (never every result read
back as a dict), equal to the figures of the same rows summarised in memory; the retry pause of a call."""

from __future__ import annotations

import json
import random
import tracemalloc
from types import SimpleNamespace

import pytest

from whichai.measure import metrics
from whichai.measure.adaptive import CallBudget
from whichai.measure.repeats import fold
from whichai.measure.runner import _pause
from whichai.store import Store


def _stored_run(store: Store, run_id: str, rng: random.Random, cases: int, models: list[str], repeat: int = 1,
                tagged: bool = True) -> None:
    """A run as the runner stores it: cases (some tagged with languages, repeats folded by tags), results with
    answers, failures, missing cases, unknown prices and unscored answers, and some judged answers."""
    rows = []
    for i in range(cases):
        tags = rng.sample(["lang:en", "lang:ID", "topic:x"], rng.randint(0, 2)) if tagged else []
        for k in range(1, repeat + 1):
            case_id, extra = (f"c{i:05d}", []) if repeat == 1 else (f"c{i:05d}#{k}", [f"repeat:{k}", f"repeat-of:c{i:05d}"])
            rows.append((case_id, {"id": case_id, "input": f"question {i}", "tags": tags + extra}))
    store.ensure_run(run_id, task_name="t", task_hash="h", models=models, settings={}, cases=rows, version="test")
    results = []
    for model in models:
        for case_id, _ in rows:
            if rng.random() < 0.1:
                continue  # not answered yet
            if rng.random() < 0.1:
                results.append({"model": model, "case_id": case_id, "status": "error", "error_class": "timeout", "error_message": "x"})
                continue
            results.append({"model": model, "case_id": case_id, "status": "ok", "answer": "an answer " * 20,
                            "passed": rng.choice([1, 0, 1, None] if rng.random() < 0.2 else [1, 0]),
                            "latency_s": rng.choice([rng.random() * 2, 0.0, None]), "ttft_s": rng.random() / 4,
                            "output_tokens": rng.choice([rng.randint(1, 90), None]), "input_tokens": rng.randint(5, 40),
                            "cost_usd": rng.choice([rng.random() / 1e4] * 30 + [None]), "tokens_counted": rng.choice([0, 0, 1]),
                            "price_source": rng.choice([None, "config"]), "token_source": rng.choice(["provider", "tokenizer", "deltas"]),
                            "answer_truncated": rng.choice([0] * 9 + [1])})
    store.save_results(run_id, results)
    for r in results:
        if r["status"] == "ok" and rng.random() < 0.2:
            store.db.execute("INSERT INTO judgements (run_id, model, case_id, judge_model, status, passed, cost_usd, created_at)"
                             " VALUES (?, ?, ?, 'j/x', 'ok', 1, ?, 't')", (run_id, r["model"], r["case_id"], rng.choice([None, 0.001])))


def _in_memory(store: Store, run_id: str) -> list[dict]:
    """The figures from every stored result read back and summarised in memory (how they were computed before)."""
    run = store.run(run_id)
    judged = {(r["model"], r["case_id"]): r for r in store.db.execute("SELECT * FROM judgements WHERE run_id = ?", (run_id,))}
    rows = [{**r, "judge_model": judged[(r["model"], r["case_id"])]["judge_model"],
             "judge_cost_usd": judged[(r["model"], r["case_id"])]["cost_usd"]} if (r["model"], r["case_id"]) in judged else r
            for r in store.results(run_id)]
    cases, rows = fold(store.cases(run_id), rows)
    langs = metrics.case_langs(cases)
    return [metrics.summarise_results(m, [r for r in rows if r["model"] == m], len(cases), langs).to_json() for m in run["models"]]


@pytest.mark.parametrize("repeat", [1, 3])
def test_streamed_figures_equal_the_figures_of_every_row_in_memory(tmp_path, repeat):
    store = Store.open(tmp_path / "w.db")
    _stored_run(store, "r", random.Random(repeat), cases=300, models=["p/a", "p/b", "q/c"], repeat=repeat)
    streamed = [s.to_json() for s in metrics.summarise(store, "r")]
    assert json.dumps(streamed) == json.dumps(_in_memory(store, "r"))
    assert streamed[0]["by_lang"] and ("consistency" in streamed[0]) == (repeat > 1) and "judge_cost_usd" in streamed[0]
    run = metrics.run_summary(store, "r")
    assert run is not None and run.cases == 300 and run.expected_results == 900  # repeats folded into their case
    assert {(c.a, c.b) for c in metrics.comparisons(store, "r")} == {("p/a", "p/b"), ("p/a", "q/c"), ("p/b", "q/c")}


def test_summarising_a_large_run_holds_numbers_not_its_results(tmp_path):
    store = Store.open(tmp_path / "w.db")
    _stored_run(store, "r", random.Random(7), cases=20_000, models=["p/a"], tagged=False)
    tracemalloc.start()
    try:
        summary = metrics.summarise(store, "r")[0]
        metrics.run_summary(store, "r", [summary])
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        store.results("r")  # every result as a dict: what the figures were computed from before
        _, every_row = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert summary.answered > 15_000
    assert peak < every_row / 5, (peak, every_row)  # a few lists of numbers (about 3 MB here, 26 MB read back)


def test_token_sources_and_truncated_answers_are_counted_in_order_by_sqlite(tmp_path):
    store = Store.open(tmp_path / "w.db")
    store.ensure_run("r", task_name="t", task_hash="h", models=["b/m", "a/m"], settings={},
                     cases=[(f"c{i}", {"id": f"c{i}"}) for i in range(4)], version="test")
    rows = [("b/m", "c0", "tokenizer", 1), ("b/m", "c1", "provider", 0), ("b/m", "c2", "tokenizer", 1), ("a/m", "c3", "deltas", 0),
            ("a/m", "c0", None, 0)]
    store.save_results("r", [{"model": m, "case_id": c, "status": "ok", "answer": "x", "token_source": s, "answer_truncated": t}
                             for m, c, s, t in rows])
    assert json.dumps(store.token_sources("r")) == json.dumps({"a/m": {"deltas": 1}, "b/m": {"tokenizer": 2, "provider": 1}})
    assert store.truncated_counts("r") == {"b/m": 2}


def test_case_tags_without_sqlite_json_functions_are_read_from_each_case(tmp_path, monkeypatch):
    store = Store.open(tmp_path / "w.db")
    store.ensure_run("r", task_name="t", task_hash="h", models=["p/m"], settings={}, version="test",
                     cases=[("a", {"id": "a", "tags": []}), ("b", {"id": "b", "tags": ["lang:id"], "options": {"tags": []}}),
                            ("c", {"id": "c"})])
    assert list(store.case_tags("r")) == [("b", ["lang:id"])]
    monkeypatch.setattr(Store, "_has_json", lambda self: False)
    assert list(store.case_tags("r")) == [("b", ["lang:id"])]


def test_a_retry_waits_exponential_backoff_with_jitter_never_below_retry_after():
    plan = SimpleNamespace(backoff_initial=0.5, backoff_max=30.0)
    budget = CallBudget(None, retries=3)
    failure = RuntimeError("503")
    random.seed(1)
    pauses = [_pause(failure, attempt, budget, plan) for attempt in (1, 2, 3, 8)]
    assert 0.5 <= pauses[0] <= 1.0 and 1.0 <= pauses[1] <= 1.5 and 2.0 <= pauses[2] <= 2.5 and pauses[3] == 30.0
    failure.retry_after = 12.0  # type: ignore[attr-defined]
    assert _pause(failure, 1, budget, plan) == 12.0  # the server's Retry-After, not less
    failure.retry_after = 90.0  # type: ignore[attr-defined]
    assert _pause(failure, 1, budget, plan) == 30.0  # at most backoff_max
