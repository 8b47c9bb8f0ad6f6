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


def test_the_readme_documents_the_data_dir_and_its_examples_name_catalog_models():
    """Finding 10 and the README part of finding 9: WHICHAI_DATA_DIR and the shared run are documented,
    and every `serves = "..."` of the README is a model the catalog knows."""
    import re
    from pathlib import Path

    from whichai.catalog import load_catalog

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert "WHICHAI_DATA_DIR" in readme and "--db PATH" in readme and "one database run" in readme
    catalog = load_catalog()
    served = re.findall(r'^serves = "([^"]+)"', readme, flags=re.M)
    assert served and all(catalog.get(model) is not None for model in served), served
