"""OpenAI, and every OpenAI-compatible server (vLLM, Ollama, LM Studio, llama.cpp's server, hosted
open-model APIs).

Two transports, chosen by what they cost and what they add (measured in BENCHMARKS.md, bench/bench_scale.py):

- ``openai/...`` (api.openai.com) goes through the official ``openai`` SDK, whose own retries are off
  (the runner retries): for the vendor's own API the SDK tracks its headers, auth and error bodies, and
  its per-call CPU is small next to a call over the internet.
- A named OpenAI-compatible server (``[providers.NAME]`` with a ``base_url``: usually on this machine or
  the user's network, where the client's CPU is the bottleneck at high concurrency) is called through a
  pooled keep-alive aiohttp session speaking the documented wire format (``POST /chat/completions`` with
  ``stream: true``; server-sent ``data:`` lines ending with ``data: [DONE]``), each line parsed once.
  The SDK's request model, per-request option validation and new connection per streamed call were most
  of the event loop's time per call. Errors are classified exactly as for the SDK (``classify_status``
  for HTTP statuses; the same classes for broken streams, refused connections and invalid JSON).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Any

from whichai.config import check_key_destination
from whichai.errors import ConfigError, ProviderError, RetryableError
from whichai.providers.base import Chunk, GenerationSettings, SDKProvider
from whichai.providers.transport import classify_status, classify_transport, is_transport, retry_after_seconds, shorten

OPENAI_DEFAULT_MODEL = "gpt-5.4-mini"


@dataclass
class OpenAIProvider(SDKProvider):
    api_key_vars = ("OPENAI_API_KEY",)
    keys_only_under_own_name = True
    default_model = "openai/" + OPENAI_DEFAULT_MODEL
    default_order = 1
    sdk_module = "openai"
    install_hint = "pip install openai"
    vendor_hosts = {"OPENAI_API_KEY": ("api.openai.com",)}

    kind: str = "openai"

    @property
    def base_url(self) -> str | None:
        return getattr(self.config, "base_url", None)

    @property
    def key_env(self) -> str | None:
        env = getattr(self.config, "api_key_env", None)
        if env:
            return env
        return "OPENAI_API_KEY" if self.name == "openai" else None

    def check(self, model: str) -> None:
        tokenizer = getattr(self.config, "tokenizer", None)
        if tokenizer:
            from whichai.providers.local import check_gguf

            check_gguf(tokenizer.split("/", 1)[1])  # its vocabulary only is loaded, when first needed
        if not self.lean:
            try:
                import openai  # noqa: F401
            except ImportError as exc:
                raise ConfigError("the `openai` package is not installed. Fix: pip install openai") from exc
        if self.name != "openai" and not self.base_url:
            raise ConfigError(
                f"provider {self.name!r} has no base_url. Fix: add `base_url = \"http://HOST:PORT/v1\"` under "
                f"[providers.{self.name}] in whichai.toml."
            )
        env = self.key_env
        if env and not os.environ.get(env) and (self.name == "openai" or getattr(self.config, "api_key_env", None)):
            raise ConfigError(f"{self.name}/{model} needs an API key. Fix: set the environment variable {env}.")
        check_key_destination(self.name, self.config, env, self.base_url, ask=True)

    @property
    def lean(self) -> bool:
        """Whether calls go through the pooled wire client (a named OpenAI-compatible server), not the SDK."""
        return self.name != "openai" and bool(self.base_url)

    def new_client(self):
        env = self.key_env
        check_key_destination(self.name, self.config, env, self.base_url)
        key = os.environ.get(env, "") if env else ""
        if self.lean:
            return WireClient(self.base_url or "", key or "not-needed")
        import openai

        return openai.AsyncOpenAI(
            api_key=key or "not-needed",
            base_url=self.base_url,
            max_retries=0,
            timeout=None,  # the runner owns the per-request timeout
            http_client=_capped_http_client(self.base_url or "api.openai.com"),
        )

    def default_concurrency(self) -> int:
        return 8

    async def stream(self, model: str, messages: list[dict[str, str]], settings: GenerationSettings) -> AsyncGenerator[Chunk, None]:
        params: dict = {
            "model": model,
            "messages": messages,
            "temperature": settings.temperature,
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        if settings.seed is not None:
            params["seed"] = settings.seed
        if self.name == "openai":
            params["max_completion_tokens"] = settings.max_tokens
        else:
            params["max_tokens"] = settings.max_tokens
        finished = False  # a finish reason or usage was seen: the stream was not cut short
        finish = None
        async with contextlib.aclosing(self._events(params)) as batches:
            async for events in batches:
                for event in events:
                    if "error" in event and not event.get("choices"):  # an error event inside the stream
                        where = f" at {self.base_url}" if self.base_url else ""
                        raise RetryableError(f"error from the server{where}: {shorten(Exception(event['error']))}",
                                             error_class="server_error")
                    for choice in event.get("choices") or ():
                        text = (choice.get("delta") or {}).get("content")
                        if choice.get("finish_reason"):
                            finish = choice["finish_reason"]
                            finished = True
                        if text:
                            yield Chunk(text=text)
                    usage = event.get("usage")
                    if usage:
                        finished = True
                        yield Chunk(finish_reason=finish, input_tokens=usage.get("prompt_tokens"),
                                    output_tokens=usage.get("completion_tokens"))
                        finish = None
        if not finished:
            raise RetryableError("the stream ended without a finish reason or [DONE]", error_class="broken_stream")
        if finish is not None:
            yield Chunk(finish_reason=finish)

    def _events(self, params: dict) -> AsyncGenerator[list[dict], None]:
        """The stream's events as plain dicts, a list at a time: through the wire client (the events of each read
        from the network, no generator of its own in between), or through the SDK's generic `post`."""
        client = self._client()
        if isinstance(client, WireClient):
            return client.stream("/chat/completions", params, self._status_error)
        return _sdk_events(client, params)

    def _status_error(self, status: int, headers, body: str) -> ProviderError:
        """An HTTP error status from the wire client, classified as the SDK's APIStatusError is (below)."""
        where = f" at {self.base_url}" if self.base_url else ""
        return classify_status(status, where, self.key_env or "the provider's API key variable",
                               message=shorten(Exception(f"Error code: {status} - {body}")),
                               retry_after=retry_after_seconds(headers))

    def _vocab(self):
        tokenizer = getattr(self.config, "tokenizer", None)
        if not tokenizer:
            return None
        from whichai.providers.local import load_vocab, model_path

        return load_vocab(model_path(tokenizer.split("/", 1)[1]))

    def count_tokens(self, model: str, text: str) -> int | None:
        vocab = self._vocab()
        if vocab is None:
            return None
        from whichai.providers.local import count_text_tokens

        return count_text_tokens(vocab, text)

    def count_prompt_tokens(self, model: str, messages: list[dict[str, str]]) -> int | None:
        vocab = self._vocab()
        if vocab is None:
            return None
        from whichai.providers.local import count_chat_tokens

        return count_chat_tokens(vocab, messages)

    def classify(self, exc: BaseException) -> ProviderError:
        where = f" at {self.base_url}" if self.base_url else ""
        if self.lean:
            return classify_wire(exc, where)
        import openai

        if isinstance(exc, openai.APIStatusError):
            retry_after = retry_after_seconds(exc.response.headers) if exc.response is not None else None
            return classify_status(exc.status_code, where, self.key_env or "the provider's API key variable", message=shorten(exc),
                                   retry_after=retry_after)
        if isinstance(exc, openai.APITimeoutError):
            return RetryableError(f"request timed out{where}", error_class="timeout")
        if isinstance(exc, openai.APIConnectionError):
            if is_transport(exc.__cause__, "RemoteProtocolError", "ReadError", "StreamError"):
                return RetryableError(f"stream broken{where}: {type(exc.__cause__).__name__}", error_class="broken_stream")
            return RetryableError(f"cannot connect{where}. Is the server running?", error_class="connection")
        if isinstance(exc, (json.JSONDecodeError, openai.APIResponseValidationError)):
            return RetryableError(f"invalid response{where}: not valid JSON", error_class="invalid_response")
        if isinstance(exc, openai.APIError):
            # e.g. an error event inside the stream
            return RetryableError(f"error from the server{where}: {shorten(exc)}", error_class="server_error")
        return classify_transport(exc, where)



