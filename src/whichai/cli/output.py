"""Where output goes: results on stdout (one JSON document with ``--json``), everything else on stderr.

User and model text (task names, case ids, model ids, profile names, answers, error bodies) is always
printed as *text*: never parsed as Rich markup (``[/x]`` would crash, ``[providers.NAME]`` would vanish),
and with terminal control characters made visible (an answer holding ``ESC [2J`` must not clear the
screen). Stored data keeps the raw text; only what reaches the terminal is escaped. Use:

- :func:`plain` to turn any user or model text into a Rich ``Text`` (a table cell, a title, a line);
- :func:`esc` to put such text inside a string that *is* markup (``f"[red]{esc(name)}[/]"``);
- :func:`visible` for the escaped ``str`` itself (no Rich involved);
- :func:`print_line` / :func:`print_note` for a whole line of text on stdout / stderr.
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from typing import Any

from whichai.errors import WhichaiError, redact

# C0 controls except tab and newline, DEL, C1 controls, and the Unicode bidi/format controls that can
# reorder or hide what a terminal shows (U+061C, U+200B-U+200F, U+202A-U+202E, U+2060-U+2064,
# U+2066-U+2069, U+FEFF).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def _escape_char(match: re.Match) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: Any) -> str:
    """``text`` with control characters shown as ``\\x1b``-style escapes and known secrets redacted."""
    value = text if isinstance(text, str) else ("" if text is None else str(text))
    return redact(_CONTROL.sub(_escape_char, value))


def plain(text: Any, style: str = ""):
    """User or model text as a Rich ``Text``: printed literally (no markup), control characters escaped."""
    from rich.text import Text

    return Text(visible(text), style=style)


def esc(text: Any) -> str:
    """User or model text for use inside a Rich markup string: markup-escaped and control-escaped."""
    from rich.markup import escape

    return escape(visible(text))


@lru_cache(maxsize=1)
def err_console():
    from rich.console import Console

    return Console(stderr=True, highlight=False)


@lru_cache(maxsize=1)
def out_console():
    """The stdout console. Piped into another program (not a terminal, no COLUMNS set), lines are
    wide enough that a table row stays on one line instead of wrapping each cell at 80 columns."""
    import os

    from rich.console import Console

    width = None
    if not sys.stdout.isatty() and not os.environ.get("COLUMNS"):
        width = 200
    return Console(highlight=False, width=width)


def print_line(text: Any, style: str = "") -> None:
    """One line of user-facing text on stdout, printed literally."""
    out_console().print(plain(text, style), soft_wrap=True)


def print_note(text: Any, style: str = "") -> None:
    """One line of text on stderr (progress, notes), printed literally."""
    err_console().print(plain(text, style), soft_wrap=True)


def print_error(exc: WhichaiError) -> None:
    from rich.text import Text

    err_console().print(Text.assemble(("Error: ", "bold red"), plain(exc.message)), soft_wrap=True)


def print_json(document: Any) -> None:
    """Print one JSON document on stdout and nothing else, indented by two spaces.

    Written by pydantic-core's serialiser: ``json.dumps(indent=2)`` runs the pure-Python encoder
    (indentation turns the C one off), 0.12-0.17 s for the 2 MB document of ``whichai run --json``;
    this takes 0.01 s. Non-JSON values fall back to ``str`` as before; dates and times are ISO 8601.
    """
    from pydantic_core import to_json

    text = to_json(document, indent=2, fallback=str).decode("utf-8")
    sys.stdout.write(redact(text) + "\n")
    sys.stdout.flush()
