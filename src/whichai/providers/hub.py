"""GGUF files from the Hugging Face Hub, for local models: ``local/hf:OWNER/REPO/FILE.gguf`` and
``local/hf:OWNER/REPO:QUANT`` (``local/hf:OWNER/REPO`` means the ``Q4_K_M`` file, as in llama.cpp's
``-hf``; ``OWNER/REPO@REVISION`` pins a branch, tag or commit).

Files come through ``huggingface_hub`` into its cache (``HF_HOME`` / ``HF_HUB_CACHE``), with its
progress bar on stderr; a transfer cut off mid-way resumes with an HTTP Range request; ``HF_ENDPOINT``
(a mirror) and ``HF_HUB_OFFLINE`` (cache only) are honoured, and ``HF_TOKEN`` opens gated repos.
Large files are stored in the hub with their SHA-256 as ETag; after a fresh download whichai hashes
the file and compares (huggingface_hub itself checks only the size), and deletes a file that differs.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from whichai.errors import ConfigError, WhichaiError

DEFAULT_QUANT = "Q4_K_M"
_SPLIT = re.compile(r"-(\d{5})-of-(\d{5})\.gguf$", re.IGNORECASE)
_SHA256 = re.compile(r"[0-9a-f]{64}")
_GIT_SHA = re.compile(r"[0-9a-f]{40}")
_ETAG = re.compile(r'(?:W/)?"?([0-9a-f]{40}|[0-9a-f]{64})"?')  # a git blob hash or an LFS SHA-256, nothing else
MAX_LISTING_BYTES = 16 * 1024 * 1024  # a repo's JSON listing, an error body: never more than this
MAX_REDIRECTS = 5
READ_TIMEOUT_S = 60.0  # no byte for this long: the transfer is cut (and resumes on the next try)
SPACE_MARGIN = 256 * 1024 * 1024  # free space kept on the cache's disk beyond the file itself


def deadline_s() -> float:
    """The total time one file's download may take (``WHICHAI_HUB_DEADLINE_S``; default 6 hours)."""
    try:
        value = float(os.environ.get("WHICHAI_HUB_DEADLINE_S", "") or 6 * 3600)
    except ValueError:
        value = 6 * 3600
    return value if 0 < value <= 7 * 86400 else 6 * 3600


class HubError(WhichaiError):
    """A download from the hub failed (network, checksum): exit code 1, the run can be tried again."""


class HubRefused(HubError):
    """The hub (or a mirror) answered something whichai does not accept: a malformed ETag or commit, a body
    larger than announced, a listing too large, a transfer past its deadline."""


@dataclass(frozen=True)
class HubRef:
    repo_id: str
    filename: str | None = None  # a path inside the repo, ending in .gguf
    quant: str | None = None
    revision: str | None = None

    @property
    def label(self) -> str:
        repo = self.repo_id + (f"@{self.revision}" if self.revision else "")
        return f"hf:{repo}/{self.filename}" if self.filename else f"hf:{repo}:{self.quant}"


def is_hub_ref(model: str) -> bool:
    """True for a ``hf:…`` model name (a GGUF on the Hugging Face Hub)."""
    return model.startswith("hf:")


