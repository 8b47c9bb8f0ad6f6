"""Every error whichai raises on purpose derives from :class:`WhichaiError`.

The tree::

    WhichaiError                     root; carries a message that names the fix
    ├── InputError                   bad input from the user: exit code 2
    │   ├── FileInputError           a file is unreadable or invalid (names file and line)
    │   ├── UnknownModelError        a model id no provider or catalog knows
    │   └── ConfigError              whichai.toml is invalid, or a key/SDK/server is missing
    ├── StorageError                 the database cannot be written (disk full, I/O error): exit 1
    └── ProviderError                a model call failed; becomes a stored error result
        ├── RetryableError           rate limit, 5xx, timeout, connection, broken stream
        └── FatalCallError           authentication, bad request: never retried

Foreign exceptions (SDKs, yaml, sqlite) are mapped at the boundary with ``raise ... from exc``.
Messages never contain secrets: providers build them from status codes and error classes,
and :func:`redact` scrubs every known secret before a message leaves: the values of environment
variables whose names look like secrets, and every value registered with :func:`register_secret`
(the loaded config registers the value of each ``api_key_env`` it names, whatever the variable is
called, and any password written in a ``base_url``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable


class WhichaiError(Exception):
    """Root of all whichai errors."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(redact(message))

    @property
    def message(self) -> str:
        return str(self)


class InputError(WhichaiError):
    """Bad input: an invalid file, option or model id. Exit code 2."""

    exit_code = 2


class FileInputError(InputError):
    """A file could not be read or is invalid; the message names the file and, where known, the line."""

    def __init__(self, path: object, problem: str, fix: str = "", line: int | None = None) -> None:
        where = f"{path}:{line}" if line is not None else f"{path}"
        text = f"{where}: {problem}"
        if fix:
            text += f" Fix: {fix}"
        self.path = str(path)
        self.line = line
        super().__init__(text)


class UnknownModelError(InputError):
    """A model id that no provider knows."""


class ConfigError(InputError):
    """The configuration is invalid or incomplete (missing key, SDK or server)."""


class StorageError(WhichaiError):
    """The database could not be written or read mid-way (disk full, I/O error). Exit code 1: what was
    stored before stays stored."""


class ProviderError(WhichaiError):
    """A model call failed. Carries the error class stored with the result."""

    error_class = "error"

    def __init__(self, message: str, *, error_class: str | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        if error_class:
            self.error_class = error_class
        self.retry_after = retry_after


class RetryableError(ProviderError):
    """Worth retrying: rate limit, server error, timeout, connection error, broken stream."""


class FatalCallError(ProviderError):
    """Not worth retrying: authentication failure, bad request, unknown model on the server."""


_SECRET_ENV = re.compile(r"(KEY|TOKEN|SECRET|PASSWORD)", re.IGNORECASE)
_MIN_SECRET = 6  # shorter values would redact ordinary words
_REGISTERED: set[str] = set()


def register_secret(value: str | None) -> None:
    """Treat ``value`` as a secret from now on: :func:`redact` replaces it wherever it appears."""
    global _SECRETS
    if value and len(value) >= _MIN_SECRET and value not in _REGISTERED:
        _REGISTERED.add(value)
        _SECRETS = None  # computed again, with this one, at the next redaction


_SECRETS: list[str] | None = None  # secret_values(), computed once per process (see register_secret)


def secret_values() -> list[str]:
    """Registered secrets, and values of environment variables whose names look like secrets; longest
    first, so that a secret containing another is replaced whole. The environment is read once per
    process, at the first redaction (it was read on every call: a quarter of `whichai show`'s time);
    every key whichai sends is registered when the config is loaded (whichai.config), which refreshes it."""
    global _SECRETS
    if _SECRETS is None:
        found = set(_REGISTERED)
        found.update(v for k, v in os.environ.items() if _SECRET_ENV.search(k) and v and len(v) >= 8)
        _SECRETS = sorted(found, key=len, reverse=True)
    return _SECRETS


def redact(text: str) -> str:
    """Replace every known secret in ``text`` by ``***``."""
    if not text:
        return text
    for value in secret_values():
        if value in text:
            text = text.replace(value, "***")
    if not _may_name_a_scheme(text):
        return text
    return _AUTH_HEADER.sub(_hide_credential, text)  # an echoed Authorization header: never stored


# "Basic <base64>" (a user and password) and "Bearer <token>" as a server may echo them back (issue 22).
_AUTH_HEADER = re.compile(r"(?i)\b(basic|bearer)(\s+)([A-Za-z0-9+/_.~-]{8,}={0,2})")
_FOLDED = ("ſ", "İ", "ı")  # the non-ASCII letters IGNORECASE matches to a letter of "basic" or "bearer" (s, i, i)


def _may_name_a_scheme(text: str) -> bool:
    """False only when ``text`` holds neither word in any case, so _AUTH_HEADER cannot match: a megabyte
    is read this way in a few milliseconds, where _AUTH_HEADER (case-insensitive, from every word
    boundary) takes a tenth of a second. Without the letters of _FOLDED, only ASCII letters can spell
    the words; in UTF-8 no other character has an ASCII byte, and ``bytes.lower`` lowers ASCII alone."""
    if text.isascii():  # (known at once for a str) none of _FOLDED, and str.lower lowers the same letters
        ascii_low = text.lower()
        return "basic" in ascii_low or "bearer" in ascii_low
    if any(c in text for c in _FOLDED):
        return True
    low = text.encode("utf-8", "surrogatepass").lower()
    return b"basic" in low or b"bearer" in low


def _hide_credential(match: re.Match) -> str:
    scheme, space, value = match.groups()
    if scheme.lower() == "basic":
        import base64
        import binascii

        try:
            secret = b":" in base64.b64decode(value + "=" * (-len(value) % 4), validate=True)  # user:password
        except (binascii.Error, ValueError):
            secret = False
    else:
        secret = len(value) >= 16 or any(c.isdigit() or c in "+/_.~-" for c in value)  # a token, not a word
    return f"{scheme}{space}***" if secret else match.group(0)


def did_you_mean(word: str, choices: Iterable[str], *, n: int = 1, cutoff: float = 0.6, quote: Callable[[str], str] = repr) -> str:
    """The one "did you mean" of every message: ``"did you mean 'x'? "`` (trailing space, for a ``Fix:``),
    or "" when nothing is close enough (:func:`difflib.get_close_matches`)."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=n, cutoff=cutoff)
    return f"did you mean {', '.join(quote(c) for c in close)}? " if close else ""
