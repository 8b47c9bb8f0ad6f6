"""Bad input: exit code 2, one clear message naming the file (and line) and the fix, no traceback,
and nothing written to the database."""

from __future__ import annotations

import pytest
from conftest import write_config


def _assert_bad_input(result, *needles: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    text = " ".join(result.stderr.split())
    for needle in needles:
        assert needle in text, (needle, result.stderr)
    assert "Fix" in text or "fix" in text or "Try" in text


BAD_TASKS = {
    "malformed.yaml": ("name: t\ncases:\n  - id: a\n    input: [unclosed\n", ["malformed.yaml:"]),
    "missing.yaml": ("name: t\ncases:\n  - id: a\n    expected: x\n", ["missing.yaml:3", "input"]),
    "scorer.yaml": ("name: t\ncases:\n  - id: a\n    input: hi\n    expected: x\n    scorer: telepathy\n", ["scorer.yaml:", "telepathy"]),
    "bad.jsonl": ('{"id": "a", "input": "hi", "expected": "x"}\n{"id": "b", "input": \n', ["bad.jsonl:2"]),
    "empty.jsonl": ("", ["empty.jsonl", "empty"]),
}


@pytest.mark.parametrize("name", sorted(BAD_TASKS))
def test_bad_task_files(cli, tmp_path, name):
    content, needles = BAD_TASKS[name]
    path = tmp_path / name
    path.write_text(content)
    db = tmp_path / "w.db"
    _assert_bad_input(cli("run", "--task", str(path), "--db", str(db), "--no-report"), *needles)
    assert not db.exists()


def test_binary_unreadable_and_missing_files(cli, tmp_path):
    db = tmp_path / "w.db"
    binary = tmp_path / "blob.jsonl"
    binary.write_bytes(b"\x00\x01\x02GGUF\xff\xfe")
    _assert_bad_input(cli("run", "--task", str(binary), "--db", str(db)), "blob.jsonl")
    _assert_bad_input(cli("run", "--task", str(tmp_path / "nope.yaml"), "--db", str(db)), "nope.yaml")
    locked = tmp_path / "locked.jsonl"
    locked.write_text('{"id": "a", "input": "hi", "expected": "x"}\n')
    locked.chmod(0)
    import os

    if os.geteuid() != 0:  # root reads anything
        _assert_bad_input(cli("run", "--task", str(locked), "--db", str(db)), "locked.jsonl")
    _assert_bad_input(cli("run", "--task", str(tmp_path), "--db", str(db)), str(tmp_path))
    assert not db.exists()


def test_unknown_model_and_provider(cli, tmp_path):
    db = tmp_path / "w.db"
    _assert_bad_input(cli("run", "--models", "nosuch/model", "--db", str(db)), "nosuch", "whichai.toml")
    _assert_bad_input(cli("run", "--models", "justaname", "--db", str(db)), "provider/model")
    _assert_bad_input(cli("run", "--models", "local/not-a-model", "--db", str(db)), "local/not-a-model")
    _assert_bad_input(cli("run", "--models", f"local/{tmp_path}/missing.gguf", "--db", str(db)), "missing.gguf")
    _assert_bad_input(cli("ask", "nosuch/model", "hi"), "nosuch")
    assert not db.exists()


def test_missing_key_names_the_variable(cli, tmp_path):
    db = tmp_path / "w.db"
    _assert_bad_input(cli("run", "--models", "openai/gpt-4.1-mini", "--db", str(db)), "OPENAI_API_KEY")
    _assert_bad_input(cli("run", "--models", "groq/llama-3.1-8b-instant", "--db", str(db)), "GROQ_API_KEY")
    assert not db.exists()


def test_bad_config_names_file_and_line(cli, tmp_path):
    config = tmp_path / "whichai.toml"
    config.write_text('[providers.x]\nbase_url = "http://127.0.0.1:1/v1"\nprice_usd_per_mtok = { input = "cheap", output = 1 }\n')
    _assert_bad_input(cli("run", "--config", str(config), "--models", "x/m"), "whichai.toml:3", "price_usd_per_mtok")
    config.write_text('[providers.x]\nbase_url = "http://127.0.0.1:1/v1\n')
    _assert_bad_input(cli("run", "--config", str(config), "--models", "x/m"), "whichai.toml:2")
    config.write_text('[providers.x]\napi_key = "sk-should-not-be-here"\n')
    _assert_bad_input(cli("run", "--config", str(config), "--models", "x/m"), "whichai.toml:2", "api_key")
    write_config(config, "x", "http://127.0.0.1:1/v1", api_key_env='"NOT A NAME"')
    _assert_bad_input(cli("run", "--config", str(config), "--models", "x/m"), "api_key_env")


def test_bad_options(cli, tmp_path):
    result = cli("run", "--concurrency", "0")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    _assert_bad_input(cli("run", "--models", "local/smollm2-135m-instruct,local/smollm2-135m-instruct", "--db", str(tmp_path / "w.db")), "twice")
    _assert_bad_input(cli("show", "nope", "--db", str(tmp_path / "none.db")), "none.db")
