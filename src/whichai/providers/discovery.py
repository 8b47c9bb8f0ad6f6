"""Local model servers: where they listen, what they serve.

Four servers people run on their own machine, each OpenAI-compatible under ``/v1``, are known without
configuration, by the name that prefixes their models:

=========  ==================  ===========================  ======================================
name       server              address (override)           model list
=========  ==================  ===========================  ======================================
ollama     Ollama              127.0.0.1:11434 (OLLAMA_HOST) ``GET /api/tags``
lmstudio   LM Studio           127.0.0.1:1234 (WHICHAI_LMSTUDIO_HOST)  ``GET /v1/models``
llamacpp   llama.cpp server    127.0.0.1:8080 (WHICHAI_LLAMACPP_HOST)  ``GET /v1/models``
vllm       vLLM                127.0.0.1:8000 (WHICHAI_VLLM_HOST)      ``GET /v1/models``
=========  ==================  ===========================  ======================================

:func:`probe` asks all of them at once, with a short timeout, on loopback only (an address that is not
loopback is reported, never probed), and never through a proxy.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

PROBE_TIMEOUT_S = 0.6
MAX_LIST_BYTES = 4 * 1024 * 1024  # a model list longer than this is not read (an endless or huge answer)
PROBE_DEADLINE_S = 3.0  # total time for one probe, however slowly the server drips its answer


class BodyTooLarge(Exception):
    """An answer over MAX_LIST_BYTES: reading stopped there."""


class ProbeDeadline(Exception):
    """A probe past its total deadline (a server dripping its answer a byte at a time)."""


def get_bounded(client: Any, url: str, deadline_s: float | None = None, limit: int | None = None) -> tuple[int, bytes]:
    """(status, body) of a GET with a sync httpx client: the body read up to ``limit`` bytes and within
    ``deadline_s`` in all (the client's timeout bounds each read only)."""
    import time

    end = time.monotonic() + (PROBE_DEADLINE_S if deadline_s is None else deadline_s)
    limit = MAX_LIST_BYTES if limit is None else limit
    with client.stream("GET", url) as response:
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > limit:
                raise BodyTooLarge()
            if time.monotonic() > end:
                raise ProbeDeadline()
        return response.status_code, bytes(body)


async def get_bounded_async(client: Any, url: str, deadline_s: float | None = None, limit: int | None = None) -> tuple[int, bytes]:
    """As :func:`get_bounded`, with an async httpx client; the deadline covers connecting and every read."""
    limit = MAX_LIST_BYTES if limit is None else limit

    async def fetch() -> tuple[int, bytes]:
        async with client.stream("GET", url) as response:
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > limit:
                    raise BodyTooLarge()
            return response.status_code, bytes(body)

    try:
        return await asyncio.wait_for(fetch(), PROBE_DEADLINE_S if deadline_s is None else deadline_s)
    except TimeoutError:
        raise ProbeDeadline() from None
_LOOPBACK = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}


@dataclass(frozen=True)
class LocalServer:
    name: str
    label: str
    env: str
    default_port: int
    models_path: str
    start: str  # how a user starts it

    @property
    def url(self) -> str:
        """``http://host:port`` from the environment variable, else the default (loopback)."""
        return normalise_host(os.environ.get(self.env, ""), self.default_port)

    @property
    def api_base(self) -> str:
        return self.url + "/v1"


SERVERS: dict[str, LocalServer] = {
    s.name: s
    for s in (
        LocalServer("ollama", "Ollama", "OLLAMA_HOST", 11434, "/api/tags", "ollama serve"),
        LocalServer("lmstudio", "LM Studio", "WHICHAI_LMSTUDIO_HOST", 1234, "/v1/models", "lms server start"),
        LocalServer("llamacpp", "llama.cpp server", "WHICHAI_LLAMACPP_HOST", 8080, "/v1/models", "llama-server -m MODEL.gguf"),
        LocalServer("vllm", "vLLM", "WHICHAI_VLLM_HOST", 8000, "/v1/models", "vllm serve MODEL"),
    )
}


def normalise_host(value: str, default_port: int) -> str:
    """``OLLAMA_HOST`` style values (``0.0.0.0``, ``host:port``, ``http://host:port``) to a URL to connect to."""
    value = value.strip().rstrip("/")
    if not value:
        return f"http://127.0.0.1:{default_port}"
    if "://" not in value:
        value = "http://" + value
    parsed = urlparse(value)
    host = parsed.hostname or "127.0.0.1"
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"  # a listen-on-all address: connect to it on loopback
    if ":" in host:
        host = f"[{host}]"
    return f"{parsed.scheme or 'http'}://{host}:{parsed.port or default_port}{parsed.path}"


def is_loopback(url: str | None) -> bool:
    """True when ``url`` points to this machine (a loopback host)."""
    host = urlparse(url or "").hostname or ""
    return host in _LOOPBACK or host.startswith("127.")


