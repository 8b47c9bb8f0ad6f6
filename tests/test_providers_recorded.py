"""The Anthropic and Gemini providers against recorded HTTP exchanges in each vendor's wire format.

A real HTTP server on 127.0.0.1 replays the responses under ``tests/recorded/`` (sources cited in each
file and in ``tests/recorded/README.md``); the official SDKs are pointed at it with ``base_url``. Nothing
in the SDKs or in whichai is patched: what is tested is the request the SDK really sends for our
parameters, how our provider reads the SDK's parsed stream, and how it classifies the SDK's errors.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from loopback import server_thread

from whichai.config import ProviderConfig
from whichai.errors import ConfigError, FatalCallError, ProviderError, RetryableError
from whichai.providers.anthropic import AnthropicProvider
from whichai.providers.base import Chunk, GenerationSettings
from whichai.providers.gemini import GeminiProvider

RECORDED = Path(__file__).parent / "recorded"
ANTHROPIC_KEY = "sk-ant-api03-FAKE-recorded-test-key-7c1e5a9d"
GEMINI_KEY = "fake-gemini-recorded-test-key-3b8f0e6c21"
SETTINGS = GenerationSettings(max_tokens=64, temperature=0.0, seed=0)
QUESTION = [
    {"role": "system", "content": "Answer in one sentence."},
    {"role": "user", "content": "What is the capital of Indonesia?"},
]
CONVERSATION = [
    {"role": "user", "content": "Hitung sampai tiga."},
    {"role": "assistant", "content": "Satu."},
    {"role": "user", "content": "Lagi, sampai sepuluh."},
]


# --- the replay server -------------------------------------------------------------------------------


def load_recording(name: str) -> tuple[int, str, list[tuple[str, str]], bytes]:
    """Parse a ``*.http`` recording: ``#`` comment lines, status line, headers, blank line, body."""
    lines = (RECORDED / name).read_text(encoding="utf-8").split("\n")
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    _, status, reason = lines.pop(0).split(" ", 2)
    headers = []
    while lines[0]:
        key, _, value = lines.pop(0).partition(":")
        headers.append((key.strip(), value.strip()))
    body = "\n".join(lines[1:]).encode("utf-8")
    return int(status), reason, headers, body


