"""Which heavy packages each command imports, and how the CLI process ends (issue 8, speed).

Not timed (speed is measured in bench/bench_startup.py and bench/bench_recommend.py): these tests
check the *causes* of a slow start. Each runs the real entry point ``whichai.cli.main:main`` in a
fresh process; an exit handler registered before it writes the names of the heavy packages that
process imported to a file. ``main`` runs the exit handlers before it ends the process, so this is
also a test that they still run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write_config, write_jsonl

HEAVY = ("openai", "anthropic", "google.genai", "llama_cpp", "plotly", "fastapi", "uvicorn", "pydantic", "rich")
SDKS = ("openai", "anthropic", "google.genai")

WRAPPER = """
import atexit, json, sys
REPORT = sys.argv[1]
def _report():
    with open(REPORT, "w") as fh:
        json.dump(sorted(m for m in {heavy!r} if m in sys.modules), fh)
atexit.register(_report)
sys.argv = ["whichai", *sys.argv[2:]]
from whichai.cli.main import main
main()
"""


def whichai(env: dict[str, str], tmp_path: Path, *args: str, timeout: float = 300) -> tuple[subprocess.CompletedProcess, list[str]]:
    """Run ``whichai ARGS`` through its real entry point; return the process and the heavy packages it imported."""
    report = tmp_path / "imported.json"
    report.unlink(missing_ok=True)
    proc = subprocess.run(
        [sys.executable, "-c", WRAPPER.format(heavy=HEAVY), str(report), *args],
        env=env, capture_output=True, text=True, timeout=timeout,
    )
    assert report.exists(), f"the exit handlers did not run (rc {proc.returncode}): {proc.stderr[-2000:]}"
    return proc, json.loads(report.read_text())


def test_help_imports_no_heavy_package(env, tmp_path):
    proc, imported = whichai(env, tmp_path, "--help")
    assert proc.returncode == 0, proc.stderr
    assert "recommend" in proc.stdout
    # rich renders typer's help; nothing else heavy may load for it (DESIGN.md §4: --help is instant)
    assert [m for m in imported if m != "rich"] == []


@pytest.mark.slow  # a fresh process per command (12)
def test_every_command_help_imports_no_heavy_package(env, tmp_path):
    for command in ("run", "ask", "runs", "models", "recommend", "report", "serve", "load", "tco", "compare", "catalog", "profile"):
        proc, imported = whichai(env, tmp_path, command, "--help")
        assert proc.returncode == 0, (command, proc.stderr)
        assert [m for m in imported if m not in ("rich", "pydantic")] == [], command


def test_recommend_json_imports_no_sdk_model_runtime_or_terminal_library(env, tmp_path):
    proc, imported = whichai(env, tmp_path, "recommend", "--profile", "hobbyist-laptop", "--json")
    assert proc.returncode == 0, proc.stderr
    document = json.loads(proc.stdout)  # flushed whole before the process ended
    assert document["schema"] == "whichai.decision/1" and document["ranking"]
    assert "pydantic" in imported  # the decision document is a pydantic model: the check sees imports
    for name in (*SDKS, "llama_cpp", "plotly", "fastapi", "uvicorn", "rich"):
        assert name not in imported, name


@pytest.mark.slow  # the embedded model loaded and answering in a fresh process
def test_local_only_run_imports_no_vendor_sdk(env, tmp_path):
    task = write_jsonl(tmp_path / "one.jsonl", [{"id": "q1", "input": "What is 2 + 2? Answer with a number.",
                                                  "expected": "4", "scorer": "contains"}])
    proc, imported = whichai(env, tmp_path, "run", "--task", str(task), "--models", "local/smollm2-135m-instruct",
                             "--limit", "1", "--db", str(tmp_path / "r.db"), "--json", "--no-report")
    assert proc.returncode in (0, 1), proc.stderr  # 1: the model answered wrongly; the run itself worked
    document = json.loads(proc.stdout)
    assert document["models"][0]["answered"] == 1 and "recommendation" in document
    assert "llama_cpp" in imported  # the embedded model ran in this process
    for name in SDKS:
        assert name not in imported, name


@pytest.mark.slow  # two runs in fresh processes, one importing the OpenAI SDK
def test_a_named_server_runs_without_the_sdk_and_the_vendor_api_with_it(env, tmp_path, fake):
    """The other side of the test above: a named OpenAI-compatible server is called through the lean wire
    client (no SDK imported, issue 24), while ``openai/…`` (the vendor's API, here pointed at the loopback
    server by an explicit config) goes through the official SDK, and the check sees it."""
    task = write_jsonl(tmp_path / "one.jsonl", [{"id": "q1", "input": "hello", "expected": "hello", "scorer": "contains"}])
    named = write_config(tmp_path / "whichai.toml", "fake", fake.base_url)
    proc, imported = whichai(env, tmp_path, "run", "--config", str(named), "--task", str(task), "--models", "fake/echo",
                             "--db", str(tmp_path / "r.db"), "--json", "--no-report")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["models"][0]["answered"] == 1
    assert "openai" not in imported and "llama_cpp" not in imported and "anthropic" not in imported
    vendor = write_config(tmp_path / "vendor.toml", "openai", fake.base_url)
    proc, imported = whichai({**env, "OPENAI_API_KEY": "sk-test-startup"}, tmp_path, "run", "--config", str(vendor), "--task",
                             str(task), "--models", "openai/echo", "--db", str(tmp_path / "v.db"), "--json", "--no-report")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["models"][0]["answered"] == 1
    assert "openai" in imported and "llama_cpp" not in imported


@pytest.mark.parametrize(("args", "status"), [
    (("recommend", "--profile", "no-such-profile"), 2),  # whichai's own input error
    (("recommend", "--no-such-option"), 2),  # a usage error from click
    (("--version",), 0),
])
def test_exit_status_survives_the_fast_exit(env, tmp_path, args, status):
    proc, _ = whichai(env, tmp_path, *args)
    assert proc.returncode == status, proc.stderr
    if args[0] == "recommend" and status == 2 and "--profile" in args:
        assert "Did you mean" not in proc.stdout and "no profile named" in proc.stderr
    if args == ("--version",):
        assert proc.stdout.startswith("whichai ")


def test_output_cut_short_by_the_reader_ends_quietly(env, tmp_path):
    """``whichai recommend --json | head -c 10``: the reader goes away; no traceback on stderr."""
    proc = subprocess.Popen([sys.executable, "-m", "whichai", "recommend", "--json"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(10) == b'{\n  "schem'
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert "Traceback" not in err, err