class HTTPStatus(Exception):
    """The status of a failed HTTP response (the cause of the classified error; adaptive.is_shed reads it)."""

    def __init__(self, status_code: int) -> None:
        super().__init__(f"HTTP {status_code}")
        self.status_code = status_code


class WireClient:
    """A pooled keep-alive aiohttp session for one OpenAI-compatible server (made in the running loop)."""

    def __init__(self, base_url: str, key: str) -> None:
        import aiohttp
        from pydantic_core import from_json  # about 4× json.loads on a chunk, and takes the bytes as they came

        self.from_json = from_json
        self.base_url = base_url.rstrip("/")
        self.where = f" at {base_url}"  # as the provider names it in its errors
        self.http = aiohttp.ClientSession(
            headers={"Authorization": f"Bearer {key}", "Accept": "text/event-stream"},
            connector=aiohttp.TCPConnector(limit=0, limit_per_host=0),
            timeout=aiohttp.ClientTimeout(total=None),  # the runner owns the per-request timeout
        )

    async def close(self) -> None:
        await self.http.close()

    async def stream(self, path: str, body: dict, status_error) -> AsyncGenerator[list[dict], None]:
        """POST ``body``; yield the server-sent ``data:`` events of each read from the network, parsed (a list,
        often all of a short answer), until ``data: [DONE]`` or the end. Bounded against a hostile server: an
        error body is read up to MAX_ERROR_BYTES; a line over MAX_EVENT_BYTES is an error of the call (its
        reading stops there). An endless stream of events is the caller's to cut (the runner stops at
        ``--max-answer-bytes`` and at its timeout)."""
        async with self.http.post(self.base_url + path, data=json.dumps(body), headers=_JSON) as response:
            if response.status >= 400:
                text = (await _read_capped(response.content, MAX_ERROR_BYTES)).decode("utf-8", "replace")
                raise status_error(response.status, response.headers, _body(text)) from HTTPStatus(response.status)
            read = response.content.readany
            rest = b""  # the start of a line whose end has not arrived yet
            while True:
                data = await read()
                events, rest, done = self._parse(rest + data if rest else data, last=not data)
                if events:
                    yield events
                if done:
                    return

    def _parse(self, data: bytes, last: bool) -> tuple[list[dict], bytes, bool]:
        """(events, the unfinished last line, whether the stream is done) of the bytes read so far; ``last``: the
        body has ended, so its unfinished line is a line too."""
        lines = data.split(b"\n")
        rest = b"" if last else lines.pop()
        if len(data) > MAX_EVENT_BYTES and any(len(line) > MAX_EVENT_BYTES for line in (*lines, rest)):
            raise ProviderError(f"invalid response at {self.base_url}: a server-sent line longer than "
                                f"{MAX_EVENT_BYTES:,} bytes", error_class="invalid_response")
        events: list[dict] = []
        for line in lines:
            if line[:5] != b"data:":
                continue  # blank lines, comments, event names
            payload = line[5:].strip()
            if payload == b"[DONE]":
                return events, b"", True
            if payload:
                try:
                    events.append(self.from_json(payload))
                except ValueError as exc:
                    raise RetryableError(f"invalid response{self.where}: not valid JSON",
                                         error_class="invalid_response") from exc
        return events, rest, last


