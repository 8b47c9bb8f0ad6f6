"""Where output goes: results on stdout (one JSON document with ``--json``), everything else on stderr."""

from __future__ import annotations

import json
import sys
from functools import lru_cache
from typing import Any

from whichai.errors import WhichaiError, redact


@lru_cache(maxsize=1)
def err_console():
    from rich.console import Console

    return Console(stderr=True, highlight=False)


@lru_cache(maxsize=1)
def out_console():
    from rich.console import Console

    return Console(highlight=False)


def print_error(exc: WhichaiError) -> None:
    err_console().print(f"[bold red]Error:[/] {exc.message}", markup=True, highlight=False, soft_wrap=True)


def print_json(document: Any) -> None:
    """Print one JSON document on stdout and nothing else."""
    text = json.dumps(document, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write(redact(text) + "\n")
    sys.stdout.flush()
