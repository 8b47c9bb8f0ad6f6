"""`whichai run` end to end through the CLI: the embedded model for real, a real OpenAI-compatible
server on loopback (llama-cpp-python's own server with the embedded model), and the run history."""

from __future__ import annotations

import json
import sqlite3

import pytest
from conftest import write_config, write_jsonl

CASES = [
    {"id": "cap", "input": "What is the capital of France? Answer with one word.", "expected": "Paris", "scorer": "contains"},
    {"id": "ibukota", "input": "Apa ibu kota Indonesia? Jawab dengan satu kata.", "expected": "Jakarta", "scorer": "contains"},
    {"id": "sum", "input": "What is 2 + 3? Answer with the number only.", "expected": 5, "scorer": "numeric"},
]

SUMMARY_KEYS = {"model", "cases", "passed", "pass_rate", "pass_rate_ci95", "errors", "latency_p50_s", "latency_p95_s",
                "ttft_p50_s", "output_tokens_per_s", "cost_usd"}


@pytest.mark.slow  # the embedded model answers: seconds of CPU per answer
def test_embedded_model_answers_builtin_cases(cli, tmp_path):
    db = tmp_path / "w.db"
    result = cli("run", "--limit", "4", "--max-tokens", "32", "--db", str(db), "--json", "--no-report")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert set(document) >= {"run_id", "task", "models"}
    assert document["task"] == "builtin"
    [model] = document["models"]
    assert SUMMARY_KEYS <= set(model)
    assert model["model"] == "local/smollm2-135m-instruct"
    assert model["cases"] == 4 and model["errors"] == 0
    assert 0 <= model["passed"] <= 4
    low, high = model["pass_rate_ci95"]
    assert 0 <= low <= model["pass_rate"] <= high <= 1
    assert model["latency_p50_s"] > 0 and model["ttft_p50_s"] > 0 and model["output_tokens_per_s"] > 0
    assert model["cost_usd"] == 0.0
    # Every answer is stored, with its tokens counted by the model's tokenizer and marked so.
    rows = sqlite3.connect(db).execute("SELECT status, answer, output_tokens, tokens_counted FROM results").fetchall()
    assert len(rows) == 4 and all(r[0] == "ok" and r[1] and r[2] > 0 and r[3] == 1 for r in rows)
    # Past runs and the answers side by side.
    runs = json.loads(cli("runs", "--db", str(db), "--json").stdout)["runs"]
    assert [r["id"] for r in runs] == [document["run_id"]] and runs[0]["status"] == "complete"
    shown = cli("show", document["run_id"][:6], "--db", str(db), "--json")
    assert shown.returncode == 0, shown.stderr
    cases = json.loads(shown.stdout)["cases"]
    assert len(cases) == 4 and all(c["answers"]["local/smollm2-135m-instruct"]["status"] == "ok" for c in cases)
    human = cli("show", document["run_id"], "--db", str(db))
    assert human.returncode == 0 and "local/smollm2-135m-instruct" in human.stdout


