"""The gateway: an OpenAI-compatible endpoint (``/v1/chat/completions``, streaming and not,
``/v1/models``) that routes each request the way the policy says.

One aiohttp server, one pooled keep-alive client session per upstream. A request with personal data
(or marked sensitive by its client) goes only to the routes allowed for sensitive data and fails
closed (503) when none of them answers; any other request goes to the default route, then to the
fallbacks on a connection error, a timeout, a 429 or a 5xx. The route that served a request is in
the response headers ``X-Whichai-Route``, ``X-Whichai-Reason`` and ``X-Whichai-Model``. Upstream keys
are read from the environment per call and never reach the client, the log or an error.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import os
import time
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web

from whichai.errors import redact
from whichai.gateway.log import Record, RequestLog
from whichai.gateway.policy import Policy, Route
from whichai.gateway.sensitive import Classifier, client_marked, message_text

MAX_BODY_BYTES = 4 * 1024 * 1024
RETRY_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})
OFF_LOOP_CHARS = 16_384  # a longer message is classified in a worker thread (Gateway.classify)


@dataclass
class Outcome:
    """What one upstream attempt gave: a response already sent to the client, or why it failed."""

    response: web.StreamResponse | None = None
    error: str | None = None
    status: int = 502
    input_tokens: int | None = None
    output_tokens: int | None = None
    ttft_s: float | None = None
    content: str | None = None


def error_body(message: str, kind: str, status: int, extra: dict[str, str] | None = None) -> web.Response:
    return web.json_response({"error": {"message": redact(message), "type": kind, "code": status}}, status=status,
                             headers=extra)


def usage_of(doc: dict[str, Any]) -> tuple[int | None, int | None]:
    usage = doc.get("usage") if isinstance(doc, dict) else None
    if not isinstance(usage, dict):
        return None, None
    return usage.get("prompt_tokens"), usage.get("completion_tokens")


def answer_of(doc: dict[str, Any]) -> str:
    try:
        return str(doc["choices"][0]["message"]["content"] or "")
    except (KeyError, IndexError, TypeError):
        return ""


class Gateway:
    def __init__(self, policy: Policy, log: RequestLog | None = None, token: str | None = None,
                 max_body: int = MAX_BODY_BYTES) -> None:
        self.policy = policy
        self.log = log
        self.token = token
        self.max_body = max_body
        self.classifier = Classifier(policy.sensitive_patterns, policy.phone_regions)
        self.sessions: dict[str, aiohttp.ClientSession] = {}
        self.urls: dict[str, str] = {}
        self.paths: dict[str, tuple[str, Any]] = {
            "/v1/chat/completions": ("POST", self.chat), "/v1/models": ("GET", self.models), "/health": ("GET", self.health)}

    # the aiohttp server ----------------------------------------------------------------------------

    def server(self) -> web.Server:
        """aiohttp's low-level server with :meth:`handle` as its one handler: the three paths are looked up
        in a dict, with no application, router or middleware chain per request. Run it with
        ``web.ServerRunner``, between :meth:`start` and :meth:`stop`."""
        return web.Server(self.handle, request_factory=self._request, access_log=None)

    def _request(self, message: Any, payload: Any, protocol: Any, writer: Any, task: Any) -> web.BaseRequest:
        return web.BaseRequest(message, payload, protocol, writer, task, asyncio.get_running_loop(),
                               client_max_size=self.max_body)

    async def start(self) -> None:
        """One pooled client per route (no cookie jar: a proxy does not carry one client's cookies into
        another's requests), and the log's writer."""
        timeout = aiohttp.ClientTimeout(total=self.policy.timeout_s, sock_connect=10)
        for route in self.policy.routes:
            connector = aiohttp.TCPConnector(limit=0, keepalive_timeout=60)
            self.urls[route.name] = route.upstream.base_url.rstrip("/") + "/chat/completions"
            self.sessions[route.name] = aiohttp.ClientSession(connector=connector, timeout=timeout,
                                                              cookie_jar=aiohttp.DummyCookieJar())
        if self.log:
            self.log.start()

    async def stop(self) -> None:
        for session in self.sessions.values():
            await session.close()
        if self.log:
            await self.log.stop()

    async def handle(self, request: web.BaseRequest) -> web.StreamResponse:
        """Every request: the token and the body's size first (on every path), then the path's handler."""
        if self.token:
            given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
            if not hmac.compare_digest(given.encode(), self.token.encode()):
                return error_body("missing or wrong gateway token; send it as 'Authorization: Bearer TOKEN'.",
                                  "authentication_error", 401)
        if (request.content_length or 0) > self.max_body:
            return error_body(f"request body over {self.max_body} bytes.", "invalid_request_error", 413)
        method, handler = self.paths.get(request.path, ("", None))
        if handler is None:
            return error_body("no such path; the gateway serves /v1/chat/completions, /v1/models and /health.",
                              "invalid_request_error", 404)
        if request.method != method and not (method == "GET" and request.method == "HEAD"):
            return error_body(f"{request.method} is not allowed here; use {method}.", "invalid_request_error", 405,
                              extra={"Allow": method})
        return await handler(request)

    async def health(self, request: web.BaseRequest) -> web.Response:
        return web.json_response({"status": "ok", "routes": [r.name for r in self.policy.routes]})

    async def models(self, request: web.BaseRequest) -> web.Response:
        data = [{"id": "whichai-auto", "object": "model", "owned_by": "whichai"}]
        data += [{"id": r.name, "object": "model", "owned_by": "whichai", "model": r.model} for r in self.policy.routes]
        return web.json_response({"object": "list", "data": data})

    # one request ------------------------------------------------------------------------------------

    async def chat(self, request: web.BaseRequest) -> web.StreamResponse:
        started = time.perf_counter()
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return error_body("the body is not JSON.", "invalid_request_error", 400)
        if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
            return error_body("the body needs `messages`, a list of chat messages.", "invalid_request_error", 400)
        sensitive, reason = await self.classify(request, body)
        order = self.order(sensitive, body.get("model"))
        if not order:
            return self._record_failure(started, reason, sensitive, body, 503,
                                        "a sensitive request and no route allowed for sensitive data.")
        return await self.serve(request, body, order, sensitive, reason, started)

    async def classify(self, request: web.BaseRequest, body: dict[str, Any]) -> tuple[bool, str]:
        """Why the request is sensitive, if it is. A message over ``OFF_LOOP_CHARS`` is read in a worker thread (up
        to seconds for one of megabytes full of numbers), so the event loop goes on serving the other requests."""
        text = message_text(body)
        findings = (await asyncio.to_thread(self.classifier.findings, text) if len(text) > OFF_LOOP_CHARS
                    else self.classifier.findings(text))
        kinds = sorted({f.kind.split(":")[0] for f in findings})
        if kinds:
            return True, "sensitive:" + ",".join(kinds)
        if client_marked(request.headers, body):
            return True, "client-marked"
        return False, "default"

    def order(self, sensitive: bool, asked: Any) -> list[Route]:
        """The routes to try, in order. A client may name a route as the model; sensitive requests
        still go only to the routes allowed for sensitive data."""
        routes = self.policy.sensitive_routes() if sensitive else self.policy.public_order()
        named = [r for r in routes if r.name == asked]
        return named + [r for r in routes if r.name != asked]

    async def serve(self, request: web.BaseRequest, body: dict[str, Any], order: list[Route], sensitive: bool,
                    reason: str, started: float) -> web.StreamResponse:
        errors: list[str] = []
        for attempt, route in enumerate(order, start=1):
            why = reason if attempt == 1 or sensitive else "fallback"
            outcome = await self.attempt(request, body, route, why)
            if outcome.response is not None:
                self._record(started, route, why, sensitive, body, outcome, attempt)
                return outcome.response
            errors.append(f"{route.name}: {outcome.error}")
        status = 503 if sensitive else 502
        text = ("no route allowed for sensitive data answered; the request was not sent anywhere else"
                if sensitive else "no route answered") + f" ({'; '.join(errors)})."
        return self._record_failure(started, reason, sensitive, body, status, text, attempts=len(order))

    async def attempt(self, request: web.BaseRequest, body: dict[str, Any], route: Route, reason: str) -> Outcome:
        payload = {k: v for k, v in body.items() if k != "metadata"}
        payload["model"] = route.upstream.model
        headers = {"Content-Type": "application/json"}
        key = next((os.environ[v] for v in route.upstream.key_envs if os.environ.get(v)), None)
        if key:
            headers["Authorization"] = f"Bearer {key}"
        session = self.sessions[route.name]
        sent = time.perf_counter()
        try:
            upstream = await session.post(self.urls[route.name], data=json.dumps(payload), headers=headers)
        except (aiohttp.ClientError, TimeoutError) as exc:
            return Outcome(error=type(exc).__name__)
        async with upstream:
            if upstream.status in RETRY_STATUSES:
                return Outcome(error=f"HTTP {upstream.status}", status=upstream.status)
            route_headers = {"X-Whichai-Route": route.name, "X-Whichai-Reason": reason, "X-Whichai-Model": route.model}
            try:
                if payload.get("stream") and upstream.status == 200:
                    return await self._relay_stream(request, upstream, route_headers, sent)
                return await self._relay_body(upstream, route_headers, sent)
            except (aiohttp.ClientError, TimeoutError) as exc:
                return Outcome(error=type(exc).__name__)

    async def _relay_body(self, upstream: aiohttp.ClientResponse, headers: dict[str, str], sent: float) -> Outcome:
        raw = await upstream.read()
        try:
            doc = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            doc = {}
        tokens_in, tokens_out = usage_of(doc)
        response = web.Response(body=raw, status=upstream.status, headers=headers, content_type="application/json")
        return Outcome(response=response, status=upstream.status, input_tokens=tokens_in, output_tokens=tokens_out,
                       ttft_s=time.perf_counter() - sent, content=answer_of(doc) if self.policy.log_content else None)

    async def _relay_stream(self, request: web.BaseRequest, upstream: aiohttp.ClientResponse, headers: dict[str, str],
                            sent: float) -> Outcome:
        response = web.StreamResponse(status=200, headers={**headers, "Content-Type": "text/event-stream",
                                                           "Cache-Control": "no-cache"})
        await response.prepare(request)
        outcome = Outcome(response=response, status=200)
        tail, deltas = b"", 0
        pieces: list[str] = []
        async for chunk in upstream.content.iter_any():
            if outcome.ttft_s is None:
                outcome.ttft_s = time.perf_counter() - sent
            await response.write(chunk)
            lines = (tail + chunk).split(b"\n")
            tail = lines.pop()
            for line in lines:
                deltas += self._read_event(line, outcome, pieces)
        await response.write_eof()
        if outcome.output_tokens is None:
            outcome.output_tokens = deltas  # one per streamed piece: the upstream reported no usage
        outcome.content = "".join(pieces) if self.policy.log_content else None
        return outcome

    def _read_event(self, line: bytes, outcome: Outcome, pieces: list[str]) -> int:
        """Read one SSE line: 1 if it carried a piece of the answer (usage is read where given)."""
        if not line.startswith(b"data:") or line.strip() == b"data: [DONE]":
            return 0
        if b'"usage"' in line:
            try:
                tokens_in, tokens_out = usage_of(json.loads(line[5:]))
            except (json.JSONDecodeError, UnicodeDecodeError):
                tokens_in = tokens_out = None
            if tokens_out is not None:
                outcome.input_tokens, outcome.output_tokens = tokens_in, tokens_out
        if b'"content"' not in line:
            return 0
        if self.policy.log_content:
            try:
                pieces.append(json.loads(line[5:])["choices"][0]["delta"].get("content") or "")
            except (json.JSONDecodeError, KeyError, IndexError, TypeError, AttributeError):
                pass
        return 1

    # the record -------------------------------------------------------------------------------------

    def _record(self, started: float, route: Route, reason: str, sensitive: bool, body: dict[str, Any],
                outcome: Outcome, attempts: int) -> None:
        if not self.log:
            return
        cost, origin = cost_of(route, outcome.input_tokens, outcome.output_tokens)
        public = self.policy.route(self.policy.default)
        api_cost = cost_of(public, outcome.input_tokens, outcome.output_tokens)[0] if public.price else None
        content = json.dumps({"prompt": message_text(body), "answer": outcome.content}) if self.policy.log_content else None
        self.log.add(Record(_now(), route.name, reason, sensitive, route.model, outcome.status, None,
                            bool(body.get("stream")), outcome.input_tokens, outcome.output_tokens,
                            time.perf_counter() - started, outcome.ttft_s, cost, origin, api_cost, attempts, content))

    def _record_failure(self, started: float, reason: str, sensitive: bool, body: dict[str, Any], status: int,
                        text: str, attempts: int = 0) -> web.Response:
        if self.log:
            self.log.add(Record(_now(), None, reason, sensitive, None, status, redact(text), bool(body.get("stream")),
                                None, None, time.perf_counter() - started, None, None, None, None, attempts))
        kind = "whichai_fail_closed" if sensitive else "whichai_no_route"
        return error_body(text, kind, status)


def cost_of(route: Route, tokens_in: int | None, tokens_out: int | None) -> tuple[float | None, str | None]:
    """A request's cost on a route: tokens at its API price, or a self-hosted route's cost per request."""
    if route.usd_per_request is not None:
        return route.usd_per_request[0], route.usd_per_request[1]
    if route.price is None or tokens_in is None or tokens_out is None:
        return None, None
    return (tokens_in * route.price[0] + tokens_out * route.price[1]) / 1_000_000, route.price[2]


def _now() -> str:
    from whichai.store import now_iso

    return now_iso()
