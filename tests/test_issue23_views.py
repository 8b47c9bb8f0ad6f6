"""Issue 23, finding 9: outputs that contradicted each other, through the real CLI.

- ``whichai models --search "gemini flash"`` missed gemini-3.5-flash, and ``--search apache-2.0`` found no
  licence where the dashboard did: one search (every word, any order), shared by both.
- ``whichai serve`` printed its URL, then failed on a port already taken.
"""

from __future__ import annotations

import json
import socket
import subprocess

from conftest import invoke

from whichai.app import search_catalog
from whichai.catalog import load_catalog
from whichai.catalog.listing import search_matches


def whichai(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return invoke(list(args))


def test_search_by_every_word_in_any_order():
    catalog = load_catalog()
    for text in ("gemini flash", "flash gemini", "GEMINI 3.5 flash"):
        assert "gemini/gemini-3.5-flash" in [r["id"] for r in search_catalog(catalog, text)], text
    assert not search_matches({"id": "gemini/gemini-3.5-flash", "name": "Gemini 3.5 Flash"}, "gemini pro")


def test_cli_and_dashboard_share_one_search():
    catalog = load_catalog()
    for text in ("gemini flash", "apache-2.0"):
        result = whichai("models", "--search", text, "--json")
        assert result.returncode == 0, result.stderr
        cli_ids = [row["id"] for row in json.loads(result.stdout)]
        assert cli_ids and cli_ids == [r["id"] for r in search_catalog(catalog, text)], text


def test_serve_on_a_taken_port_is_one_clear_error_before_any_url(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = whichai("serve", "--port", str(port), "--db", str(tmp_path / "w.db"))
    assert result.returncode == 2
    assert "http://" not in result.stderr + result.stdout  # no URL that does not work
    assert f"{port}" in result.stderr and "Fix:" in result.stderr and "Traceback" not in result.stderr


def test_a_finished_run_with_failures_is_not_partial_complete():
    from whichai.decide.explain import run_text

    run = {"id": "abc123", "status": "complete", "answered": 25, "calls": 30, "errors": 5, "cases": 30, "scored": 25, "partial": True}
    for lang in ("en", "id"):
        text = run_text(run, lang)
        assert "(complete)" not in text and "partial" in text or "belum lengkap" in text
        assert "(complete)" not in text
    assert "(interrupted)" in run_text({**run, "status": "interrupted"}, "en")
