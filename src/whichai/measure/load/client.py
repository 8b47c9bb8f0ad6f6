"""A lean streaming client for load tests: one pooled aiohttp session, request bodies encoded
beforehand, server-sent events read line by line as bytes, and the arrival time of every delta
recorded (for time to first token and inter-token latency).

aiohttp rather than httpx2 (the openai SDK's transport): on the same loopback fan-out it costs about
half the client CPU per streamed call (0.5 against 1.0 ms here, BENCHMARKS.md), and a load generator
must not measure itself.

It only calls and classifies; the point runner (:mod:`whichai.measure.load.point`) owns retries and concurrency.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from whichai.errors import FatalCallError
from whichai.measure.adaptive import SHED_STATUSES
from whichai.measure.load.prompts import Prompt
from whichai.measure.load.target import Target

if TYPE_CHECKING:
    import aiohttp


@dataclass(slots=True)
class Sample:
    """One request's outcome and timings (seconds)."""

    ok: bool
    ttft_s: float | None = None
    latency_s: float = 0.0
    gaps: list[float] = field(default_factory=list)  # between consecutive deltas with text
    output_tokens: int = 0
    input_tokens: int | None = None
    tokens_reported: bool = False  # usage came from the server (else: deltas counted, one token each)
    error_class: str | None = None
    message: str = ""
    shed: bool = False  # the server shed load: 503/529, 429 without Retry-After, stream cut short
    retry_after: float | None = None


class StreamClient:
    def __init__(self, target: Target, max_connections: int, timeout: float) -> None:
        """Made inside the running event loop (aiohttp binds its session to it)."""
        import aiohttp

        self.target = target
        self.url = target.base_url + "/chat/completions"
        self.timeout = timeout
        self.http = aiohttp.ClientSession(
            headers=target.headers, connector=aiohttp.TCPConnector(limit=max_connections, limit_per_host=0),
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=min(timeout, 30.0)),
        )
        self._transport_errors = (aiohttp.ClientError,)
        self._cut_errors = (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError)

    async def aclose(self) -> None:
        await self.http.close()

    async def stream(self, prompt: Prompt) -> Sample:
        start = time.perf_counter()
        try:
            async with asyncio.timeout(self.timeout):
                return await self._stream(prompt, start)
        except TimeoutError:
            return Sample(False, latency_s=time.perf_counter() - start, error_class="timeout",
                          message=f"no complete answer within {self.timeout:g} s")
        except self._transport_errors as exc:
            name = type(exc).__name__
            cut = isinstance(exc, self._cut_errors)
            return Sample(False, latency_s=time.perf_counter() - start, shed=cut,
                          error_class="broken_stream" if cut else "connection",
                          message=f"{name} at {self.target.base_url}")

    async def _stream(self, prompt: Prompt, start: float) -> Sample:
        clock = time.perf_counter
        sample = Sample(False)
        finished = False
        last = None
        deltas = 0
        async with self.http.post(self.url, data=prompt.body) as response:
            if response.status >= 400:
                await response.read()
                return self._http_error(response, clock() - start)
            pending = b""
            async for chunk in response.content.iter_any():  # what arrived together, timed together
                now = clock()
                *lines, pending = (pending + chunk).split(b"\n")
                for line in lines:
                    if not line.startswith(b"data:"):
                        continue
                    data = line[5:].strip()
                    if data == b"[DONE]":
                        continue  # read to the end of the body, so the connection goes back to the pool
                    try:
                        done, content, usage, error = read_event(data)
                    except ValueError as exc:  # one bad event fails this request, never the sweep
                        sample.latency_s = clock() - start
                        sample.error_class, sample.message = "bad_event", f"the server sent {exc}"
                        return sample
                    finished = finished or done
                    for _ in range(content):
                        deltas += 1
                        if last is None:
                            sample.ttft_s = now - start
                        else:
                            sample.gaps.append(now - last)
                        last = now
                    if usage:
                        finished = True
                        sample.output_tokens, sample.input_tokens = usage
                        sample.tokens_reported = True
                    if error is not None:  # an error event inside the stream
                        sample.latency_s = clock() - start
                        sample.error_class, sample.message = "server_error", error
                        return sample
        sample.latency_s = clock() - start
        if not finished:
            sample.error_class, sample.shed = "broken_stream", True
            sample.message = "the stream ended without a finish reason (cut short, e.g. interrupted by a newer request)"
            return sample
        if not sample.tokens_reported:
            sample.output_tokens = deltas
        sample.ok = True
        return sample

    def _http_error(self, response: aiohttp.ClientResponse, latency: float) -> Sample:
        from whichai.providers.transport import retry_after_seconds

        status = response.status
        retry_after = retry_after_seconds(response.headers) if status == 429 else None
        shed = status in SHED_STATUSES or (status == 429 and not retry_after)
        error_class = {401: "auth", 403: "auth", 404: "not_found", 429: "rate_limit"}.get(
            status, "server_error" if status >= 500 else "bad_request")
        return Sample(False, latency_s=latency, error_class=error_class, shed=shed, retry_after=retry_after,
                      message=f"HTTP {status} from {self.target.base_url}")

    async def calibrate(self, prompt: Prompt) -> int | None:
        """The prompt's token count as the server reports it (a one-token, non-streamed call)."""
        body = json.loads(prompt.body)
        body.pop("stream_options", None)
        body.pop("min_tokens", None)
        body["stream"] = False
        for key in ("max_tokens", "max_completion_tokens"):
            if key in body:
                body[key] = 1
        try:
            async with asyncio.timeout(self.timeout):
                async with self.http.post(self.url, data=json.dumps(body).encode()) as response:
                    text = await response.text()
        except (TimeoutError, *self._transport_errors) as exc:
            raise FatalCallError(f"cannot reach {self.target.base_url} ({type(exc).__name__}). Fix: start the server "
                                 "or correct base_url in whichai.toml.", error_class="connection") from exc
        if response.status in (400, 401, 403, 404):
            sample = self._http_error(response, 0.0)
            fix = {"auth": "check the API key variable named in whichai.toml", "not_found": "check the model name "
                   "the server serves (GET /v1/models)"}.get(sample.error_class or "", "check the request options")
            raise FatalCallError(f"{self.target.model_id}: {sample.message}. Fix: {fix}.", error_class=sample.error_class)
        if response.status >= 400:
            return None
        return _prompt_tokens(text)