def parse_ref(model: str) -> HubRef:
    """``hf:OWNER/REPO[@REV]/PATH.gguf`` | ``hf:OWNER/REPO[@REV][:QUANT]``."""
    text = model[3:] if is_hub_ref(model) else model
    usage = (f"local/{model}: not a Hugging Face GGUF reference. Fix: write local/hf:OWNER/REPO/FILE.gguf or "
             f"local/hf:OWNER/REPO:QUANT (e.g. local/hf:bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M).")
    parts = text.split("/", 2)
    if len(parts) < 2 or not parts[0] or not parts[1]:
        raise ConfigError(usage)
    owner, repo = parts[0], parts[1]
    rest = parts[2] if len(parts) == 3 else ""
    quant = None
    if not rest and ":" in repo:
        repo, _, quant = repo.partition(":")
        if not quant:
            raise ConfigError(usage)
    revision = None
    if "@" in repo:
        repo, _, revision = repo.partition("@")
    if any(not re.fullmatch(r"[\w.-]+", part) or not part.strip(".") for part in (owner, repo)) or (revision is not None and not revision):
        raise ConfigError(usage)
    if revision is not None and (not re.fullmatch(r"[\w.-]+", revision) or revision.strip(".") == ""):
        raise ConfigError(usage)
    segments = rest.split("/") if rest else []
    if any(seg in ("", ".", "..") or not re.fullmatch(r"[\w.+-]+", seg) for seg in segments):
        raise ConfigError(f"local/{model}: {rest!r} is not a file path inside the repo (no '..', '.', empty or odd "
                          f"segments). Fix: name the file as the repo lists it, e.g. local/hf:{owner}/{repo}/FILE.gguf.")
    if rest and not rest.lower().endswith(".gguf"):
        raise ConfigError(f"local/{model}: {rest!r} is not a .gguf file. Fix: name a GGUF file of the repo, "
                          f"or a quantisation: local/hf:{owner}/{repo}:Q4_K_M.")
    return HubRef(f"{owner}/{repo}", filename=rest or None, quant=None if rest else (quant or DEFAULT_QUANT), revision=revision)


def quant_matches(filename: str, quant: str) -> bool:
    """``Q4_K_M`` matches ``Llama-3.2-1B-Instruct-Q4_K_M.gguf``, ``model.q4_k_m.gguf``, ``Q4_K_M/x-00001-of-00002.gguf``."""
    name = _SPLIT.sub(".gguf", filename)
    return re.search(rf"(^|[-_./]){re.escape(quant)}([-./]|$)", name, re.IGNORECASE) is not None


def pick_files(files: list[str], ref: HubRef) -> list[str]:
    """The GGUF file(s) for a quantisation: one file, or every part of a split file (first part first)."""
    ggufs = [f for f in files if f.lower().endswith(".gguf") and "mmproj" not in f.lower()]
    chosen = sorted(f for f in ggufs if quant_matches(f, ref.quant or DEFAULT_QUANT))
    if not chosen:
        available = sorted({q for f in ggufs for q in re.findall(r"(?i)(?:^|[-_./])((?:I?Q\d\w*|[BF]F?16|F32))(?=[-.])", _SPLIT.sub(".gguf", f))})
        hint = f"Quantisations in the repo: {', '.join(available)}." if available else f"GGUF files: {', '.join(ggufs) or 'none'}."
        raise ConfigError(f"local/{ref.label}: no {ref.quant} GGUF file in {ref.repo_id}. {hint} "
                          f"Fix: pick one, e.g. local/hf:{ref.repo_id}:{available[0] if available else 'Q4_K_M'}, or name the file.")
    first = chosen[0]
    match = _SPLIT.search(first)
    if match is None:
        return [first]
    stem = first[: match.start()]
    return [f for f in chosen if f.startswith(stem) and _SPLIT.search(f)]


def fetch(model: str) -> Path:
    """The local path of ``hf:...`` (downloaded into the hub cache if not there yet)."""
    ref = parse_ref(model)
    files = [ref.filename] if ref.filename else pick_files(_repo_files(ref), ref)
    paths = [_download(ref, name) for name in files]
    return paths[0]


def _repo_files(ref: HubRef) -> list[str]:
    """The repo's file names: from the hub, or from the cache when offline."""
    import huggingface_hub as hub
    from huggingface_hub import constants

    if constants.HF_HUB_OFFLINE:
        return _cached_files(ref)
    try:
        info = hub.HfApi().model_info(ref.repo_id, revision=ref.revision)
    except (hub.errors.RepositoryNotFoundError, hub.errors.RevisionNotFoundError, hub.errors.GatedRepoError) as exc:
        raise _not_found(ref, exc) from exc
    except (hub.errors.HfHubHTTPError, OSError, *_transport_errors()) as exc:  # type: ignore[misc]  # (mypy rejects a starred tuple of exception types) no network: one message, no traceback
        cached = _cached_files(ref, quiet=True)
        if cached:
            return cached
        raise _unreachable(ref, exc) from exc
    return [s.rfilename for s in info.siblings or ()]


