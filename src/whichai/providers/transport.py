"""Transport-level failures of the HTTP stacks the vendor SDKs use (httpx, its fork httpx2, aiohttp),
mapped to whichai's error classes. Matched by class name so that none of those libraries is imported
here, and so that whichever one an SDK version picked is recognised."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC
from typing import Any

from whichai.errors import FatalCallError, ProviderError, RetryableError

_HTTP_MODULES = ("httpx", "httpx2", "httpcore", "httpcore2")


def is_transport(exc: BaseException | None, *names: str) -> bool:
    """Whether ``exc`` is one of the named httpx / httpx2 exception classes (the SDKs use either)."""
    if exc is None:
        return False
    if type(exc).__module__.split(".")[0] not in _HTTP_MODULES:
        return False
    return any(cls.__name__ in names for cls in type(exc).__mro__)


def classify_transport(exc: BaseException, where: str) -> ProviderError:
    """Classify an exception raised below the SDK: timeouts, refused connections, streams cut mid-way."""
    name = type(exc).__name__
    if is_transport(exc, "TimeoutException"):
        return RetryableError(f"request timed out{where}", error_class="timeout")
    if is_transport(exc, "RemoteProtocolError", "ReadError", "StreamError"):
        return RetryableError(f"stream broken{where}: {name}", error_class="broken_stream")
    if is_transport(exc, "TransportError"):
        return RetryableError(f"cannot connect{where}: {name}", error_class="connection")
    if type(exc).__module__.split(".")[0] == "aiohttp":
        if any(c.__name__ in ("ServerDisconnectedError", "ClientPayloadError") for c in type(exc).__mro__):
            return RetryableError(f"stream broken{where}: {name}", error_class="broken_stream")
        if any(c.__name__ == "ServerTimeoutError" for c in type(exc).__mro__):
            return RetryableError(f"request timed out{where}", error_class="timeout")
        return RetryableError(f"cannot connect{where}: {name}", error_class="connection")
    if isinstance(exc, json.JSONDecodeError):
        return RetryableError(f"invalid response{where}: not valid JSON", error_class="invalid_response")
    if isinstance(exc, (ConnectionError, OSError)):
        return RetryableError(f"cannot connect{where}: {name}", error_class="connection")
    return ProviderError(f"{name}{where}: {shorten(exc)}", error_class="error")


def classify_sdk(exc: BaseException, where: str, import_sdk: Callable[[], Any],
                 by_sdk: Callable[[Any, BaseException, str], ProviderError | None]) -> ProviderError:
    """Classify an exception of a vendor SDK: a whichai error passes through; ``by_sdk(sdk, exc, where)``
    gives the SDK's own classes their error (``None`` for "not one of mine"); the rest are transport
    failures. ``import_sdk`` imports the SDK lazily (missing, the exception is reported as it is)."""
    if isinstance(exc, ProviderError):
        return exc
    try:
        sdk = import_sdk()
    except ImportError:  # pragma: no cover - a provider's check() reports this first
        return ProviderError(f"{type(exc).__name__}{where}: {shorten(exc)}", error_class="error")
    return by_sdk(sdk, exc, where) or classify_transport(exc, where)


def classify_status(status: int, where: str, key_hint: str, *, detail: str = "", message: str = "",
                    retry_after: float | None = None) -> ProviderError:
    """An HTTP error status of a vendor's API as whichai's error classes (the vendors' own special
    cases, such as a spend limit or an error event inside a stream, are theirs to check first):
    429 rate limit (retried, after ``retry_after``); 401/403 authentication, naming ``key_hint``, the
    key to check; 404 not found; 408, 409 and 5xx server errors (retried); any other 4xx a bad request."""
    if status == 429:
        return RetryableError(f"rate limited (HTTP 429){where}{detail}", error_class="rate_limit", retry_after=retry_after)
    if status in (401, 403):
        return FatalCallError(f"authentication failed (HTTP {status}){where}{detail}. Fix: check {key_hint}.", error_class="auth")
    if status == 404:
        return FatalCallError(f"model or endpoint not found (HTTP 404){where}{detail}", error_class="not_found")
    if status in (408, 409) or status >= 500:
        return RetryableError(f"server error (HTTP {status}){where}{detail}", error_class="server_error", retry_after=retry_after)
    return FatalCallError(f"bad request (HTTP {status}){where}{detail}: {message}", error_class="bad_request")


def retry_after_seconds(headers) -> float | None:
    """Seconds to wait from a ``retry-after-ms`` or ``retry-after`` header (seconds or an HTTP date)."""
    value = headers.get("retry-after-ms")
    if value:
        try:
            return float(value) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        from datetime import datetime
        from email.utils import parsedate_to_datetime

        try:
            return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
        except (TypeError, ValueError):
            return None


def shorten(exc: BaseException | str, limit: int = 300) -> str:
    text = str(exc).replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"