def _prompt_tokens(text: str) -> int | None:
    """``usage.prompt_tokens`` from a JSON answer, or from the events of a server that streams anyway."""
    lines = [text] if text.lstrip().startswith("{") else [
        line[5:].strip() for line in text.splitlines() if line.startswith("data:") and "usage" in line]
    for line in lines:
        try:
            usage = json.loads(line).get("usage") or {}
        except (ValueError, AttributeError):
            continue
        if usage.get("prompt_tokens"):
            tokens: int = usage["prompt_tokens"]
            return tokens
    return None


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**9 else None


def read_event(data: bytes) -> tuple[bool, int, tuple[int, int | None] | None, str | None]:
    """One server-sent event of an OpenAI-style stream: (finished, content deltas, (output tokens, input
    tokens) when usage is reported, error text). ValueError when it is not such an event (not JSON, not
    an object, choices of the wrong shape)."""
    try:
        event = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise ValueError(f"an event that is not JSON: {bytes(data[:60])!r}") from exc
    if not isinstance(event, dict):
        raise ValueError("an event that is not a JSON object")
    choices = event.get("choices") or ()
    if not isinstance(choices, (list, tuple)) or not all(isinstance(c, dict) for c in choices):
        raise ValueError("an event whose 'choices' is not a list of objects")
    finished = any(c.get("finish_reason") for c in choices)
    content = sum(1 for c in choices if isinstance(c.get("delta"), dict) and c["delta"].get("content"))
    usage = event.get("usage")
    tokens = (_count(usage.get("completion_tokens")) or 0, _count(usage.get("prompt_tokens"))) if isinstance(usage, dict) and usage else None
    error = str(event["error"])[:200] if "error" in event else None
    return finished, content, tokens, error
