"""A loopback stand-in for the catalog's three upstream sources, in their real wire formats.

- ``/api.json``: models.dev's API document, as https://models.dev/api.json serves it: one JSON object,
  provider id -> {id, name, env, npm, api, doc, models: {model id -> model}}, each model the provider's
  TOML file as JSON with its ``id`` (a host's file that names a ``base_model`` carries the lab file's
  fields under its own, as models.dev's generator merges them). Built from ``tests/fixtures/upstream``.
- ``/osai.tar.gz`` and ``/mof.tar.gz``: the osai-index (Language-Technology-Assessment/main-database)
  and model-openness-tool (lfai/model_openness_tool) repositories as GitHub's codeload serves them: a
  gzip'd tar in pax format, a global header naming the commit, everything under ``<repo>-main/``; the
  MOF releases in ``models/`` and its settings in ``web/modules/mof/config/install/``. ``/mof.zip``:
  the same as codeload's zip.

Bad versions, for the failure tests (``routes`` can be changed by a test at will):
``/truncated.json`` (announces more bytes than it sends, then closes), ``/bad.json`` (not JSON),
``/wrongtypes.json`` (a price that is a string), ``/traversal.json`` (a model id with ``..``),
``/huge.json`` (an endless chunked body), ``/slow.json`` (waits before answering), ``/empty.json``,
``/evil.tar.gz`` (a member named ``../../evil.yaml``), ``/link.tar.gz`` (a symlink member),
``/absolute.zip`` (a member with an absolute path), ``/notgzip.tar.gz`` (text), ``/cut.tar.gz`` (an
archive cut in half, served with a matching length), ``/missing`` (404).

The benchmark sources (``tests/fixtures/upstream/benchmarks``: excerpts of the real files, plus one
stand-in Aider row, ``gpt-4.1-mini (rerun)``): ``/aider/polyglot_leaderboard.yml`` and
``/aider/edit_leaderboard.yml`` (Aider's YAML lists, as raw.githubusercontent.com serves them),
``/llmstats.tar.gz`` (the llm-leaderboard repository as codeload serves it, ``data/organizations/<org>/
models/<model>/benchmarks.json``), ``/evalplus/results.json`` (EvalPlus' results object). Bad versions:
``/aider-bad/`` (a polyglot file that is a YAML mapping, not a list), ``/llmstats-empty.tar.gz`` (an
archive with no benchmarks.json).
"""

from __future__ import annotations

import copy
import gzip
import io
import json
import socket
import tarfile
import time
import tomllib
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self

from loopback import server_thread

UP = Path(__file__).parent / "fixtures" / "upstream"
COMMIT = "0123456789abcdef0123456789abcdef01234567"


def api_json(root: Path = UP / "models-dev") -> dict:
    labs = {p.relative_to(root / "models").with_suffix("").as_posix(): tomllib.loads(p.read_text())
            for p in (root / "models").rglob("*.toml")}
    out: dict[str, dict] = {}
    for pdir in sorted(p for p in (root / "providers").iterdir() if p.is_dir()):
        info = tomllib.loads((pdir / "provider.toml").read_text())
        models = {}
        for path in sorted((pdir / "models").rglob("*.toml")):
            mid = path.relative_to(pdir / "models").with_suffix("").as_posix()
            d = tomllib.loads(path.read_text())
            merged = {**copy.deepcopy(labs.get(d.get("base_model"), {})), **d} if d.get("base_model") else d
            for key in ("limit", "cost"):
                if d.get("base_model") and key in labs.get(d["base_model"], {}) and key in d:
                    merged[key] = {**labs[d["base_model"]][key], **d[key]}
            models[mid] = {"id": mid, **merged}
        out[pdir.name] = {"id": pdir.name, **info, "models": models}
    return out


def codeload_tar(repo: str, files: dict[str, bytes], extra: list[tarfile.TarInfo] | None = None) -> bytes:
    buf = io.BytesIO()
    top = f"{repo}-main"
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as gz, \
            tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT, pax_headers={"comment": COMMIT}) as tar:
        dirs = sorted({f"{top}/" + "/".join(name.split("/")[:i]) for name in files for i in range(1, name.count("/") + 1)} | {top})
        for d in dirs:
            info = tarfile.TarInfo(d.rstrip("/") + "/")
            info.type, info.mode = tarfile.DIRTYPE, 0o775
            tar.addfile(info)
        for name, data in files.items():
            info = tarfile.TarInfo(f"{top}/{name}")
            info.size, info.mode = len(data), 0o664
            tar.addfile(info, io.BytesIO(data))
        for info in extra or []:
            tar.addfile(info, io.BytesIO(b"x" * info.size) if info.isfile() else None)
    return buf.getvalue()