def _transport_errors() -> tuple[type[BaseException], ...]:
    """The connection errors of the HTTP clients huggingface_hub may use (httpx2, httpx, requests): none
    of them is an OSError, so without these a refused connection or an unknown host ended in a traceback."""
    import importlib

    found: list[type[BaseException]] = []
    for module, name in (("httpx2", "HTTPError"), ("httpx", "HTTPError"), ("requests", "RequestException")):
        try:
            found.append(getattr(importlib.import_module(module), name))
        except (ImportError, AttributeError):
            continue
    return tuple(found)


def _cached_files(ref: HubRef, quiet: bool = False) -> list[str]:
    import huggingface_hub as hub

    try:
        folder = Path(hub.snapshot_download(ref.repo_id, revision=ref.revision, local_files_only=True))
    except (hub.errors.LocalEntryNotFoundError, OSError, ValueError) as exc:
        if quiet:
            return []
        raise _offline(ref) from exc
    return [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink()]


class _Guard:
    """What the guarded HTTP client knows about the transfer under way (one download at a time)."""

    deadline: float = float("inf")
    expected: int | None = None  # the file's announced size (X-Linked-Size), once the hub has said it
    cache: Path | None = None


def _refuse(why: str) -> HubRefused:
    return HubRefused(f"the Hugging Face Hub at {_endpoint()} answered something whichai does not accept: {why}. "
                      "Fix: check HF_ENDPOINT (a mirror you trust), or pass a GGUF file on disk as local/PATH/TO/FILE.gguf.")


def check_response_headers(url: str, headers) -> None:
    """Validate what the hub announces before huggingface_hub uses it as a file name or a size."""
    if time.monotonic() > _Guard.deadline:
        raise _refuse(f"the download took longer than {deadline_s():.0f} s (WHICHAI_HUB_DEADLINE_S)")
    if "/api/" in url:
        length = headers.get("Content-Length")
        if length is not None and (not length.isdigit() or int(length) > MAX_LISTING_BYTES):
            raise _refuse(f"a listing of {length} bytes (the limit is {MAX_LISTING_BYTES})")
        return
    if "/resolve/" not in url:
        return
    etag = headers.get("X-Linked-Etag") or headers.get("ETag")
    if etag is not None and not _ETAG.fullmatch(etag.strip()):
        raise _refuse(f"an ETag {etag[:80]!r} that is neither a git hash nor a SHA-256")
    commit = headers.get("X-Repo-Commit")
    if commit is not None and not _GIT_SHA.fullmatch(commit.strip()):
        raise _refuse(f"a commit {commit[:80]!r} that is not a 40-character hash")
    size = headers.get("X-Linked-Size") or (headers.get("Content-Length") if etag else None)
    if size is not None:
        if not size.strip().isdigit() or len(size.strip()) > 15:
            raise _refuse(f"a file size {size[:40]!r}")
        _Guard.expected = int(size)
        _check_space(int(size))


def _check_space(size: int) -> None:
    folder = _Guard.cache
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(folder).free
    if size + SPACE_MARGIN > free:
        raise HubError(f"the file is {size / 1e9:.1f} GB and the disk of {folder} has {free / 1e9:.1f} GB free. "
                       "Fix: free some space, or set HF_HUB_CACHE to a disk with room.")


class _Capped:
    """A response body that stops at ``cap`` bytes and at the download's deadline."""

    def __init__(self, stream, cap: int, what: str) -> None:
        self.stream, self.cap, self.what = stream, cap, what

    def __iter__(self):
        seen = 0
        for chunk in self.stream:
            seen += len(chunk)
            if seen > self.cap:
                raise _refuse(f"{self.what} longer than {self.cap} bytes")
            if time.monotonic() > _Guard.deadline:
                raise _refuse(f"the download took longer than {deadline_s():.0f} s (WHICHAI_HUB_DEADLINE_S)")
            yield chunk

    def close(self) -> None:
        close = getattr(self.stream, "close", None)
        if close is not None:
            close()


