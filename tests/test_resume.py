"""A run killed with SIGKILL part way loses no finished result, and the same command then runs only the rest."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from conftest import write_config, write_jsonl


@pytest.mark.slow  # a whichai process killed or interrupted, then run again
def test_sigkill_then_rerun_asks_only_for_the_rest(env, tmp_path):
    from fakeopenai import FakeOpenAI

    cases = [{"id": f"c{i:02d}", "input": f"question {i}", "expected": f"question {i}", "scorer": "contains"} for i in range(30)]
    task = write_jsonl(tmp_path / "t.jsonl", cases)
    db = tmp_path / "w.db"
    with FakeOpenAI(delay=0.15) as fake:
        config = write_config(tmp_path / "whichai.toml", "fake", fake.base_url)
        command = [sys.executable, "-m", "whichai", "run", "--task", str(task), "--models", "fake/echo",
                   "--config", str(config), "--concurrency", "2", "--db", str(db), "--json", "--no-report"]
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.time() + 60
        stored = 0
        while time.time() < deadline:
            if db.exists():
                try:
                    stored = sqlite3.connect(db).execute("SELECT COUNT(*) FROM results").fetchone()[0]
                except sqlite3.OperationalError:
                    stored = 0
            if stored >= 8:
                break
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        assert 8 <= stored < 30
        kept = {row[0]: row[1] for row in sqlite3.connect(db).execute("SELECT case_id, answer FROM results WHERE status = 'ok'")}
        asked_before = fake.total()
        assert len(kept) >= 8 and asked_before >= len(kept)

        again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        assert again.returncode == 0, again.stderr
        document = json.loads(again.stdout)
        assert document["resumed"] is True and document["reused_results"] == len(kept)
        assert document["models"][0]["passed"] == 30
        # Only the cases without a stored result were asked for again.
        assert fake.total() - asked_before == 30 - len(kept)
        asked_twice = {prompt for (_, prompt), n in fake.requests.items() if n > 1}
        assert all(f"question {int(cid[1:])}" not in asked_twice for cid in kept)
        rows = dict(sqlite3.connect(db).execute("SELECT case_id, answer FROM results"))
        assert len(rows) == 30 and all(rows[cid] == answer for cid, answer in kept.items())


@pytest.mark.slow  # a whichai process interrupted (test_ctrl_c_then_rerun_asks_only_for_the_rest checks the same and more)
def test_ctrl_c_stops_cleanly_and_keeps_what_finished(env, tmp_path):
    from fakeopenai import FakeOpenAI

    cases = [{"id": f"c{i:02d}", "input": f"question {i}", "expected": f"question {i}"} for i in range(40)]
    task = write_jsonl(tmp_path / "t.jsonl", cases)
    db = tmp_path / "w.db"
    with FakeOpenAI(delay=0.2) as fake:
        config = write_config(tmp_path / "whichai.toml", "fake", fake.base_url)
        command = [sys.executable, "-m", "whichai", "run", "--task", str(task), "--models", "fake/echo",
                   "--config", str(config), "--concurrency", "2", "--db", str(db), "--no-report"]
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 60
        while time.time() < deadline and fake.total() < 6:
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert "Traceback" not in err and "Interrupted" in err and "same command" in err
    connection = sqlite3.connect(db)
    stored = connection.execute("SELECT COUNT(*) FROM results WHERE status = 'ok'").fetchone()[0]
    assert stored >= 4
    assert connection.execute("SELECT status FROM runs").fetchone()[0] == "interrupted"


@pytest.mark.slow  # a whichai process killed or interrupted, then run again
def test_ctrl_c_then_rerun_asks_only_for_the_rest(env, tmp_path):
    """Ctrl-C mid-run (calls in flight, results waiting in the writer's batch) keeps every finished result,
    exits at once with 130 (the interrupted exit skips tearing down the heap but still closes the database:
    no write-ahead log is left), and the same command asks only for the cases without a stored result."""
    from fakeopenai import FakeOpenAI

    cases = [{"id": f"c{i:03d}", "input": f"question {i}", "expected": f"question {i}"} for i in range(200)]
    task = write_jsonl(tmp_path / "t.jsonl", cases)
    db = tmp_path / "w.db"
    with FakeOpenAI(delay=0.05) as fake:
        config = write_config(tmp_path / "whichai.toml", "fake", fake.base_url)
        command = [sys.executable, "-m", "whichai", "run", "--task", str(task), "--models", "fake/echo",
                   "--config", str(config), "--concurrency", "8", "--db", str(db), "--json", "--no-report"]
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 60
        while time.time() < deadline and fake.total() < 40:
            time.sleep(0.02)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
        assert process.returncode == 130, err
        assert "Traceback" not in err and "Interrupted" in err
        assert not (tmp_path / "w.db-wal").exists() or (tmp_path / "w.db-wal").stat().st_size == 0
        connection = sqlite3.connect(db)
        kept = {row[0] for row in connection.execute("SELECT case_id FROM results WHERE status = 'ok'")}
        assert connection.execute("SELECT status FROM runs").fetchone()[0] == "interrupted"
        connection.close()
        assert 0 < len(kept) < 200
        asked_before = fake.total()

        again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        assert again.returncode == 0, again.stderr
        document = json.loads(again.stdout)
        assert document["resumed"] is True and document["reused_results"] == len(kept)
        assert document["models"][0]["passed"] == 200
        assert fake.total() - asked_before == 200 - len(kept)
        asked_twice = {prompt for (_, prompt), n in fake.requests.items() if n > 1}
        assert all(f"question {int(cid[1:])}" not in asked_twice for cid in kept)
