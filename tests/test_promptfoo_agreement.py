"""whichai's pass/fail per test case agrees with `promptfoo eval` itself, on the same config and answers.

Both read tests/fixtures/promptfoo/agreement/promptfooconfig.yaml; both ask the same loopback
OpenAI-compatible server, which replies with the text after "Reply exactly: " (so each test fixes its
answer). Skipped when promptfoo (npm: promptfoo@0.121.20) or Node is not installed. Slow: one eval run.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from conftest import write_config
from promptfoo_server import ReplyServer

FIXTURE = Path(__file__).parent / "fixtures" / "promptfoo" / "agreement"
ROOT = Path(__file__).resolve().parent.parent


def promptfoo_bin() -> str | None:
    for candidate in (ROOT / ".cache/promptfoo/node_modules/.bin/promptfoo", Path("/tmp/node_modules/.bin/promptfoo")):
        if candidate.exists():
            return str(candidate)
    return shutil.which("promptfoo")


def _copy_fixture(tmp: Path, base_url: str, fixture: Path = FIXTURE) -> Path:
    target = tmp / "suite"
    shutil.copytree(fixture, target)
    config = target / "promptfooconfig.yaml"
    config.write_text(config.read_text().replace("BASE_URL", base_url))
    return config


def _promptfoo_verdicts(binary: str, config: Path, tmp: Path, env: dict[str, str]) -> dict[str, bool]:
    out = tmp / "pf.json"
    pf_env = {**env, "OPENAI_API_KEY": "sk-test", "PROMPTFOO_DISABLE_TELEMETRY": "1", "PROMPTFOO_DISABLE_UPDATE": "1",
              "PROMPTFOO_CONFIG_DIR": str(tmp / "pfhome"), "PROMPTFOO_DISABLE_SHARING": "1", "NO_COLOR": "1"}
    done = subprocess.run([binary, "eval", "-c", str(config), "-o", str(out), "--no-cache", "--no-table", "--no-progress-bar"],
                          check=False, env=pf_env, capture_output=True, text=True, timeout=240, cwd=config.parent)
    assert out.exists(), done.stdout[-3000:] + done.stderr[-3000:]
    results = json.loads(out.read_text())["results"]["results"]
    return {r["vars"]["id"]: bool(r["success"]) for r in results}


def _whichai_verdicts(cli, config: Path, tmp: Path, base_url: str, **server: str) -> dict[str, bool]:
    toml = write_config(tmp / "whichai.toml", "det", base_url, **server)
    db = tmp / "w.db"
    # No --models: the config's provider (openai:chat:det with apiBaseUrl) maps to det/det, the server whichai.toml names.
    done = cli("run", "--task", str(config), "--config", str(toml), "--db", str(db), "--json", "--no-report")
    assert done.returncode in (0, 1), done.stderr
    from whichai.tasks.loader import load_task

    ids = {case.id: case.options["vars"]["id"] for case in load_task(str(config)).cases}
    rows = sqlite3.connect(db).execute("SELECT case_id, passed FROM results").fetchall()
    return {ids[case_id]: bool(passed) for case_id, passed in rows}


@pytest.mark.slow
def test_pass_fail_agrees_with_promptfoo_eval(cli, env, tmp_path):
    binary = promptfoo_bin()
    if binary is None or shutil.which("node") is None:
        pytest.skip("promptfoo or node is not installed (npm install promptfoo@0.121.20)")
    with ReplyServer() as server:
        config = _copy_fixture(tmp_path, server.base_url)
        theirs = _promptfoo_verdicts(binary, config, tmp_path, env)
        ours = _whichai_verdicts(cli, config, tmp_path, server.base_url)
    assert len(theirs) >= 35
    assert set(ours) == set(theirs)
    disagree = {k: (ours[k], theirs[k]) for k in theirs if ours[k] != theirs[k]}
    assert not disagree, f"whichai vs promptfoo (ours, theirs): {disagree}"
    assert 0 < sum(theirs.values()) < len(theirs)  # the suite has both outcomes


@pytest.mark.slow
def test_latency_and_cost_agree_with_promptfoo_eval(cli, env, tmp_path):
    """latency (the [slow] replies come 0.4 s late) and cost (gpt-4o-mini's prices on both sides) pass and
    fail as in promptfoo, negated too: the runner hands each answer's latency and cost to the scorer."""
    binary = promptfoo_bin()
    if binary is None or shutil.which("node") is None:
        pytest.skip("promptfoo or node is not installed (npm install promptfoo@0.121.20)")
    with ReplyServer() as server:
        config = _copy_fixture(tmp_path, server.base_url, FIXTURE.parent / "metrics")
        theirs = _promptfoo_verdicts(binary, config, tmp_path, env)
        ours = _whichai_verdicts(cli, config, tmp_path, server.base_url, price_usd_per_mtok="{ input = 0.15, output = 0.6 }")
    assert len(theirs) == 8 and set(ours) == set(theirs)
    disagree = {k: (ours[k], theirs[k]) for k in theirs if ours[k] != theirs[k]}
    assert not disagree, f"whichai vs promptfoo (ours, theirs): {disagree}"
    assert theirs == {"lat1": True, "lat2": False, "lat3": True, "lat4": False,
                      "cost1": True, "cost2": False, "cost3": True, "mix1": True}


RUN_UNCHANGED = [("python-assert-external", "promptfooconfig.yaml"), ("python-assert", "promptfooconfig-inline.yaml")]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "file"), RUN_UNCHANGED)
def test_promptfoo_examples_run_unchanged_and_agree(cli, env, tmp_path, name, file):
    """Examples from promptfoo's repository (copied unchanged) run through whichai with --models, and through
    promptfoo with --providers and OPENAI_BASE_URL, against the same loopback server: the verdicts agree."""
    binary = promptfoo_bin()
    source = FIXTURE.parent / "examples" / name
    with ReplyServer(default_reply="Bananas are yellow, bananas are long") as server:
        toml = write_config(tmp_path / "whichai.toml", "det", server.base_url)
        done = cli("run", "--task", str(source / file), "--models", "det/det", "--config", str(toml), "--db", str(tmp_path / "w.db"), "--json", "--no-report")
        assert done.returncode in (0, 1), done.stderr
        from whichai.tasks.loader import load_task

        topics = {case.id: case.options["vars"]["topic"] for case in load_task(str(source / file)).cases}
        ours = {topics[c]: bool(p) for c, p in sqlite3.connect(tmp_path / "w.db").execute("SELECT case_id, passed FROM results")}
        if binary is None or shutil.which("node") is None:
            pytest.skip("promptfoo or node is not installed (npm install promptfoo@0.121.20)")
        target = tmp_path / name
        shutil.copytree(source, target)
        out = tmp_path / "pf.json"
        pf_env = {**env, "OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": server.base_url, "PROMPTFOO_DISABLE_TELEMETRY": "1",
                  "PROMPTFOO_DISABLE_UPDATE": "1", "PROMPTFOO_CONFIG_DIR": str(tmp_path / "pfhome"), "NO_COLOR": "1"}
        run = subprocess.run([binary, "eval", "-c", str(target / file), "-r", "openai:chat:det", "-o", str(out), "--no-cache",
                              "--no-table", "--no-progress-bar"], check=False, env=pf_env, capture_output=True, text=True, timeout=240, cwd=target)
        assert out.exists(), run.stdout[-3000:] + run.stderr[-3000:]
    theirs = {r["vars"]["topic"]: bool(r["success"]) for r in json.loads(out.read_text())["results"]["results"]}
    assert ours == theirs
    assert theirs == ({t: True for t in theirs} if name == "python-assert-external" else {"bananas": True, "potatoes": False})