def codeload_zip(repo: str, files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.comment = COMMIT.encode()
        for name, data in files.items():
            zf.writestr(f"{repo}-main/{name}", data)
    return buf.getvalue()


BENCH = UP / "benchmarks"


def llmstats_files() -> dict[str, bytes]:
    root = BENCH / "llm-leaderboard"
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.json"))} | {"README.md": b"# llm-leaderboard\n"}


def osai_files() -> dict[str, bytes]:
    return {f"models/{p.name}": p.read_bytes() for p in sorted((UP / "osai-index").glob("*.yaml"))} | {"README.md": b"# osai\n"}


def mof_files() -> dict[str, bytes]:
    files = {f"models/{p.name}": p.read_bytes() for p in sorted((UP / "model-openness-tool").glob("*.yml")) if p.name != "mof.settings.yml"}
    files["web/modules/mof/config/install/mof.settings.yml"] = (UP / "model-openness-tool" / "mof.settings.yml").read_bytes()
    files["LICENSE"] = b"MIT\n"
    return files


def _evil_tar(name: str, link: bool = False) -> bytes:
    info = tarfile.TarInfo(name)
    if link:
        info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
    else:
        info.size = 5
    return codeload_tar("main-database", osai_files(), [info])


def _absolute_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("main-database-main/models/ok.yaml", b"system: {name: x, type: text}\n")
        info = zipfile.ZipInfo("/tmp/whichai-evil.yaml")
        zf.writestr(info, b"evil")
    return buf.getvalue()


class FakeUpstream:
    """``with FakeUpstream() as up:`` serves on ``up.url``; ``up.env()`` points whichai at it."""

    def __init__(self) -> None:
        doc = api_json()
        wrong = copy.deepcopy(doc)
        next(iter(wrong["openai"]["models"].values()))["cost"]["input"] = "free"
        trav = copy.deepcopy(doc)
        trav["openai"]["models"]["../../../evil"] = {"id": "../../../evil", "name": "Evil"}
        body = json.dumps(doc).encode()
        tar = codeload_tar("main-database", osai_files())
        self.hits: list[str] = []
        self.routes: dict[str, tuple] = {
            "/api.json": ("bytes", body, "application/json"),
            "/osai.tar.gz": ("bytes", tar, "application/x-gzip"),
            "/mof.tar.gz": ("bytes", codeload_tar("model_openness_tool", mof_files()), "application/x-gzip"),
            "/mof.zip": ("bytes", codeload_zip("model_openness_tool", mof_files()), "application/zip"),
            "/truncated.json": ("truncated", body, "application/json"),
            "/bad.json": ("bytes", body[: len(body) // 2], "application/json"),
            "/wrongtypes.json": ("bytes", json.dumps(wrong).encode(), "application/json"),
            "/traversal.json": ("bytes", json.dumps(trav).encode(), "application/json"),
            "/empty.json": ("bytes", b"{}", "application/json"),
            "/huge.json": ("endless", b"[" * 65536, "application/json"),
            "/slow.json": ("slow", body, "application/json"),
            "/evil.tar.gz": ("bytes", _evil_tar("main-database-main/../../evil.yaml"), "application/x-gzip"),
            "/link.tar.gz": ("bytes", _evil_tar("main-database-main/models/link.yaml", link=True), "application/x-gzip"),
            "/absolute.zip": ("bytes", _absolute_zip(), "application/zip"),
            "/notgzip.tar.gz": ("bytes", b"this is not an archive\n" * 10, "application/x-gzip"),
            "/cut.tar.gz": ("bytes", tar[: len(tar) // 2], "application/x-gzip"),
            "/aider/polyglot_leaderboard.yml": ("bytes", (BENCH / "polyglot_leaderboard.yml").read_bytes(), "text/plain"),
            "/aider/edit_leaderboard.yml": ("bytes", (BENCH / "edit_leaderboard.yml").read_bytes(), "text/plain"),
            "/aider-bad/polyglot_leaderboard.yml": ("bytes", b"model: gpt-4.1-mini\npass_rate_2: 30\n", "text/plain"),
            "/aider-bad/edit_leaderboard.yml": ("bytes", (BENCH / "edit_leaderboard.yml").read_bytes(), "text/plain"),
            "/llmstats.tar.gz": ("bytes", codeload_tar("llm-leaderboard", llmstats_files()), "application/x-gzip"),
            "/llmstats-empty.tar.gz": ("bytes", codeload_tar("llm-leaderboard", {"README.md": b"# empty\n", "x.json": b"[]"}), "application/x-gzip"),
            "/evalplus/results.json": ("bytes", (BENCH / "evalplus_results.json").read_bytes(), "application/json"),
        }
        self.slow_seconds = 3.0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def env(self, models_dev: str = "/api.json", osai: str = "/osai.tar.gz", mof: str = "/mof.tar.gz", aider: str = "/aider/",
            llmstats: str = "/llmstats.tar.gz", evalplus: str = "/evalplus/results.json") -> dict[str, str]:
        return {"WHICHAI_MODELS_DEV_URL": self.url + models_dev, "WHICHAI_OSAI_URL": self.url + osai, "WHICHAI_MOF_URL": self.url + mof,
                "WHICHAI_AIDER_URL": self.url + aider, "WHICHAI_LLMSTATS_URL": self.url + llmstats,
                "WHICHAI_EVALPLUS_URL": self.url + evalplus}

    def __enter__(self) -> Self:
        server_thread(self.server).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                fake.hits.append(self.path)
                route = fake.routes.get(self.path)
                if route is None:
                    self.send_error(404)
                    return
                kind, body, ctype = route
                try:
                    getattr(self, "_" + kind)(body, ctype)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _head(self, ctype: str, length: int | None) -> None:
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                if length is not None:
                    self.send_header("Content-Length", str(length))
                else:
                    self.send_header("Connection", "close")
                self.end_headers()

            def _bytes(self, body: bytes, ctype: str) -> None:
                self._head(ctype, len(body))
                self.wfile.write(body)

            def _truncated(self, body: bytes, ctype: str) -> None:
                self._head(ctype, len(body))
                self.wfile.write(body[: len(body) // 3])
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True

            def _endless(self, body: bytes, ctype: str) -> None:
                self._head(ctype, None)
                for _ in range(10_000):  # up to 640 MB, unless the client hangs up first
                    self.wfile.write(body)
                self.close_connection = True

            def _slow(self, body: bytes, ctype: str) -> None:
                self._head(ctype, len(body))
                self.wfile.write(body[:100])
                self.wfile.flush()
                time.sleep(fake.slow_seconds)
                self.wfile.write(body[100:])

        return Handler


def free_port() -> int:
    """A loopback port nothing listens on (for the offline test)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
