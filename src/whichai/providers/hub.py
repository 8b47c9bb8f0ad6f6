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
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from whichai.errors import ConfigError, WhichaiError

DEFAULT_QUANT = "Q4_K_M"
_SPLIT = re.compile(r"-(\d{5})-of-(\d{5})\.gguf$", re.IGNORECASE)
_SHA256 = re.compile(r"[0-9a-f]{64}")


class HubError(WhichaiError):
    """A download from the hub failed (network, checksum): exit code 1, the run can be tried again."""


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
    if not re.fullmatch(r"[\w.-]+", owner) or not re.fullmatch(r"[\w.-]+", repo) or (revision is not None and not revision):
        raise ConfigError(usage)
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
    except (hub.errors.HfHubHTTPError, OSError) as exc:
        cached = _cached_files(ref, quiet=True)
        if cached:
            return cached
        raise _unreachable(ref, exc) from exc
    return [s.rfilename for s in info.siblings or ()]


def _cached_files(ref: HubRef, quiet: bool = False) -> list[str]:
    import huggingface_hub as hub

    try:
        folder = Path(hub.snapshot_download(ref.repo_id, revision=ref.revision, local_files_only=True))
    except (hub.errors.LocalEntryNotFoundError, OSError, ValueError) as exc:
        if quiet:
            return []
        raise _offline(ref) from exc
    return [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink()]


def _download(ref: HubRef, filename: str) -> Path:
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
    if not isinstance(cached, str):
        verify(path, ref, filename)
    return path


def verify(path: Path, ref: HubRef, filename: str) -> None:
    """Compare the SHA-256 of a fresh download with the hub's ETag (the blob's name in the cache)."""
    blob = path.resolve()
    if not _SHA256.fullmatch(blob.name):
        return  # a small file kept in git: its ETag is a git hash, not a checksum of the content
    digest = hashlib.sha256()
    with blob.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    if digest.hexdigest() != blob.name:
        blob.unlink(missing_ok=True)
        path.unlink(missing_ok=True)
        raise HubError(f"local/{ref.label}: {filename} arrived corrupted (SHA-256 {digest.hexdigest()[:12]}… instead of "
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
