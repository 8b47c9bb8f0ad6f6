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


def test_the_quick_check_finds_every_scheme_the_header_pattern_does():
    """redact skips the header pattern where neither "basic" nor "bearer" occurs in any case: that check must
    hold for every text the pattern would match, with the letters IGNORECASE folds (ſ for s; İ and ı for i)."""
    import random
    import re
    import sys

    from whichai.errors import _AUTH_HEADER, _FOLDED, _may_name_a_scheme

    cased = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).lower() != chr(c) or chr(c).upper() != chr(c)]  # what IGNORECASE can fold
    for letter in "basicer":  # the letters that match one of the words' besides its two ASCII cases are exactly _FOLDED
        others = {ch for ch in cased if re.fullmatch("(?i)" + letter, ch)} - {letter, letter.upper()}
        assert others <= set(_FOLDED), (letter, others)
    rng = random.Random(7)
    alphabet = "bBaAsSſiIİıcCeErR \t\nxz09+/_.~-=K"
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert _may_name_a_scheme(text) or not _AUTH_HEADER.search(text), text
    assert redact("BEARER abcdefgh12345678") == "BEARER ***" and redact("baſic dXNlcjpwYXNzd29yZA==") == "baſic ***"
