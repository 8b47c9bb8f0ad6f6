"""Issue 22: a hostile Hugging Face mirror (``HF_ENDPOINT``) and a tampered hub cache. Each test failed on
the code before the fix: a crafted ``X-Linked-Etag`` became a file name outside the cache, a commit
with ``..`` likewise, an endless body filled the disk, a redirect loop and a huge listing ended in
tracebacks or gigabytes, and a blob replaced by a symlink skipped the checksum."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest
from conftest import run_cli
from fakehub import COMMIT, FakeHub

from whichai.errors import ConfigError
from whichai.providers import hub as hubmod
from whichai.providers.hub import HubError, HubRef, HubRefused, cache_blob, check_response_headers, parse_ref, verify

REPO = "TestOrg/Tiny-GGUF"
GGUF = "tiny.Q4_0.gguf"
DATA = b"GGUF" + bytes(2000)


@pytest.fixture
def hub_env(env, tmp_path):
    env = dict(env)
    env["HF_HOME"] = str(tmp_path / "hf")
    env["HF_HUB_DISABLE_TELEMETRY"] = "1"
    for var in ("HF_HUB_OFFLINE", "HF_TOKEN", "HF_HUB_CACHE"):
        env.pop(var, None)
    return env


@pytest.mark.parametrize("field", ["etag", "commit"])
def test_a_crafted_etag_or_commit_writes_nothing_outside_the_cache(hub_env, tmp_path, field):
    target = tmp_path / "escaped"
    crafted = f'"../../../../../../{target.relative_to("/")}"' if field == "etag" else "../../../../escaped"
    with FakeHub({REPO: {GGUF: DATA}}, **{field: crafted}) as hub:
        hub_env["HF_ENDPOINT"] = hub.endpoint
        result = run_cli(["ask", f"local/hf:{REPO}/{GGUF}", "hi", "--max-tokens", "2"], hub_env, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "does not accept" in result.stderr and "Fix:" in result.stderr and "Traceback" not in result.stderr
    assert not target.exists() and not (tmp_path / "hf" / "escaped").exists()
    outside = [p for p in tmp_path.rglob("*") if "escaped" in p.name]
    assert outside == []


def test_hub_references_with_dot_dot_are_bad_input():
    for bad in ("hf:a/b/../../x.gguf", "hf:a/b/./x.gguf", "hf:a/b//x.gguf", "hf:../..:Q4_0", "hf:a/b@..:Q4_0",
                "hf:a/b/sub\\..\\x.gguf"):
        with pytest.raises(ConfigError, match="Fix:"):
            parse_ref(bad)
    assert parse_ref("hf:a/b/sub/x.gguf") == HubRef("a/b", filename="sub/x.gguf")


def _get(url: str, stream: bool = False):
    client = hubmod.guarded_client()
    try:
        with client.stream("GET", url) as response:
            return b"".join(response.iter_bytes())
    finally:
        client.close()


def test_an_endless_body_stops_at_the_announced_size():
    with FakeHub({REPO: {GGUF: DATA}}, endless=True) as hub:
        sha = hashlib.sha256(DATA).hexdigest()
        hub.blobs[sha] = DATA
        hubmod._Guard.expected = len(DATA)
        try:
            started = time.monotonic()
            with pytest.raises(HubRefused, match="longer than 2004 bytes"):
                _get(f"{hub.cdn_url}/cdn/{sha}")
            assert time.monotonic() - started < 30
        finally:
            hubmod._Guard.expected = None


def test_a_huge_listing_and_a_redirect_loop_are_refused():
    import httpx2

    with FakeHub({REPO: {GGUF: DATA}}, listing_padding=hubmod.MAX_LISTING_BYTES + 10) as hub:
        with pytest.raises(HubRefused, match="listing"):
            _get(f"{hub.endpoint}/api/models/{REPO}")
    with FakeHub({REPO: {GGUF: DATA}}, redirect_loop=True) as hub:
        with pytest.raises(httpx2.TooManyRedirects):
            _get(f"{hub.endpoint}/{REPO}/resolve/main/{GGUF}")


def test_redirect_loop_through_the_cli_is_one_clean_message(hub_env):
    with FakeHub({REPO: {GGUF: DATA}}, redirect_loop=True) as hub:
        hub_env["HF_ENDPOINT"] = hub.endpoint
        result = run_cli(["ask", f"local/hf:{REPO}/{GGUF}", "hi", "--max-tokens", "2"], hub_env, timeout=120)
    assert result.returncode in (1, 2), result.stderr
    assert "Traceback" not in result.stderr and "Fix:" in result.stderr


def test_announced_size_is_checked_against_free_space_and_the_deadline_holds(tmp_path):
    etag = '"' + "a" * 64 + '"'
    hubmod._Guard.cache = tmp_path
    try:
        with pytest.raises(HubError, match="free"):
            check_response_headers("http://h/o/r/resolve/main/x.gguf", {"X-Linked-Etag": etag, "X-Linked-Size": str(10**14)})
        with pytest.raises(HubRefused, match="file size"):
            check_response_headers("http://h/o/r/resolve/main/x.gguf", {"X-Linked-Etag": etag, "X-Linked-Size": "-1"})
        hubmod._Guard.deadline = time.monotonic() - 1
        with pytest.raises(HubRefused, match="longer than"):
            check_response_headers("http://h/o/r/resolve/main/x.gguf", {"X-Linked-Etag": etag})
    finally:
        hubmod._Guard.cache, hubmod._Guard.deadline, hubmod._Guard.expected = None, float("inf"), None


def _cache(tmp_path: Path, data: bytes) -> tuple[Path, Path]:
    repo = tmp_path / "models--o--r"
    sha = hashlib.sha256(data).hexdigest()
    blob = repo / "blobs" / sha
    blob.parent.mkdir(parents=True)
    blob.write_bytes(data)
    entry = repo / "snapshots" / COMMIT / GGUF
    entry.parent.mkdir(parents=True)
    entry.symlink_to(os.path.relpath(blob, entry.parent))
    return entry, blob


def test_a_cache_symlink_cannot_bypass_the_checksum(tmp_path):
    entry, blob = _cache(tmp_path, DATA)
    ref = HubRef("o/r", filename=GGUF)
    assert cache_blob(entry, ref, GGUF) == blob
    verify(entry, ref, GGUF)  # the real blob checks out
    # The snapshot entry re-pointed at a file elsewhere: refused, not skipped.
    elsewhere = tmp_path / "planted.gguf"
    elsewhere.write_bytes(b"GGUF evil")
    entry.unlink()
    entry.symlink_to(elsewhere)
    with pytest.raises(HubRefused, match="checksummed blob"):
        cache_blob(entry, ref, GGUF)
    # The blob itself made a link: refused too.
    entry.unlink()
    entry.symlink_to(os.path.relpath(blob, entry.parent))
    blob.unlink()
    blob.symlink_to(elsewhere)
    with pytest.raises(HubRefused):
        verify(entry, ref, GGUF)


def test_a_git_stored_file_is_checked_by_its_git_hash(tmp_path):
    repo = tmp_path / "models--o--r"
    git = hashlib.sha1(b"blob %d\0" % len(DATA) + DATA).hexdigest()
    (repo / "blobs").mkdir(parents=True)
    (repo / "blobs" / git).write_bytes(DATA[:-1] + b"X")  # not what the hash says
    entry = repo / "snapshots" / COMMIT / GGUF
    entry.parent.mkdir(parents=True)
    entry.symlink_to(os.path.relpath(repo / "blobs" / git, entry.parent))
    with pytest.raises(HubError, match="corrupted"):
        verify(entry, HubRef("o/r", filename=GGUF), GGUF)
