"""Local servers with no configuration (Ollama faked on loopback in its documented wire format; llama.cpp's
server for real), ``whichai models --local``, servers that say what they serve, and the official
providers through a base_url (a vendor's endpoint faked on loopback)."""

from __future__ import annotations

import json

import pytest
from conftest import free_port, write_config, write_jsonl
from fakeollama import FakeOllama

OLLAMA_MODELS = {
    "llama3.1:8b": {"parameter_size": "8.0B"},
    "qwen2.5:7b": {"family": "qwen2", "parameter_size": "7.6B"},
    "mystery-model:latest": {"parameter_size": "1.0B"},
}
TASK = [{"id": "word", "input": "Repeat this word: Jakarta", "expected": "Jakarta", "scorer": "contains"}]


@pytest.fixture
def servers_env(env):
    """Every known local server pointed at a closed loopback port: nothing on this machine's default ports is asked."""
    env = dict(env)
    for var in ("OLLAMA_HOST", "WHICHAI_LMSTUDIO_HOST", "WHICHAI_LLAMACPP_HOST", "WHICHAI_VLLM_HOST"):
        env[var] = f"127.0.0.1:{free_port()}"
    return env


def _cli(env, *args, timeout=300):
    from conftest import invoke

    return invoke(list(args), env)


def test_models_local_lists_running_servers_linked_to_the_catalog(servers_env, llama_server):
    with FakeOllama(OLLAMA_MODELS) as ollama:
        servers_env["OLLAMA_HOST"] = ollama.host
        servers_env["WHICHAI_LLAMACPP_HOST"] = llama_server.removesuffix("/v1")
        result = _cli(servers_env, "models", "--local", "--json")
        human = _cli(servers_env, "models", "--local")
    assert result.returncode == 0, result.stderr
    rows = {r["server"]: r for r in json.loads(result.stdout)["servers"]}
    assert set(rows) == {"ollama", "lmstudio", "llamacpp", "vllm"}
    assert rows["ollama"]["running"] and rows["llamacpp"]["running"]
    assert not rows["vllm"]["running"] and "connection refused" in rows["vllm"]["error"]
    linked = {m["id"]: _hf_repo(m["catalog"]) for m in rows["ollama"]["models"]}
    assert linked == {"ollama/llama3.1:8b": "meta-llama/llama-3.1-8b-instruct", "ollama/qwen2.5:7b": "qwen/qwen2.5-7b-instruct",
                      "ollama/mystery-model:latest": None}
    llama = next(m for m in rows["ollama"]["models"] if m["name"] == "llama3.1:8b")
    assert llama["parameter_size"] == "8.0B" and llama["quantization"] == "Q4_K_M" and llama["openness"] == "open-weights"
    assert [m["id"] for m in rows["llamacpp"]["models"]] == ["llamacpp/smollm2"]
    assert human.returncode == 0 and "ollama/llama3.1:8b" in human.stdout and llama["catalog"] in human.stdout


def _hf_repo(catalog_id):
    """The Hugging Face repo of a catalog entry: the weights, whatever id the catalog files them under."""
    from whichai.catalog import load_catalog

    return None if catalog_id is None else load_catalog().find_raw(catalog_id)["hf_repo"]


def test_a_server_off_this_machine_is_not_probed(servers_env):
    servers_env["OLLAMA_HOST"] = "http://192.0.2.1:11434"  # TEST-NET-1: never routed
    result = _cli(servers_env, "models", "--local", "--json")
    [ollama] = [r for r in json.loads(result.stdout)["servers"] if r["server"] == "ollama"]
    assert not ollama["running"] and "not probed (loopback only)" in ollama["note"]


def test_ollama_model_runs_without_config_and_carries_its_catalog_identity(servers_env, tmp_path):
    task = write_jsonl(tmp_path / "t.jsonl", TASK)
    with FakeOllama(OLLAMA_MODELS) as ollama:
        servers_env["OLLAMA_HOST"] = ollama.host.removeprefix("http://")  # Ollama's own host:port form
        result = _cli(servers_env, "run", "--task", str(task), "--models", "ollama/llama3.1:8b", "--db", str(tmp_path / "w.db"),
                      "--json", "--no-report")
        assert result.returncode == 0, result.stderr
        assert ollama.total("llama3.1:8b") == 1
        missing = _cli(servers_env, "run", "--task", str(task), "--models", "ollama/phi4:14b", "--db", str(tmp_path / "w.db"))
    [summary] = json.loads(result.stdout)["models"]
    assert summary["passed"] == 1
    assert _hf_repo(summary["serves"]) == "meta-llama/llama-3.1-8b-instruct" and summary["self_hosted"] is True
    assert summary["hardware"] == "this-machine"
    assert missing.returncode == 2 and "Fix: ollama pull phi4:14b" in missing.stderr and "llama3.1:8b" in missing.stderr
    stopped = _cli(servers_env, "run", "--task", str(task), "--models", "ollama/llama3.1:8b", "--db", str(tmp_path / "w.db"))
    assert stopped.returncode == 2 and "Ollama is not answering" in stopped.stderr and "ollama serve" in stopped.stderr


