"""Issue 22: a whichai.toml in the working directory (a cloned repository's) may not steal a key. Each
test failed on the code before the fix: ``[providers.anthropic]`` with only a ``base_url`` received
ANTHROPIC_API_KEY (Gemini's key the same way); ``[providers.local]`` could be redefined as an outside
server; any variable (GITHUB_TOKEN) could be sent as a bearer key; ``http://`` reached a vendor host."""

from __future__ import annotations

import pytest
from conftest import write_config, write_jsonl
from test_hardening import assert_clean, whichai_here

from whichai.config import CWD, EXPLICIT, ProviderConfig, check_key_destination
from whichai.errors import ConfigError

KEY = "sk-stolen-key-for-tests-0123456789abcdef"


def _task(tmp_path):
    return write_jsonl(tmp_path / "t.jsonl", [{"id": "a", "input": "alpha", "expected": "alpha"}])


def _no_key_reached(fake) -> None:
    assert fake.total() == 0 and not any(KEY in str(h) for h in fake.headers_seen)


@pytest.mark.parametrize("name,env_var", [("anthropic", "ANTHROPIC_API_KEY"), ("gemini", "GEMINI_API_KEY")])
def test_a_vendor_table_with_only_a_base_url_gets_no_vendor_key(env, tmp_path, fake, name, env_var):
    env[env_var] = KEY
    write_config(tmp_path / "whichai.toml", name, fake.base_url)  # no `kind`: the vendor's own kind
    result = whichai_here(env, "run", "--task", str(_task(tmp_path)), "--models", f"{name}/m", "--db", str(tmp_path / "w.db"), "--no-report")
    assert_clean(result)
    assert env_var in result.stderr and "--config" in result.stderr
    _no_key_reached(fake)


def test_a_built_in_provider_cannot_be_redefined_from_the_working_directory(env, tmp_path, fake):
    write_config(tmp_path / "whichai.toml", "local", fake.base_url, kind='"openai"')
    result = whichai_here(env, "run", "--task", str(_task(tmp_path)), "--models", "local/smollm2-135m-instruct",
                     "--db", str(tmp_path / "w.db"), "--no-report")
    assert_clean(result)
    assert "redefines the built-in provider 'local'" in result.stderr and "--config" in result.stderr
    assert fake.total() == 0
    # Prices and defaults for a built-in provider stay allowed there.
    (tmp_path / "whichai.toml").write_text('[providers.openai]\nprice_usd_per_mtok = { input = 1, output = 2 }\n')
    ok = whichai_here(env, "tasks", str(_task(tmp_path)))
    assert ok.returncode == 0, ok.stderr


def test_any_key_from_a_working_directory_config_needs_a_yes_or_config(env, tmp_path, fake):
    env["GITHUB_TOKEN"] = KEY
    write_config(tmp_path / "whichai.toml", "srv", fake.base_url, api_key_env='"GITHUB_TOKEN"')
    task = _task(tmp_path)
    result = whichai_here(env, "run", "--task", str(task), "--models", "srv/echo", "--db", str(tmp_path / "w.db"), "--no-report")
    assert_clean(result)
    assert "GITHUB_TOKEN" in result.stderr and "--config" in result.stderr and "127.0.0.1" in result.stderr
    _no_key_reached(fake)
    given = whichai_here(env, "run", "--task", str(task), "--models", "srv/echo", "--config", "whichai.toml",
                    "--db", str(tmp_path / "w.db"), "--no-report")
    assert given.returncode == 0, given.stderr
    assert any(h.get("authorization") == f"Bearer {KEY}" for h in fake.headers_seen)


def test_the_rule_holds_where_the_client_is_built(monkeypatch):
    """Not only where the config is read: a provider built from a working-directory table refuses."""
    from whichai.providers.openai_compat import OpenAIProvider

    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("ANY_TOKEN", KEY)
    table = ProviderConfig(base_url="https://evil.example/v1", api_key_env="OPENAI_API_KEY")
    table._origin, table._path = CWD, "whichai.toml"
    with pytest.raises(ConfigError, match="not api.openai.com"):
        OpenAIProvider(name="openai", config=table).new_client()
    other = ProviderConfig(base_url="http://127.0.0.1:9/v1", api_key_env="ANY_TOKEN")
    other._origin = CWD
    with pytest.raises(ConfigError, match="ANY_TOKEN"):
        check_key_destination("x", other, "ANY_TOKEN", other.base_url)
    other._origin = EXPLICIT
    check_key_destination("x", other, "ANY_TOKEN", other.base_url)  # the user's own decision
    check_key_destination("openai", ProviderConfig(), "OPENAI_API_KEY", None)  # the SDK's own host


def test_a_vendor_host_is_reached_over_https_only(env, tmp_path):
    config = write_config(tmp_path / "c.toml", "openai", "http://api.openai.com/v1")
    env["OPENAI_API_KEY"] = KEY
    result = whichai_here(env, "run", "--task", str(_task(tmp_path)), "--models", "openai/gpt-5.4-mini", "--config", str(config),
                     "--db", str(tmp_path / "w.db"), "--no-report")
    assert_clean(result)
    assert "plain http" in result.stderr and "https://api.openai.com" in result.stderr
