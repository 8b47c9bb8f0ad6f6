"""Issue 8, item 4: token counts say their source (provider | tokenizer | deltas), and settings a provider
does not apply (temperature and seed on the installed Anthropic SDK) are recorded as not applied and shown."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import invoke, write_config, write_jsonl
from loopback import server_thread

RECORDED = Path(__file__).parent / "recorded" / "anthropic"


def whichai(env, *args: str) -> subprocess.CompletedProcess:
    return invoke(list(args), env)


def _run(env, tmp_path, config: Path, model: str, *extra: str) -> tuple[dict, subprocess.CompletedProcess]:
    task = write_jsonl(tmp_path / "t.jsonl", [{"id": "a", "input": "alpha beta", "expected": "alpha"}])
    result = whichai(env, "run", "--task", str(task), "--models", model, "--config", str(config), "--db", str(tmp_path / "w.db"),
                     "--no-report", *extra)
    assert result.returncode == 0, result.stderr[-3000:]
    return (json.loads(result.stdout) if "--json" in extra else {}), result


def _stored(tmp_path: Path) -> dict:
    connection = sqlite3.connect(tmp_path / "w.db")
    connection.row_factory = sqlite3.Row
    return dict(connection.execute("SELECT * FROM results").fetchone())


def test_tokens_reported_by_the_provider_say_so(env, tmp_path, fake):
    document, _ = _run(env, tmp_path, write_config(tmp_path / "c.toml", "fake", fake.base_url), "fake/echo", "--json")
    row = _stored(tmp_path)
    assert (row["token_source"], row["input_token_source"], row["tokens_counted"]) == ("provider", "provider", 0)
    assert document["token_sources"] == {"fake/echo": {"provider": 1}}


def test_streamed_deltas_are_never_called_tokenizer_counts(env, tmp_path, fake):
    config = write_config(tmp_path / "c.toml", "fake", fake.base_url)
    document, _ = _run(env, tmp_path, config, "fake/nousage", "--json")
    row = _stored(tmp_path)
    # "You asked: alpha beta" streams as four pieces; no tokenizer is configured, so no prompt count either.
    assert (row["token_source"], row["output_tokens"], row["input_token_source"], row["input_tokens"]) == ("deltas", 4, None, None)
    assert document["token_sources"] == {"fake/nousage": {"deltas": 1}}
    (tmp_path / "w.db").unlink()
    _, human = _run(env, tmp_path, config, "fake/nousage")
    assert "streamed pieces" in human.stdout and "tokenizer" not in human.stdout


@pytest.mark.slow
def test_tokenizer_counts_say_tokenizer(env, tmp_path, fake):
    pytest.importorskip("llama_cpp")
    config = write_config(tmp_path / "c.toml", "fake", fake.base_url, tokenizer='"local/smollm2-135m-instruct"')
    document, _ = _run(env, tmp_path, config, "fake/nousage", "--json")
    row = _stored(tmp_path)
    assert (row["token_source"], row["input_token_source"]) == ("tokenizer", "tokenizer")
    assert row["output_tokens"] > 0 and row["input_tokens"] > 0
    assert document["token_sources"] == {"fake/nousage": {"tokenizer": 1}}


class _AnthropicReplay:
    """Answers every POST /v1/messages with the recorded stream_ok.http (Anthropic's documented SSE format)."""

    def __init__(self) -> None:
        text = (RECORDED / "stream_ok.http").read_text(encoding="utf-8").split("\n")
        while text[0].startswith("#"):
            text.pop(0)
        text.pop(0)  # status line
        headers = []
        while text[0]:
            key, _, value = text.pop(0).partition(":")
            headers.append((key.strip(), value.strip()))
        body = "\n".join(text[1:]).encode()
        self.bodies: list[dict] = []
        replay = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                replay.bodies.append(json.loads(self.rfile.read(int(self.headers.get("content-length") or 0))))
                self.send_response(200)
                for key, value in headers:
                    if key.lower() != "content-length":
                        self.send_header(key, value)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        server_thread(self.server).start()


def test_settings_the_anthropic_sdk_does_not_take_are_recorded_and_shown(env, tmp_path):
    pytest.importorskip("anthropic")
    import inspect

    from anthropic.resources.messages import AsyncMessages

    accepted = set(inspect.signature(AsyncMessages.create).parameters)
    replay = _AnthropicReplay()
    env["CLAUDE_TEST_CRED"] = "test-credential-not-real-123"
    config = tmp_path / "c.toml"
    config.write_text(f'[providers.claude]\nkind = "anthropic"\nbase_url = "{replay.url}"\napi_key_env = "CLAUDE_TEST_CRED"\n')
    try:
        document, _ = _run(env, tmp_path, config, "claude/claude-haiku-4-5", "--json", "--temperature", "0.7")
    finally:
        replay.server.shutdown()
    expected = {name for name in ("temperature", "seed") if name not in accepted}
    sent = replay.bodies[0]
    assert ("temperature" in sent) == ("temperature" in accepted) and "seed" not in sent
    assert set(document["settings_not_applied"].get("claude/claude-haiku-4-5", {})) == expected
    row = _stored(tmp_path)
    assert set(json.loads(row["settings_not_applied"] or "{}")) == expected
    shown = whichai(env, "show", document["run_id"], "--db", str(tmp_path / "w.db"), "--json")
    assert set(json.loads(shown.stdout)["settings_not_applied"].get("claude/claude-haiku-4-5", {})) == expected
    human = whichai(env, "show", document["run_id"], "--db", str(tmp_path / "w.db"))
    if expected:
        assert "Not applied on claude/claude-haiku-4-5" in human.stdout and "temperature" in human.stdout


def test_openai_compatible_servers_get_every_setting(env, tmp_path, fake):
    document, _ = _run(env, tmp_path, write_config(tmp_path / "c.toml", "fake", fake.base_url), "fake/echo", "--json",
                       "--temperature", "0.5")
    assert document["settings_not_applied"] == {}
    assert fake.bodies[-1]["temperature"] == 0.5 and fake.bodies[-1]["seed"] == 0


@pytest.mark.slow
def test_tokenizer_load_stays_out_of_the_timed_window(env, tmp_path):
    """The tokenizer (a GGUF vocabulary, ~0.5 s to load) loads before the first call is timed, so calls in
    flight together are not held up by it (before: loaded on the event loop after the first answer)."""
    pytest.importorskip("llama_cpp")
    from fakeopenai import FakeOpenAI

    task = write_jsonl(tmp_path / "t.jsonl", [{"id": f"c{i}", "input": f"q{i}", "expected": f"q{i}"} for i in range(3)])
    with FakeOpenAI(delay=0.2) as fake:
        config = write_config(tmp_path / "c.toml", "fake", fake.base_url, tokenizer='"local/smollm2-135m-instruct"')
        result = whichai(env, "run", "--task", str(task), "--models", "fake/nousage", "--config", str(config),
                         "--db", str(tmp_path / "w.db"), "--concurrency", "3", "--no-report", "--json")
    assert result.returncode == 0, result.stderr[-2000:]
    latencies = [row[0] for row in sqlite3.connect(tmp_path / "w.db").execute("SELECT latency_s FROM results")]
    assert len(latencies) == 3 and max(latencies) < 0.2 + 0.45, latencies  # 1.16 s before (measured side by side)
