"""The catalog build on a fresh clone: a small fixture of the three upstream formats, no ../shared/data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from whichai.catalog import age
from whichai.catalog.build import build_catalog, write_catalog
from whichai.catalog.catalog import Catalog, read_document
from whichai.catalog.checks import run_checks
from whichai.catalog.lifecycle import status_on
from whichai.catalog.naming import model_key

UP = Path(__file__).parent / "fixtures" / "upstream"
SNAPS = {"osai-index": "2026-06-12", "mof": "2026-05-11", "models.dev": "2026-07-02"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    doc = build_catalog(UP / "osai-index", UP / "model-openness-tool", UP / "models-dev", SNAPS, day="2026-11-25")
    out = write_catalog(doc, tmp_path_factory.mktemp("cat") / "catalog.json.gz")
    return doc, Catalog(read_document(str(out), out.stat().st_mtime), out)


def test_one_entry_per_model_with_every_host_as_an_offer(built):
    _, cat = built
    llama = cat.get("groq/llama-3.1-8b-instant")
    assert llama is not None
    for alias in ("amazon-bedrock/meta.llama3-1-8b-instruct-v1:0", "nvidia/meta/llama-3.1-8b-instruct"):
        assert cat.get(alias) is llama, alias
    assert set(llama.offers) >= {"groq/llama-3.1-8b-instant", "amazon-bedrock/meta.llama3-1-8b-instruct-v1:0"}
    assert cat.price_for("groq/llama-3.1-8b-instant").input == 0.05
    oss = cat.get("openai/gpt-oss-120b")
    assert cat.get("groq/openai/gpt-oss-120b") is oss and cat.get("openrouter/openai/gpt-oss-120b:free") is oss


def test_headline_price_lab_else_median_and_free_tier_is_a_flag(built):
    _, cat = built
    gpt4 = cat.get("openai/gpt-4")
    assert (gpt4.price_usd_per_mtok.input, gpt4.price_usd_per_mtok.output) == (30.0, 60.0)
    oss = cat.get("openai/gpt-oss-120b")
    free = oss.offers["openrouter/openai/gpt-oss-120b:free"]
    assert free.free_tier is True and free.price is None
    paid = sorted(o.price.input for o in oss.offers.values() if o.price)
    assert oss.price_usd_per_mtok.input == pytest.approx(sorted(paid)[len(paid) // 2] if len(paid) % 2 else (paid[len(paid) // 2 - 1] + paid[len(paid) // 2]) / 2)
    assert oss.price_usd_per_mtok.input > 0 and "median" in oss.price_usd_per_mtok.source


def test_per_field_sources(built):
    _, cat = built
    e = cat.get("openai/gpt-4.1-mini")
    assert e.field_sources["context_length"].name == "models.dev"
    assert e.field_sources["context_length"].as_of == "2026-07-02"
    assert "gpt-4.1-mini" in e.field_sources["context_length"].note
    assert e.lifecycle.source.url.startswith("https://platform.openai.com/")


def test_lifecycle_from_vendor_notices(built):
    _, cat = built
    assert cat.get("openai/gpt-4").lifecycle.status == "retired"
    mini = cat.get("openai/gpt-4.1-mini")
    assert (mini.lifecycle.status, mini.lifecycle.shutdown_date) == ("deprecated", "2027-01-14")
    assert mini.offers["openai/gpt-4.1-mini"].status == "deprecated"
    assert status_on("2027-01-14", "2027-01-14") == "retired" and status_on(None) == "active"


def test_precedence_rules(built):
    _, cat = built
    assert cat.get("anthropic/claude-2").openness == "closed"  # MOF template with an MIT licence on unreleased weights
    assert cat.get("anthropic/claude-2").license is None
    assert cat.get("google/palm-540b").openness == "closed"  # every component "unlicensed"
    assert cat.get("ai-singapore/sea-lion-7b").weights_downloadable is True  # HF repository on record
    zephyr = cat.get("unknown/zephyr-141b")
    assert zephyr.openness != "open-source"  # a fine-tune of Mixtral, whose data is not published
    assert cat.get("eleutherai/gpt-neo-2.7b").openness == "open-source"


def test_check_rules_fire_and_the_fixture_build_has_no_errors(built):
    doc, _ = built
    assert [f for f in run_checks(doc, date(2026, 11, 25)) if f["level"] == "error"] == []
    bad = {
        "entries": [
            {"id": "openai/x", "name": "X", "provider": "OpenAI", "lab": "openai", "openness": "open-weights", "openness_dimensions": {}, "offers": {}},
            {"id": "m/big-70b", "name": "Big 70B", "provider": "M", "openness": "open-weights", "params_b": 366, "offers": {}},
            {"id": "m/free", "name": "Free", "provider": "M", "openness": "closed", "price_usd_per_mtok": {"input": 0, "output": 0, "as_of": "2026-01-01", "source": "x"}, "offers": {}},
            {"id": "m/old", "name": "Old", "provider": "M", "openness": "closed", "offers": {"m/old": {"price": None, "status": "active", "shutdown_date": "2026-01-01"}}},
            {"id": "m/base", "name": "Base", "provider": "M", "openness": "open-weights", "openness_dimensions": {"data_information": "no"}, "offers": {}},
            {"id": "m/tune", "name": "Tune", "provider": "M", "openness": "open-source", "base_model": "m/base", "offers": {}},
            {"id": "m/stale", "name": "Stale", "provider": "M", "openness": "closed", "offers": {}, "field_sources": {"license": {"name": "curated", "as_of": "2024-01-01"}}},
        ],
        "issues": [],
    }
    kinds = {(f["kind"], f["item"]) for f in run_checks(bad, date(2026, 11, 25))}
    assert {("closed-lab-open", "openai/x"), ("params-vs-name", "m/big-70b"), ("zero-price", "m/free"),
            ("retired-offer-available", "m/old"), ("open-source-on-closed-base", "m/tune"), ("stale", "m/stale")} <= kinds


def test_age_and_keys(built):
    _, cat = built
    a = age(cat, date(2026, 11, 25))
    assert a["oldest_as_of"] == "2026-05-11" and a["newest_as_of"] == "2026-07-02" and a["age_days"] == 198
    assert model_key("meta", "meta.llama3-1-8b-instruct-v1:0") == model_key("meta", "Llama 3.1 8B") == model_key("meta", "llama-3.1-8b-instant")
    assert model_key("openai", "gpt-4-turbo") != model_key("openai", "gpt-4")
    assert model_key("alibaba", "Qwen2.5 7B", True) != model_key("alibaba", "Qwen2.5 7B Instruct", True)


def test_entry_status_recomputed_for_another_day():
    from whichai.catalog.lifecycle import entry_status

    soon = {"lifecycle": {"status": "deprecated", "shutdown_date": "2027-01-14"}}
    assert entry_status(soon, "2026-11-25") == "deprecated" and entry_status(soon, "2027-01-14") == "retired"
    assert entry_status({"lifecycle": {"status": "retired", "shutdown_date": None}}, "2020-01-01") == "retired"
    assert entry_status({"lifecycle": {"status": "deprecated", "shutdown_date": None}}) == "deprecated"
    assert entry_status({}) == "active"
