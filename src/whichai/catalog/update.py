"""``whichai catalog update``: download the newest upstream data, build, swap in atomically, roll back.

Three downloads, each bounded (a size cap, one total deadline): models.dev's ``api.json`` and the
osai-index and model-openness-tool repositories as GitHub serves them (codeload archives). Their URLs
can be pointed elsewhere (a mirror, the tests' loopback server) with ``WHICHAI_MODELS_DEV_URL``,
``WHICHAI_OSAI_URL`` and ``WHICHAI_MOF_URL``. Everything is downloaded and checked in a staging folder
inside the data directory; the catalog is built from it with :func:`whichai.catalog.build.build_catalog`;
only then is the new catalog written to a temporary file beside the current one, fsync'd, read back
and moved into place with ``os.replace``. The catalog it replaces is kept as ``catalog.previous.json.gz``
for :func:`rollback`. Any failure before the swap leaves the catalog as it was.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from whichai import safeyaml
from whichai.catalog.fetch import FetchError, Limits, download, unpack
from whichai.errors import FileInputError, InputError, WhichaiError


@dataclass(frozen=True)
class Source:
    name: str
    env: str
    url: str
    max_bytes: int


SOURCES = (
    Source("models.dev", "WHICHAI_MODELS_DEV_URL", "https://models.dev/api.json", 64 * 1024 * 1024),
    Source("osai-index", "WHICHAI_OSAI_URL",
           "https://codeload.github.com/Language-Technology-Assessment/main-database/tar.gz/refs/heads/main", 64 * 1024 * 1024),
    Source("mof", "WHICHAI_MOF_URL", "https://codeload.github.com/lfai/model_openness_tool/tar.gz/refs/heads/main", 128 * 1024 * 1024),
)
DEADLINE_S = 300.0
PREVIOUS_NAME = "catalog.previous.json.gz"


class UpdateError(WhichaiError):
    """The update could not finish; the catalog in use is unchanged. Exit code 1."""


def source_url(s: Source) -> str:
    url = os.environ.get(s.env, "").strip() or s.url
    if not url.startswith(("https://", "http://")):
        raise InputError(f"{s.env}={url!r} is not an http(s) URL. Fix: set it to the URL of {s.name}'s data, or unset it.")
    return url


def previous_path() -> Path:
    from whichai.catalog.catalog import refreshed_path

    return refreshed_path().with_name(PREVIOUS_NAME)


# ---------------------------------------------------------------- download and stage


def _largest_dir(root: Path, pattern: str, skip: tuple[str, ...] = ()) -> Path | None:
    counts: dict[Path, int] = {}
    for p in root.rglob(pattern):
        if p.is_file() and p.name not in skip and not p.name.startswith("_"):
            counts[p.parent] = counts.get(p.parent, 0) + 1
    return max(counts, key=lambda d: (counts[d], -len(d.parts))) if counts else None


def _stage_mof(raw: Path) -> Path:
    settings = next((p for p in raw.rglob("mof.settings.yml") if p.is_file()), None)
    folder = _largest_dir(raw, "*.yml", skip=("mof.settings.yml",))
    if settings is None or folder is None:
        raise FetchError("mof: the archive has no mof.settings.yml or no release files (*.yml)")
    try:
        doc = safeyaml.load_packaged(settings)
        ok = isinstance(doc, dict) and isinstance(doc.get("components"), list) and all(
            isinstance(c, dict) and isinstance(c.get("name"), str) and isinstance(c.get("class"), int) for c in doc["components"])
    except (FileInputError, UnicodeDecodeError):
        ok = False
    if not ok:
        raise FetchError("mof: mof.settings.yml is not the MOF settings format (components with name and class)")
    if settings.parent != folder:
        shutil.copyfile(settings, folder / "mof.settings.yml")
    return folder


def _stage_osai(raw: Path) -> Path:
    folder = _largest_dir(raw, "*.yaml")
    if folder is None:
        raise FetchError("osai-index: the archive has no model files (*.yaml)")
    return folder


def _stage_models_dev(path: Path, root: Path) -> Path:
    from whichai.catalog.modelsdev_json import ShapeError, validate, write_tree

    try:
        checked = validate(path.read_bytes())
    except ShapeError as exc:
        raise FetchError(f"models.dev: api.json is not in models.dev's format: {exc}") from None
    write_tree(checked, root)
    return root


def download_all(stage: Path, deadline_s: float = DEADLINE_S) -> dict[str, Path]:
    """Download and check the three sources into ``stage``; {source name: folder the build reads}."""
    import httpx

    deadline = time.monotonic() + deadline_s
    urls = {s.name: source_url(s) for s in SOURCES}
    timeout = httpx.Timeout(min(30.0, deadline_s), connect=min(10.0, deadline_s))
    folders: dict[str, Path] = {}
    with httpx.Client(timeout=timeout, follow_redirects=True, max_redirects=5, trust_env=True,
                      headers={"User-Agent": "whichai-catalog-update"}) as client:
        for s in SOURCES:
            dest = stage / f"{s.name}.download"
            download(client, s.name, urls[s.name], dest, Limits(s.max_bytes, deadline))
            if s.name == "models.dev":
                folders[s.name] = _stage_models_dev(dest, stage / "models-dev")
                continue
            unpack(dest, stage / s.name, (".yml", ".yaml"), s.name)
            folders[s.name] = (_stage_mof if s.name == "mof" else _stage_osai)(stage / s.name)
    return folders


# ---------------------------------------------------------------- build, write, swap


def build(folders: dict[str, Path], day: str) -> dict:
    from whichai.catalog.build import build_catalog

    try:
        doc = build_catalog(folders["osai-index"], folders["mof"], folders["models.dev"],
                            {"osai-index": day, "mof": day, "models.dev": day}, day=day)
    except (WhichaiError, KeyError, TypeError, ValueError, AttributeError, IndexError, OSError, RecursionError) as exc:
        # untrusted data of the wrong shape: reported, never swapped in (anything else is a bug of whichai's own)
        raise UpdateError(f"The downloaded data could not be built into a catalog ({type(exc).__name__}: {str(exc)[:200]}). "
                          "The current catalog is kept. Fix: try again later; if it persists, report it.") from None
    if not doc.get("entries") or not doc.get("counts", {}).get("offers"):
        raise UpdateError("The downloaded data gave a catalog with no models or no offers. The current catalog is kept.")
    return doc


def _fsync_dir(folder: Path) -> None:
    if os.name == "posix":
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _temp_beside(path: Path) -> Path:
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=".catalog-", suffix=".tmp")
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(name, 0o666 & ~umask)  # mkstemp makes it 0600; the catalog is an ordinary file
    return Path(name)


def _write_verified(doc: dict, path: Path) -> Path:
    """``doc`` as gzip'd JSON in a temp file beside ``path``, fsync'd and read back; the temp path."""
    tmp = _temp_beside(path)
    raw = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    with tmp.open("wb") as fh:
        with gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0, compresslevel=6) as gz:
            gz.write(raw)
        fh.flush()
        os.fsync(fh.fileno())
    with gzip.open(tmp, "rb") as fh:
        if len(json.loads(fh.read())["entries"]) != len(doc["entries"]):
            raise UpdateError("The new catalog did not read back as written. The current catalog is kept.")
    return tmp


def _copy_synced(src: Path, dest_beside: Path) -> Path:
    tmp = _temp_beside(dest_beside)
    shutil.copyfile(src, tmp)
    with tmp.open("rb+") as fh:
        os.fsync(fh.fileno())
    return tmp


def install(doc: dict) -> tuple[Path, Path]:
    """Swap ``doc`` in as the catalog in use, keeping the one it replaces; (catalog path, previous path)."""
    from whichai.catalog.catalog import active_path, refreshed_path

    cur, prev = refreshed_path(), previous_path()
    cur.parent.mkdir(parents=True, exist_ok=True)
    temps: list[Path] = []
    try:
        new_tmp = _write_verified(doc, cur)
        temps.append(new_tmp)
        prev_tmp = _copy_synced(active_path(), cur)
        temps.append(prev_tmp)
        os.replace(prev_tmp, prev)
        os.replace(new_tmp, cur)
        _fsync_dir(cur.parent)
    finally:
        for t in temps:
            t.unlink(missing_ok=True)
    return cur, prev


def read_doc(path: Path) -> dict:
    with gzip.open(path, "rb") as fh:
        return json.loads(fh.read())


def rollback() -> tuple[dict, dict, Path]:
    """Put the previous catalog back (the one replaced becomes the previous): (replaced doc, restored doc, path)."""
    from whichai.catalog.catalog import active_path, refreshed_path

    cur, prev = refreshed_path(), previous_path()
    if not prev.exists():
        raise InputError(f"No previous catalog to roll back to ({prev} does not exist). "
                         "Fix: run `whichai catalog update` first; rollback undoes the last update.")
    try:
        restored = read_doc(prev)
        if not restored.get("entries"):
            raise ValueError("no entries")
    except (OSError, ValueError, EOFError, KeyError) as exc:
        raise UpdateError(f"The previous catalog {prev} is unreadable ({exc}); nothing was changed.") from None
    replaced = read_doc(active_path())
    keep = _copy_synced(active_path(), cur)
    try:
        os.replace(prev, cur)
        os.replace(keep, prev)
        _fsync_dir(cur.parent)
    finally:
        keep.unlink(missing_ok=True)
    return replaced, restored, cur


# ---------------------------------------------------------------- what changed


def _price(e: dict) -> dict | None:
    p = e.get("price_usd_per_mtok")
    return {"input": p.get("input"), "output": p.get("output")} if isinstance(p, dict) else None


def changes(old: dict, new: dict, day: str) -> dict:
    """Models added, removed, newly retired or deprecated (on ``day``), headline prices changed."""
    from whichai.catalog.lifecycle import entry_status

    before = {e["id"]: e for e in old.get("entries", [])}
    after = {e["id"]: e for e in new.get("entries", [])}
    both = sorted(before.keys() & after.keys())
    status = {i: (entry_status(before[i], day), entry_status(after[i], day)) for i in both}

    def newly(word: str) -> list[str]:
        return [i for i in both if status[i][1] == word and status[i][0] != word]

    prices = [{"id": i, "before": _price(before[i]), "after": _price(after[i])} for i in both
              if _price(before[i]) != _price(after[i])]
    return {
        "entries_before": len(before), "entries_after": len(after),
        "added": sorted(after.keys() - before.keys()), "removed": sorted(before.keys() - after.keys()),
        "newly_retired": newly("retired"), "newly_deprecated": newly("deprecated"), "price_changes": prices,
        "snapshots_before": old.get("snapshots", {}), "snapshots_after": new.get("snapshots", {}),
    }


def run_update(deadline_s: float = DEADLINE_S) -> dict:
    """Download, check, build and swap in; the report of what changed. Raises :class:`UpdateError`."""
    from whichai import clock
    from whichai.catalog.catalog import active_path, refreshed_path

    day = clock.today().isoformat()
    current = active_path()
    data = refreshed_path().parent
    data.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".update-", dir=data))
    try:
        try:
            folders = download_all(stage, deadline_s)
        except FetchError as exc:
            raise _fetch_error(exc, current) from None
        doc = build(folders, day)
        old = read_doc(current)
        path, prev = install(doc)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return {"path": str(path), "previous": str(prev), "replaced": str(current), "day": day, **changes(old, doc, day)}


def _fetch_error(exc: FetchError, current: Path) -> UpdateError:
    if exc.offline:
        return UpdateError(f"Offline: {exc}. The current catalog ({current}) is kept. "
                           "Fix: connect to the internet (or set the WHICHAI_*_URL variables to a reachable mirror) and run `whichai catalog update` again.")
    return UpdateError(f"Update refused: {exc}. Nothing was changed; the current catalog ({current}) is kept. "
                       "Fix: try again later; if it persists, report it.")
