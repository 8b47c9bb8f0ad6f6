"""A loopback stand-in for the Hugging Face Hub's file-download protocol (what ``huggingface_hub`` speaks).

Two servers, as on the real hub: the hub itself and a "CDN" on another origin.

- ``GET /api/models/{owner}/{repo}[/revision/{rev}]``: the repo's JSON (``id``, ``sha`` = the commit,
  ``siblings`` = [{"rfilename"}]); an unknown repo is 404 with ``X-Error-Code: RepoNotFound``.
- ``HEAD|GET /{owner}/{repo}/resolve/{rev}/{path}``: a large (LFS) file answers ``302`` to the CDN with
  ``X-Repo-Commit``, ``X-Linked-Etag: "<sha256>"`` and ``X-Linked-Size``; a small file answers ``200``
  with its git ETag; a missing file is 404 with ``X-Error-Code: EntryNotFound``.
- ``GET /cdn/{sha256}`` on the CDN: the bytes, honouring ``Range: bytes=N-`` with ``206`` and
  ``Content-Range``.

Faults on purpose: ``cut_first`` (the first CDN transfer stops after that many bytes, so the client
must resume with a Range request) and ``corrupt`` (the CDN serves bytes that do not match the SHA-256).
Every request is logged as (method, path, Range header).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from loopback import server_thread

COMMIT = "0123456789abcdef0123456789abcdef01234567"


class _Server(ThreadingHTTPServer):
    daemon_threads = True


class FakeHub:
    def __init__(self, repos: dict[str, dict[str, bytes | Path]], cut_first: int | None = None, corrupt: bool = False,
                 etag: str | None = None, commit: str | None = None, endless: bool = False, redirect_loop: bool = False,
                 listing_padding: int = 0) -> None:
        """Hostile modes (issue 22): ``etag`` / ``commit`` replace what a large file's resolve announces;
        ``endless`` makes the CDN send an endless chunked body; ``redirect_loop`` makes resolve redirect to
        itself; ``listing_padding`` pads the repo listing with that many bytes."""
        self.repos = repos
        self.cut_first = cut_first
        self.corrupt = corrupt
        self.etag, self.commit, self.endless = etag, commit, endless
        self.redirect_loop, self.listing_padding = redirect_loop, listing_padding
        self.log: list[tuple[str, str, str | None]] = []
        self.blobs: dict[str, bytes | Path] = {}
        self.lock = threading.Lock()
        self.hub = _Server(("127.0.0.1", 0), _handler(self, cdn=False))
        self.cdn = _Server(("127.0.0.1", 0), _handler(self, cdn=True))

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.hub.server_address[1]}"

    @property
    def cdn_url(self) -> str:
        return f"http://127.0.0.1:{self.cdn.server_address[1]}"

    def __enter__(self) -> FakeHub:
        for server in (self.hub, self.cdn):
            server_thread(server).start()
        return self

    def __exit__(self, *exc) -> None:
        for server in (self.hub, self.cdn):
            server.shutdown()
            server.server_close()

    def content(self, data: bytes | Path) -> bytes:
        return data.read_bytes() if isinstance(data, Path) else data

    def requests(self, method: str | None = None, prefix: str = "") -> list[tuple[str, str, str | None]]:
        with self.lock:
            return [r for r in self.log if (method is None or r[0] == method) and r[1].startswith(prefix)]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _handler(hub: FakeHub, cdn: bool):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:
            pass

        def do_HEAD(self) -> None:
            self._serve(body=False)

        def do_GET(self) -> None:
            self._serve(body=True)

        def _serve(self, body: bool) -> None:
            with hub.lock:
                hub.log.append((self.command, self.path, self.headers.get("Range")))
            path = self.path.split("?", 1)[0]
            if cdn:
                return self._cdn(path, body)
            api = re.fullmatch(r"/api/models/([^/]+/[^/]+)(?:/revision/([^/]+))?", path)
            if api:
                return self._api(api.group(1))
            resolve = re.fullmatch(r"/([^/]+/[^/]+)/resolve/([^/]+)/(.+)", path)
            if resolve:
                return self._resolve(resolve.group(1), resolve.group(3), body)
            self._send(404, b"not found", {"X-Error-Code": "EntryNotFound"}, body)

        def _api(self, repo: str) -> None:
            files = hub.repos.get(repo)
            if files is None:
                return self._send(404, b'{"error": "Repository not found"}', {"X-Error-Code": "RepoNotFound"}, True)
            doc = {"id": repo, "modelId": repo, "sha": COMMIT, "private": False, "gated": False, "disabled": False,
                   "tags": ["gguf"], "siblings": [{"rfilename": name} for name in files]}
            if hub.listing_padding:
                doc["padding"] = "x" * hub.listing_padding
            self._send(200, json.dumps(doc).encode(), {"Content-Type": "application/json"}, True)

        def _resolve(self, repo: str, name: str, body: bool) -> None:
            files = hub.repos.get(repo)
            if files is None:
                return self._send(404, b"Repository not found", {"X-Error-Code": "RepoNotFound"}, body)
            if name not in files:
                return self._send(404, b"Entry not found", {"X-Error-Code": "EntryNotFound", "X-Repo-Commit": COMMIT}, body)
            if hub.redirect_loop:
                return self._send(302, b"", {"Location": self.path, "X-Repo-Commit": COMMIT}, body)
            data = hub.content(files[name])
            if name.endswith(".gguf"):  # stored in LFS: the hub redirects to the CDN, the sha256 is the ETag
                sha = _sha256(data)
                with hub.lock:
                    hub.blobs[sha] = files[name]
                headers = {"Location": f"{hub.cdn_url}/cdn/{sha}?signed=1", "X-Repo-Commit": hub.commit or COMMIT,
                           "X-Linked-Etag": hub.etag or f'"{sha}"', "X-Linked-Size": str(len(data)), "ETag": '"gitsha-of-pointer"'}
                return self._send(302, b"", headers, body)
            git_etag = hashlib.sha1(data).hexdigest()
            self._send(200, data, {"ETag": f'"{git_etag}"', "X-Repo-Commit": COMMIT}, body)

        def _cdn(self, path: str, body: bool) -> None:
            match = re.fullmatch(r"/cdn/([0-9a-f]{64})", path)
            if not match or match.group(1) not in hub.blobs:
                return self._send(404, b"no such blob", {}, body)
            if hub.endless and body:
                return self._endless()
            data = hub.content(hub.blobs[match.group(1)])
            if hub.corrupt:
                data = bytes([data[0] ^ 0xFF]) + data[1:]
            start = 0
            ranged = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range") or "")
            if ranged:
                start = int(ranged.group(1))
            part = data[start:]
            headers = {"ETag": f'"{match.group(1)}"', "Accept-Ranges": "bytes"}
            status = 200
            if ranged:
                status = 206
                headers["Content-Range"] = f"bytes {start}-{len(data) - 1}/{len(data)}"
            with hub.lock:
                cut, hub.cut_first = hub.cut_first, None
            if cut is not None and body:  # announce the whole length, send a part, hang up
                self.send_response(status)
                for key, value in {**headers, "Content-Length": str(len(part))}.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(part[:cut])
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(2)
                return
            self._send(status, part, headers, body)

        def _endless(self) -> None:
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"G" * 65536
            try:
                while True:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except OSError:
                self.close_connection = True

        def _send(self, status: int, data: bytes, headers: dict[str, str], body: bool) -> None:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if body and data:
                self.wfile.write(data)

    return Handler
