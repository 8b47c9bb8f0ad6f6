"""Metrics from stored results: pass rates over answered cases (partial runs say so), per language,
and the paired comparisons of every two models of a run (real runner, SQLite, loopback server)."""

from __future__ import annotations

import asyncio

import pytest
from conftest import write_config

from whichai.config import load_config
from whichai.measure.metrics import comparisons, run_summary, summarise, summarise_results
from whichai.measure.runner import Runner, RunPlan
from whichai.providers.registry import Registry
from whichai.store import Store
from whichai.tasks.model import Case, Task


def _cases(n_en: int = 6, n_id: int = 4) -> list[Case]:
    cases = [Case(id=f"en{i}", input=f"word{i} please", expected=f"word{i}", tags=["lang:en"]) for i in range(n_en)]
    cases += [Case(id=f"id{i}", input=f"kata{i} tolong", expected=f"kata{i}", tags=["lang:id", "Lang:ID"]) for i in range(n_id)]
    cases.append(Case(id="untagged", input="plain", expected="plain"))
    return cases


def _run(tmp_path, fake, models, cases=None):
    config = load_config(write_config(tmp_path / "whichai.toml", "fake", fake.base_url))
    store = Store.open(tmp_path / "w.db")
    plan = RunPlan(task=Task(name="m", cases=cases or _cases()), models=models, timeout=5, retries=0, backoff_initial=0.01)
    outcome = asyncio.run(Runner(store, Registry(config)).run(plan))
    return store, outcome.run_id


def test_pass_rates_per_language_from_lang_tags(tmp_path, fake):
    # "half": passes the English cases with an even number, and every Indonesian case
    fake.scripts["half"] = lambda r: r["messages"][-1]["content"] if any(
        f"word{i} " in r["messages"][-1]["content"] for i in (0, 2, 4)) or "kata" in r["messages"][-1]["content"] else "no"
    store, run_id = _run(tmp_path, fake, ["fake/half"])
    summary = summarise(store, run_id)[0]
    assert summary.by_lang["en"].to_json() == {"cases": 6, "scored": 6, "passed": 3, "pass_rate": 0.5,
                                               "ci95": pytest.approx([0.1876, 0.8124], abs=1e-4)}
    assert summary.by_lang["id"].pass_rate == 1.0 and summary.by_lang["id"].cases == 4
    assert set(summary.by_lang) == {"en", "id"}  # lang:ID and lang:id are one language; untagged in none
    assert (summary.cases, summary.passed, summary.pass_rate) == (11, 7, pytest.approx(7 / 11))


def test_a_partly_failed_run_reports_its_answered_cases_only(tmp_path, fake):
    fake.scripts["flaky"] = lambda r: r["messages"][-1]["content"]
    store, run_id = _run(tmp_path, fake, ["fake/echo", "fake/auth"])
    echo, auth = summarise(store, run_id)
    assert (echo.cases, echo.answered, echo.errors, echo.partial, echo.pass_rate) == (11, 11, 0, False, 1.0)
    assert (auth.answered, auth.errors, auth.scored, auth.partial, auth.pass_rate) == (0, 11, 0, True, None)
    run = run_summary(store, run_id)
    assert run.partial is True and run.errors == 11 and run.answered == 11 and run.expected_results == 22
    assert "Partial run" in run.text["en"] and "Run sebagian" in run.text["id"]


def test_an_interrupted_run_is_partial_and_pass_rate_is_over_answered(tmp_path, fake):
    store, run_id = _run(tmp_path, fake, ["fake/echo"])
    store.db.execute("DELETE FROM results WHERE case_id IN ('en0', 'en1', 'en2')")
    store.set_status(run_id, "interrupted")
    summary = summarise(store, run_id)[0]
    assert (summary.answered, summary.missing, summary.pass_rate, summary.partial) == (8, 3, 1.0, True)
    low, _ = summary.pass_rate_ci95
    assert low == pytest.approx(0.6756, abs=1e-4)  # Wilson over the 8 answered, not the 11 cases
    run = run_summary(store, run_id)
    assert run.partial and run.status == "interrupted" and "interrupted" in run.text["en"]