async def _sdk_events(client, params: dict) -> AsyncGenerator[list[dict], None]:
    """The stream's events through the SDK's generic `post` (its documented way to call any endpoint, which hands
    each chunk over as a dict; the typed `chat.completions.create` would build a model object per chunk, doubling
    the CPU per call), one at a time."""
    import openai

    stream = await client.post("/chat/completions", body=params, cast_to=object, stream=True,
                               stream_cls=openai.AsyncStream[object])
    async with stream:
        async for event in stream:
            if isinstance(event, dict):
                yield [event]


_JSON = {"Content-Type": "application/json"}
MAX_EVENT_BYTES = 4 * 1024 * 1024  # one server-sent line (a chunk is a few hundred bytes)
MAX_ERROR_BYTES = 64 * 1024  # an error body kept (shown shortened)


def _capped_http_client(where: str):
    """The SDK's own httpx client (its defaults), whose response bodies are read through
    :func:`capped_events`: the SDK's server-sent-event decoder has no cap of its own. The HTTP module
    is the one the SDK is built on (httpx, or its fork httpx2)."""
    import importlib

    import openai

    base = next(c for c in openai.DefaultAsyncHttpxClient.__mro__ if c.__name__ == "AsyncClient")
    httpx = importlib.import_module(base.__module__.split(".")[0])
    byte_stream: Any = httpx.AsyncByteStream
    transport: Any = httpx.AsyncHTTPTransport

    class CappedEvents(byte_stream):
        def __init__(self, inner) -> None:
            self._inner = inner

        def __aiter__(self):
            return capped_events(self._inner, where)

        async def aclose(self) -> None:
            await self._inner.aclose()

    class CappedTransport(transport):
        async def handle_async_request(self, request):
            response = await super().handle_async_request(request)
            response.stream = CappedEvents(response.stream)
            return response

    limits = httpx.Limits(max_connections=1000, max_keepalive_connections=100)  # the SDK's own defaults
    return openai.DefaultAsyncHttpxClient(transport=CappedTransport(limits=limits))


