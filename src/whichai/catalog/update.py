"""``whichai catalog update``: download the newest upstream data, build, swap in atomically, roll back.

Three downloads, each bounded (a size cap, one total deadline): models.dev's ``api.json`` and the
osai-index and model-openness-tool repositories as GitHub serves them (codeload archives). Their URLs
can be pointed elsewhere (a mirror, the tests' loopback server) with ``WHICHAI_MODELS_DEV_URL``,
``WHICHAI_OSAI_URL`` and ``WHICHAI_MOF_URL``. Everything is downloaded and checked in a staging folder
inside the data directory; the catalog is built from it with :func:`whichai.catalog.build.build_catalog`;
only then is the new catalog written to a temporary file beside the current one, fsync'd, read back
and moved into place with ``os.replace``. The catalog it replaces is kept as ``catalog.previous.json.gz``
for :func:`rollback`. Any failure before the swap leaves the catalog as it was.

The published benchmark results are refreshed in the same run (:func:`download_benchmarks`,
:func:`refresh_benchmarks`): the sources that change (Aider's leaderboards, LLM Stats, EvalPlus;
``whichai.catalog.benchmarks_sources.FETCHED``, URLs overridable with ``WHICHAI_AIDER_URL``,
``WHICHAI_LLMSTATS_URL`` and ``WHICHAI_EVALPLUS_URL``) are downloaded and read by the same readers as
``tools/import_benchmarks.py``; the frozen and hand-curated sources are kept as they were. The results are
linked to the new catalog and the per-benchmark fit is redone; the file is written beside the new catalog
as ``benchmarks.json`` (the one it replaces kept as ``benchmarks.previous.json``), swapped in and rolled
back together with the catalog.
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
from typing import TYPE_CHECKING, Any, TypedDict

from whichai import safeyaml
from whichai.catalog.catalog import CatalogDocument
from whichai.catalog.fetch import FetchError, Limits, download, unpack
from whichai.errors import FileInputError, InputError, WhichaiError

if TYPE_CHECKING:
    import httpx

    from whichai.catalog.benchmarks_sources import Fetched


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
BENCH_NAME, BENCH_PREVIOUS_NAME = "benchmarks.json", "benchmarks.previous.json"


class UpdateError(WhichaiError):
    """The update could not finish; the catalog in use is unchanged. Exit code 1."""


def source_url(s: Source | Fetched) -> str:
    """The URL of a catalog source (:class:`Source`) or of a benchmark source (``benchmarks_sources.Fetched``)."""
    url = os.environ.get(s.env, "").strip() or s.url
    if not url.startswith(("https://", "http://")):
        name = getattr(s, "name", None) or getattr(s, "source", "")
        raise InputError(f"{s.env}={url!r} is not an http(s) URL. Fix: set it to the URL of {name}'s data, or unset it.")
    return url


def previous_path() -> Path:
    from whichai.catalog.catalog import refreshed_path

    return refreshed_path().with_name(PREVIOUS_NAME)


def bench_paths() -> tuple[Path, Path]:
    """(the benchmark data ``catalog update`` writes, the one it replaced)."""
    from whichai.catalog.catalog import refreshed_path

    return refreshed_path().with_name(BENCH_NAME), refreshed_path().with_name(BENCH_PREVIOUS_NAME)


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
    """Download and check the three sources into ``stage``, then the benchmark sources; {source name: folder the
    build reads} (a benchmark source's under ``benchmarks:<id>``)."""
    import httpx

    from whichai.catalog import benchmarks_sources as bs

    deadline = time.monotonic() + deadline_s
    urls = {s.name: source_url(s) for s in SOURCES}
    bench_urls = {f.source: source_url(f) for f in bs.FETCHED}
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
        for f in bs.FETCHED:
            folders[f"benchmarks:{f.source}"] = download_benchmark(client, f, bench_urls[f.source], stage, deadline)
    return folders


def download_benchmark(client: httpx.Client, f: Fetched, url: str, stage: Path, deadline: float) -> Path:
    """One benchmark source's files into ``stage/bench-<id>``, at their repository paths (an archive unpacked)."""
    folder = stage / f"bench-{f.source}"
    label = f"benchmarks {f.source}"
    if f.archive_suffixes:
        dest = stage / f"bench-{f.source}.download"
        download(client, label, url, dest, Limits(f.max_bytes, deadline))
        unpack(dest, folder, f.archive_suffixes, label)
        folder.with_name(folder.name + ".commit").write_text(_archive_commit(dest), encoding="utf-8")
        return folder
    for path in f.files:
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        download(client, label, url + path.rsplit("/", 1)[-1] if url.endswith("/") else url, target, Limits(f.max_bytes, deadline))
    return folder


def _archive_commit(archive: Path) -> str:
    """The commit a codeload tar names in its pax global header (``comment``); "" when it names none."""
    import tarfile

    try:
        with tarfile.open(archive, mode="r:*") as tar:
            next(iter(tar), None)
            commit = str(tar.pax_headers.get("comment", ""))
    except (tarfile.TarError, OSError, EOFError):
        return ""
    return commit if len(commit) == 40 and all(c in "0123456789abcdef" for c in commit) else ""


# ---------------------------------------------------------------- build, write, swap


def build(folders: dict[str, Path], day: str) -> CatalogDocument:
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


def _write_verified(doc: CatalogDocument, path: Path) -> Path:
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


def _write_json_verified(doc: dict[str, Any], beside: Path) -> Path:
    tmp = _temp_beside(beside)
    raw = (json.dumps(doc, ensure_ascii=False, indent=0) + "\n").encode("utf-8")
    with tmp.open("wb") as fh:
        fh.write(raw)
        fh.flush()
        os.fsync(fh.fileno())
    if len(json.loads(tmp.read_bytes())["results"]) != len(doc["results"]):
        raise UpdateError("The new benchmark data did not read back as written. The current catalog is kept.")
    return tmp


def install(doc: CatalogDocument, bench: dict[str, Any] | None = None) -> tuple[Path, Path]:
    """Swap ``doc`` (and the benchmark data ``bench``) in as the ones in use, keeping those they replace;
    (catalog path, previous path). The benchmark files are moved first, the catalog last: until the catalog
    moves, the old catalog is in use with the old benchmark data (read only beside a refreshed catalog)."""
    from whichai.catalog import benchmarks
    from whichai.catalog.catalog import active_path, refreshed_path

    cur, prev = refreshed_path(), previous_path()
    bcur, bprev = bench_paths()
    cur.parent.mkdir(parents=True, exist_ok=True)
    temps: list[Path] = []
    try:
        new_tmp = _write_verified(doc, cur)
        temps.append(new_tmp)
        prev_tmp = _copy_synced(active_path(), cur)
        temps.append(prev_tmp)
        if bench is not None:
            bnew_tmp = _write_json_verified(bench, cur)
            temps.append(bnew_tmp)
            bprev_tmp = _copy_synced(benchmarks.active_data_path(), cur)
            temps.append(bprev_tmp)
        os.replace(prev_tmp, prev)
        if bench is not None:
            os.replace(bprev_tmp, bprev)
            os.replace(bnew_tmp, bcur)
        os.replace(new_tmp, cur)
        _fsync_dir(cur.parent)
    finally:
        for t in temps:
            t.unlink(missing_ok=True)
    return cur, prev


def read_doc(path: Path) -> CatalogDocument:
    with gzip.open(path, "rb") as fh:
        doc: CatalogDocument = json.loads(fh.read())
    return doc


def rollback() -> tuple[CatalogDocument, CatalogDocument, Path]:
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
    bcur, bprev = bench_paths()
    keep = _copy_synced(active_path(), cur)
    bkeep = _copy_synced(bcur, cur) if bprev.exists() and bcur.exists() else None
    try:
        if bkeep is not None:  # the benchmark data goes back with the catalog it was linked to
            os.replace(bprev, bcur)
            os.replace(bkeep, bprev)
        os.replace(prev, cur)
        os.replace(keep, prev)
        _fsync_dir(cur.parent)
    finally:
        keep.unlink(missing_ok=True)
        if bkeep is not None:
            bkeep.unlink(missing_ok=True)
    from whichai.catalog import benchmarks

    benchmarks.reset()
    return replaced, restored, cur


# ---------------------------------------------------------------- what changed


def _price(e: dict[str, Any]) -> dict[str, float | None] | None:
    p = e.get("price_usd_per_mtok")
    return {"input": p.get("input"), "output": p.get("output")} if isinstance(p, dict) else None


class PriceChange(TypedDict):
    id: str
    before: dict[str, float | None] | None  # {input, output} USD per million tokens
    after: dict[str, float | None] | None


class Changes(TypedDict):
    """What an update (or a rollback) changed in the catalog."""

    entries_before: int
    entries_after: int
    added: list[str]
    removed: list[str]
    newly_retired: list[str]
    newly_deprecated: list[str]
    price_changes: list[PriceChange]
    snapshots_before: dict[str, str]
    snapshots_after: dict[str, str]


class UpdateReport(Changes):
    """``whichai catalog update``'s report: where the catalog went, what changed, the benchmark data's refresh."""

    path: str
    previous: str
    replaced: str
    day: str
    benchmarks: dict[str, Any]  # bench_changes: what the benchmark data's refresh fetched, kept and relinked


def changes(old: CatalogDocument, new: CatalogDocument, day: str) -> Changes:
    """Models added, removed, newly retired or deprecated (on ``day``), headline prices changed."""
    from whichai.catalog.lifecycle import entry_status

    before = {e["id"]: e for e in old.get("entries", [])}
    after = {e["id"]: e for e in new.get("entries", [])}
    both = sorted(before.keys() & after.keys())
    status = {i: (entry_status(before[i], day), entry_status(after[i], day)) for i in both}

    def newly(word: str) -> list[str]:
        return [i for i in both if status[i][1] == word and status[i][0] != word]

    prices: list[PriceChange] = [{"id": i, "before": _price(before[i]), "after": _price(after[i])} for i in both
              if _price(before[i]) != _price(after[i])]
    return {
        "entries_before": len(before), "entries_after": len(after),
        "added": sorted(after.keys() - before.keys()), "removed": sorted(before.keys() - after.keys()),
        "newly_retired": newly("retired"), "newly_deprecated": newly("deprecated"), "price_changes": prices,
        "snapshots_before": old.get("snapshots", {}), "snapshots_after": new.get("snapshots", {}),
    }


def run_update(deadline_s: float = DEADLINE_S) -> UpdateReport:
    """Download, check, build and swap in; the report of what changed. Raises :class:`UpdateError`."""
    from whichai import clock
    from whichai.catalog import benchmarks
    from whichai.catalog.catalog import active_path, refreshed_path

    benchmarks.reset()  # read the benchmark data beside the catalog in use now, not one read before
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
        bench, bench_report = refresh_benchmarks(folders, old, doc, day)
        path, prev = install(doc, bench)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    benchmarks.reset()
    return {"path": str(path), "previous": str(prev), "replaced": str(current), "day": day, **changes(old, doc, day),
            "benchmarks": bench_report}


# ---------------------------------------------------------------- benchmark results


def refresh_benchmarks(folders: dict[str, Path], old_catalog: CatalogDocument, new_catalog: CatalogDocument, day: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The benchmark data for ``new_catalog``: the downloaded sources read anew, the others kept; linked to the new
    catalog and fitted again (a benchmark the new catalog gives too few linked entries keeps its previous fit).
    (new document, report of what changed). Raises :class:`UpdateError` on a source in the wrong format."""
    import copy

    from whichai.catalog import benchmarks as bm
    from whichai.catalog import benchmarks_sources as bs

    old = bm.data()
    fetched = {f.source for f in bs.FETCHED}
    fresh: list[dict[str, Any]] = []
    sources = copy.deepcopy(old["sources"])
    for f in bs.FETCHED:
        folder = folders[f"benchmarks:{f.source}"]
        try:
            got = bs.READERS[f.source](bs.DirTree(folder))
        except (bs.SourceFormatError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
            raise UpdateError(f"Update refused: the benchmark source {f.source} is not in its format ({type(exc).__name__}: "
                              f"{str(exc)[:200]}). Nothing was changed; the current catalog is kept. Fix: try again later; "
                              "if it persists, report it.") from None
        if not got:
            raise UpdateError(f"Update refused: the benchmark source {f.source} gave no results. Nothing was changed; "
                              "the current catalog is kept. Fix: try again later; if it persists, report it.")
        fresh += got
        commit_file = folder.with_name(folder.name + ".commit")
        sources[f.source] = {**sources.get(f.source, bs.SOURCES[f.source]), "observed": day, "source_date": day,
                             "commit": commit_file.read_text(encoding="utf-8") if commit_file.exists() else "",
                             "fetched_from": source_url(f), "results": len(got)}
    kept = [r for r in old["results"] if r["source"] not in fetched]
    results = sorted(kept + fresh, key=lambda r: (r["source"], r["benchmark"], r["model"]))
    doc = {**{k: v for k, v in old.items() if k not in ("sources", "results", "fit")}, "observed": day, "sources": sources,
           "results": results}
    new_links = bm.link_all(results, bm.catalog_index(new_catalog["entries"]))
    fit = bm.fit_priors(doc, new_links)
    kept_fit = []
    for ability, stats in old.get("fit", {}).items():
        for b, params in stats.items():
            if b not in fit.get(ability, {}):
                fit.setdefault(ability, {})[b] = params
                kept_fit.append(f"{ability}:{b}")
    doc["fit"] = {a: dict(sorted(v.items())) for a, v in fit.items()}
    old_links = bm.link_all(old["results"], bm.catalog_index(old_catalog["entries"]))
    before = bm.priors_from_fit(bm._best_scores(old, old_links), old.get("fit", {}))
    after = bm.priors_from_fit(bm._best_scores(doc, new_links), doc["fit"])
    return doc, bench_changes(old, doc, before, after, fetched, kept_fit)


def bench_changes(old: dict[str, Any], new: dict[str, Any], before: dict[str, Any], after: dict[str, Any], fetched: set[str], kept_fit: list[str]) -> dict[str, Any]:
    """Per downloaded source: results before and after, results added, removed and rescored; the entries newly
    covered by a prior and no longer covered; the benchmarks whose previous fit was kept."""

    def by(doc: dict[str, Any], sid: str) -> dict[tuple[str, str], float]:
        return {(r["benchmark"], r["model"]): r["score"] for r in doc["results"] if r["source"] == sid}

    per = {}
    for sid in sorted(fetched):
        a, b = by(old, sid), by(new, sid)
        per[sid] = {"results_before": len(a), "results_after": len(b), "added": len(b.keys() - a.keys()),
                    "removed": len(a.keys() - b.keys()), "rescored": sum(1 for k in a.keys() & b.keys() if a[k] != b[k]),
                    "observed": new["sources"][sid]["observed"], "license": new["sources"][sid]["license"],
                    "url": new["sources"][sid].get("fetched_from", new["sources"][sid]["url"])}
    return {"sources": per, "kept": sorted(set(new["sources"]) - fetched), "entries_before": len(before),
            "entries_after": len(after), "newly_covered": sorted(after.keys() - before.keys()),
            "no_longer_covered": sorted(before.keys() - after.keys()), "fit_kept": kept_fit}


def _fetch_error(exc: FetchError, current: Path) -> UpdateError:
    if exc.offline:
        return UpdateError(f"Offline: {exc}. The current catalog ({current}) is kept. "
                           "Fix: connect to the internet (or set the WHICHAI_*_URL variables to a reachable mirror) and run `whichai catalog update` again.")
    return UpdateError(f"Update refused: {exc}. Nothing was changed; the current catalog ({current}) is kept. "
                       "Fix: try again later; if it persists, report it.")
