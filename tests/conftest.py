"""Shared fixtures: an isolated environment, the CLI as a subprocess, loopback servers."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fakeopenai import FakeOpenAI  # noqa: E402

# No test depends on the real date: whichai reads today from WHICHAI_TODAY (whichai.clock), and every
# process the tests start inherits it. A test about another day pins its own.
PINNED_TODAY = "2026-12-07"
os.environ["WHICHAI_TODAY"] = PINNED_TODAY
# Nor on the user's data: an in-process test that does not take ``env`` still reads and writes an empty
# folder of its own (tunes, the default database), never the machine's data directory.
os.environ["WHICHAI_DATA_DIR"] = tempfile.mkdtemp(prefix="whichai-tests-data-")

KEY_VARS = ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY")


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A clean environment: data and config in tmp, no vendor keys, cwd in tmp."""
    data = tmp_path / "data"
    monkeypatch.setenv("WHICHAI_DATA_DIR", str(data))
    monkeypatch.setenv("WHICHAI_CONFIG_DIR", str(tmp_path / "config"))
    for var in KEY_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)
    environment = dict(os.environ)
    environment["PYTHONUNBUFFERED"] = "1"
    environment["COLUMNS"] = "200"
    return environment


def run_cli(args: list[str], env: dict[str, str], timeout: float = 300, input: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "whichai", *args],
        env=env, capture_output=True, text=True, timeout=timeout, input=input,
    )


@pytest.fixture
def cli(env):
    def call(*args: str, timeout: float = 300, input: str | None = None) -> subprocess.CompletedProcess:
        return run_cli(list(args), env, timeout=timeout, input=input)

    return call


@pytest.fixture
def fake():
    with FakeOpenAI() as server:
        yield server


def write_config(path: Path, name: str, base_url: str, **extra: str) -> Path:
    lines = [f"[providers.{name}]", f'base_url = "{base_url}"']
    lines += [f"{k} = {v}" for k, v in extra.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


def write_jsonl(path: Path, cases: list[dict]) -> Path:
    path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases))
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_llama_server(interrupt_requests: bool = False):
    """Start llama-cpp-python's own OpenAI-compatible server on loopback, serving the embedded model
    (alias ``smollm2``); yields its base URL and stops it afterwards. ``interrupt_requests=True`` is
    the server as a new user starts it: a new request cuts the stream in progress."""
    pytest.importorskip("llama_cpp.server", reason="needs llama-cpp-python[server]")
    from whichai.providers.local import embedded_model_path

    port = free_port()
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(embedded_model_path()), "--host", "127.0.0.1",
               "--port", str(port), "--n_ctx", "2048", "--model_alias", "smollm2", "--verbose", "False"]
    if not interrupt_requests:
        command += ["--interrupt_requests", "False"]  # by default a new request cuts the one streaming
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}/v1"
    deadline = time.time() + 120
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"llama_cpp.server exited: {process.stderr.read()[-2000:]}")
        try:
            with urllib.request.urlopen(base + "/models", timeout=1) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        raise RuntimeError("llama_cpp.server did not start within 120 s")
    yield base
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def llama_server():
    """llama-cpp-python's own OpenAI-compatible server, serving the embedded model on loopback."""
    yield from start_llama_server()
