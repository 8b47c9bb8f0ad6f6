"""Issue 23 through the real CLI: no network ends in one message (finding 8)."""

from __future__ import annotations

from conftest import free_port, write_jsonl


def test_a_hub_model_without_network_ends_in_one_message_not_a_traceback(cli, env, tmp_path):
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens: every connection is refused, as offline
    env.update(HTTPS_PROXY=dead, HTTP_PROXY=dead, HF_HOME=str(tmp_path / "hf"), NO_PROXY="")
    env.pop("HF_HUB_OFFLINE", None)
    cases = write_jsonl(tmp_path / "c.jsonl", [{"id": "c1", "input": "hi", "expected": "hi", "scorer": "contains"}])
    result = cli("run", "--task", str(cases), "--models", "local/hf:Qwen/Qwen2.5-7B-Instruct-GGUF:Q4_K_M", timeout=120)
    assert result.returncode in (1, 2), result.stderr
    assert "Traceback" not in result.stderr and "Fix:" in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 3, result.stderr
