"""Facts of well-known models in the shipped catalog, checked against values recorded here with the
page each was read from (read 2026-11-25 unless noted). Every fact must match: 0 wrong."""

from __future__ import annotations

import pytest

from whichai.catalog import load_catalog

HF = "https://huggingface.co/"
OAI_DEP = "https://platform.openai.com/docs/deprecations"
ANT_DEP = "https://platform.claude.com/docs/en/about-claude/model-deprecations"
# (model id or alias, field, expected value, source URL)
FACTS = [
    ("groq/llama-3.1-8b-instant", "license", "Llama 3.1 Community License", HF + "meta-llama/Llama-3.1-8B-Instruct"),
    ("groq/llama-3.1-8b-instant", "params_b", 8, HF + "meta-llama/Llama-3.1-8B-Instruct"),
    ("groq/llama-3.1-8b-instant", "context_length", 131072, HF + "meta-llama/Llama-3.1-8B-Instruct"),
    ("groq/llama-3.1-8b-instant", "openness", "open-weights", HF + "meta-llama/Llama-3.1-8B-Instruct"),
    ("amazon-bedrock/meta.llama3-1-70b-instruct-v1:0", "params_b", 70, HF + "meta-llama/Llama-3.1-70B-Instruct"),
    ("llama/llama-3.3-70b-instruct", "license", "Llama 3.3 Community License", HF + "meta-llama/Llama-3.3-70B-Instruct"),
    ("meta/llama-4-scout-17b-instruct", "params_b", 109, HF + "meta-llama/Llama-4-Scout-17B-16E-Instruct"),
    ("meta/llama-4-scout-17b-instruct", "active_params_b", 17, HF + "meta-llama/Llama-4-Scout-17B-16E-Instruct"),
    ("meta/llama-4-maverick-17b-instruct", "params_b", 400, HF + "meta-llama/Llama-4-Maverick-17B-128E-Instruct"),
    ("meta/llama-2-chat-7b", "license", "Llama 2 Community License", HF + "meta-llama/Llama-2-7b-chat-hf"),
    ("meta/llama-2-chat-7b", "weights_downloadable", True, HF + "meta-llama/Llama-2-7b-chat-hf"),
    ("alibaba/qwen2-5-7b-instruct", "license", "Apache-2.0", HF + "Qwen/Qwen2.5-7B-Instruct"),
    ("alibaba/qwen2-5-7b-instruct", "context_length", 131072, HF + "Qwen/Qwen2.5-7B-Instruct"),
    ("alibaba/qwen3-235b-a22b", "active_params_b", 22, HF + "Qwen/Qwen3-235B-A22B"),
    ("alibaba/qwen3-235b-a22b", "license", "Apache-2.0", HF + "Qwen/Qwen3-235B-A22B"),
    ("mistral/mixtral-8x7b-instruct-v0.1", "params_b", 46.7, HF + "mistralai/Mixtral-8x7B-Instruct-v0.1"),
    ("mistral/mixtral-8x7b-instruct-v0.1", "active_params_b", 12.9, HF + "mistralai/Mixtral-8x7B-Instruct-v0.1"),
    ("mistral/mixtral-8x22b-v0.1", "params_b", 141, HF + "mistralai/Mixtral-8x22B-v0.1"),
    ("nvidia/mistralai/mistral-7b-instruct-v03", "license", "Apache-2.0", HF + "mistralai/Mistral-7B-Instruct-v0.3"),
    ("google/gemma-2-9b-it", "license", "Gemma Terms of Use", HF + "google/gemma-2-9b-it"),
    ("google/gemma-2-9b-it", "openness", "open-weights", HF + "google/gemma-2-9b-it"),
    ("amazon-bedrock/google.gemma-3-27b-it", "context_length", 131072, HF + "google/gemma-3-27b-it"),
    ("azure/phi-4", "context_length", 16384, HF + "microsoft/phi-4"),
    ("azure/phi-4", "params_b", 14, HF + "microsoft/phi-4"),
    ("azure/phi-4", "license", "MIT", HF + "microsoft/phi-4"),
    ("microsoft/phi-2-2.7b", "weights_downloadable", True, HF + "microsoft/phi-2"),
    ("microsoft/phi-2-2.7b", "license", "MIT", HF + "microsoft/phi-2"),
    ("deepseek/deepseek-r1", "params_b", 671, HF + "deepseek-ai/DeepSeek-R1"),
    ("deepseek/deepseek-r1", "active_params_b", 37, HF + "deepseek-ai/DeepSeek-R1"),
    ("deepseek/deepseek-r1", "license", "MIT", HF + "deepseek-ai/DeepSeek-R1"),
    ("openai/gpt-oss-120b", "params_b", 117, HF + "openai/gpt-oss-120b"),
    ("openai/gpt-oss-120b", "active_params_b", 5.1, HF + "openai/gpt-oss-120b"),
    ("openai/gpt-oss-120b", "license", "Apache-2.0", HF + "openai/gpt-oss-120b"),
    ("deepinfra/openai/gpt-oss-20b", "params_b", 21, HF + "openai/gpt-oss-20b"),
    ("eleutherai/gpt-neo-2.7b", "license", "MIT", HF + "EleutherAI/gpt-neo-2.7B"),
    ("bigscience/bloom", "params_b", 176, HF + "bigscience/bloom"),
    ("bigscience/bloom", "license", "BigScience-BLOOM-RAIL-1.0", HF + "bigscience/bloom"),
    ("ai-singapore/sea-lion-7b", "weights_downloadable", True, HF + "aisingapore/sea-lion-7b"),
    ("openai/gpt-2-1.5b", "weights_downloadable", True, HF + "openai-community/gpt2-xl"),
    ("anthropic/claude-2", "openness", "closed", ANT_DEP),
    ("google/palm-540b", "openness", "closed", "https://mot.isitopen.ai/model/PaLM"),
    ("allenai/olmo-2-1124-7b-instruct", "openness", "open-source", HF + "allenai/OLMo-2-1124-7B-Instruct"),
    ("local/smollm2-135m-instruct", "license", "Apache-2.0", HF + "HuggingFaceTB/SmolLM2-135M-Instruct"),
    ("zhipuai/glm-4.5", "params_b", 355, HF + "zai-org/GLM-4.5"),
    ("zhipuai/glm-4.5", "active_params_b", 32, HF + "zai-org/GLM-4.5"),
    ("zhipuai/glm-4.5-air", "license", "MIT", HF + "zai-org/GLM-4.5-Air"),
    ("huggingface/moonshotai/Kimi-K2-Instruct", "active_params_b", 32, "https://github.com/MoonshotAI/Kimi-K2"),
    ("unknown/zephyr-141b", "openness", "open-weights", HF + "HuggingFaceH4/zephyr-orpo-141b-A35b-v0.1"),
    ("openrouter/deepseek/deepseek-r1-distill-llama-70b", "license_restricts_use", True, HF + "deepseek-ai/DeepSeek-R1-Distill-Llama-70B"),
    ("aisingapore/gemma2-9b-cpt-sea-lionv3-instruct", "context_length", 8192, HF + "aisingapore/gemma2-9b-cpt-sea-lionv3-instruct"),
    ("xai/grok-1-314b", "license", "Apache-2.0", HF + "xai-org/grok-1"),
    ("gemini/gemini-2.5-flash", "lifecycle.shutdown_date", "2026-06-17", "https://ai.google.dev/gemini-api/docs/deprecations"),  # the vendor's page (other dates reported: conflicts)
    ("mistral/devstral-medium-2507", "openness", "closed", "https://models.dev"),  # models/mistral/devstral-medium-2507.toml: open_weights = false
    ("openai/gpt-4", "lifecycle.status", "retired", OAI_DEP),
    ("openai/gpt-4.1-nano", "lifecycle.status", "retired", OAI_DEP),
    # the 2026-06-11 notice: the newest version of the page names each alias with its dated snapshot (Dec 11 rows)
    ("openai/gpt-5-nano", "offer:openai/gpt-5-nano-2025-08-07.shutdown_date", "2026-12-11", OAI_DEP),
    ("openai/o3", "offer:openai/o3-2025-04-16.shutdown_date", "2026-12-11", OAI_DEP),
    ("openai/o3", "lifecycle.shutdown_date", "2026-12-11", OAI_DEP),
    ("openai/gpt-4o-2024-05-13", "lifecycle.shutdown_date", "2026-10-23", OAI_DEP),
    ("openai/gpt-4.1-mini", "lifecycle.shutdown_date", "2027-01-14", OAI_DEP),
    ("openai/gpt-4o", "lifecycle.shutdown_date", "2027-01-14", OAI_DEP),
    ("anthropic/claude-sonnet-4-5-20250929", "lifecycle.shutdown_date", "2026-11-30", ANT_DEP),
    ("anthropic/claude-3-opus-20240229", "lifecycle.status", "retired", ANT_DEP),
    ("openai/gpt-4o", "facts.fine_tuning", False, OAI_DEP),
    ("anthropic/claude-haiku-4-5-20251001", "facts.zero_retention_available", True,
     "https://privacy.claude.com/en/articles/8956058-i-have-a-zero-retention-agreement-with-anthropic-what-products-does-it-apply-to"),
    ("gemini/gemini-2.5-flash", "facts.zero_retention_available", True, "https://ai.google.dev/gemini-api/docs/zdr"),
]


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


