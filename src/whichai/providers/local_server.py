"""A model server running on the user's machine (Ollama, LM Studio, llama.cpp server, vLLM), reached
with no configuration at its usual address through its OpenAI-compatible ``/v1`` API.

Before a run, :meth:`LocalServerProvider.check` asks the server for its models, so a server that is
not running, or a model that is not pulled, is one clear message with the fix instead of a failed run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from whichai.errors import ConfigError
from whichai.providers.discovery import SERVERS, LocalServer
from whichai.providers.openai_compat import OpenAIProvider


@dataclass
class LocalServerProvider(OpenAIProvider):
    server: LocalServer = field(default_factory=lambda: SERVERS["ollama"])

    def check(self, model: str) -> None:
        from whichai.providers.discovery import probe_server

        super().check(model)
        row = probe_server(self.server.name)
        if not row.running:
            why = row.note or row.error
            raise ConfigError(
                f"{self.name}/{model}: {self.server.label} is not answering at {self.server.url} ({why}). "
                f"Fix: start it ({self.server.start}), or set {self.server.env} to where it listens."
            )
        names = [m.name for m in row.models]
        if model not in names and not (self.server.name == "ollama" and f"{model}:latest" in names):
            fix = f"ollama pull {model}" if self.server.name == "ollama" else f"load {model} in {self.server.label}"
            served = ", ".join(names[:12]) or "none"
            raise ConfigError(f"{self.name}/{model}: {self.server.label} at {self.server.url} does not serve {model!r} "
                              f"(it serves: {served}). Fix: {fix}, or pick one of those.")

    def default_concurrency(self) -> int:
        return 4  # one machine: a few requests at once keep it busy without queueing behind each other