async def capped_events(inner, where: str):
    """The chunks of a response body (``inner``), failing once one server-sent event, the bytes since
    the last blank line, grows past MAX_EVENT_BYTES: an error of the call, its reading stops there
    (many short ``data:`` lines without a blank one make a single event, too)."""
    pending = 0  # bytes since the last event boundary
    tail = b""  # the last bytes of the previous chunk (a boundary split across chunks)
    async for chunk in inner:
        seen = tail + chunk
        end = max(seen.rfind(b"\n\n"), seen.rfind(b"\n\r\n"), seen.rfind(b"\r\r"))
        pending = len(seen) - end - 1 if end >= 0 else pending + len(chunk)
        if pending > MAX_EVENT_BYTES:
            raise ProviderError(f"invalid response at {where}: a server-sent event longer than "
                                f"{MAX_EVENT_BYTES:,} bytes", error_class="invalid_response")
        tail = seen[-2:]
        yield chunk


async def _read_capped(content, limit: int) -> bytes:
    """Up to ``limit`` bytes of an aiohttp body (the rest is not read)."""
    body = bytearray()
    while len(body) < limit:
        chunk = await content.read(limit - len(body))
        if not chunk:
            break
        body += chunk
    return bytes(body)


def _body(text: str):
    """An error body as the SDK shows it: the parsed JSON where it is JSON, else the text."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def classify_wire(exc: BaseException, where: str) -> ProviderError:
    """The wire client's failures, classified as the SDK's are (see OpenAIProvider.classify)."""
    names = {cls.__name__ for cls in type(exc).__mro__}
    if "ClientConnectorError" in names:  # refused before any answer (a cut stream is classify_transport's broken_stream)
        return RetryableError(f"cannot connect{where}. Is the server running?", error_class="connection")
    return classify_transport(exc, where)
