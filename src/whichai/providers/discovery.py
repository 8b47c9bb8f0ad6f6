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
from dataclasses import asdict, dataclass, replace
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


@dataclass(frozen=True)
class ModelDetails:
    """What Ollama's model list says of a model besides its name (each None when absent or malformed)."""

    size_bytes: int | None = None
    parameter_size: str | None = None
    quantization: str | None = None
    family: str | None = None


@dataclass(frozen=True)
class ServedModel:
    """One model of a local server's list: ``id`` is what whichai runs (``server/name``); ``catalog``:
    the catalog entry it matches (set by :func:`whichai.providers.identity.link_to_catalog`)."""

    name: str
    id: str
    details: ModelDetails | None = None  # Ollama's list only
    catalog: str | None = None

    def to_json(self) -> dict[str, object]:
        details = asdict(self.details) if self.details is not None else {}
        return {"name": self.name, **details, "id": self.id, "catalog": self.catalog}


@dataclass(frozen=True)
class ServerProbe:
    """One local server's answer to :func:`probe`: whether it runs, its models, or why not (``note``: not
    probed, ``error``: no usable model list)."""

    server: str
    label: str
    url: str
    running: bool = False
    models: tuple[ServedModel, ...] = ()
    note: str | None = None
    error: str | None = None

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"server": self.server, "label": self.label, "url": self.url, "running": self.running,
                                  "models": [m.to_json() for m in self.models]}
        out.update({k: v for k, v in (("note", self.note), ("error", self.error)) if v is not None})
        return out


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


def _models_of(server: LocalServer, payload: dict[str, object]) -> list[ServedModel]:
    """The models of a server's model list (entries without a usable name skipped)."""
    if server.name == "ollama":
        items = payload.get("models")
        if not isinstance(items, list):
            return []
        rows = []
        for item in items[:MAX_MODELS]:
            if not isinstance(item, dict):
                continue
            name = _text(item.get("model")) or _text(item.get("name"))
            if name:
                rows.append(ServedModel(name, f"{server.name}/{name}", _details(item)))
        return rows
    items = payload.get("data")
    if not isinstance(items, list):
        return []
    names = [_text(item.get("id")) for item in items[:MAX_MODELS] if isinstance(item, dict)]
    return [ServedModel(name, f"{server.name}/{name}") for name in names if name]


def _details(item: dict[str, object]) -> ModelDetails:
    details = item.get("details")
    if not isinstance(details, dict):
        details = {}
    size = item.get("size")
    return ModelDetails(size_bytes=size if isinstance(size, int) and not isinstance(size, bool) and size >= 0 else None,
                        parameter_size=_text(details.get("parameter_size")),
                        quantization=_text(details.get("quantization_level")), family=_text(details.get("family")))


MAX_MODELS = 2000  # entries read from one server's model list


def _text(value: Any) -> str | None:
    """A model list's field, when it is short printable text (else None: the entry is skipped or the field unknown)."""
    if not isinstance(value, str) or not 0 < len(value) <= 300 or not value.isprintable():
        return None
    return value


def _row(server: LocalServer) -> ServerProbe:
    return ServerProbe(server.name, server.label, server.url)


async def _probe_one(client, server: LocalServer, deadline_s: float | None = None) -> ServerProbe:
    import httpx

    row = _row(server)
    if not is_loopback(server.url):
        return replace(row, note=f"{server.env} points to {server.url}, which is not on this machine: not probed (loopback only).")
    try:
        answer = await get_bounded_async(client, server.url + server.models_path, deadline_s)
    except (httpx.HTTPError, BodyTooLarge, ProbeDeadline) as exc:
        return replace(row, error=_why(exc))
    return _read(row, server, *answer)


def probe_server(name: str, timeout: float = 2.0) -> ServerProbe:
    """One server, wherever its variable points (the user named it), without an event loop: for checks before a run."""
    import httpx

    server = SERVERS[name]
    row = _row(server)
    try:
        with httpx.Client(timeout=timeout, trust_env=False) as client:
            answer = get_bounded(client, server.url + server.models_path)
    except (httpx.HTTPError, BodyTooLarge, ProbeDeadline) as exc:
        return replace(row, error=_why(exc))
    return _read(row, server, *answer)


def _read(row: ServerProbe, server: LocalServer, status: int, body: bytes) -> ServerProbe:
    """The row filled from the server's answer to its model-list request (or why it is not one)."""
    import json

    if status >= 400:
        return replace(row, error=f"HTTP {status} from the model list")
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError) as exc:  # not JSON, or nested past the parser's depth
        return replace(row, error=_why(exc))
    return _fill(row, server, payload)


def _fill(row: ServerProbe, server: LocalServer, payload: object) -> ServerProbe:
    if not isinstance(payload, dict):
        return replace(row, error="answered, but not with a model list")
    return replace(row, running=True, models=tuple(_models_of(server, payload)))


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


async def probe_async(names: list[str] | None = None, timeout: float = PROBE_TIMEOUT_S) -> list[ServerProbe]:
    import httpx

    servers = [SERVERS[n] for n in (names or SERVERS)]
    async with httpx.AsyncClient(timeout=timeout, trust_env=False) as client:
        deadline = max(2 * timeout, 1.0)  # the whole probe, not each read (a dripping server)
        return list(await asyncio.gather(*(_probe_one(client, s, deadline) for s in servers)))


def probe(names: list[str] | None = None, timeout: float = PROBE_TIMEOUT_S) -> list[ServerProbe]:
    """Each known local server: whether it runs and its models, or why not."""
    return asyncio.run(probe_async(names, timeout))