def guarded_client():
    """The ``httpx2.Client`` huggingface_hub uses inside whichai: its own event hook, plus bounds."""
    import httpx2
    from huggingface_hub.utils._http import hf_request_event_hook

    class Capped(_Capped, httpx2.SyncByteStream):
        pass

    class Transport(httpx2.HTTPTransport):
        def handle_request(self, request):
            response = super().handle_request(request)
            url = str(request.url)
            try:
                check_response_headers(url, response.headers)
            except BaseException:
                response.close()
                raise
            listing = "/api/" in url or response.status_code >= 300
            cap = MAX_LISTING_BYTES if listing or _Guard.expected is None else _Guard.expected
            what = "a listing or an error body" if listing else "a file body"
            return httpx2.Response(response.status_code, headers=response.headers, stream=Capped(response.stream, cap, what),
                                   extensions=response.extensions)

    timeout = httpx2.Timeout(READ_TIMEOUT_S, connect=30.0)
    return httpx2.Client(transport=Transport(), event_hooks={"request": [hf_request_event_hook]}, follow_redirects=True,
                         max_redirects=MAX_REDIRECTS, timeout=timeout)


def _install_guard() -> None:
    from huggingface_hub.utils import _http

    if getattr(_http, "_GLOBAL_CLIENT_FACTORY", None) is not guarded_client:
        _http.set_client_factory(guarded_client)


def _download(ref: HubRef, filename: str) -> Path:
    import httpx2
    from huggingface_hub import constants

    _install_guard()
    _Guard.deadline, _Guard.expected, _Guard.cache = time.monotonic() + deadline_s(), None, Path(constants.HF_HUB_CACHE)
    try:
        return _download_guarded(ref, filename)
    except httpx2.TooManyRedirects as exc:
        raise _refuse(f"more than {MAX_REDIRECTS} redirects (a redirect loop)") from exc
    except httpx2.HTTPError as exc:
        raise HubError(f"local/{ref.label}: the download of {filename} failed ({type(exc).__name__}: {exc}). "
                       "Fix: run the same command again; huggingface_hub keeps what is complete.") from exc
    except ValueError as exc:  # huggingface_hub refuses a path outside its cache
        raise _refuse(f"a path outside the cache ({exc})") from exc
    finally:
        _Guard.deadline, _Guard.expected = float("inf"), None


def _download_guarded(ref: HubRef, filename: str) -> Path:
    import huggingface_hub as hub

    cached = hub.try_to_load_from_cache(ref.repo_id, filename, revision=ref.revision)
    if not isinstance(cached, str):
        sys.stderr.write(f"Fetching {filename} from {ref.repo_id} on {_endpoint()} into the Hugging Face cache.\n")
    try:
        path = Path(hub.hf_hub_download(ref.repo_id, filename, revision=ref.revision))
    except hub.errors.OfflineModeIsEnabled as exc:
        raise _offline(ref) from exc
    except hub.errors.LocalEntryNotFoundError as exc:
        raise (_offline(ref) if _is_offline() else _unreachable(ref, exc)) from exc
    except hub.errors.RemoteEntryNotFoundError as exc:
        raise ConfigError(f"local/{ref.label}: {ref.repo_id} has no file {filename!r}. "
                          f"Fix: check the name at {_endpoint()}/{ref.repo_id}/tree/{ref.revision or 'main'}.") from exc
    except (hub.errors.RepositoryNotFoundError, hub.errors.RevisionNotFoundError, hub.errors.GatedRepoError) as exc:
        raise _not_found(ref, exc) from exc
    except (hub.errors.HfHubHTTPError, OSError) as exc:
        raise HubError(f"local/{ref.label}: the download of {filename} failed ({type(exc).__name__}: {exc}). "
                       "Fix: run the same command again; huggingface_hub keeps what is complete.") from exc
    blob = cache_blob(path, ref, filename)
    if not isinstance(cached, str):
        verify(path, ref, filename, blob)
    return path


