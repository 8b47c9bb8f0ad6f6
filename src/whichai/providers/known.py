"""Model ids and hosts known without any configuration: the embedded model, and the hosted open-model
APIs that speak the OpenAI protocol. Plain constants (no config, no entry points), so that what only
names a model (decide's "how to measure it next") does not load the provider machinery."""

from __future__ import annotations

EMBEDDED = "local/smollm2-135m-instruct"

# Hosted open-model APIs that speak the OpenAI protocol (ids as in models.dev).
HOSTED: dict[str, tuple[str, str]] = {
    "groq": ("https://api.groq.com/openai/v1", "GROQ_API_KEY"),
    "togetherai": ("https://api.together.xyz/v1", "TOGETHER_API_KEY"),
    "deepinfra": ("https://api.deepinfra.com/v1/openai", "DEEPINFRA_API_KEY"),
    "fireworks-ai": ("https://api.fireworks.ai/inference/v1", "FIREWORKS_API_KEY"),
    "openrouter": ("https://openrouter.ai/api/v1", "OPENROUTER_API_KEY"),
    "deepseek": ("https://api.deepseek.com", "DEEPSEEK_API_KEY"),
    "mistral": ("https://api.mistral.ai/v1", "MISTRAL_API_KEY"),
    "cerebras": ("https://api.cerebras.ai/v1", "CEREBRAS_API_KEY"),
    "xai": ("https://api.x.ai/v1", "XAI_API_KEY"),
}
