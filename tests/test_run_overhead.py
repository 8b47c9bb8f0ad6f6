"""What the 1-case run's overhead work (issue 8, speed) must not change.

``start_loading`` imports llama_cpp in the caller's thread and leaves only llama.cpp's load to its
thread: an import that fails still fails the load for every user of it, with its own error, and
starts no thread. ``whichai run --json`` writes the decision document model through print_json's
serialiser instead of its ``to_json()`` dict: the same JSON, byte for byte.
"""

from __future__ import annotations

import sys
import threading

import pytest
from pydantic_core import to_json

from whichai.providers import local


def test_a_failed_llama_cpp_import_fails_the_load_for_everyone_and_starts_no_thread(tmp_path, monkeypatch):
    model = tmp_path / "model.gguf"
    model.write_bytes(b"GGUF" + b"\x00" * 64)
    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # what Python does when the import cannot complete
    before = {t.ident for t in threading.enumerate() if t.name == "whichai-load-model"}
    local.start_loading(model)
    started = {t.ident for t in threading.enumerate() if t.name == "whichai-load-model"} - before
    assert not started
    for _ in range(2):  # the same error for every later user, not a hang or a None
        with pytest.raises(ImportError, match="llama_cpp"):
            local.load_llama(model)
    local._MODELS.pop(model, None)


def test_the_json_of_the_document_model_is_the_json_of_its_dict():
    from whichai import app

    recommendation = app.recommend(None, lang="en")
    as_model = to_json({"recommendation": recommendation.document()}, indent=2, fallback=str)
    as_dict = to_json({"recommendation": recommendation.to_json()}, indent=2, fallback=str)
    assert as_model == as_dict


def test_bad_input_found_while_the_model_loads_is_still_reported(cli, tmp_path):
    """llama-cpp-python silences the process's stderr while it loads a model: a bad profile (checked while
    the embedded model loads) must still reach the user, with exit code 2 and nothing written."""
    task = tmp_path / "one.jsonl"
    task.write_text('{"id": "q1", "input": "Capital of Indonesia? One word.", "expected": "Jakarta"}\n')
    db = tmp_path / "w.db"
    result = cli("run", "--task", str(task), "--models", "local/smollm2-135m-instruct", "--profile",
                 str(tmp_path / "missing-profile.yaml"), "--db", str(db), "--json", "--no-report")
    assert result.returncode == 2, result.stderr
    assert "missing-profile.yaml" in result.stderr and result.stdout == ""
    assert not db.exists()
