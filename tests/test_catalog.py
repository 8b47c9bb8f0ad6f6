"""The shipped catalog: size, sources, openness rule, linking, prices, scores, hardware, user files."""

from __future__ import annotations

import copy
import textwrap

import pytest

from whichai.catalog import hardware, load_catalog
from whichai.catalog.licenses import is_open, normalise
from whichai.catalog.openness import Evidence, classify
from whichai.errors import FileInputError


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


def test_loaded_once_and_cached(cat):
    assert load_catalog() is cat


def test_size_sources_and_dated_prices(cat):
    assert len(cat.entries) >= 150
    for e in cat.entries:
        assert e.sources, e.id
        for s in e.sources:
            assert s.as_of and s.url is not None
        if e.price_usd_per_mtok is not None:
            assert e.price_usd_per_mtok.as_of, e.id
            assert e.price_usd_per_mtok.input + e.price_usd_per_mtok.output > 0, e.id  # never a $0 price
        for run_id, offer in e.offers.items():
            assert offer.source.as_of, run_id
            assert offer.price is None or offer.price.as_of, run_id
            assert offer.price is None or offer.price.input + offer.price.output > 0, run_id


def test_facts_carry_their_own_sources_and_no_precomputed_scores(cat):
    for raw, e in zip(cat.raw, cat.entries):
        assert "criteria" not in raw and not hasattr(e, "criteria"), e.id  # decide.criteria_scores scores entries
        for field in ("license", "params_b", "context_length", "release_date", "price_usd_per_mtok"):
            if getattr(e, field) is not None:
                s = e.field_sources.get(field)
                assert s is not None and s.as_of, (e.id, field)
        assert e.lifecycle.status in ("active", "deprecated", "retired")


def test_article_examples_and_embedded_model(cat):
    neo = cat.get("eleutherai/gpt-neo-2.7b")
    assert neo.provider == "EleutherAI" and neo.openness == "open-source" and neo.license == "MIT"  # its model card
    assert neo.openness_dimensions["weights_downloadable"].startswith("yes")
    gpt4 = cat.get("openai/gpt-4")
    assert gpt4.provider == "OpenAI" and gpt4.openness == "closed"
    assert gpt4.price_usd_per_mtok.input == 30.0 and gpt4.price_usd_per_mtok.output == 60.0
    assert {s.name for s in gpt4.sources} >= {"models.dev", "mof"}
    smol = cat.get("local/smollm2-135m-instruct")
    assert smol.openness == "open-source" and smol.license == "Apache-2.0" and smol.params_b == 0.135
    assert cat.get("huggingfacetb/smollm2-135m-instruct") is smol


def test_restricted_licences_are_open_weights_not_open_source(cat):
    llamas = [e for e in cat.entries if e.license and "llama" in e.license.lower()]
    assert llamas
    for e in llamas:
        assert e.openness == "open-weights", e.id
        assert e.license_restricts_use is True
        assert "restricts use" in e.openness_reason
    assert not [e for e in cat.entries if e.openness == "open-source" and e.license_restricts_use]


def test_run_ids_resolve_through_aliases(cat):
    for run_id in ("openai/gpt-4o", "anthropic/claude-sonnet-4-5", "gemini/gemini-2.5-flash", "groq/llama-3.1-8b-instant"):
        assert cat.get(run_id) is not None, run_id
    oss = cat.get("groq/openai/gpt-oss-120b")
    assert oss is cat.get("openai/gpt-oss-120b")
    assert oss.openness == "open-weights"  # MOF and osai-index: training data withheld
    together = [a for e in cat.entries for a in e.aliases if a.startswith("togetherai/")]
    assert together and cat.get(together[0]) is not None
    assert cat.get("nobody/nothing") is None


def test_price_for_is_the_price_of_that_host(cat):
    groq = cat.price_for("groq/openai/gpt-oss-120b")
    assert (groq.input, groq.output) == (0.15, 0.60) and groq.source == "models.dev:groq"
    other = [a for a in cat.get("openai/gpt-oss-120b").offers if not a.startswith("groq/")]
    assert any(cat.price_for(a) != groq for a in other)
    assert cat.price_for("openai/gpt-4o").input > 0
    assert cat.price_for("local/smollm2-135m-instruct") is None
    assert cat.price_for("nobody/nothing") is None


