"""An OpenAI-compatible streaming server on loopback whose capacity is known exactly, for load tests and
the capacity benchmark. It speaks the documented Chat Completions wire format (``POST
/v1/chat/completions``; ``stream: true`` answered as server-sent events ending with ``data: [DONE]``).

It serves ``slots`` requests at once. A request in a slot sends its first token ``ttft`` seconds after
it got the slot, then one token every ``tpot`` seconds, ``max_tokens`` tokens in all (``tokens`` if
set), each on an absolute schedule so the timing does not drift. So at saturation it delivers exactly

    slots × tokens / (ttft + (tokens − 1) × tpot)   output tokens per second.

What happens to a request that finds every slot busy depends on ``mode``:

- ``queue``: it waits for a slot (first come, first served), like vLLM's scheduler at its batch limit.
- ``shed503``: HTTP 503 at once; ``shed429``: HTTP 429 without Retry-After.
- ``interrupt``: the oldest stream in progress is cut (it ends with ``data: [DONE]`` and no finish
  reason), and the new request takes its slot, as llama.cpp's servers do by default.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from loopback import server_thread


class CapacityServer:
    def __init__(self, slots: int = 4, ttft: float = 0.05, tpot: float = 0.01, mode: str = "queue",
                 tokens: int | None = None, usage: bool = True) -> None:
        assert mode in ("queue", "shed503", "shed429", "interrupt")
        self.slots, self.ttft, self.tpot, self.mode, self.tokens, self.usage = slots, ttft, tpot, mode, tokens, usage
        self.cond = threading.Condition()
        self.active: list[threading.Event] = []  # cut signals of the streams in progress, oldest first
        self.requests = 0
        self.shed = 0
        self.cut = 0  # streams that did end early (a stream told to stop just as it finished is not counted)
        self.max_active = 0
        self.server = _Server(("127.0.0.1", 0), _handler(self))
        self.thread = server_thread(self.server)

    def capacity(self, tokens: int) -> float:
        """Output tokens per second at saturation (the analytic value)."""
        return self.slots * tokens / (self.ttft + (tokens - 1) * self.tpot)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> CapacityServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def acquire(self) -> threading.Event | None:
        """A slot for a new request (its cut signal), or None when the request is shed."""
        cut = threading.Event()
        with self.cond:
            self.requests += 1
            if len(self.active) >= self.slots:
                if self.mode in ("shed503", "shed429"):
                    self.shed += 1
                    return None
                if self.mode == "interrupt":
                    self.active.pop(0).set()
            self.cond.wait_for(lambda: len(self.active) < self.slots)
            self.active.append(cut)
            self.max_active = max(self.max_active, len(self.active))
        return cut

    def release(self, cut: threading.Event) -> None:
        with self.cond:
            if cut in self.active:
                self.active.remove(cut)
            self.cond.notify_all()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024

    def handle_error(self, request, client_address) -> None:  # clients that hang up are expected here
        return


def _chunk(model: str, content: str | None = None, finish: str | None = None, usage: dict | None = None) -> bytes:
    body = {"id": "chatcmpl-capacity", "object": "chat.completion.chunk", "created": int(time.time()), "model": model,
            "choices": [] if usage else [{"index": 0, "delta": {"content": content} if content else {}, "finish_reason": finish}]}
    if usage:
        body["usage"] = usage
    return b"data: " + json.dumps(body).encode() + b"\n\n"


def _handler(fake: CapacityServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, *args) -> None:
            return

        def _json(self, status: int, body: dict, extra: dict | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:  # noqa: N802
            request = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            model = request.get("model", "")
            prompt = " ".join(m.get("content", "") for m in request.get("messages", []))
            prompt_tokens = len(prompt.split()) + 10
            tokens = fake.tokens or request.get("max_tokens") or request.get("max_completion_tokens") or 16
            if not request.get("stream"):
                return self._json(200, {"id": "x", "object": "chat.completion", "model": model,
                                        "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "length"}],
                                        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": 1, "total_tokens": prompt_tokens + 1}})
            cut = fake.acquire()
            if cut is None:
                status = 503 if fake.mode == "shed503" else 429
                return self._json(status, {"error": {"message": f"server busy ({status})", "type": "server_error"}})
            try:
                self._stream(model, tokens, prompt_tokens, cut)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True
            finally:
                fake.release(cut)

        def _stream(self, model: str, tokens: int, prompt_tokens: int, cut: threading.Event) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            start = time.perf_counter()
            for i in range(tokens):
                due = start + fake.ttft + i * fake.tpot
                while (wait := due - time.perf_counter()) > 0:
                    if cut.wait(wait):
                        break
                if cut.is_set():  # interrupted by a newer request: end without a finish reason
                    with fake.cond:
                        fake.cut += 1
                    return self._write(b"data: [DONE]\n\n", last=True)
                self._write(_chunk(model, f"t{i} "))
            tail = _chunk(model, finish="length")
            if fake.usage:
                tail += _chunk(model, usage={"prompt_tokens": prompt_tokens, "completion_tokens": tokens,
                                             "total_tokens": prompt_tokens + tokens})
            self._write(tail + b"data: [DONE]\n\n", last=True)

        def _write(self, data: bytes, last: bool = False) -> None:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data) + (b"0\r\n\r\n" if last else b""))
            self.wfile.flush()

    return Handler
