"""Repeated trials behind the figures of docs/security.md: runs killed with SIGKILL at random points, and
the same run started in several processes at once. ``WHICHAI_TRIALS=N`` runs N of each (default 2).

SIGKILL: nothing stored is lost or changed, and no case whose result was stored is asked again; calls in
flight at the kill were never stored, so they are asked again (counted apart: ``in_flight_reasked``).
Concurrent processes: every case is asked exactly once across all processes (none paid twice)."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from conftest import write_config, write_jsonl
from test_hardening import concurrent_trial

TRIALS = int(os.environ.get("WHICHAI_TRIALS", "2"))


def sigkill_trial(env, tmp_path, rng: random.Random) -> dict[str, int]:
    from fakeopenai import FakeOpenAI

    cases = 30
    task = write_jsonl(tmp_path / "t.jsonl", [{"id": f"c{i:02d}", "input": f"question {i}", "expected": f"question {i}"}
                                              for i in range(cases)])
    db = tmp_path / "w.db"
    kill_after = rng.randint(2, 24)
    with FakeOpenAI(delay=rng.choice([0.05, 0.1, 0.2])) as fake:
        config = write_config(tmp_path / "c.toml", "fake", fake.base_url)
        command = [sys.executable, "-m", "whichai", "run", "--task", str(task), "--models", "fake/echo", "--config", str(config),
                   "--concurrency", str(rng.choice([1, 3, 6])), "--db", str(db), "--json", "--no-report"]
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.time() + 60
        stored = 0
        while time.time() < deadline and stored < kill_after:
            try:
                stored = sqlite3.connect(db).execute("SELECT COUNT(*) FROM results").fetchone()[0] if db.exists() else 0
            except sqlite3.OperationalError:
                stored = 0
            time.sleep(0.01)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        kept = dict(sqlite3.connect(db).execute("SELECT case_id, answer FROM results WHERE status = 'ok'"))
        asked_before = dict(fake.requests)
        again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        assert again.returncode == 0, again.stderr[-2000:]
        after = dict(sqlite3.connect(db).execute("SELECT case_id, answer FROM results"))
        asked_after = dict(fake.requests)
    prompt = {f"c{i:02d}": f"question {i}" for i in range(cases)}
    reasked = {cid for cid in prompt if asked_after.get(("echo", prompt[cid]), 0) > asked_before.get(("echo", prompt[cid]), 0)}
    return {
        "stored_at_kill": len(kept),
        "results_lost": sum(1 for cid, answer in kept.items() if after.get(cid) != answer),
        "calls_repeated": len(reasked & set(kept)),
        "in_flight_reasked": sum(1 for cid in reasked - set(kept) if asked_before.get(("echo", prompt[cid]), 0)),
        "complete": int(len(after) == cases and json.loads(again.stdout)["models"][0]["passed"] == cases),
    }


@pytest.mark.slow  # repeated trials of whichai processes killed or racing
@pytest.mark.parametrize("trial", range(TRIALS))
def test_sigkill_loses_nothing_and_repeats_no_stored_call(env, tmp_path, trial):
    figures = sigkill_trial(env, tmp_path, random.Random(1000 + trial))
    print(f"sigkill trial {trial}: {figures}")
    assert figures["results_lost"] == 0 and figures["calls_repeated"] == 0 and figures["complete"] == 1


@pytest.mark.slow  # repeated trials of whichai processes killed or racing
@pytest.mark.parametrize("trial", range(TRIALS))
def test_concurrent_processes_never_pay_a_case_twice(env, tmp_path, trial):
    processes = 2 + trial % 2
    results, counts = concurrent_trial(env, tmp_path, processes=processes, cases=24)
    paid_twice = sum(1 for n in counts.values() if n > 1)
    calls = [json.loads(r.stdout)["calls"] for r in results if r.returncode == 0]
    print(f"concurrency trial {trial}: processes={processes} calls per process={calls} paid_twice={paid_twice}")
    assert all(r.returncode == 0 and "Traceback" not in r.stderr for r in results)
    assert paid_twice == 0 and len(counts) == 24 and sum(calls) == 24