class Replay:
    """Answers each request with the next scripted recording, and keeps what each request carried."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.script: list[dict] = []
        replay = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                url = urlsplit(self.path)
                replay.requests.append({
                    "path": url.path,
                    "query": parse_qs(url.query),
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "json": json.loads(raw) if raw else None,
                })
                step = replay.script.pop(0) if replay.script else {"name": None}
                if step["name"] is None:
                    self.send_error(500, "nothing scripted")
                    return
                status, reason, headers, body = load_recording(step["name"])
                if step.get("crlf"):
                    body = body.replace(b"\n", b"\r\n")
                self.send_response(status, reason)
                for key, value in [*headers, *step.get("headers", {}).items()]:
                    self.send_header(key, value)
                if step.get("events"):  # a stream that ends early but cleanly, after N whole events
                    body = b"".join(event + b"\n\n" for event in body.split(b"\n\n")[: step["events"]])
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                cut = step.get("cut")
                if cut is None:
                    self.wfile.write(body)
                    self.wfile.flush()
                    return
                # A connection dropped mid-stream: part of the promised body, then the socket closes.
                self.wfile.write(body[: int(len(body) * cut)])
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = server_thread(self.server)
        self.thread.start()

    def then(self, name: str, **options) -> Replay:
        self.script.append({"name": name, **options})
        return self

    def reset(self) -> None:
        self.requests.clear()
        self.script.clear()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def _server():
    replay = Replay()
    yield replay
    replay.close()


@pytest.fixture
def server(_server):
    _server.reset()
    yield _server
    _server.reset()


@pytest.fixture(autouse=True)
def _env(monkeypatch):
    """Only the fake keys, no proxy between the SDK and loopback, no vendor settings from the host."""
    for name in (
        "ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL", "GEMINI_API_KEY", "GOOGLE_API_KEY",
        "GOOGLE_GENAI_USE_VERTEXAI", "GOOGLE_GENAI_API_VERSION", "GOOGLE_CLOUD_PROJECT", "GOOGLE_GEMINI_BASE_URL",
        "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("ANTHROPIC_API_KEY", ANTHROPIC_KEY)
    monkeypatch.setenv("GEMINI_API_KEY", GEMINI_KEY)


# --- helpers -----------------------------------------------------------------------------------------


def anthropic_at(url: str) -> AnthropicProvider:
    return AnthropicProvider(name="anthropic", config=ProviderConfig(kind="anthropic", base_url=url))


def gemini_at(url: str) -> GeminiProvider:
    return GeminiProvider(name="gemini", config=ProviderConfig(kind="gemini", base_url=url))


def call(provider, model: str, messages: list[dict[str, str]]) -> tuple[list[Chunk], ProviderError | None]:
    """Stream one answer as the runner does: chunks until the end, or the classified error."""

    async def go():
        chunks: list[Chunk] = []
        try:
            provider.check(model)
            async for chunk in provider.stream(model, messages, SETTINGS):
                chunks.append(chunk)
        except Exception as exc:  # classified at the boundary, as in the runner
            return chunks, provider.classify(exc)
        finally:
            await provider.aclose()
        return chunks, None

    return asyncio.run(go())


def text_of(chunks: list[Chunk]) -> str:
    return "".join(c.text for c in chunks)


def assert_no_key(error: BaseException, key: str) -> None:
    message = str(error)
    assert key not in message
    assert "***" not in message, "the key reached the message and had to be redacted"
    assert key not in repr(error.args)


# --- Anthropic ---------------------------------------------------------------------------------------


def test_anthropic_streams_text_usage_and_stop_reason(server):
    server.then("anthropic/stream_ok.http")
    chunks, error = call(anthropic_at(server.url), "claude-haiku-4-5", QUESTION)

    assert error is None
    assert text_of(chunks) == "The capital of Indonesia is Jakarta."
    assert [c.text for c in chunks[:-1]] == ["The capital", " of Indonesia is", " Jakarta."]
    last = chunks[-1]
    assert (last.finish_reason, last.input_tokens, last.output_tokens) == ("end_turn", 25, 9)

    [request] = server.requests
    assert request["path"] == "/v1/messages"
    # The key as a credential header: `x-api-key` in the documented wire format; anthropic SDK 2.x sends it
    # as `Authorization: Bearer`. Either way, the SDK and not a query string or the body carries it.
    assert ANTHROPIC_KEY in (request["headers"].get("x-api-key"), request["headers"].get("authorization", "").removeprefix("Bearer "))
    assert ANTHROPIC_KEY not in json.dumps(request["json"])
    assert request["headers"].get("anthropic-version")
    body = request["json"]
    assert body["model"] == "claude-haiku-4-5"
    assert body["max_tokens"] == 64
    assert "temperature" not in body and "seed" not in body  # not in the Messages API (anthropic SDK 2.x)
    assert body["stream"] is True
    assert body["system"] == "Answer in one sentence."  # top-level parameter, not a message
    assert body["messages"] == [{"role": "user", "content": "What is the capital of Indonesia?"}]


def test_anthropic_keeps_turns_and_reports_max_tokens(server):
    server.then("anthropic/stream_max_tokens.http")
    chunks, error = call(anthropic_at(server.url), "claude-haiku-4-5", CONVERSATION)

    assert error is None
    assert text_of(chunks) == "Satu, dua,"
    assert (chunks[-1].finish_reason, chunks[-1].input_tokens, chunks[-1].output_tokens) == ("max_tokens", 31, 4)
    body = server.requests[0]["json"]
    assert "system" not in body
    assert [m["role"] for m in body["messages"]] == ["user", "assistant", "user"]


@pytest.mark.parametrize(
    ("recording", "kind", "error_class", "retry_after"),
    [
        ("anthropic/error_429.http", RetryableError, "rate_limit", 17.0),
        ("anthropic/error_429_spend_limit.http", FatalCallError, "quota", None),
        ("anthropic/error_529.http", RetryableError, "server_error", None),
        ("anthropic/error_500.http", RetryableError, "server_error", None),
        ("anthropic/error_401.http", FatalCallError, "auth", None),
        ("anthropic/error_400.http", FatalCallError, "bad_request", None),
        ("anthropic/error_404.http", FatalCallError, "not_found", None),
        ("anthropic/stream_error_overloaded.http", RetryableError, "server_error", None),
    ],
)
def test_anthropic_classifies_recorded_errors(server, recording, kind, error_class, retry_after):
    server.then(recording).then("anthropic/stream_ok.http")  # a retry inside the SDK would get this
    chunks, error = call(anthropic_at(server.url), "claude-haiku-4-5", QUESTION)

    assert type(error) is kind
    assert error.error_class == error_class
    assert error.retry_after == retry_after
    assert len(server.requests) == 1, "the SDK retried on its own; the runner owns retries"
    assert_no_key(error, ANTHROPIC_KEY)
    if recording.endswith("stream_error_overloaded.http"):
        assert text_of(chunks) == "The"  # what arrived before the error event


def test_anthropic_auth_error_names_the_variable(server):
    server.then("anthropic/error_401.http")
    _, error = call(anthropic_at(server.url), "claude-haiku-4-5", QUESTION)
    assert "ANTHROPIC_API_KEY" in str(error)


def test_anthropic_stream_cut_midway_is_a_broken_stream(server):
    server.then("anthropic/stream_ok.http", cut=0.5)
    chunks, error = call(anthropic_at(server.url), "claude-haiku-4-5", QUESTION)

    assert isinstance(error, RetryableError)
    assert error.error_class == "broken_stream"
    assert all(c.finish_reason is None for c in chunks)
    assert len(server.requests) == 1
    assert_no_key(error, ANTHROPIC_KEY)


def test_anthropic_stream_ending_before_message_stop_is_a_broken_stream(server):
    server.then("anthropic/stream_ok.http", events=5)
    chunks, error = call(anthropic_at(server.url), "claude-haiku-4-5", QUESTION)
    assert isinstance(error, RetryableError)
    assert error.error_class == "broken_stream"
    assert "message_stop" in str(error)
    assert all(c.finish_reason is None for c in chunks)


def test_anthropic_unreachable_server_is_a_connection_error():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    _, error = call(anthropic_at(url), "claude-haiku-4-5", QUESTION)
    assert isinstance(error, RetryableError)
    assert error.error_class == "connection"
    assert url in str(error)
    assert_no_key(error, ANTHROPIC_KEY)


def test_anthropic_check_needs_a_key(monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    with pytest.raises(ConfigError, match="Fix: set the environment variable ANTHROPIC_API_KEY"):
        AnthropicProvider(name="anthropic").check("claude-haiku-4-5")
    named = AnthropicProvider(name="claude-proxy", config=ProviderConfig(kind="anthropic", api_key_env="PROXY_KEY"))
    with pytest.raises(ConfigError, match="PROXY_KEY"):
        named.check("claude-haiku-4-5")
    monkeypatch.setenv("PROXY_KEY", "proxy-key-value-123")
    named.check("claude-haiku-4-5")


# --- Gemini ------------------------------------------------------------------------------------------


def _gemini_request_checks(request: dict, model: str) -> dict:
    # The SDK's default API version (v1 in google-genai 3.x, v1beta in the docs' examples) comes first.
    assert re.fullmatch(rf"/v1(beta)?/models/{re.escape(model)}:streamGenerateContent", request["path"])
    assert request["query"].get("alt") == ["sse"]
    assert request["headers"]["x-goog-api-key"] == GEMINI_KEY
    assert "key" not in request["query"]  # the key travels in the header, never in the URL
    return request["json"]


@pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf"])
def test_gemini_streams_text_usage_and_finish_reason(server, crlf):
    server.then("gemini/stream_ok.http", crlf=crlf)
    chunks, error = call(gemini_at(server.url), "gemini-2.5-flash", QUESTION)

    assert error is None
    assert text_of(chunks) == "The capital of Indonesia is Jakarta."
    last = chunks[-1]
    # output = candidatesTokenCount + thoughtsTokenCount: thinking tokens are billed as output
    assert (last.finish_reason, last.input_tokens, last.output_tokens) == ("STOP", 14, 8 + 21)

    [request] = server.requests
    body = _gemini_request_checks(request, "gemini-2.5-flash")
    assert body["contents"] == [{"role": "user", "parts": [{"text": "What is the capital of Indonesia?"}]}]
    assert body["systemInstruction"]["parts"] == [{"text": "Answer in one sentence."}]
    config = body["generationConfig"]
    assert config["maxOutputTokens"] == 64
    assert config["temperature"] == 0.0
    assert config["seed"] == 0


def test_gemini_maps_assistant_to_model_and_reports_max_tokens(server):
    server.then("gemini/stream_max_tokens.http")
    chunks, error = call(gemini_at(server.url), "gemini-2.5-flash", CONVERSATION)

    assert error is None
    assert text_of(chunks) == "Satu, dua,"
    assert (chunks[-1].finish_reason, chunks[-1].input_tokens, chunks[-1].output_tokens) == ("MAX_TOKENS", 9, 4)
    body = _gemini_request_checks(server.requests[0], "gemini-2.5-flash")
    assert [c["role"] for c in body["contents"]] == ["user", "model", "user"]
    assert "systemInstruction" not in body


@pytest.mark.parametrize(
    ("recording", "headers", "kind", "error_class", "retry_after"),
    [
        ("gemini/error_429.http", {}, RetryableError, "rate_limit", 37.0),  # from RetryInfo.retryDelay
        ("gemini/error_429.http", {"Retry-After": "5"}, RetryableError, "rate_limit", 5.0),  # header wins
        ("gemini/error_503.http", {}, RetryableError, "server_error", None),
        ("gemini/error_400_api_key_invalid.http", {}, FatalCallError, "auth", None),
        ("gemini/error_403.http", {}, FatalCallError, "auth", None),
        ("gemini/error_400.http", {}, FatalCallError, "bad_request", None),
        ("gemini/error_404.http", {}, FatalCallError, "not_found", None),
        ("gemini/stream_error_midway.http", {}, RetryableError, "server_error", None),
    ],
)
def test_gemini_classifies_recorded_errors(server, recording, headers, kind, error_class, retry_after):
    server.then(recording, headers=headers).then("gemini/stream_ok.http")  # a retry inside the SDK would get this
    chunks, error = call(gemini_at(server.url), "gemini-2.5-flash", QUESTION)

    assert type(error) is kind
    assert error.error_class == error_class
    assert error.retry_after == retry_after
    assert len(server.requests) == 1, "the SDK retried on its own; the runner owns retries"
    assert_no_key(error, GEMINI_KEY)
    if recording.endswith("stream_error_midway.http"):
        assert text_of(chunks) == "The"


def test_gemini_auth_error_names_the_variables(server):
    server.then("gemini/error_400_api_key_invalid.http")
    _, error = call(gemini_at(server.url), "gemini-2.5-flash", QUESTION)
    assert "GEMINI_API_KEY" in str(error) and "GOOGLE_API_KEY" in str(error)


def test_gemini_stream_cut_midway_is_a_broken_stream(server):
    server.then("gemini/stream_ok.http", cut=0.5)
    chunks, error = call(gemini_at(server.url), "gemini-2.5-flash", QUESTION)

    assert isinstance(error, RetryableError)
    assert error.error_class == "broken_stream"
    assert all(c.finish_reason is None for c in chunks)
    assert len(server.requests) == 1
    assert_no_key(error, GEMINI_KEY)


def test_gemini_stream_ending_without_finish_reason_is_a_broken_stream(server):
    server.then("gemini/stream_ok.http", events=2)
    chunks, error = call(gemini_at(server.url), "gemini-2.5-flash", QUESTION)
    assert isinstance(error, RetryableError)
    assert error.error_class == "broken_stream"
    assert text_of(chunks) == "The capital of Indonesia is"
    assert all(c.finish_reason is None for c in chunks)


def test_gemini_blocked_prompt_is_an_answer_with_its_block_reason(server):
    server.then("gemini/stream_prompt_blocked.http")
    chunks, error = call(gemini_at(server.url), "gemini-2.5-flash", QUESTION)
    assert error is None
    assert text_of(chunks) == ""
    assert (chunks[-1].finish_reason, chunks[-1].input_tokens) == ("PROMPT_BLOCKED:PROHIBITED_CONTENT", 14)


def test_gemini_unreachable_server_is_a_connection_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    _, error = call(gemini_at(url), "gemini-2.5-flash", QUESTION)
    assert isinstance(error, RetryableError)
    assert error.error_class == "connection"
    assert_no_key(error, GEMINI_KEY)


def test_gemini_check_needs_a_key(monkeypatch):
    monkeypatch.delenv("GEMINI_API_KEY")
    with pytest.raises(ConfigError, match="Fix: set the environment variable GEMINI_API_KEY or GOOGLE_API_KEY"):
        GeminiProvider(name="gemini").check("gemini-2.5-flash")
    monkeypatch.setenv("GOOGLE_API_KEY", GEMINI_KEY)
    GeminiProvider(name="gemini").check("gemini-2.5-flash")


def test_gemini_google_api_key_is_sent_when_gemini_api_key_is_unset(server, monkeypatch):
    monkeypatch.delenv("GEMINI_API_KEY")
    monkeypatch.setenv("GOOGLE_API_KEY", GEMINI_KEY)
    server.then("gemini/stream_ok.http")
    _, error = call(gemini_at(server.url), "gemini-2.5-flash", QUESTION)
    assert error is None
    assert server.requests[0]["headers"]["x-goog-api-key"] == GEMINI_KEY


# --- both --------------------------------------------------------------------------------------------


def test_providers_are_found_through_their_entry_points():
    from whichai.providers.registry import Registry

    registry = Registry()
    assert isinstance(registry.resolve("anthropic/claude-haiku-4-5")[0], AnthropicProvider)
    assert isinstance(registry.resolve("gemini/gemini-2.5-flash")[0], GeminiProvider)


@pytest.mark.parametrize("make", [anthropic_at, gemini_at], ids=["anthropic", "gemini"])
def test_transport_exceptions_below_the_sdks_are_classified(make):
    """The SDKs let some transport exceptions (of httpx, or its fork httpx2) through unwrapped."""
    import importlib.util

    httpx = __import__("httpx2" if importlib.util.find_spec("httpx2") else "httpx")  # whichever the SDKs use
    provider = make("http://127.0.0.1:9")
    cases = [
        (httpx.ReadTimeout("read timed out"), "timeout"),
        (httpx.ConnectError("connection refused"), "connection"),
        (httpx.RemoteProtocolError("peer closed connection"), "broken_stream"),
        (httpx.ReadError("connection reset"), "broken_stream"),
        (ConnectionResetError("reset by peer"), "connection"),
    ]
    for exc, error_class in cases:
        error = provider.classify(exc)
        assert isinstance(error, RetryableError), exc
        assert error.error_class == error_class, exc
    already = FatalCallError("x", error_class="auth")
    assert provider.classify(already) is already