def test_curated_vendor_facts_carry_source_and_unknown_stays_unknown(cat):
    gpt = cat.get("openai/gpt-4o")
    assert gpt.facts["trains_on_api_data"].value is False
    assert gpt.facts["trains_on_api_data"].source.url.startswith("https://")
    assert gpt.facts["trains_on_api_data"].source.as_of
    claude = cat.get("anthropic/claude-sonnet-4-5")
    assert "30 days" in claude.facts["data_retention"].value and claude.facts["zero_retention_available"].value is True
    assert claude.facts["support"].value is None  # not published: unknown, not guessed
    assert claude.facts["fine_tuning"].value is False
    assert cat.get("gemini/gemini-2.5-flash").facts["fine_tuning"].value is False
    assert cat.get("eleutherai/gpt-neo-2.7b").facts["support"].value == "community"


def test_check_lists_uncertain_links_and_conflicts(cat):
    kinds = {i["kind"] for i in cat.issues}
    assert {"uncertain-link", "conflict"} <= kinds
    for i in cat.issues:
        assert i["item"] and i["detail"] and i["source"]


def test_provider_info_from_models_dev(cat):
    groq = cat.provider_info("groq")
    assert groq["env"] == ["GROQ_API_KEY"]
    assert cat.provider_info("gemini")["models_dev_id"] == "google"


# ---------------------------------------------------------------- rules


def test_openness_rule():
    closed = classify(Evidence(weights=False, weights_src="models.dev"))
    assert closed[0] == "closed" and "not downloadable" in closed[1]
    unknown = classify(Evidence())  # no evidence either way: unknown, never closed
    assert unknown[0] == "unknown" and "no source says" in unknown[1]
    full = Evidence(weights=True, license="Apache-2.0", license_open=True, code=True, data=True)
    assert classify(full)[0] == "open-source"
    llama = Evidence(weights=True, license="Llama 3.1 Community License", license_open=False, code=True, data=True)
    kind, reason, dims = classify(llama)
    assert kind == "open-weights" and "restricts use" in reason and dims["license_open"].startswith("no")
    no_data = Evidence(weights=True, license="MIT", license_open=True, code=True, data=None)
    assert classify(no_data)[0] == "open-weights"


def test_licences():
    assert normalise("Apache 2.0") == "Apache-2.0" and is_open("Apache 2.0") is True
    assert is_open("MIT License") is True
    assert is_open("Llama 3.1 Community License Agreement") is False
    assert is_open("BigScience-BLOOM-RAIL-1.0") is False
    assert is_open("CC-BY-NC-4.0") is False
    assert is_open("Some Custom Terms") is None
    assert normalise("unlicensed") is None


def test_memory_needed_and_fit():
    m7 = hardware.memory_needed_gb(7)
    assert 4.5 < m7 < 8
    assert hardware.memory_needed_gb(7, bits_per_weight=16) > 14
    assert hardware.memory_needed_gb(7, context_tokens=32768) > m7
    assert hardware.memory_needed_gb(8, n_layers=32, hidden=4096) > hardware.memory_needed_gb(8, n_layers=32, hidden=1024)
    ok, reason = hardware.fits(7, ram_gb=16, gpus=None)
    assert ok and "RAM" in reason
    ok, reason = hardware.fits(70, ram_gb=16, gpus=[24])
    assert not ok and "does not fit" in reason
    ok, reason = hardware.fits(70, ram_gb=None, gpus=[24, 24])
    assert ok and "2 GPUs" in reason


def test_fit_of_catalog_entries(cat):
    assert hardware.fits(cat.get("local/smollm2-135m-instruct"), ram_gb=1, gpus=None)[0]
    ok, reason = hardware.fits(cat.get("openai/gpt-4o"), ram_gb=1024, gpus=[80] * 8)
    assert not ok and "API" in reason


# ---------------------------------------------------------------- user files