def _models_of(server: LocalServer, payload: Any) -> list[dict[str, Any]]:
    if server.name == "ollama":
        if not isinstance(payload.get("models"), list):
            return []
        rows = []
        for item in payload.get("models")[:MAX_MODELS]:
            if not isinstance(item, dict):
                continue
            details = item.get("details")
            if not isinstance(details, dict):
                details = {}
            size = item.get("size")
            rows.append({"name": _text(item.get("model")) or _text(item.get("name")),
                         "size_bytes": size if isinstance(size, int) and not isinstance(size, bool) and size >= 0 else None,
                         "parameter_size": _text(details.get("parameter_size")),
                         "quantization": _text(details.get("quantization_level")), "family": _text(details.get("family"))})
        return rows
    items = payload.get("data")
    if not isinstance(items, list):
        return []
    return [{"name": _text(item.get("id"))} for item in items[:MAX_MODELS] if isinstance(item, dict) and _text(item.get("id"))]


MAX_MODELS = 2000  # entries read from one server's model list


def _text(value: Any) -> str | None:
    """A model list's field, when it is short printable text (else None: the entry is skipped or the field unknown)."""
    if not isinstance(value, str) or not 0 < len(value) <= 300 or not value.isprintable():
        return None
    return value


def _row(server: LocalServer) -> dict[str, Any]:
    return {"server": server.name, "label": server.label, "url": server.url, "running": False, "models": []}


async def _probe_one(client, server: LocalServer, deadline_s: float | None = None) -> dict[str, Any]:
    import httpx

    row = _row(server)
    if not is_loopback(server.url):
        row["note"] = f"{server.env} points to {server.url}, which is not on this machine: not probed (loopback only)."
        return row
    try:
        answer = await get_bounded_async(client, server.url + server.models_path, deadline_s)
    except (httpx.HTTPError, BodyTooLarge, ProbeDeadline) as exc:
        row["error"] = _why(exc)
        return row
    return _read(row, server, *answer)


def probe_server(name: str, timeout: float = 2.0) -> dict[str, Any]:
    """One server, wherever its variable points (the user named it), without an event loop: for checks before a run."""
    import httpx

    server = SERVERS[name]
    row = _row(server)
    try:
        with httpx.Client(timeout=timeout, trust_env=False) as client:
            answer = get_bounded(client, server.url + server.models_path)
    except (httpx.HTTPError, BodyTooLarge, ProbeDeadline) as exc:
        row["error"] = _why(exc)
        return row
    return _read(row, server, *answer)


def _read(row: dict[str, Any], server: LocalServer, status: int, body: bytes) -> dict[str, Any]:
    """The row filled from the server's answer to its model-list request (or why it is not one)."""
    import json

    if status >= 400:
        row["error"] = f"HTTP {status} from the model list"
        return row
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError) as exc:  # not JSON, or nested past the parser's depth
        row["error"] = _why(exc)
        return row
    return _fill(row, server, payload)


def _fill(row: dict[str, Any], server: LocalServer, payload: Any) -> dict[str, Any]:
    if not isinstance(payload, dict):
        row["error"] = "answered, but not with a model list"
        return row
    row["running"] = True
    row["models"] = [m for m in _models_of(server, payload) if m["name"]]
    for model in row["models"]:
        model["id"] = f"{server.name}/{model['name']}"
    return row


def _why(exc: BaseException) -> str:
    import httpx

    if isinstance(exc, httpx.ConnectError):
        return "not running (connection refused)"
    if isinstance(exc, httpx.TimeoutException):
        return "no answer within the timeout"
    if isinstance(exc, httpx.HTTPStatusError):
        return f"HTTP {exc.response.status_code} from the model list"
    if isinstance(exc, BodyTooLarge):
        return f"a model list over {MAX_LIST_BYTES // (1024 * 1024)} MB: not read"
    if isinstance(exc, ProbeDeadline):
        return "no complete answer within the probe's deadline"
    return f"{type(exc).__name__}"


async def probe_async(names: list[str] | None = None, timeout: float = PROBE_TIMEOUT_S) -> list[dict[str, Any]]:
    import httpx

    servers = [SERVERS[n] for n in (names or SERVERS)]
    async with httpx.AsyncClient(timeout=timeout, trust_env=False) as client:
        deadline = max(2 * timeout, 1.0)  # the whole probe, not each read (a dripping server)
        return list(await asyncio.gather(*(_probe_one(client, s, deadline) for s in servers)))


def probe(names: list[str] | None = None, timeout: float = PROBE_TIMEOUT_S) -> list[dict[str, Any]]:
    """Each known local server: {server, label, url, running, models: [{id, name, ...}], error?, note?}."""
    return asyncio.run(probe_async(names, timeout))
