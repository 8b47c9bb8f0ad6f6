"""``whichai run --profile P --candidates K``: rank with priors, measure the best reachable models of each
side, rank again. Real parts: the embedded model, llama-cpp-python's server declared self-hosted; a
vendor's endpoint through the official provider's base_url and Ollama are loopback fakes."""

from __future__ import annotations

import json
import os
from types import SimpleNamespace

import pytest
from conftest import free_port, write_jsonl
from fakeollama import FakeOllama

from whichai.catalog import load_catalog
from whichai.config import Config, ProviderConfig
from whichai.measure.candidates import how_to_reach, plan, reachable
from whichai.providers.local import embedded_model_path
from whichai.providers.registry import Registry

TASK = [
    {"id": "jkt", "input": "Repeat this word: Jakarta", "expected": "Jakarta", "scorer": "contains"},
    {"id": "par", "input": "Repeat this word: Paris", "expected": "Paris", "scorer": "contains"},
]
SERVER_VARS = ("OLLAMA_HOST", "WHICHAI_LMSTUDIO_HOST", "WHICHAI_LLAMACPP_HOST", "WHICHAI_VLLM_HOST")
KEYS = ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY", "GROQ_API_KEY", "TOGETHER_API_KEY",
        "DEEPINFRA_API_KEY", "FIREWORKS_API_KEY", "OPENROUTER_API_KEY", "DEEPSEEK_API_KEY", "MISTRAL_API_KEY",
        "CEREBRAS_API_KEY", "XAI_API_KEY")


@pytest.fixture
def quiet_machine(monkeypatch, tmp_path):
    """No key set, no local server answering, an empty Hugging Face cache."""
    from huggingface_hub import constants

    for var in KEYS:
        monkeypatch.delenv(var, raising=False)
    for var in SERVER_VARS:
        monkeypatch.setenv(var, f"127.0.0.1:{free_port()}")
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "hf-cache"))
    return monkeypatch


def _entry(catalog, hf_repo: str) -> str:
    return next(raw["id"] for raw in catalog.raw if raw.get("hf_repo") == hf_repo)


def _ranking(*rows: tuple[str, str]) -> list[SimpleNamespace]:
    return [SimpleNamespace(rank=n, model=model, side=side) for n, (model, side) in enumerate(rows, start=1)]


def test_k_best_reachable_per_side_and_a_command_for_each_unreachable_top_model(quiet_machine):
    catalog = load_catalog()
    llama = _entry(catalog, "meta-llama/llama-3.1-8b-instruct")
    haiku = catalog.find_raw("anthropic/claude-haiku-4-5")["id"]
    ranking = _ranking((haiku, "closed"), (llama, "open"), ("openai/gpt-5.4-mini", "closed"),
                       ("local/smollm2-135m-instruct", "open"), ("openai/gpt-5.4", "closed"))
    quiet_machine.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key-0000")
    chosen = plan(ranking, catalog, Registry(Config()), k=1)
    assert [(m.model, m.side, m.via) for m in chosen.measured] == [
        ("openai/gpt-5.4-mini", "closed", "api-key"), ("local/smollm2-135m-instruct", "open", "embedded")]
    commands = {u.model: u.command for u in chosen.unreachable}
    assert commands[haiku] == "export ANTHROPIC_API_KEY=<your anthropic key>"
    assert commands[llama].startswith("export ") or commands[llama].startswith("vllm serve ")
    assert set(commands) == {haiku, llama}  # only the top-1 of each side needs a command

    # The same Llama on a running Ollama: now the open side's best is reachable there.
    with FakeOllama({"llama3.1:8b": {}}) as ollama:
        quiet_machine.setenv("OLLAMA_HOST", ollama.host)
        chosen = plan(ranking, catalog, Registry(Config()), k=1)
    assert ("ollama/llama3.1:8b", llama, "local-server") in [(m.model, m.catalog, m.via) for m in chosen.measured]
    assert llama not in {u.model for u in chosen.unreachable}


def test_in_house_data_is_never_measured_through_an_outside_api(quiet_machine):
    """Issue 23, finding 7: a profile whose data stays in-house measures no model through a key, even when set."""
    catalog = load_catalog()
    ranking = _ranking(("openai/gpt-5.4-mini", "closed"), ("local/smollm2-135m-instruct", "open"))
    quiet_machine.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key-0000")
    chosen = plan(ranking, catalog, Registry(Config()), k=1, in_house=True)
    assert [(m.model, m.via) for m in chosen.measured] == [("local/smollm2-135m-instruct", "embedded")]
    assert {u.model: u.command for u in chosen.unreachable} == {"openai/gpt-5.4-mini": None}


def test_reachable_ways(quiet_machine, tmp_path):
    catalog = load_catalog()
    config = Config(providers={
        "mybox": ProviderConfig(base_url="http://127.0.0.1:9/v1", serves="local/smollm2-135m-instruct", self_hosted=True,
                                default_model="smollm2"),
        "openai": ProviderConfig(base_url="http://127.0.0.1:9/v1"),  # a gateway: reached by its key, not as a server
    })
    found = reachable(Registry(config), catalog)
    assert found["local/smollm2-135m-instruct"] == {"model": "mybox/smollm2", "via": "configured"}  # the user's deployment first
    assert not any(way["via"] == "api-key" for way in found.values())  # no key set
    # A GGUF file in the Hugging Face cache (laid out as huggingface_hub keeps it) is reachable as local/hf:...
    repo = tmp_path / "hf-cache" / "models--TestOrg--SmolLM2-135M-Instruct-GGUF"
    sha = "a" * 64
    (repo / "blobs").mkdir(parents=True)
    (repo / "blobs" / sha).symlink_to(embedded_model_path())
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text("0" * 40)
    snapshot = repo / "snapshots" / ("0" * 40)
    snapshot.mkdir(parents=True)
    (snapshot / "SmolLM2-135M-Instruct.Q4_1.gguf").symlink_to(os.path.relpath(repo / "blobs" / sha, snapshot))
    found = reachable(Registry(Config()), catalog)
    assert found["local/smollm2-135m-instruct"] == {
        "model": "local/hf:TestOrg/SmolLM2-135M-Instruct-GGUF/SmolLM2-135M-Instruct.Q4_1.gguf", "via": "hf-cache"}


