"""A scriptable OpenAI-compatible server on loopback, for fault tests and the fan-out benchmark.

It stands in for a vendor's cloud only: it speaks the documented Chat Completions wire format
(``POST /v1/chat/completions`` with ``stream: true`` answered as server-sent events, ``data: {chunk}``
lines ending with ``data: [DONE]``), and misbehaves on purpose according to the requested model name:

- ``echo``: answers "You asked: <last user message>" after ``delay`` seconds (default 0).
- ``fail-429-N``: the first N requests per case get 429 with ``Retry-After: 1``, then it answers.
- ``fail-500-N`` / ``fail-503-N``: likewise with a 5xx.
- ``slow``: waits 5 s before answering (longer than the tests' timeout).
- ``cut-N``: the first N requests per case get a stream that breaks off mid-way.
- ``badjson-N``: the first N requests per case get a stream whose chunk is not valid JSON.
- ``auth``: always 401.
- ``badreq``: always 400, the error body quoting the request's Authorization header back (as some servers do).
- no ``stream: true`` in the request: one chat.completion JSON answer instead of the event stream.
- ``nousage``: answers like ``echo`` but reports no token usage (as many self-hosted servers don't).
- any name in ``fake.scripts``: answers ``fake.scripts[name](request_body)`` (a scripted model, e.g. a judge).

Every request is counted per (model, prompt) so tests can check what was asked for and how often.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from loopback import server_thread


class FakeOpenAI:
    def __init__(self, delay: float = 0.0, slow_seconds: float = 5.0) -> None:
        self.delay = delay
        self.slow_seconds = slow_seconds
        self.requests: Counter[tuple[str, str]] = Counter()
        self.headers_seen: list[dict[str, str]] = []
        self.bodies: list[dict] = []
        # model name -> function(request body) -> answer text: a scripted model (e.g. a judge returning JSON)
        self.scripts: dict[str, object] = {}
        self.lock = threading.Lock()
        handler = _make_handler(self)
        self.server = _QuietServer(("127.0.0.1", 0), handler)
        self.thread = server_thread(self.server)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> FakeOpenAI:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def total(self, model: str | None = None) -> int:
        with self.lock:
            return sum(n for (m, _), n in self.requests.items() if model is None or m == model)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the listen() backlog: the default 5 drops concurrent connects

    def handle_error(self, request, client_address) -> None:  # clients that hang up are expected here
        return


def _chunk(model: str, content: str | None = None, finish: str | None = None, usage: dict | None = None) -> bytes:
    body = {
        "id": "chatcmpl-test",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [] if usage else [{"index": 0, "delta": {"content": content} if content else {}, "finish_reason": finish}],
    }
    if usage:
        body["usage"] = usage
    return b"data: " + json.dumps(body).encode() + b"\n\n"


def _make_handler(fake: FakeOpenAI):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK stall

        def log_message(self, *args) -> None:  # quiet
            return

        def _send(self, status: int, body: bytes, content_type: str = "application/json", extra: dict | None = None,
                  length: int | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body) if length is None else length))
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()
            try:
                self.wfile.write(body)
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (e.g. its timeout)
                self.close_connection = True

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length", 0))
            request = json.loads(self.rfile.read(length) or b"{}")
            model = request.get("model", "")
            prompt = next((m["content"] for m in reversed(request.get("messages", [])) if m["role"] == "user"), "")
            with fake.lock:
                fake.requests[(model, prompt)] += 1
                attempt = fake.requests[(model, prompt)]
                fake.headers_seen.append({k.lower(): v for k, v in self.headers.items()})
                fake.bodies.append(request)
            match = re.fullmatch(r"([a-z]+(?:-[0-9]{3})?)(?:-(\d+))?", model)
            kind, count = (match.group(1), int(match.group(2) or 10**9)) if match else (model, 0)
            failing = attempt <= count
            if kind == "auth":
                return self._send(401, json.dumps({"error": {"message": f"Incorrect API key provided: {self.headers.get('Authorization', '')}", "type": "invalid_request_error", "code": "invalid_api_key"}}).encode())
            if kind == "badreq":
                return self._send(400, json.dumps({"error": {"message": f"Bad request; you sent {self.headers.get('Authorization', '')}", "type": "invalid_request_error"}}).encode())
            if kind.startswith("fail-") and failing:
                status = int(kind.split("-")[1])
                return self._send(status, json.dumps({"error": {"message": f"simulated {status}", "type": "server_error"}}).encode(),
                                  extra={"Retry-After": "1"} if status == 429 else {})
            if kind == "slow":
                time.sleep(fake.slow_seconds)
            elif fake.delay:
                time.sleep(fake.delay)
            script = fake.scripts.get(model)
            answer = script(request) if script else f"You asked: {prompt}"
            words = answer.split(" ")
            if not request.get("stream"):  # asked for one JSON answer (whichai itself always streams)
                usage = None if kind == "nousage" else {"prompt_tokens": len(prompt.split()) + 5, "completion_tokens": len(words), "total_tokens": 0}
                return self._send(200, json.dumps({"id": "chatcmpl-test", "object": "chat.completion", "created": int(time.time()),
                                                   "model": model, "usage": usage, "choices": [{"index": 0, "finish_reason": "stop",
                                                   "message": {"role": "assistant", "content": answer}}]}).encode())
            pieces = [w + (" " if i < len(words) - 1 else "") for i, w in enumerate(words)]
            body = b"".join(_chunk(model, p) for p in pieces)
            body += _chunk(model, finish="stop")
            if kind != "nousage":
                body += _chunk(model, usage={"prompt_tokens": len(prompt.split()) + 5, "completion_tokens": len(words), "total_tokens": 0})
            body += b"data: [DONE]\n\n"
            if kind == "cut" and failing:
                half = _chunk(model, pieces[0])
                # Promise the whole body, send a part, then drop the connection.
                self._send(200, half, content_type="text/event-stream", length=len(body))
                self.close_connection = True
                return
            if kind == "badjson" and failing:
                body = _chunk(model, pieces[0]) + b"data: {this is not json\n\n" + b"data: [DONE]\n\n"
            self._send(200, body, content_type="text/event-stream")

    return Handler