@pytest.mark.slow  # the embedded model answers: seconds of CPU per answer
def test_human_output_has_table_progress_and_recommendation(cli, tmp_path):
    task = write_jsonl(tmp_path / "mini.jsonl", CASES[:2])
    result = cli("run", "--task", str(task), "--max-tokens", "16", "--db", str(tmp_path / "w.db"), "--no-report", "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert "pass rate" in result.stdout and "local/smollm2-135m-instruct" in result.stdout
    assert "2/2" in result.stderr  # the progress bar, on stderr
    assert "Traceback" not in result.stderr


def test_openai_compatible_provider_against_a_real_server(cli, tmp_path, llama_server):
    task = write_jsonl(tmp_path / "t.jsonl", CASES)
    # llama-cpp-python's server reports no usage when it streams: the model's own tokenizer counts.
    config = write_config(tmp_path / "whichai.toml", "llamacpp", llama_server,
                          price_usd_per_mtok="{ input = 0.5, output = 1.5 }", tokenizer='"local/smollm2-135m-instruct"')
    db = tmp_path / "w.db"
    result = cli("run", "--task", str(task), "--models", "llamacpp/smollm2,local/smollm2-135m-instruct",
                 "--config", str(config), "--max-tokens", "24", "--db", str(db), "--json", "--no-report")
    assert result.returncode == 0, result.stderr
    models = {m["model"]: m for m in json.loads(result.stdout)["models"]}
    served = models["llamacpp/smollm2"]
    assert "local/smollm2-135m-instruct" in models
    assert served["cases"] == 3 and served["errors"] == 0
    assert served["cost_usd"] > 0 and served["price_source"] == "config"
    assert served["ttft_p50_s"] > 0 and served["output_tokens_per_s"] > 0
    rows = sqlite3.connect(db).execute(
        "SELECT model, case_id, answer, input_tokens, output_tokens, tokens_counted FROM results ORDER BY case_id, model").fetchall()
    by_model = {}
    for model, case_id, answer, tin, tout, counted in rows:
        by_model.setdefault(case_id, {})[model] = (answer, tin, tout, counted)
    for case_id, answers in by_model.items():
        served_row, local_row = answers["llamacpp/smollm2"], answers["local/smollm2-135m-instruct"]
        assert served_row[1] > 0 and served_row[2] > 0 and served_row[3] == 1  # counted, and marked so
        assert served_row[0].strip(), case_id
        # Same weights and chat template on both paths: the same prompt, token for token.
        assert served_row[1] == local_row[1], case_id


def test_unreachable_server_is_a_stored_error_naming_the_url(cli, tmp_path):
    task = write_jsonl(tmp_path / "t.jsonl", CASES[:1])
    config = write_config(tmp_path / "whichai.toml", "down", "http://127.0.0.1:9/v1")
    result = cli("run", "--task", str(task), "--models", "down/m", "--config", str(config), "--retries", "0",
                 "--db", str(tmp_path / "w.db"), "--json", "--no-report")
    assert result.returncode == 1
    assert json.loads(result.stdout)["models"][0]["errors"] == 1
    row = sqlite3.connect(tmp_path / "w.db").execute("SELECT status, error_class, error_message FROM results").fetchone()
    assert row[0] == "error" and row[1] == "connection" and "http://127.0.0.1:9/v1" in row[2]


@pytest.mark.parametrize("var", ["OPENAI_API_KEY"])
def test_default_models_include_a_provider_whose_key_is_set(cli, env, tmp_path, var):
    import os

    from whichai.config import Config
    from whichai.providers.registry import Registry

    os.environ[var] = "sk-test-not-a-real-key-000000"
    try:
        assert Registry(Config()).default_models() == ["local/smollm2-135m-instruct", "openai/gpt-5.4-mini"]
    finally:
        del os.environ[var]
    assert Registry(Config()).default_models() == ["local/smollm2-135m-instruct"]


@pytest.mark.slow  # the embedded model answers: seconds of CPU per answer
def test_any_gguf_file_by_path(cli, tmp_path):
    from whichai.providers.local import embedded_model_path

    copy = tmp_path / "my model.gguf"
    copy.symlink_to(embedded_model_path())
    result = cli("ask", f"local/{copy}", "Say hello.", "--max-tokens", "8", "--json")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["model"] == f"local/{copy}" and answer["answer"] and answer["ttft_s"] > 0
    not_gguf = tmp_path / "notes.gguf"
    not_gguf.write_text("hello")
    bad = cli("ask", f"local/{not_gguf}", "hi")
    assert bad.returncode == 2 and "not a GGUF file" in bad.stderr and "Traceback" not in bad.stderr


def test_a_key_without_its_sdk_is_a_note_not_a_failure(env, monkeypatch):
    import importlib.util

    from whichai.config import Config
    from whichai.providers.registry import Registry

    monkeypatch.setenv("ANTHROPIC_API_KEY", "test-key-not-real-000000")
    real_find_spec = importlib.util.find_spec
    # Stand in for an environment without the optional extra: the SDK cannot be found.
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "anthropic" else real_find_spec(name, *a))
    registry = Registry(Config())
    assert registry.default_models() == ["local/smollm2-135m-instruct"]
    assert "ANTHROPIC_API_KEY" in registry.notes[0] and "whichai[anthropic]" in registry.notes[0]
    monkeypatch.setattr(importlib.util, "find_spec", real_find_spec)
    assert Registry(Config()).default_models() == ["local/smollm2-135m-instruct", "anthropic/claude-haiku-4-5"]