def test_commands_name_the_missing_piece(quiet_machine):
    catalog = load_catalog()
    assert how_to_reach(catalog.find_raw("openai/gpt-5.4-mini")) == "export OPENAI_API_KEY=<your openai key>"
    gguf = {"id": "x/y", "hf_repo": "x/y-instruct", "gguf_repo": "someone/y-instruct-GGUF"}
    assert how_to_reach(gguf) == "whichai run --models local/hf:someone/y-instruct-GGUF:Q4_K_M"  # a whole command (issue 23.7)
    assert how_to_reach(gguf, ollama_running=True) == "ollama pull hf.co/someone/y-instruct-GGUF:Q4_K_M"
    assert how_to_reach({"id": "x/z", "hf_repo": "x/z", "weights_downloadable": True}) == "vllm serve x/z"
    assert how_to_reach({"id": "x/closed"}) is None
    # data that may not leave the premises: no key to set for an outside API (issue 23, finding 7)
    assert how_to_reach(catalog.find_raw("openai/gpt-5.4-mini"), in_house=True) is None


def test_candidate_flow_end_to_end(env, tmp_path, fake, llama_server):
    task = write_jsonl(tmp_path / "t.jsonl", TASK)
    config = tmp_path / "whichai.toml"
    config.write_text(
        f'[providers.openai]\nbase_url = "{fake.base_url}"\n\n'
        f'[providers.mybox]\nbase_url = "{llama_server}"\nserves = "local/smollm2-135m-instruct"\nself_hosted = true\n'
        'default_model = "smollm2"\ntokenizer = "local/smollm2-135m-instruct"\n'
    )
    env = dict(env, OPENAI_API_KEY="sk-test-gateway-key-0000000000", HF_HOME=str(tmp_path / "hf"))
    for var in SERVER_VARS:
        env[var] = f"127.0.0.1:{free_port()}"
    from conftest import run_cli

    result = run_cli(["run", "--task", str(task), "--profile", "hobbyist-laptop", "--candidates", "1",
                      "--models", "local/smollm2-135m-instruct", "--config", str(config), "--max-tokens", "8",
                      "--db", str(tmp_path / "w.db"), "--json", "--no-report"], env)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    chosen = document["candidates"]
    by_side = {m["side"]: m for m in chosen["measured"]}
    assert set(by_side) == {"open", "closed"}
    assert by_side["open"] == {**by_side["open"], "model": "mybox/smollm2", "catalog": "local/smollm2-135m-instruct", "via": "configured"}
    closed = by_side["closed"]["model"]
    assert closed.startswith("openai/") and by_side["closed"]["via"] == "api-key"
    assert fake.total(closed.split("/", 1)[1]) == len(TASK)  # measured through the gateway
    models = {m["model"]: m for m in document["models"]}
    assert set(models) == {"local/smollm2-135m-instruct", "mybox/smollm2", closed}
    assert models[closed]["passed"] == len(TASK)  # the fake echoes the word back
    assert models["mybox/smollm2"]["serves"] == "local/smollm2-135m-instruct" and models["mybox/smollm2"]["self_hosted"] is True
    assert models["local/smollm2-135m-instruct"]["hardware"] == "this-machine"
    for row in chosen["unreachable"]:
        assert row["command"] is None or row["command"].startswith(
            ("export ", "vllm serve ", "--models local/hf:", "ollama pull hf.co/", "pip install "))
        assert row["rank"] < by_side[row["side"]]["rank"]  # only models ranked above the one measured
    evidence = document["recommendation"].get("evidence")
    if evidence is not None:  # the evidence block of the decision document
        assert evidence["level"] in ("measured", "partial") and evidence["measured"] >= 2
    ranked = {row["model"]: row for row in document["recommendation"]["ranking"]}
    assert ranked[closed]["measured"] is True
    # The same command in the terminal, in Indonesian: the run resumes (nothing is asked again) and the
    # candidates and the commands for the unreachable ones are listed.
    asked = fake.total()
    human = run_cli(["run", "--task", str(task), "--profile", "hobbyist-laptop", "--candidates", "1",
                     "--models", "local/smollm2-135m-instruct", "--config", str(config), "--max-tokens", "8",
                     "--db", str(tmp_path / "w.db"), "--no-report", "--lang", "id"], env)
    assert human.returncode == 0, human.stderr
    assert fake.total() == asked
    assert "Kandidat yang diukur" in human.stdout and "mybox/smollm2 = local/smollm2-135m-instruct" in human.stdout
    if chosen["unreachable"]:
        assert "Kandidat teratas yang belum terjangkau" in human.stdout


def test_candidates_need_a_profile(cli):
    result = cli("run", "--candidates", "2", "--limit", "1")
    assert result.returncode == 2 and "--profile" in result.stderr