def test_a_complete_run_is_not_partial(tmp_path, fake):
    store, run_id = _run(tmp_path, fake, ["fake/echo"])
    run = run_summary(store, run_id)
    assert run.partial is False and run.text["en"].startswith("Complete")


def test_comparisons_of_a_run_pair_models_on_their_shared_cases(tmp_path, fake):
    fake.scripts["vague"] = lambda r: "no idea"
    fake.scripts["some"] = lambda r: r["messages"][-1]["content"] if "kata" in r["messages"][-1]["content"] else "no"
    store, run_id = _run(tmp_path, fake, ["fake/echo", "fake/vague", "fake/some", "fake/auth"])
    found = {(c.a, c.b): c.to_json() for c in comparisons(store, run_id)}
    # fake/auth answered nothing: it shares no case, so it is in no comparison
    assert set(found) == {("fake/echo", "fake/vague"), ("fake/echo", "fake/some"), ("fake/vague", "fake/some")}
    ev = found[("fake/echo", "fake/vague")]
    assert (ev["cases"], ev["a_only"], ev["b_only"], ev["better"]) == (11, 11, 0, "fake/echo")
    assert ev["p_value"] == pytest.approx(2 / 2**11, abs=1e-6) and ev["difference"] == 1.0
    vs = found[("fake/vague", "fake/some")]
    assert (vs["a_only"], vs["b_only"], vs["p_value"], vs["better"]) == (0, 4, 0.125, None)
    assert vs["cases_for_10_points"] > 11 and "10-point" in vs["text"]["en"]


def test_summaries_with_repeats_report_consistency():
    rows = []
    for case, verdicts in {"a": [1, 1, 1], "b": [0, 0, 0], "c": [1, 0, 1]}.items():
        rows += [{"case_id": case, "status": "ok", "passed": v, "latency_s": 0.1, "ttft_s": 0.05, "output_tokens": 3,
                  "input_tokens": 4, "cost_usd": 0.0, "repeat": i} for i, v in enumerate(verdicts)]
    summary = summarise_results("m/x", rows, cases=3)
    assert summary.consistency is not None
    assert summary.consistency.to_json() == {"cases": 3, "consistent": 2, "share": pytest.approx(2 / 3), "repeats": 3}
    assert summary.pass_rate == pytest.approx((1 + 0 + 2 / 3) / 3)
    assert summary.answered == 3 and summary.scored == 3


def test_run_json_and_table_carry_comparisons_languages_and_partial(cli, tmp_path, fake):
    from conftest import write_jsonl

    fake.scripts["vague"] = lambda r: "no idea"
    cases = [{"id": f"c{i}", "input": f"word{i} please", "expected": f"word{i}", "tags": ["lang:id" if i % 2 else "lang:en"]}
             for i in range(8)]
    task = write_jsonl(tmp_path / "t.jsonl", cases)
    config = write_config(tmp_path / "whichai.toml", "fake", fake.base_url)
    common = ["run", "--task", str(task), "--models", "fake/echo,fake/vague,fake/auth", "--config", str(config),
              "--retries", "0", "--db", str(tmp_path / "w.db"), "--no-report"]
    result = cli(*common, "--json")
    assert result.returncode == 1, result.stderr  # fake/auth failed every call
    document = __import__("json").loads(result.stdout)
    pair = next(c for c in document["comparisons"] if (c["a"], c["b"]) == ("fake/echo", "fake/vague"))
    assert (pair["a_only"], pair["b_only"], pair["better"], pair["p_value"]) == (8, 0, "fake/echo", 0.007812)
    assert [c for c in document["comparisons"] if "fake/auth" in (c["a"], c["b"])] == []
    echo = document["models"][0]
    assert echo["by_lang"]["en"]["cases"] == 4 and echo["by_lang"]["id"]["pass_rate"] == 1.0
    assert document["run"]["partial"] is True and document["run"]["errors"] == 8
    table = cli(*common, "--lang", "id")
    assert "pass rate, lang:id" in table.stdout and "fake/echo lebih baik daripada fake/vague" in table.stdout
    assert "Run sebagian" in table.stdout
