"""``local/hf:OWNER/REPO...``: GGUF files fetched through huggingface_hub from a loopback server that
speaks the hub's download protocol (tests/fakehub.py), then run for real with llama-cpp-python."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from conftest import free_port, invoke
from fakehub import FakeHub

from whichai.errors import ConfigError
from whichai.providers.hub import DEFAULT_QUANT, HubRef, parse_ref, pick_files, quant_matches
from whichai.providers.local import embedded_model_path

REPO = "TestOrg/SmolLM2-135M-Instruct-GGUF"
GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"


def _repos() -> dict:
    return {REPO: {"README.md": b"# SmolLM2 GGUF\n", GGUF: embedded_model_path(), "SmolLM2-135M-Instruct.Q8_0.gguf": b"GGUF-not-fetched"}}


@pytest.fixture
def hub_env(env, tmp_path):
    env = dict(env)
    env["HF_HOME"] = str(tmp_path / "hf")
    env.pop("HF_HUB_OFFLINE", None)
    env.pop("HF_TOKEN", None)
    env["HF_HUB_DISABLE_TELEMETRY"] = "1"
    return env


def _cli(env, *args, timeout=300):
    """A process of its own: huggingface_hub reads HF_HOME, HF_ENDPOINT and HF_HUB_OFFLINE when it is imported."""
    from conftest import run_cli

    return run_cli(list(args), env, timeout=timeout)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_parse_refs():
    assert parse_ref("hf:a/b/c.gguf") == HubRef("a/b", filename="c.gguf")
    assert parse_ref("hf:a/b/sub/dir/c.GGUF") == HubRef("a/b", filename="sub/dir/c.GGUF")
    assert parse_ref("hf:a/b:Q8_0") == HubRef("a/b", quant="Q8_0")
    assert parse_ref("hf:a/b") == HubRef("a/b", quant=DEFAULT_QUANT)
    assert parse_ref("hf:a/b@v1.0:Q4_0") == HubRef("a/b", quant="Q4_0", revision="v1.0")
    for bad in ("hf:a", "hf:a/b/readme.md", "hf:/b:Q4", "hf:a/b:", "hf:a b/c:Q4"):
        with pytest.raises(ConfigError, match="Fix:"):
            parse_ref(bad)


def test_quantisation_picks_the_file_or_all_parts_of_a_split_file():
    assert quant_matches("Llama-3.2-1B-Instruct-Q4_K_M.gguf", "q4_k_m")
    assert quant_matches("model.Q4_K_M.gguf", "Q4_K_M")
    assert not quant_matches("model-Q4_K_M.gguf", "Q4_K")  # a prefix of another quantisation is not a match
    files = ["README.md", "x-Q4_K_M.gguf", "x-Q8_0.gguf", "mmproj-x-Q4_K_M.gguf",
             "Q6_K/x-Q6_K-00002-of-00002.gguf", "Q6_K/x-Q6_K-00001-of-00002.gguf"]
    assert pick_files(files, HubRef("o/r", quant="Q4_K_M")) == ["x-Q4_K_M.gguf"]
    assert pick_files(files, HubRef("o/r", quant="Q6_K")) == ["Q6_K/x-Q6_K-00001-of-00002.gguf", "Q6_K/x-Q6_K-00002-of-00002.gguf"]
    with pytest.raises(ConfigError, match=r"no Q5_K_M GGUF file.*Q4_K_M, Q6_K, Q8_0"):
        pick_files(files, HubRef("o/r", quant="Q5_K_M"))


@pytest.mark.slow  # 100 MB through the fake hub, then the embedded model loaded by three processes
def test_download_resumes_verifies_runs_and_then_works_offline(hub_env, tmp_path):
    cut = 25_000_000  # past two of huggingface_hub's 10 MiB chunks: those are kept, the rest is asked for with a Range
    with FakeHub(_repos(), cut_first=cut) as hub:
        hub_env["HF_ENDPOINT"] = hub.endpoint
        model = f"local/hf:{REPO}:Q4_1"
        result = _cli(hub_env, "run", "--models", model, "--task", str(_task(tmp_path)), "--max-tokens", "8",
                      "--db", str(tmp_path / "w.db"), "--json", "--no-report")
        assert result.returncode == 0, result.stderr
        [summary] = json.loads(result.stdout)["models"]
        assert summary["model"] == model and summary["cases"] == 1 and summary["errors"] == 0
        assert summary["output_tokens_per_s"] > 0  # the downloaded file really ran
        # The repo's name links it to its catalog entry; it runs on this machine.
        assert summary["serves"] == "local/smollm2-135m-instruct" and summary["hardware"] == "this-machine"
        assert "Fetching SmolLM2-135M-Instruct.Q4_1.gguf" in result.stderr
        # The file list came from the repo API, the file from the CDN; the cut transfer resumed with a Range.
        assert hub.requests("GET", "/api/models/" + REPO)
        ranges = [r for _, _, r in hub.requests("GET", "/cdn/")]
        assert ranges[0] is None and ranges[1] == f"bytes={2 * 10 * 1024 * 1024}-", ranges
        assert not hub.requests(prefix=f"/{REPO}/resolve/main/SmolLM2-135M-Instruct.Q8_0.gguf")
    [cached] = (tmp_path / "hf").rglob(GGUF)
    assert _sha(cached) == _sha(embedded_model_path())
    # The server is gone: offline, the cached file still answers (the file list comes from the cache).
    hub_env["HF_HUB_OFFLINE"] = "1"
    again = _cli(hub_env, "ask", f"local/hf:{REPO}:Q4_1", "Say hi", "--max-tokens", "4", "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["output_tokens"] > 0
    by_file = _cli(hub_env, "ask", f"local/hf:{REPO}/{GGUF}", "Say hi", "--max-tokens", "4", "--json")
    assert by_file.returncode == 0, by_file.stderr


def test_offline_without_the_file_names_the_fix(hub_env):
    hub_env["HF_HUB_OFFLINE"] = "1"
    result = _cli(hub_env, "ask", f"local/hf:{REPO}:Q4_1", "hi", "--max-tokens", "2")
    assert result.returncode == 2
    assert "HF_HUB_OFFLINE" in result.stderr and "Fix:" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow  # waits out huggingface_hub's five retries (1+2+4+8+8 s) before the message
def test_unreachable_hub_names_the_fix(hub_env):
    hub_env["HF_ENDPOINT"] = f"http://127.0.0.1:{free_port()}"
    hub_env["HF_HUB_ETAG_TIMEOUT"] = "2"
    result = _cli(hub_env, "ask", f"local/hf:{REPO}/{GGUF}", "hi", "--max-tokens", "2")
    assert result.returncode == 2, result.stderr
    assert "cannot reach the Hugging Face Hub" in result.stderr and "HF_ENDPOINT" in result.stderr


def test_corrupted_download_is_detected_and_deleted(hub_env, tmp_path):
    with FakeHub(_repos(), corrupt=True) as hub:
        hub_env["HF_ENDPOINT"] = hub.endpoint
        result = _cli(hub_env, "ask", f"local/hf:{REPO}/{GGUF}", "hi", "--max-tokens", "2")
    assert result.returncode == 1, result.stderr
    assert "arrived corrupted" in result.stderr and "run the same command again" in result.stderr
    assert not [p for p in (tmp_path / "hf").rglob("*") if p.is_file() and p.stat().st_size > 1_000_000]


def test_unknown_repo_quantisation_and_file_are_bad_input(hub_env):
    with FakeHub(_repos()) as hub:
        hub_env["HF_ENDPOINT"] = hub.endpoint
        no_repo = _cli(hub_env, "ask", "local/hf:TestOrg/nope:Q4_1", "hi")
        no_quant = _cli(hub_env, "ask", f"local/hf:{REPO}:Q5_K_M", "hi")
        no_file = _cli(hub_env, "ask", f"local/hf:{REPO}/missing.gguf", "hi")
    assert no_repo.returncode == 2 and "no model repo TestOrg/nope" in no_repo.stderr
    assert no_quant.returncode == 2 and "Q4_1, Q8_0" in no_quant.stderr
    assert no_file.returncode == 2 and "has no file 'missing.gguf'" in no_file.stderr


@pytest.mark.slow  # the embedded model answers twice
def test_absolute_and_home_paths_after_local(hub_env, tmp_path):
    home = tmp_path / "home"
    (home / "models").mkdir(parents=True)
    (home / "models" / "small.gguf").symlink_to(embedded_model_path())
    hub_env["HOME"] = str(home)  # no hub here: in process (conftest.invoke)
    absolute = invoke(["ask", f"local/{home}/models/small.gguf", "hi", "--max-tokens", "2", "--json"], hub_env)
    assert absolute.returncode == 0, absolute.stderr
    tilde = invoke(["ask", "local/~/models/small.gguf", "hi", "--max-tokens", "2", "--json"], hub_env)
    assert tilde.returncode == 0, tilde.stderr
    # Written without the second slash, the path is relative; the message says how to write the absolute one.
    relative = invoke(["ask", f"local/{str(home)[1:]}/models/small.gguf", "hi", "--max-tokens", "2"], hub_env)
    assert relative.returncode == 2 and f"local/{home}/models/small.gguf (two slashes)" in relative.stderr


def _task(tmp_path: Path) -> Path:
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"id": "cap", "input": "Capital of France? One word.", "expected": "Paris", "scorer": "contains"}) + "\n")
    return path


