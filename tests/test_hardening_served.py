"""Issue 22: what a hostile OpenAI-compatible server can send is bounded. `measure/candidates.py`
read a configured server's `/models` whole (an endless answer took all memory; a dripping one held the
plan as long as it liked); the chat stream's error bodies and event lines are capped too. Real parts:
httpx and aiohttp against a loopback HTTP server."""

from __future__ import annotations

import time
from http.server import BaseHTTPRequestHandler

import pytest
from hostile_server import serve, stop

from whichai.providers import discovery


class Hostile(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def _start(self, status: int = 200, kind: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Connection", "close")
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802
        mode = self.server.mode
        try:
            if mode == "one":
                body = b'{"data": [{"id": "served-model"}]}'
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            self._start()
            if mode == "endless":
                self.wfile.write(b'{"data": [')
                chunk = b'{"id": "x"},' * 4096
                while True:
                    self.wfile.write(chunk)
            while True:  # drip: a byte every 0.05 s, forever (each read well inside the per-read timeout)
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.05)
        except OSError:
            return

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        mode = self.server.mode
        try:
            if mode == "error-endless":
                self._start(500, "text/plain")
                while True:
                    self.wfile.write(b"x" * 65536)
            self._start(200, "text/event-stream")
            if mode == "giant-event":  # one `data:` line that never ends
                self.wfile.write(b'data: {"choices": [{"delta": {"content": "')
                while True:
                    self.wfile.write(b"a" * 65536)
            if mode == "giant-multiline-event":  # short `data:` lines forever, never the blank line ending the event
                while True:
                    self.wfile.write(b"data: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n" * 1024)
            if mode == "endless-answer":  # content events forever, never a finish
                event = b'data: {"choices": [{"delta": {"content": "abcdefgh"}}]}\n\n'
                while True:
                    self.wfile.write(event * 512)
        except OSError:
            return


@pytest.fixture
def hostile():
    servers = []

    def start(mode: str) -> str:
        server = serve(Hostile, mode)
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/v1"

    yield start
    stop(servers)


def test_served_model_reads_a_normal_list(hostile):
    from whichai.measure.candidates import _served_model

    assert _served_model(hostile("one")) == "served-model"


@pytest.mark.parametrize("mode", ["endless", "drip"])
def test_served_model_is_bounded_in_size_and_time(hostile, mode, monkeypatch):
    from whichai.measure.candidates import _served_model

    monkeypatch.setattr(discovery, "PROBE_DEADLINE_S", 1.0)
    monkeypatch.setattr(discovery, "MAX_LIST_BYTES", 256 * 1024)
    url = hostile(mode)
    started = time.monotonic()
    assert _served_model(url) is None
    assert time.monotonic() - started < 15


# --- the chat stream of a named OpenAI-compatible server (the lean wire client) -------------------


def _run(env, tmp_path, url: str, *extra: str):
    import sqlite3

    from conftest import write_config, write_jsonl
    from test_hardening import whichai

    task = write_jsonl(tmp_path / "t.jsonl", [{"id": "c1", "input": "hello", "expected": "hello"}])
    config = write_config(tmp_path / "c.toml", "hostile", url)
    db = tmp_path / "w.db"
    started = time.monotonic()
    result = whichai(env, "run", "--task", str(task), "--models", "hostile/m", "--config", str(config), "--db", str(db),
                     "--no-report", "--json", "--timeout", "30", *extra, timeout=120)
    elapsed = time.monotonic() - started
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    row = sqlite3.connect(db).execute(
        "SELECT status, error_class, error_message, answer, answer_truncated, attempts FROM results").fetchone()
    return result, row, elapsed


def test_an_endless_answer_is_cut_at_max_answer_bytes_and_marked(env, tmp_path, hostile):
    result, row, elapsed = _run(env, tmp_path, hostile("endless-answer"), "--max-answer-bytes", "2048")
    status, _, _, answer, truncated, _ = row
    assert status == "ok" and truncated == 1 and 0 < len(answer.encode()) <= 2048
    assert elapsed < 60  # not the 30 s timeout per try: cut as soon as the cap is reached


def test_a_giant_event_line_is_an_error_of_the_call_not_unbounded_memory(env, tmp_path, hostile):
    result, row, elapsed = _run(env, tmp_path, hostile("giant-event"), "--retries", "0")
    status, error_class, message, _, _, attempts = row
    assert status == "error" and error_class == "invalid_response" and "longer than" in message
    assert attempts == 1 and elapsed < 60


def test_an_endless_error_body_is_read_only_up_to_its_cap(env, tmp_path, hostile):
    result, row, elapsed = _run(env, tmp_path, hostile("error-endless"), "--retries", "0")
    status, error_class, message, _, _, _ = row
    assert status == "error" and error_class == "server_error" and len(message) < 5000
    assert elapsed < 60


# --- `openai/...`: the vendor's API through the official SDK (its event decoder has no cap of its own) ---


def _run_sdk(env, tmp_path, url: str, *extra: str):
    """A hostile loopback server impersonating the vendor's base URL ([providers.openai] given by --config)."""
    import sqlite3

    from conftest import write_config, write_jsonl
    from test_hardening import whichai

    env["OPENAI_API_KEY"] = "sk-test-not-a-real-key-0123456789"
    task = write_jsonl(tmp_path / "t.jsonl", [{"id": "c1", "input": "hello", "expected": "hello"}])
    config = write_config(tmp_path / "c.toml", "openai", url)
    db = tmp_path / "w.db"
    started = time.monotonic()
    result = whichai(env, "run", "--task", str(task), "--models", "openai/m", "--config", str(config), "--db", str(db),
                     "--no-report", "--json", "--timeout", "30", *extra, timeout=120)
    elapsed = time.monotonic() - started
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    row = sqlite3.connect(db).execute(
        "SELECT status, error_class, error_message, answer, answer_truncated, attempts FROM results").fetchone()
    assert row is not None, result.stderr[-2000:]
    return result, row, elapsed


@pytest.mark.slow  # a whichai process importing the OpenAI SDK, with bounded memory
@pytest.mark.parametrize("mode", ["giant-event", "giant-multiline-event"])
def test_the_sdk_path_makes_a_giant_event_an_error_of_the_call(env, tmp_path, hostile, mode):
    result, row, elapsed = _run_sdk(env, tmp_path, hostile(mode), "--retries", "0")
    status, error_class, message, _, _, attempts = row
    assert status == "error" and error_class == "invalid_response" and "longer than" in message, row
    assert attempts == 1 and elapsed < 60


@pytest.mark.slow  # a whichai process importing the OpenAI SDK, with bounded memory
def test_the_sdk_path_cuts_an_endless_answer_at_max_answer_bytes(env, tmp_path, hostile):
    result, row, elapsed = _run_sdk(env, tmp_path, hostile("endless-answer"), "--max-answer-bytes", "2048")
    status, _, _, answer, truncated, _ = row
    assert status == "ok" and truncated == 1 and 0 < len(answer.encode()) <= 2048, row
    assert elapsed < 60
