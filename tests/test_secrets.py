"""A key set in the environment is used for the call and never appears in the database, the output,
the logs or an error message."""

from __future__ import annotations

import json

from conftest import write_config, write_jsonl

SECRET = "sk-whichai-test-SECRET-0123456789abcdef"


def test_key_never_leaks(cli, env, tmp_path, fake):
    env["FAKE_API_KEY"] = SECRET
    task = write_jsonl(tmp_path / "t.jsonl", [
        {"id": "a", "input": "alpha", "expected": "alpha"},
        {"id": "b", "input": "beta", "expected": "x"},
    ])
    config = write_config(tmp_path / "whichai.toml", "fake", fake.base_url, api_key_env='"FAKE_API_KEY"')
    db = tmp_path / "w.db"
    outputs = []
    for models in ("fake/echo", "fake/auth"):
        result = cli("run", "--task", str(task), "--models", models, "--config", str(config), "--db", str(db),
                     "--retries", "0", "--json")
        outputs += [result.stdout, result.stderr]
        assert result.returncode in (0, 1), result.stderr
        document = json.loads(result.stdout)
        report = document.get("report_path")
        if report:
            outputs.append(open(report, encoding="utf-8").read())
    human = cli("show", json.loads(outputs[0])["run_id"], "--db", str(db))
    outputs += [human.stdout, human.stderr]
    # The key was sent to the server, as a bearer token.
    assert any(h.get("authorization") == f"Bearer {SECRET}" for h in fake.headers_seen)
    # ...and is nowhere else, even when the server's error body quotes it back.
    for text in outputs:
        assert SECRET not in text
    for path in tmp_path.rglob("*"):
        if path.is_file() and path.suffix in (".db", ".db-wal", ".html", ".json", ".md", ".log"):
            assert SECRET.encode() not in path.read_bytes(), path