def _write(tmp_path, text):
    path = tmp_path / "mine.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def test_user_file_adds_and_overrides(tmp_path, cat):
    path = _write(
        tmp_path,
        """\
        as_of: 2026-11-01
        models:
          - id: acme/llama-ft
            name: ACME Llama fine-tune
            provider: ACME
            openness: open-weights
            license: Llama 3.1 Community License
            params_b: 8
            price_usd_per_mtok: {input: 0.1, output: 0.2, as_of: 2026-11-01}
          - id: openai/gpt-4o
            price_usd_per_mtok: {input: 2.0, output: 8.0, as_of: 2026-11-01}
        """,
    )
    mine = load_catalog(path)
    acme = mine.get("acme/llama-ft")
    assert acme.openness == "open-weights" and acme.sources[-1].name == "user"
    assert acme.field_sources["license"].name == "user" and acme.field_sources["license"].as_of == "2026-11-01"
    assert mine.price_for("acme/llama-ft").input == 0.1
    assert mine.get("openai/gpt-4o").price_usd_per_mtok.input == 2.0
    assert cat.get("openai/gpt-4o").price_usd_per_mtok.input == 2.5  # the shipped catalog is untouched
    assert len(mine.entries) == len(cat.entries) + 1


@pytest.mark.parametrize(
    "body, line, words",
    [
        ("models:\n  - id: a/b\n    name: B\n    provider: A\n    openness: closed\n    price_usd_per_mtok: {input: 1, output: 2}\n", 6, "as_of"),
        ("models:\n  - id: a/b\n    name: B\n    provider: A\n    openness: closed\n    colour: red\n", 6, "unknown field"),
        ("models:\n  - id: a/b\n    name: B\n", 2, "needs provider, openness"),
        ("models:\n  - id: a/b\n    name: B\n    provider: A\n    openness: half-open\n", 5, "openness"),
        ("models:\n  - id: a/b\n    name: [unclosed\n", 4, "invalid YAML"),
    ],
)
def test_user_file_errors_name_file_and_line(tmp_path, body, line, words):
    path = tmp_path / "bad.yaml"
    path.write_text(body)
    with pytest.raises(FileInputError) as info:
        load_catalog(path)
    assert info.value.exit_code == 2
    assert info.value.line == line, str(info.value)
    assert str(path) in str(info.value) and words in str(info.value)


def test_user_file_missing(tmp_path):
    with pytest.raises(FileInputError):
        load_catalog(tmp_path / "nope.yaml")


def test_default_run_models_are_active_in_the_catalog(cat):
    from whichai.providers.registry import vendor_defaults

    for provider, (model_id, *_rest) in vendor_defaults().items():
        entry = cat.get(model_id)
        assert entry is not None, model_id
        assert entry.lifecycle.status == "active" and entry.lifecycle.shutdown_date is None, (model_id, entry.lifecycle)
        assert cat.price_for(model_id) is not None, model_id


def test_retired_and_deprecated_offers_are_marked(cat):
    gpt4 = cat.get("openai/gpt-4")
    assert gpt4.offers["openai/gpt-4"].status == "retired" and gpt4.offers["openai/gpt-4"].shutdown_date == "2026-10-23"
    deprecated = [o for e in cat.entries for o in e.offers.values() if o.status == "deprecated"]
    assert len(deprecated) >= 40  # models.dev's deprecated flags are no longer ignored
    sonnet = cat.get("anthropic/claude-sonnet-4-5")  # shut down 2026-11-30: retired on the pinned 2026-12-07
    assert sonnet.lifecycle.status == "retired" and sonnet.lifecycle.shutdown_date == "2026-11-30"
    from whichai.catalog.lifecycle import evaluate

    raw = copy.deepcopy(cat.find_raw("anthropic/claude-sonnet-4-5"))
    assert evaluate(raw, "2026-11-29")["status"] == "deprecated" and raw["offers"]["anthropic/claude-sonnet-4-5"]["status"] == "deprecated"
    assert evaluate(raw, "2026-11-30")["status"] == "retired" and evaluate(raw, "2026-01-01")["status"] == "deprecated"


def test_user_file_lifecycle_and_task_fit_with_sources(tmp_path):
    path = _write(
        tmp_path,
        """\
        as_of: 2026-11-01
        models:
          - id: acme/old-model
            name: ACME old model
            provider: ACME
            openness: closed
            task_fit: [chat]
            lifecycle: {status: retired, shutdown_date: 2026-10-01}
        """,
    )
    e = load_catalog(path).get("acme/old-model")
    assert e.lifecycle.status == "retired" and e.task_fit == ["chat"]
    assert e.field_sources["lifecycle"].name == "user"
    bad = _write(tmp_path, "models:\n  - id: a/b\n    name: B\n    provider: A\n    openness: closed\n    lifecycle: {status: gone}\n")
    with pytest.raises(FileInputError):
        load_catalog(bad)
