"""A loopback HTTP server whose handler misbehaves on purpose (hardening tests): ``serve(Handler, mode)``
starts one in a thread with ``server.mode`` set for the handler to read; ``stop`` ends it."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from loopback import server_thread


def serve(handler: type[BaseHTTPRequestHandler], mode: str) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.mode = mode  # type: ignore[attr-defined]  # read by the handler
    server.daemon_threads = True
    server_thread(server).start()
    return server


def stop(servers: list[ThreadingHTTPServer]) -> None:
    for server in servers:
        server.shutdown()
        server.server_close()
