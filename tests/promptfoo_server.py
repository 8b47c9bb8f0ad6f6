"""A loopback OpenAI-compatible server for promptfoo tests: it replies with the text after
"Reply exactly: " in the last user message (else "OK"), streamed or not, as the client asks. A reply
starting with "[slow]" is sent after SLOW_S seconds (for latency assertions)."""

from __future__ import annotations

import json
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self

from loopback import server_thread

MARKER = "Reply exactly: "
SLOW_S = 0.4


GRADER = "grader"  # the model name of the scripted llm-rubric grader


def grade(body: dict) -> str:
    """A scripted grader, for whichai's judge prompt and promptfoo's llm-rubric prompt alike: a rubric
    "Mentions WORD" passes when WORD is in the output (score 0.9, else 0.1); "[score=X]" replies only a
    score X (no "pass"); a prompt with a reference answer (whichai's calibration sample) passes when the
    reference is in the answer. Replies {"reason", "pass", "score"} as promptfoo's grading prompt asks."""
    import re

    last = (body.get("messages") or [{}])[-1].get("content") or ""
    if "Reference answer:\n" in last:
        reference = re.search(r"Reference answer:\n(.*?)\n\n", last, re.DOTALL).group(1)
        answer = re.search(r"<<<ANSWER\n(.*)\nANSWER>>>", last, re.DOTALL).group(1)
        ok = reference.lower() in answer.lower()
        return json.dumps({"reason": "reference checked", "pass": ok, "score": 1.0 if ok else 0.0})
    if "<<<ANSWER" in last:  # whichai's judge prompt
        rubric = re.search(r"Rubric:\n(.*?)\n\nTask given", last, re.DOTALL).group(1)
        output = re.search(r"<<<ANSWER\n(.*)\nANSWER>>>", last, re.DOTALL).group(1)
    else:  # promptfoo's DEFAULT_GRADING_PROMPT
        output = re.search(r"<Output>\n(.*)\n</Output>", last, re.DOTALL).group(1)
        rubric = re.search(r"<Rubric>\n(.*)\n</Rubric>", last, re.DOTALL).group(1)
    score = re.search(r"\[score=([0-9.]+)\]", rubric)
    if score:
        return json.dumps({"reason": "scored", "score": float(score.group(1))})
    word = re.search(r"Mentions (\S+)", rubric)
    ok = bool(word) and word.group(1).lower() in output.lower()
    return json.dumps({"reason": f"checked {word.group(1) if word else rubric!r}", "pass": ok, "score": 0.9 if ok else 0.1})


def reply_to(body: dict, default: str = "OK") -> str:
    messages = body.get("messages") or []
    last = next((m.get("content") or "" for m in reversed(messages) if m.get("role") == "user"), "")
    last = last if isinstance(last, str) else json.dumps(last)
    return last.split(MARKER, 1)[1] if MARKER in last else default


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        if self.path.endswith("/embeddings"):  # all-MiniLM-L6-v2, as whichai computes it (whichai[similar])
            from whichai.tasks.promptfoo_embed import embed

            texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
            data = [{"object": "embedding", "index": i, "embedding": v} for i, v in enumerate(embed(texts))]
            doc = {"object": "list", "data": data, "model": body.get("model"), "usage": {"prompt_tokens": 1, "total_tokens": 1}}
            return self._send(json.dumps(doc).encode(), "application/json")
        text, model = reply_to(body, getattr(self.server, "default_reply", "OK")), body.get("model", "det")
        if model.startswith(GRADER):
            text = grade(body)
        if text.startswith("[slow]"):
            time.sleep(SLOW_S)
        usage = {"prompt_tokens": 10, "completion_tokens": max(1, len(text.split())), "total_tokens": 10 + max(1, len(text.split()))}
        if not body.get("stream"):
            doc = {"id": "x", "object": "chat.completion", "created": 0, "model": model, "usage": usage,
                   "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": text}}]}
            return self._send(json.dumps(doc).encode(), "application/json")
        chunks = [{"choices": [{"index": 0, "delta": {"role": "assistant", "content": text}, "finish_reason": None}]},
                  {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]},
                  {"choices": [], "usage": usage}]
        data = b"".join(b"data: " + json.dumps({"id": "x", "object": "chat.completion.chunk", "created": 0, "model": model, **c}).encode() + b"\n\n" for c in chunks)
        self._send(data + b"data: [DONE]\n\n", "text/event-stream")


class ReplyServer:
    def __init__(self, default_reply: str = "OK") -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.default_reply = default_reply  # the reply to a prompt without the marker
        self.thread = server_thread(self.server)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
