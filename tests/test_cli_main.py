"""The entry point: a bug of whichai's own ends in one line naming where, never a traceback (issue 21:
no traceback reaches a user); ``WHICHAI_DEBUG=1`` shows it; the exit status is 1."""

from __future__ import annotations

import pytest

from whichai.cli import main


def _boom(argv):
    def app():
        raise KeyError("unknown")

    return app


def test_an_unexpected_exception_is_one_line_with_the_place(monkeypatch, capsys):
    monkeypatch.setattr(main, "_app_for", _boom)
    monkeypatch.delenv("WHICHAI_DEBUG", raising=False)
    assert main._run() == 1
    err = capsys.readouterr().err
    assert err.startswith("Internal error (a bug in whichai) at test_cli_main.py:") and "KeyError" in err
    assert "Traceback" not in err and err.count("\n") == 1


def test_whichai_debug_shows_the_traceback(monkeypatch, capsys):
    monkeypatch.setattr(main, "_app_for", _boom)
    monkeypatch.setenv("WHICHAI_DEBUG", "1")
    assert main._run() == 1
    assert "Traceback" in capsys.readouterr().err


def test_main_exits_with_the_status(monkeypatch):
    monkeypatch.setattr(main, "_run", lambda: 2)
    with pytest.raises(SystemExit) as done:
        main.main()
    assert done.value.code == 2
