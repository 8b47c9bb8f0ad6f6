"""Issue 22: a local server's model list is read under a body cap and a total deadline per probe (not per
read). An endless `/api/models` body took GBs of memory; a server dripping a byte at a time held
`models --local` as long as it liked (the 0.6 s timeout was per read). Real parts: httpx against a
loopback HTTP server."""

from __future__ import annotations

import time
from http.server import BaseHTTPRequestHandler

import pytest
from hostile_server import serve, stop

from whichai.providers import discovery


class Hostile(BaseHTTPRequestHandler):
    mode = "endless"

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        try:
            if self.server.mode == "endless":
                self.wfile.write(b'{"models": [')
                chunk = b'{"name": "x"},' * 4096
                while True:
                    self.wfile.write(chunk)
            else:  # drip: a byte every 0.1 s, forever (each read well inside the per-read timeout)
                while True:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.1)
        except OSError:
            return


@pytest.fixture
def hostile(monkeypatch):
    servers = []

    def start(mode: str) -> str:
        server = serve(Hostile, mode)
        servers.append(server)
        monkeypatch.setenv("OLLAMA_HOST", f"127.0.0.1:{server.server_address[1]}")
        return server

    yield start
    stop(servers)


@pytest.mark.parametrize("mode", ["endless", "drip"])
def test_a_hostile_model_list_is_bounded_in_size_and_time(hostile, mode, monkeypatch):
    monkeypatch.setattr(discovery, "PROBE_DEADLINE_S", 1.0)
    monkeypatch.setattr(discovery, "MAX_LIST_BYTES", 256 * 1024)
    hostile(mode)
    started = time.monotonic()
    row = discovery.probe(["ollama"], timeout=0.6)[0]
    assert time.monotonic() - started < 15
    assert not row.running and row.models == ()
    assert ("not read" if mode == "endless" else "deadline") in row.error
    started = time.monotonic()
    row = discovery.probe_server("ollama")  # the check before a run: the same bounds
    assert time.monotonic() - started < 15 and not row.running and row.error
