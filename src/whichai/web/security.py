"""What every dashboard request passes through: the Host check, the token check, the security headers.

- **Host** (DNS rebinding): a page on ``evil.example`` whose name is re-pointed at 127.0.0.1 reaches
  the dashboard with ``Host: evil.example``. Only the names the dashboard is bound to are accepted
  (127.0.0.1, localhost, [::1] and the ``--host`` given; for a wildcard bind, this machine's own
  names and addresses); anything else is answered 421 before any route runs.
- **Token**: when set, every request carries it (``?token=``, a ``Bearer`` header, or the cookie set
  after the first), compared in constant time; 401 otherwise. Wrong tokens are throttled per client
  address (:class:`Throttle`: after 10 in a minute, every request from that address is answered 429 with
  ``Retry-After`` until the minute has passed, a right token included, so that guessing learns nothing).
- **Body size**: a request announcing a body over the limit (``Content-Length``) is answered 413 before
  any of it is read; the form route reads its body as a stream and stops at the same limit.
- **Load shedding**: the report pages (``/runs/...``, ``/profile...``: each builds a report) run at most
  ``report_slots`` at once; another is answered 503 with ``Retry-After`` at once instead of queueing.
- **Headers** on every response, errors included: a Content-Security-Policy without
  ``'unsafe-inline'`` or ``'unsafe-eval'`` scripts (the dashboard's scripts are files it serves),
  ``X-Content-Type-Options``, ``X-Frame-Options`` and ``frame-ancestors``, ``Referrer-Policy``.

:class:`Guard` is a plain ASGI middleware, so it also covers responses that never reach a route.
"""

from __future__ import annotations

import hmac
import math
import socket
import time
from collections.abc import Callable
from typing import Any

LOOPBACK = ("127.0.0.1", "localhost", "::1")
MAX_BODY_BYTES = 64 * 1024  # no dashboard request needs more (the profile form is a few KB)
REPORT_SLOTS = 4  # report pages built at once; more are shed (503)
REPORT_PATHS = ("/runs/", "/profile")
FAILED_TOKENS = 10  # wrong tokens allowed per client address ...
FAILED_WINDOW_S = 60.0  # ... within this many seconds
WILDCARDS = ("0.0.0.0", "::", "")
COOKIE = "whichai_token"

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)
HEADERS: dict[str, str] = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def host_name(header: str) -> str:
    """The host name of a Host header, lower case, without the port or IPv6 brackets."""
    value = header.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else ""
    if value.count(":") == 1:
        value = value.split(":", 1)[0]
    return value.rstrip(".")


def allowed_hosts(bind: str | None) -> frozenset[str]:
    """The Host names accepted for a dashboard bound to ``bind``."""
    names = set(LOOPBACK)
    bound = host_name(bind or "")
    if bound in WILDCARDS:
        names |= _own_names() if bind is not None else set()
    else:
        names.add(bound)
    return frozenset(names)


def _own_names() -> set[str]:
    """This machine's host names and addresses (what a remote client types for a wildcard bind)."""
    names = {socket.gethostname().lower(), socket.getfqdn().lower()}
    for name in list(names):
        try:
            names |= {str(info[4][0]).lower() for info in socket.getaddrinfo(name, None)}
        except OSError:
            continue
    return {n for n in names if n}


def secure(headers: Any) -> None:
    """Set the security headers on a Starlette ``MutableHeaders`` (or any mapping). A route that set a
    stricter policy of its own (the downloaded report's script hashes) keeps it."""
    for key, value in HEADERS.items():
        if key == "Content-Security-Policy" and key in headers and "frame-ancestors 'none'" in headers[key]:
            continue
        headers[key] = value


def _plain(status: int, text: str, headers: dict[str, str] | None = None) -> Any:
    from starlette.responses import PlainTextResponse

    response = PlainTextResponse(text, status_code=status, headers=headers)
    secure(response.headers)
    return response


