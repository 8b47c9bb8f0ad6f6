"""``--lang`` is one option, defined once (whichai.cli.options): every command that has it validates it the
same way (exit 2, the fix named, before any work) and takes its default from the locale."""

from __future__ import annotations

import sys

import pytest

from whichai.cli import main

COMMANDS = (["recommend"], ["models"], ["tco"], ["report", "some-run"], ["serve"], ["run"], ["compare", "r", "a", "b"],
            ["gateway"], ["profile", "new"])


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0] if len(c) == 1 else " ".join(c[:2]))
def test_an_unknown_language_is_bad_input_with_the_fix(command, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["whichai", *command, "--lang", "fr"])
    assert main._run() == 2
    err = capsys.readouterr().err
    assert "'fr'" in err and "--lang en or --lang id" in err and "Traceback" not in err


def test_every_lang_option_is_the_shared_one():
    import typer.main

    command = typer.main.get_command(main.build_app())
    seen = []

    def walk(cmd, path):
        for sub_name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, [*path, sub_name])
        for param in getattr(cmd, "params", []):
            if "--lang" in getattr(param, "opts", ()):
                seen.append(" ".join(path))
                assert "default: from the locale" in (param.help or ""), path

    walk(command, [])
    assert len(seen) >= len(COMMANDS)


def test_the_default_follows_the_locale(monkeypatch):
    from whichai.cli.options import _language

    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    assert _language(None) == "en"
    monkeypatch.setenv("LANG", "id_ID.UTF-8")
    assert _language(None) == "id" and _language("EN") == "en"