def cache_blob(path: Path, ref: HubRef, filename: str) -> Path:
    """The blob a snapshot entry points at, which must be a regular file named by its hash in the same
    repo folder's ``blobs/``: a symlink planted elsewhere (or a blob that is itself a link) is refused."""
    link = Path(os.path.abspath(path))
    target = Path(os.path.normpath(link.parent / os.readlink(link))) if link.is_symlink() else link
    repo_folder = next((p for p in link.parents if p.name.startswith("models--")), None)
    ok = (repo_folder is not None and target.parent == repo_folder / "blobs" and _ETAG.fullmatch(target.name) is not None
          and target.is_file() and not target.is_symlink())
    if not ok:
        raise _refuse(f"{filename} in the cache ({link}) points at {target}, not at a checksummed blob of the repo "
                      f"{ref.repo_id}; delete that entry and run again")
    return target


def verify(path: Path, ref: HubRef, filename: str, blob: Path | None = None) -> None:
    """Compare a fresh download with the hub's ETag (the blob's name in the cache): the SHA-256 of an LFS
    file, or the git blob hash (SHA-1 of ``blob <size>\\0`` + content) of a file kept in git."""
    blob = blob or cache_blob(path, ref, filename)
    if _SHA256.fullmatch(blob.name):
        digest = hashlib.sha256()
    else:
        digest = hashlib.sha1(usedforsecurity=False)
        digest.update(f"blob {blob.stat().st_size}\0".encode())
    with blob.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    if digest.hexdigest() != blob.name:
        blob.unlink(missing_ok=True)
        path.unlink(missing_ok=True)
        raise HubError(f"local/{ref.label}: {filename} arrived corrupted (hash {digest.hexdigest()[:12]}… instead of "
                       f"{blob.name[:12]}…) and was deleted. Fix: run the same command again to download it anew.")


def _endpoint() -> str:
    from huggingface_hub import constants

    return constants.ENDPOINT


def _is_offline() -> bool:
    from huggingface_hub import constants

    return bool(constants.HF_HUB_OFFLINE)


def _offline(ref: HubRef) -> ConfigError:
    return ConfigError(f"local/{ref.label}: not in the Hugging Face cache, and HF_HUB_OFFLINE is set. "
                       "Fix: unset HF_HUB_OFFLINE and run once with a connection (or HF_ENDPOINT set to a mirror), "
                       "or pass a GGUF file on disk as local/PATH/TO/FILE.gguf.")


def _unreachable(ref: HubRef, exc: BaseException) -> ConfigError:
    return ConfigError(f"local/{ref.label}: cannot reach the Hugging Face Hub at {_endpoint()} and the file is not "
                       f"in the cache ({type(exc).__name__}). Fix: connect to the network, set HF_ENDPOINT to a "
                       "reachable mirror, or pass a GGUF file on disk as local/PATH/TO/FILE.gguf.")


def _not_found(ref: HubRef, exc: BaseException) -> ConfigError:
    import huggingface_hub as hub

    if isinstance(exc, hub.errors.GatedRepoError):
        return ConfigError(f"local/{ref.label}: {ref.repo_id} is gated. Fix: accept its licence at "
                           f"{_endpoint()}/{ref.repo_id} and set HF_TOKEN to an access token.")
    if isinstance(exc, hub.errors.RevisionNotFoundError):
        return ConfigError(f"local/{ref.label}: {ref.repo_id} has no revision {ref.revision!r}. Fix: check the branch, tag or commit.")
    return ConfigError(f"local/{ref.label}: no model repo {ref.repo_id} at {_endpoint()} (or it is private). "
                       "Fix: check the name; for a private repo set HF_TOKEN.")
