"""Which server a model id points at, for a load test: any OpenAI-compatible model id of whichai
(a server named in whichai.toml, ``openai/…``, a hosted open-model API), never the in-process model."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from whichai.errors import InputError

if TYPE_CHECKING:
    from whichai.config import Config

OPENAI_BASE_URL = "https://api.openai.com/v1"
_LOOPBACK = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}


@dataclass(frozen=True)
class Target:
    model_id: str  # as the user wrote it: provider/model
    model: str  # the name the server knows
    provider: str
    base_url: str
    headers: dict[str, str] = field(repr=False, default_factory=dict)  # may hold the key: never stored or printed
    self_hosted: bool = False  # a server named in whichai.toml (the user's own deployment)
    serves: str | None = None  # the catalog id of the model it serves (``serves`` in whichai.toml)

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).hostname or ""

    @property
    def loopback(self) -> bool:
        return self.host in _LOOPBACK or self.host.startswith("127.")

    def default_hardware(self) -> str:
        """What the figures are labelled with unless ``--hardware`` says better."""
        if self.loopback:
            return "this-machine"
        return f"server {self.host}" if self.self_hosted else f"{self.provider} API"


def resolve_target(model_id: str, config: Config) -> Target:
    from whichai.providers.openai_compat import OpenAIProvider
    from whichai.providers.registry import Registry

    registry = Registry(config)
    provider, name = registry.resolve(model_id)
    if provider.local or provider.kind == "local":
        raise InputError(
            f"{model_id} is the in-process local model; `whichai load` loads a server, not this process. Fix: serve the "
            "model, e.g. `python -m llama_cpp.server --model PATH.gguf --port 8000`, name it in whichai.toml under "
            '[providers.mylocal] with base_url = "http://127.0.0.1:8000/v1", and run `whichai load mylocal/MODEL`.'
        )
    if provider.kind != "openai" or not isinstance(provider, OpenAIProvider):  # kind openai is OpenAIProvider or a subclass
        raise InputError(
            f"{model_id}: `whichai load` speaks the OpenAI-compatible protocol and {provider.name!r} is a {provider.kind} "
            "provider. Fix: load an OpenAI-compatible server (vLLM, llama.cpp, Ollama, TGI, a hosted open-model API)."
        )
    provider.check(name)  # a missing key or base_url is a ConfigError naming the fix
    headers = {"Content-Type": "application/json", "Accept": "text/event-stream"}
    env = provider.key_env
    key = os.environ.get(env, "") if env else ""
    if key:
        headers["Authorization"] = f"Bearer {key}"
    base = (provider.base_url or OPENAI_BASE_URL).rstrip("/")
    return Target(model_id=model_id, model=name, provider=provider.name, base_url=base, headers=headers,
                  self_hosted=provider.name in config.providers, serves=getattr(provider.config, "serves", None))
