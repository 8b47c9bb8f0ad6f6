"""The defaults of a run's settings, written once: ``whichai run``'s options and help texts, the
config's ``[run]`` table (whose keys fall back to them), the runner's plan and the providers'
generation settings all read :data:`RUN_DEFAULTS`. Plain data with no imports, so ``--help`` stays fast."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RunDefaultValues:
    """What a run uses where neither a command option nor the config's ``[run]`` table says."""

    concurrency: int | None = None  # calls at once per provider; None: the provider's own default
    timeout: float = 60.0  # seconds per request, retries excluded
    max_tokens: int = 128  # most tokens per answer
    temperature: float = 0.0
    retries: int = 3  # extra attempts after the first, on retryable errors only
    max_answer_bytes: int = 65536  # a longer answer is cut here (UTF-8 bytes) and marked truncated


RUN_DEFAULTS = RunDefaultValues()
