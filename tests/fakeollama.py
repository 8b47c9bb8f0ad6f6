"""A loopback stand-in for Ollama: its documented model list (``GET /api/tags``, ``GET /api/version``)
and its OpenAI-compatible API under ``/v1`` (``GET /v1/models``, ``POST /v1/chat/completions``, the
answers coming from :class:`fakeopenai.FakeOpenAI`'s echo). Ollama itself cannot run here."""

from __future__ import annotations

import json

from fakeopenai import FakeOpenAI, _make_handler, _QuietServer
from loopback import server_thread


class FakeOllama(FakeOpenAI):
    def __init__(self, models: dict[str, dict]) -> None:
        super().__init__()
        self.server.server_close()  # replaced by one whose handler also answers Ollama's own API
        self.models = models
        self.gets: list[str] = []
        self.server = _QuietServer(("127.0.0.1", 0), _ollama_handler(self))
        self.thread = server_thread(self.server)

    @property
    def host(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"


def _ollama_handler(fake: FakeOllama):
    base = _make_handler(fake)

    class Handler(base):
        def do_GET(self) -> None:  # noqa: N802
            fake.gets.append(self.path)
            if self.path == "/api/version":
                return self._send(200, b'{"version": "0.12.3"}')
            if self.path == "/api/tags":
                models = [{"name": name, "model": name, "modified_at": "2026-11-20T10:00:00Z", "size": d.get("size", 4_920_753_328),
                           "digest": "sha256:" + "0" * 64,
                           "details": {"parent_model": "", "format": "gguf", "family": d.get("family", "llama"),
                                       "families": [d.get("family", "llama")], "parameter_size": d.get("parameter_size", "8.0B"),
                                       "quantization_level": d.get("quantization_level", "Q4_K_M")}}
                          for name, d in fake.models.items()]
                return self._send(200, json.dumps({"models": models}).encode())
            if self.path == "/v1/models":
                data = [{"id": name, "object": "model", "created": 1763632800, "owned_by": "library"} for name in fake.models]
                return self._send(200, json.dumps({"object": "list", "data": data}).encode())
            self._send(404, b'{"error": "404 page not found"}')

    return Handler
