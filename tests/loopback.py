"""The thread that serves a test's loopback HTTP server (the fakes of OpenAI, Ollama, the hub, the upstream
sources, the hostile servers): ``server_thread(server).start()``, then ``server.shutdown()`` to stop it.

``serve_forever`` looks for a ``shutdown()`` between two waits for a request; its default wait, 0.5 s, made
every test that stopped a fake server wait up to half a second for nothing (``FakeOpenAI``'s start and stop
took 0.50 s, now 0.01 s)."""

from __future__ import annotations

import socketserver
import threading

POLL_S = 0.01  # how long a shutdown() waits for the serving loop at most


def server_thread(server: socketserver.BaseServer) -> threading.Thread:
    """A daemon thread (not started) that serves ``server`` until its ``shutdown()``."""
    return threading.Thread(target=server.serve_forever, kwargs={"poll_interval": POLL_S}, daemon=True)
