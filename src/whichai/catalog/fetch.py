"""Bounded downloads and safe archive unpacking for ``whichai catalog update``.

Every download has a size cap and a total deadline; a body that is cut short, too large or late
raises :class:`FetchError` and leaves only a temporary file behind in the caller's staging folder.
Archives (GitHub's codeload ``.tar.gz`` or ``.zip``) are unpacked member by member: only regular
files whose names end in one of the wanted suffixes are written, every name is checked (no absolute
path, no ``..``, no link, no device), and the unpacked total and member count are bounded too.
httpx and rich are imported inside the functions that use them.
"""

from __future__ import annotations

import re
import tarfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    import httpx
    from rich.progress import Progress, TaskID

CHUNK = 64 * 1024
MAX_MEMBERS = 20_000
MAX_UNPACKED = 512 * 1024 * 1024
_SAFE_PART = re.compile(r"^[^\x00-\x1f\\:*?\"<>|]+$")


class FetchError(Exception):
    """A download or an archive was refused. ``offline`` when the host could not be reached at all."""

    def __init__(self, message: str, offline: bool = False) -> None:
        super().__init__(message)
        self.offline = offline


@dataclass
class Limits:
    max_bytes: int
    deadline: float  # time.monotonic() value after which every download stops


def _human(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"


def _progress(label: str, total: int | None) -> tuple[Progress, TaskID]:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TransferSpeedColumn,
    )

    con = Console(stderr=True)
    prog = Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                    console=con, transient=True, disable=not con.is_terminal)
    return prog, prog.add_task(label, total=total)


def download(client: httpx.Client, name: str, url: str, dest: Path, limits: Limits) -> int:
    """Stream ``url`` into ``dest``; return the byte count. Raises :class:`FetchError`."""
    import httpx

    try:
        with client.stream("GET", url) as resp:
            if resp.status_code != 200:
                raise FetchError(f"{name}: {url} answered HTTP {resp.status_code}")
            length = resp.headers.get("content-length")
            declared = int(length) if length and length.isdigit() else None
            if declared is not None and declared > limits.max_bytes:
                raise FetchError(f"{name}: {url} announces {_human(declared)}, over the {_human(limits.max_bytes)} cap")
            return _stream_body(resp, name, url, dest, limits, declared)
    except FetchError:
        raise
    except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
        raise FetchError(f"{name}: cannot reach {_host(url)} ({_reason(exc)})", offline=True) from None
    except httpx.TimeoutException:
        raise FetchError(f"{name}: {url} stopped sending (timed out)") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"{name}: the download from {url} failed part-way ({_reason(exc)})") from None


def _stream_body(resp: httpx.Response, name: str, url: str, dest: Path, limits: Limits, declared: int | None) -> int:
    got = 0
    prog, task = _progress(f"{name}", declared)
    with prog, dest.open("wb") as fh:
        for chunk in resp.iter_bytes(CHUNK):  # decoded: the cap bounds what a compressed body unpacks to
            got += len(chunk)
            if got > limits.max_bytes:
                raise FetchError(f"{name}: {url} sent more than the {_human(limits.max_bytes)} cap")
            if time.monotonic() > limits.deadline:
                raise FetchError(f"{name}: {url} took longer than the update's deadline")
            fh.write(chunk)
            prog.update(task, completed=resp.num_bytes_downloaded)
    if declared is not None and resp.num_bytes_downloaded != declared:
        raise FetchError(f"{name}: {url} sent {resp.num_bytes_downloaded} of {declared} bytes (truncated)")
    if got == 0:
        raise FetchError(f"{name}: {url} sent an empty body")
    return got


def _host(url: str) -> str:
    import httpx

    try:
        return httpx.URL(url).host or url
    except (httpx.InvalidURL, TypeError, ValueError):  # a malformed URL is named as given
        return url


def _reason(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:160]


# ---------------------------------------------------------------- archives


def _safe_name(name: str, archive: str) -> PurePosixPath:
    p = PurePosixPath(name.replace("\\", "/"))
    if name.startswith(("/", "\\")) or p.is_absolute() or re.match(r"^[A-Za-z]:", name):
        raise FetchError(f"{archive}: member {name!r} has an absolute path (refused)")
    if any(part in ("..",) for part in p.parts):
        raise FetchError(f"{archive}: member {name!r} climbs out of the archive with '..' (refused)")
    if not all(_SAFE_PART.match(part) for part in p.parts):
        raise FetchError(f"{archive}: member {name!r} has characters a file name may not have (refused)")
    return p


def _write_member(src: IO[bytes], target: Path, size_left: int, archive: str) -> int:
    written = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        while chunk := src.read(CHUNK):
            written += len(chunk)
            if written > size_left:
                raise FetchError(f"{archive}: unpacks to more than {_human(MAX_UNPACKED)} (refused)")
            out.write(chunk)
    return written


def unpack(archive: Path, dest: Path, suffixes: tuple[str, ...], label: str) -> int:
    """Unpack the wanted files of a .tar.gz or .zip into ``dest``; return how many. Raises :class:`FetchError`."""
    dest.mkdir(parents=True, exist_ok=True)
    try:
        if zipfile.is_zipfile(archive):
            return _unpack_zip(archive, dest, suffixes, label)
        return _unpack_tar(archive, dest, suffixes, label)
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise FetchError(f"{label}: the archive is damaged or truncated ({_reason(exc)})") from None


def _unpack_tar(archive: Path, dest: Path, suffixes: tuple[str, ...], label: str) -> int:
    count = total = members = 0
    with tarfile.open(archive, mode="r:*") as tar:
        for m in tar:
            members += 1
            if members > MAX_MEMBERS:
                raise FetchError(f"{label}: more than {MAX_MEMBERS} members (refused)")
            rel = _safe_name(m.name, label)
            if m.issym() or m.islnk() or m.isdev() or m.isfifo():
                raise FetchError(f"{label}: member {m.name!r} is a link or device (refused)")
            if not m.isfile() or not m.name.endswith(suffixes):
                continue
            src = tar.extractfile(m)
            if src is None:
                continue
            total += _write_member(src, dest.joinpath(*rel.parts), MAX_UNPACKED - total, label)
            count += 1
    return count


def _unpack_zip(archive: Path, dest: Path, suffixes: tuple[str, ...], label: str) -> int:
    count = total = 0
    with zipfile.ZipFile(archive) as zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise FetchError(f"{label}: more than {MAX_MEMBERS} members (refused)")
        for info in infos:
            rel = _safe_name(info.filename, label)
            if (info.external_attr >> 16) & 0o170000 == 0o120000:
                raise FetchError(f"{label}: member {info.filename!r} is a link (refused)")
            if info.is_dir() or not info.filename.endswith(suffixes):
                continue
            with zf.open(info) as src:
                total += _write_member(src, dest.joinpath(*rel.parts), MAX_UNPACKED - total, label)
            count += 1
    return count