class Throttle:
    """Wrong tokens per client address in a sliding window: past ``limit`` of them within ``window_s``,
    :meth:`wait` says how many seconds that address must wait. Bounded in memory (old entries are
    dropped; at most ``max_clients`` addresses are tracked, the oldest forgotten first)."""

    def __init__(self, limit: int = FAILED_TOKENS, window_s: float = FAILED_WINDOW_S,
                 clock: Callable[[], float] = time.monotonic, max_clients: int = 10_000) -> None:
        self.limit, self.window_s, self.clock, self.max_clients = limit, window_s, clock, max_clients
        self.failures: dict[str, list[float]] = {}

    def _recent(self, client: str) -> list[float]:
        now = self.clock()
        times = [t for t in self.failures.get(client, ()) if now - t < self.window_s]
        if times:
            self.failures[client] = times
        else:
            self.failures.pop(client, None)
        return times

    def wait(self, client: str) -> float:
        """Seconds ``client`` must wait before its token is checked again (0: it may try now)."""
        times = self._recent(client)
        if len(times) < self.limit:
            return 0.0
        return max(0.0, times[-self.limit] + self.window_s - self.clock())

    def failed(self, client: str) -> None:
        times = self._recent(client)
        times.append(self.clock())
        self.failures[client] = times[-self.limit:]
        while len(self.failures) > self.max_clients:
            self.failures.pop(next(iter(self.failures)))


def _client(scope: dict[str, Any]) -> str:
    client = scope.get("client")
    return str(client[0]) if client else ""


def _announced_size(headers: dict[str, str]) -> int | None:
    """The body size a request announces (None: none, or not a number)."""
    value = headers.get("content-length", "").strip()
    return int(value) if value.isdigit() else None


def token_given(scope: dict[str, Any]) -> str:
    from starlette.requests import HTTPConnection

    conn = HTTPConnection(scope)
    given = conn.query_params.get("token") or conn.cookies.get(COOKIE) or ""
    auth = conn.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        given = auth[7:].strip()
    return given


class Guard:
    """ASGI middleware: Host check, then token check, then security headers on whatever is sent."""

    def __init__(self, app: Any, hosts: frozenset[str], token: str | None = None, max_body: int = MAX_BODY_BYTES,
                 report_slots: int = REPORT_SLOTS, throttle: Throttle | None = None) -> None:
        self.app, self.hosts, self.token = app, hosts, token
        self.max_body, self.report_slots, self.reports_running = max_body, report_slots, 0
        self.throttle = throttle or Throttle()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict((k.decode("latin-1"), v.decode("latin-1")) for k, v in scope.get("headers", []))
        if host_name(headers.get("host", "")) not in self.hosts:
            await _plain(421, "421: this dashboard answers only to the names it is bound to (Host header refused).")(scope, receive, send)
            return
        refused = self._refusal(scope, headers)
        if refused is not None:
            await refused(scope, receive, send)
            return
        set_cookie = self.token is not None and b"token=" in scope.get("query_string", b"")

        async def send_secured(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                from starlette.datastructures import MutableHeaders

                out = MutableHeaders(scope=message)
                secure(out)
                if set_cookie:
                    out.append("set-cookie", f"{COOKIE}={self.token}; HttpOnly; SameSite=Strict; Path=/")
            await send(message)

        if not scope.get("path", "").startswith(REPORT_PATHS):
            await self.app(scope, receive, send_secured)
            return
        if self.reports_running >= self.report_slots:  # shed at once: a queue would only grow
            await _plain(503, "503: the dashboard is busy building other reports. Retry in a moment.",
                         {"Retry-After": "2"})(scope, receive, send)
            return
        self.reports_running += 1  # the event loop's thread only: no lock needed
        try:
            await self.app(scope, receive, send_secured)
        finally:
            self.reports_running -= 1

    def _refusal(self, scope: dict[str, Any], headers: dict[str, str]) -> Any:
        """The response refusing this request before any route runs (token, throttle, body size), or None."""
        if self.token is not None:
            client = _client(scope)
            wait = self.throttle.wait(client)
            if wait > 0:
                return _plain(429, "429: too many wrong tokens from this address. Wait, then retry with the right token.",
                              {"Retry-After": str(max(1, math.ceil(wait)))})
            if not hmac.compare_digest(token_given(scope).encode(), self.token.encode()):
                self.throttle.failed(client)
                return _plain(401, "401: a valid token is required (?token=...).")
        size = _announced_size(headers)
        if size is not None and size > self.max_body:
            return _plain(413, f"413: the request body is too large (over {self.max_body // 1024} KB); it was not read.")
        return None
