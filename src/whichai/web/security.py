"""What every dashboard request passes through: the Host check, the token check, the security headers.

- **Host** (DNS rebinding): a page on ``evil.example`` whose name is re-pointed at 127.0.0.1 reaches
  the dashboard with ``Host: evil.example``. Only the names the dashboard is bound to are accepted
  (127.0.0.1, localhost, [::1] and the ``--host`` given; for a wildcard bind, this machine's own
  names and addresses); anything else is answered 421 before any route runs.
- **Token**: when set, every request carries it (``?token=``, a ``Bearer`` header, or the cookie set
  after the first), compared in constant time; 401 otherwise.
- **Headers** on every response, errors included: a Content-Security-Policy without
  ``'unsafe-inline'`` or ``'unsafe-eval'`` scripts (the dashboard's scripts are files it serves),
  ``X-Content-Type-Options``, ``X-Frame-Options`` and ``frame-ancestors``, ``Referrer-Policy``.

:class:`Guard` is a plain ASGI middleware, so it also covers responses that never reach a route.
"""

from __future__ import annotations

import hmac
import socket
from typing import Any

LOOPBACK = ("127.0.0.1", "localhost", "::1")
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
            names |= {info[4][0].lower() for info in socket.getaddrinfo(name, None)}
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


def _plain(status: int, text: str) -> Any:
    from starlette.responses import PlainTextResponse

    response = PlainTextResponse(text, status_code=status)
    secure(response.headers)
    return response


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

    def __init__(self, app: Any, hosts: frozenset[str], token: str | None = None) -> None:
        self.app, self.hosts, self.token = app, hosts, token

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict((k.decode("latin-1"), v.decode("latin-1")) for k, v in scope.get("headers", []))
        if host_name(headers.get("host", "")) not in self.hosts:
            await _plain(421, "421: this dashboard answers only to the names it is bound to (Host header refused).")(scope, receive, send)
            return
        if self.token is not None and not hmac.compare_digest(token_given(scope).encode(), self.token.encode()):
            await _plain(401, "401: a valid token is required (?token=...).")(scope, receive, send)
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

        await self.app(scope, receive, send_secured)