def test_configured_server_declares_what_it_serves(env, tmp_path, llama_server):
    task = write_jsonl(tmp_path / "t.jsonl", TASK)
    config = write_config(tmp_path / "whichai.toml", "mybox", llama_server, serves='"local/smollm2-135m-instruct"',
                          self_hosted="true")
    result = _cli(env, "run", "--task", str(task), "--models", "mybox/smollm2", "--config", str(config), "--max-tokens", "8",
                  "--db", str(tmp_path / "w.db"), "--json", "--no-report")
    assert result.returncode == 0, result.stderr
    [summary] = json.loads(result.stdout)["models"]
    assert summary["serves"] == "local/smollm2-135m-instruct" and summary["self_hosted"] is True
    assert summary["hardware"] == "this-machine"
    # Kept with the run: a later recommendation reads the same identity from the database.
    from whichai.providers.identity import stored
    from whichai.store import Store

    store = Store.open(tmp_path / "w.db")
    assert stored(store, json.loads(result.stdout)["run_id"])["mybox/smollm2"].summary_keys() == {
        "serves": "local/smollm2-135m-instruct", "self_hosted": True, "hardware": "this-machine"}
    bad = write_config(tmp_path / "bad.toml", "mybox", llama_server, serves='"nobody/no-such-model"')
    wrong = _cli(env, "run", "--task", str(task), "--models", "mybox/smollm2", "--config", str(bad), "--db", str(tmp_path / "x.db"))
    assert wrong.returncode == 2 and "serves = 'nobody/no-such-model' is not in the catalog" in wrong.stderr
    assert not (tmp_path / "x.db").exists()  # bad input writes nothing


@pytest.mark.slow  # the embedded model answers (the default models of whichai run)
def test_official_provider_through_a_base_url_keeps_its_identity(env, tmp_path, fake):
    task = write_jsonl(tmp_path / "t.jsonl", TASK)
    config = write_config(tmp_path / "whichai.toml", "openai", fake.base_url)
    env = dict(env, OPENAI_API_KEY="sk-test-gateway-key-0000000000")
    result = _cli(env, "run", "--task", str(task), "--config", str(config), "--db", str(tmp_path / "w.db"), "--json", "--no-report")
    assert result.returncode == 0, result.stderr
    models = {m["model"]: m for m in json.loads(result.stdout)["models"]}
    assert set(models) == {"local/smollm2-135m-instruct", "openai/gpt-5.4-mini"}  # the default model, through the gateway
    gateway = models["openai/gpt-5.4-mini"]
    assert gateway["passed"] == 1 and fake.total("gpt-5.4-mini") == 1
    assert "serves" not in gateway and "self_hosted" not in gateway
    assert gateway["cost_usd"] > 0 and "catalog" in (gateway.get("price_source") or "")
    assert fake.headers_seen[-1]["authorization"] == "Bearer sk-test-gateway-key-0000000000"


def test_anthropic_and_gemini_tables_with_only_a_base_url_stay_their_own_kind(tmp_path):
    from whichai.config import load_config
    from whichai.providers.anthropic import AnthropicProvider
    from whichai.providers.gemini import GeminiProvider
    from whichai.providers.registry import Registry

    path = tmp_path / "whichai.toml"
    path.write_text('[providers.anthropic]\nbase_url = "http://127.0.0.1:9/anthropic"\n\n'
                    '[providers.gemini]\nbase_url = "http://127.0.0.1:9/gemini"\n')
    registry = Registry(load_config(path))
    anthropic, model = registry.resolve("anthropic/claude-haiku-4-5")
    assert isinstance(anthropic, AnthropicProvider) and anthropic.base_url == "http://127.0.0.1:9/anthropic"
    assert isinstance(registry.provider("gemini"), GeminiProvider)


def test_default_vendor_models_are_current_in_the_catalog():
    """The models `whichai run` adds for a key must be in the catalog and not shutting down within a year."""
    import datetime

    from whichai import clock
    from whichai.catalog import load_catalog
    from whichai.providers.registry import vendor_defaults

    catalog = load_catalog()
    soon = (clock.today() + datetime.timedelta(days=365)).isoformat()  # the pinned day, never the calendar
    for model_id, *_ in vendor_defaults().values():
        raw = catalog.find_raw(model_id)
        assert raw is not None, model_id
        lifecycle = raw.get("lifecycle") or {}
        assert lifecycle.get("status", "active") == "active", (model_id, lifecycle)
        assert (lifecycle.get("shutdown_date") or "9999") > soon, (model_id, lifecycle)


def test_host_forms_and_odd_model_lists():
    from whichai.providers.discovery import SERVERS, _models_of, normalise_host

    assert normalise_host("", 11434) == "http://127.0.0.1:11434"
    assert normalise_host("0.0.0.0", 11434) == "http://127.0.0.1:11434"  # Ollama's listen-on-all form
    assert normalise_host("127.0.0.1:11500", 11434) == "http://127.0.0.1:11500"
    assert normalise_host("https://box.lan/", 11434) == "https://box.lan:11434"
    assert normalise_host("[::1]:8080", 8080) == "http://[::1]:8080"
    ollama, vllm = SERVERS["ollama"], SERVERS["vllm"]
    assert _models_of(ollama, {"models": {"not": "a list"}}) == [] and _models_of(vllm, {"data": "x"}) == []
    assert [m.name for m in _models_of(ollama, {"models": ["junk", {"name": "a:1"}]})] == ["a:1"]
    assert [m.to_json() for m in _models_of(vllm, {"data": [{"id": "m"}, 3, {"object": "model"}]})] == [
        {"name": "m", "id": "vllm/m", "catalog": None}]
