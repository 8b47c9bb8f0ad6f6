"""Shared fixtures: an isolated environment, the CLI as a subprocess, loopback servers."""

from __future__ import annotations

import contextlib
import json
import os
import signal
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

# The suite starts two workers that import every test module and a few hundred ``python -m whichai``
# processes: with PYTHONDONTWRITEBYTECODE set, each would compile the tests (with pytest's assertion
# rewriting) or whichai's modules again. They keep their compiled modules in __pycache__ (ignored by git).
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

# A suite started in the background (`bash .ci/run &` in a script, nohup) inherits SIGINT ignored, and so would
# every process it starts: the Ctrl-C tests need it delivered. Python's own handler here means the workers and the
# ``python -m whichai`` processes start with the default disposition (a handled signal is reset on exec).
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

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
    """``python -m whichai ARGS`` as a real process: for what only a process shows (imports at startup, signals,
    exit handlers, a broken pipe, a second process racing the first)."""
    return subprocess.run(
        [sys.executable, "-m", "whichai", *args],
        env=env, capture_output=True, text=True, timeout=timeout, input=input,
    )


def invoke(args: list[str], env: dict[str, str] | None = None, input: str | None = None) -> subprocess.CompletedProcess:
    """``python -m whichai ARGS`` in this process, as whichai sees a process: ``whichai.cli.main.main`` (the entry
    point itself, with its exit statuses and error messages) on these arguments, in ``env`` (default: this
    process's environment), with ``input`` (default: nothing) on a piped stdin and stdout and stderr piped and
    read back as ``subprocess.run(text=True)`` reads them. What a process keeps for its own life is started
    afresh for each call (see ``_as_a_new_process``); what it caches about files keyed by their path and mtime
    (the catalog, the embedded model) is kept, which is what makes this 10-100x cheaper than a process.
    About 0.5 s of imports and start-up per call saved, times hundreds of calls."""
    import io
    import types

    from whichai.cli import main as entry

    saved = (dict(os.environ), sys.argv, sys.stdin, sys.stdout, sys.stderr, sys.modules["__main__"])
    status: object = 0
    try:
        if env is not None:
            os.environ.clear()
            os.environ.update(env)
        # `python -m whichai`: argv[0] is the package's __main__.py, and __main__ its module (Click's usage line)
        main_module = types.ModuleType("__main__")
        main_module.__package__ = "whichai"
        sys.modules["__main__"] = main_module
        sys.argv = [str(Path(entry.__file__).parent.parent / "__main__.py"), *args]
        sys.stdin = io.TextIOWrapper(io.BytesIO((input or "").encode()), encoding="utf-8")
        sys.stdout = stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
        sys.stderr = stderr = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
        _as_a_new_process()
        stores_before = _open_stores()
        with _warnings_as_a_process_shows_them():
            try:
                entry.main()
            except SystemExit as exc:
                status = exc.code
            finally:
                _at_process_exit(stores_before)
    finally:
        os.environ.clear()
        os.environ.update(saved[0])
        sys.argv, sys.stdin, sys.stdout, sys.stderr, sys.modules["__main__"] = saved[1:]

    def text(stream: io.TextIOWrapper) -> str:  # universal newlines, as subprocess.run(text=True) decodes a pipe
        stream.flush()
        return io.TextIOWrapper(io.BytesIO(stream.buffer.getvalue()), encoding="utf-8", newline=None).read()

    return subprocess.CompletedProcess([sys.executable, "-m", "whichai", *args], status, text(stdout), text(stderr))


def _as_a_new_process() -> None:
    """Forget what whichai keeps for the life of a process and that a new process would not have: secrets seen,
    notes said once, answers given, consoles sized for another environment, hub files found in another data
    folder, the benchmark links of another active catalog. Only modules already imported are touched."""
    modules = sys.modules
    if errors := modules.get("whichai.errors"):
        errors._REGISTERED.clear()
        errors._SECRETS = None
    if config := modules.get("whichai.config"):
        config._ANNOUNCED.clear()
        config._CONFIRMED.clear()
    if output := modules.get("whichai.cli.output"):
        output.out_console.cache_clear()
        output.err_console.cache_clear()
    if local := modules.get("whichai.providers.local"):
        local._HUB_PATHS.clear()
    if benchmarks := modules.get("whichai.catalog.benchmarks"):
        from whichai.catalog.catalog import active_path

        stamps = [(str(p), p.stat().st_mtime_ns) for p in (active_path(), benchmarks.active_data_path()) if p.exists()]
        if getattr(benchmarks, "_tests_active", None) != stamps:
            benchmarks.reset()
            benchmarks._tests_active = stamps


def _open_stores() -> set:
    store = sys.modules.get("whichai.store")
    return set(store._OPEN) if store else set()


def _at_process_exit(before: set) -> None:
    """What whichai's exit handler does when a process ends: close the stores the command left open (the
    database file then holds every result, without its write-ahead log). The test's own stay open."""
    for store in _open_stores() - before:
        store.close()


@contextlib.contextmanager
def _warnings_as_a_process_shows_them():
    """Python's default warning filters (a new process's), printed on the command's stderr as a process prints
    them, instead of pytest's collecting them."""
    import warnings

    with warnings.catch_warnings():
        warnings.resetwarnings()
        warnings.filterwarnings("default", category=DeprecationWarning, module="__main__")
        for category in (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning):
            warnings.filterwarnings("ignore", category=category)

        def show(message, category, filename, lineno, file=None, line=None) -> None:
            sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))

        warnings.showwarning = show
        yield


@pytest.fixture
def cli(env):
    """``whichai ARGS`` in the test's environment, in process (see ``invoke``); ``run_cli`` for a real process."""
    def call(*args: str, timeout: float = 300, input: str | None = None) -> subprocess.CompletedProcess:
        return invoke(list(args), env, input=input)

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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test served by a real llama-cpp-python server (a fixture named ``*llama_server``) is slow: the server
    loads the embedded model in its own process and answers with it."""
    for item in items:
        if any(name.endswith("llama_server") for name in getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def llama_server():
    """llama-cpp-python's own OpenAI-compatible server, serving the embedded model on loopback."""
    yield from start_llama_server()
