"""Issue 22: a Basic-auth header's base64 (a user and password) echoed by a server was stored; now it is
redacted like any secret, in every text whichai stores or shows."""

from __future__ import annotations

import base64

from whichai.errors import redact


def test_basic_and_bearer_credentials_are_redacted():
    token = base64.b64encode(b"alice:correct horse battery").decode()
    text = f"401 from server; you sent Authorization: Basic {token} and authorization: bearer abcdefgh12345678"
    out = redact(text)
    assert token not in out and "abcdefgh12345678" not in out
    assert "Basic ***" in out and "bearer ***" in out


def test_ordinary_words_are_left_alone():
    for text in ("basic arithmetic is fine", "Bearer of bad news", "a basic answer"):
        assert redact(text) == text