def _value(entry, field: str):
    if field.startswith("facts."):
        return entry.facts[field[6:]].value
    if field.startswith("offer:"):
        run_id, attr = field[6:].rsplit(".", 1)
        return getattr(entry.offers[run_id], attr)
    obj = entry
    for part in field.split("."):
        obj = getattr(obj, part)
    return obj


@pytest.mark.parametrize("model, field, expected, url", FACTS, ids=[f"{m}:{f}" for m, f, _, _ in FACTS])
def test_fact(cat, model, field, expected, url):
    entry = cat.get(model)
    assert entry is not None, f"{model} not in the catalog"
    assert _value(entry, field) == expected, f"{model} {field}: see {url}"


def test_enough_facts_each_with_a_source():
    assert len(FACTS) >= 40 and all(url.startswith("https://") for *_, url in FACTS)


def test_languages_of_southeast_asian_models(cat):
    assert {"id", "jv", "su"} <= set(cat.get("aisingapore/gemma2-9b-cpt-sea-lionv3-instruct").languages)
    assert {"id", "jv", "su"} <= set(cat.get("gotocompany/gemma2-9b-cpt-sahabatai-v1-instruct").languages)


def test_vendor_terms_text(cat):
    assert "30 days" in cat.get("anthropic/claude-haiku-4-5-20251001").facts["data_retention"].value
    assert "55 days" in cat.get("gemini/gemini-2.5-flash").facts["data_retention"].value
