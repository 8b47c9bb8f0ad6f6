"""A provider is one module registered through the ``whichai.providers`` entry point (issue 21).

The provider below is written here, in the tests, and installed the way a third-party plugin is: a
distribution on ``sys.path`` (a ``dist-info`` folder with ``entry_points.txt``) naming its class. No file
of whichai is edited, and ``whichai ask`` and ``whichai run`` reach it; its key variable, the key's host
and its error classification come from its class, and whichai.toml's ``kind`` accepts it.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from conftest import run_cli, write_jsonl

PLUGIN = '''
import os
from dataclasses import dataclass

from whichai.config import check_key_destination
from whichai.errors import ConfigError, FatalCallError
from whichai.providers.base import Chunk, Provider


@dataclass
class EchoProvider(Provider):
    """Answers with the last word of the prompt; model "broken" fails."""

    api_key_vars = ("TOY_API_KEY",)
    vendor_hosts = {"TOY_API_KEY": ("api.toy.example",)}

    kind: str = "toy"

    def check(self, model):
        if not os.environ.get("TOY_API_KEY"):
            raise ConfigError(f"{self.name}/{model} needs an API key. Fix: set the environment variable TOY_API_KEY.")
        check_key_destination(self.name, self.config, "TOY_API_KEY", getattr(self.config, "base_url", None), ask=True)

    async def stream(self, model, messages, settings):
        if model == "broken":
            raise RuntimeError("the toy server refused the key")
        yield Chunk(text=messages[-1]["content"].split()[-1])
        yield Chunk(finish_reason="stop", input_tokens=5, output_tokens=1)

    def classify(self, exc):
        return FatalCallError(f"toy: {exc}", error_class="auth")
'''

CASES = [{"id": "a", "input": "Answer with one word: Paris", "expected": "Paris"},
         {"id": "b", "input": "Answer with one word: Rome", "expected": "Rome"}]


@pytest.fixture
def plugin_env(env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """The environment of a process in which the toy provider is installed as a plugin."""
    site = tmp_path / "site"
    (site / "toy_whichai_plugin-0.1.dist-info").mkdir(parents=True)
    (site / "toy_whichai_plugin.py").write_text(PLUGIN)
    info = site / "toy_whichai_plugin-0.1.dist-info"
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: toy-whichai-plugin\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[whichai.providers]\ntoy = toy_whichai_plugin:EchoProvider\n")
    return {**env, "PYTHONPATH": os.pathsep.join(filter(None, [str(site), env.get("PYTHONPATH")])),
            "TOY_API_KEY": "toy-secret-value-123"}


def test_ask_reaches_a_plugin_provider(plugin_env):
    result = run_cli(["ask", "toy/echo", "Say: hello", "--json"], plugin_env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["answer"] == "hello"


def test_run_measures_a_plugin_provider_and_uses_its_classification(plugin_env, tmp_path):
    task = write_jsonl(tmp_path / "t.jsonl", CASES)
    db = tmp_path / "w.db"
    result = run_cli(["run", "--task", str(task), "--models", "toy/echo,toy/broken", "--retries", "0",
                      "--db", str(db), "--json", "--no-report"], plugin_env)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr  # 1: a partial run
    by_model = {m["model"]: m for m in json.loads(result.stdout)["models"]}
    assert by_model["toy/echo"]["pass_rate"] == 1.0 and by_model["toy/broken"]["errors"] == 2
    rows = sqlite3.connect(db).execute("SELECT model, status, error_class FROM results ORDER BY model, case_id").fetchall()
    # toy/broken's failure is classified by the plugin's classify() (auth: never retried), not a generic error
    assert rows == [("toy/broken", "error", "auth")] * 2 + [("toy/echo", "ok", None)] * 2


def test_the_plugin_owns_its_key_variable(plugin_env, tmp_path):
    plugin_env = {k: v for k, v in plugin_env.items() if k != "TOY_API_KEY"}
    result = run_cli(["ask", "toy/echo", "hi"], plugin_env)
    assert result.returncode == 2 and "TOY_API_KEY" in result.stderr and "Traceback" not in result.stderr


def test_config_kind_is_checked_against_installed_plugins(plugin_env, tmp_path):
    config = tmp_path / "mine.toml"
    config.write_text('[providers.mine]\nkind = "toy"\n')
    ok = run_cli(["ask", "mine/echo", "Say: hi", "--json", "--config", str(config)], plugin_env)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["answer"] == "hi"
    config.write_text('[providers.mine]\nkind = "tyo"\n')
    bad = run_cli(["ask", "mine/echo", "hi", "--config", str(config)], plugin_env)
    assert bad.returncode == 2 and "did you mean 'toy'?" in bad.stderr and "Traceback" not in bad.stderr


def test_the_key_destination_rule_applies_to_a_plugin_key(plugin_env, tmp_path):
    # A config found in the working directory may not send the plugin's vendor key to another host.
    (tmp_path / "whichai.toml").write_text('[providers.mine]\nkind = "toy"\nbase_url = "https://collector.example/v1"\n')
    result = run_cli(["ask", "mine/echo", "hi"], plugin_env)
    assert result.returncode == 2 and "TOY_API_KEY" in result.stderr and "api.toy.example" in result.stderr
    assert "toy-secret-value-123" not in result.stderr + result.stdout
