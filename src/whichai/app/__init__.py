"""The application layer: what the CLI and the dashboard both do, done once.

- :func:`recommend`: a profile (+ optionally a run's measurements) → a
  :class:`~whichai.decide.recommendation.Recommendation`, whose ``document()`` every view renders.
  A run is found with ``Store.resolve_run`` (unique id prefixes; ambiguous ones are an error);
  decide is fed the run's *answered* cases only, and the run's completeness, so a partial run
  says so in the verdict.
- :func:`write_report` / :func:`render_report` / :func:`build_report`: the HTML / Markdown / JSON report
  of a run; the recommendation is made here and handed to :mod:`whichai.report`, which only renders.
- :func:`search_catalog`: one catalog filter (text and openness), so the CLI and the dashboard
  list the same models for the same query.

Heavy modules (pydantic models of decide, the catalog document) load inside the functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from datetime import date

    from whichai.decide.measurement import Measurement
    from whichai.decide.profile import Profile
    from whichai.decide.recommendation import Recommendation, RunFacts
    from whichai.decide.tco import CapacityFigure
    from whichai.measure.load.store import CapacityEntry
    from whichai.measure.metrics import ModelSummary
    from whichai.report import Rendered
    from whichai.report.document import ReportDocument
    from whichai.store import Store


@dataclass
class RunMeasurements:
    """What decide gets from a stored run: per-model figures over answered cases, and completeness."""

    run: RunFacts
    measurements: list[Measurement]  # one per model that answered at least one case
    summaries: list[ModelSummary]  # metrics.summarise as stored (every model of the run)


def answered_only(summary: ModelSummary) -> Measurement | None:
    """A model's run summary as decide reads it: figures over the cases it answered (None if none).

    An interrupted or partly failed run must not count the unanswered cases as failures of the
    model: ``metrics.summarise`` gives the pass rate over the scored answered cases; here ``cases``
    becomes that count (the task's count stays in ``cases_in_task``).
    """
    if summary.answered <= 0:
        return None
    m = cast("Measurement", summary.to_json())  # its keys and types: tests/test_decide_measured.py checks them
    m["cases_in_task"] = summary.cases
    m["cases"] = summary.scored
    return m


def run_measurements(store: Store, run_id: str, summaries: list[ModelSummary] | None = None) -> RunMeasurements:
    """The measurements of one stored run (``run_id`` may be a unique prefix). ``summaries``: the
    run's ``metrics.summarise`` when the caller already has them (annotated by the runner).

    Summaries read back from the store get the identity each model was run under (``serves``,
    ``self_hosted``, ``hardware``: :func:`whichai.providers.identity.run_identities`), so a later
    ``whichai recommend --run ID`` judges a self-hosted server as the run did."""
    from whichai.measure.metrics import run_summary, summarise

    run = store.resolve_run(run_id)
    if summaries is None:
        from whichai.providers.identity import run_identities

        summaries = summarise(store, run["id"])
        identity = run_identities(store, run["id"], [s.model for s in summaries])
        summaries = [s.with_identity(identity[s.model].summary_keys()) for s in summaries]
    found = run_summary(store, run["id"], summaries)
    assert found is not None  # resolve_run found the run
    info: RunFacts = {
        "id": run["id"], "status": run["status"], "task": run.get("task_name"), "cases": found.cases,
        "models": found.models, "calls": found.expected_results, "answered": found.answered,
        "scored": found.scored, "errors": found.errors, "partial": found.partial,
    }
    measurements = [m for m in (answered_only(s) for s in summaries) if m is not None]
    return RunMeasurements(info, measurements, summaries)


def _open_store(db: str | Path | None) -> Store:
    from whichai.paths import default_db_path
    from whichai.store import Store

    return Store.open(db or default_db_path(), create=False)


def load_needs(profile: Profile | str | Path | None) -> Profile:
    """A profile object, a built-in name, the name of a profile saved through the dashboard, a YAML
    path, or None (the default profile) as a Profile. An unknown name is an error that suggests the
    closest profile name."""
    from whichai.decide.profile import Profile, load_profile

    if isinstance(profile, Profile):
        return profile
    if profile is None:
        return load_profile(None)
    return load_profile(str(profile))  # an unknown name: an error that suggests the closest profile name


def recommend(
    profile: Profile | str | Path | None,
    *,
    run_id: str | None = None,
    db: str | Path | None = None,
    store: Store | None = None,
    lang: str = "en",
    catalog: Any = None,
    catalog_file: str | Path | None = None,
    only: Iterable[str] | None = None,
    only_measured: bool = False,
    summaries: list[ModelSummary] | None = None,
    capacity: list[CapacityFigure] | None = None,
    today: date | None = None,
    view: Any = None,
) -> Recommendation:
    """The recommendation for a profile (a Profile, a built-in name, a YAML path, or None = default).

    With ``run_id``, the run's answered measurements are used (from ``store``, else the database
    ``db``, else the default one). ``only`` restricts the candidates to these model ids;
    ``only_measured`` to the models the run measured. ``capacity``: throughput entries for decide
    (default with a run: the load sweeps stored in the same database). ``catalog`` defaults to the shipped catalog
    (plus ``catalog_file``, the user's own entries). ``summaries``: the run's per-model figures when
    the caller has just computed them (``whichai run``), instead of reading them again. ``today``:
    the date lifecycles and the catalog's age are judged at (default: the system date). ``view``:
    from :func:`warm`, done ahead for this profile (unused if the catalog changed since).
    """
    from whichai.catalog import load_catalog
    from whichai.decide.recommendation import recommend as decide
    from whichai.errors import InputError

    needs = load_needs(profile)
    if only_measured and not run_id:
        raise InputError("--only-measured needs --run RUN_ID. Fix: add --run, or drop --only-measured.")
    found = None
    if run_id:
        if store is not None:
            found, stored = run_measurements(store, run_id, summaries), _capacity(store)
        else:
            opened = _open_store(db)
            try:
                found, stored = run_measurements(opened, run_id), _capacity(opened)
            finally:
                opened.close()
        capacity = capacity if capacity is not None else stored
    wanted = list(only) if only else None
    if only_measured and found is not None:
        wanted = [m["model"] for m in found.measurements]
    cat = catalog if catalog is not None else load_catalog(catalog_file)
    if view is not None and view.catalog is not cat:  # the catalog was refreshed meanwhile
        view = None
    return decide(needs, cat, measurements=found.measurements if found else None, lang=lang, only=wanted,
                  run=found.run if found else None, capacity=capacity or None, today=today, view=view)


def warm(profile: Profile | str | Path | None, catalog_file: str | Path | None = None, more: Any = None) -> Any:
    """What a recommendation for ``profile`` can compute before any measurement (a prior-only pass
    over the catalog; and its "what if" passes while ``more()`` says there is time), for
    :func:`recommend`'s ``view``: ``whichai run`` does it while its models load."""
    from whichai.catalog import load_catalog
    from whichai.decide.recommendation import warm_view

    return warm_view(load_needs(profile), load_catalog(catalog_file), more=more)


def _capacity(store: Store) -> list[CapacityFigure]:
    """Capacity measured by load sweeps stored next to the runs (``whichai load``), for decide."""
    from whichai.measure.load.store import capacity_entries

    return [capacity_figure(c) for c in capacity_entries(store)]


def capacity_figure(c: CapacityEntry) -> CapacityFigure:
    """A measured capacity entry as decide reads it (its fields, in their order)."""
    return {"model": c.model, "serves": c.serves, "tokens_per_s": c.tokens_per_s, "hardware": c.hardware, "source": c.source,
            "origin": c.origin, "concurrency": c.concurrency, "sweep_id": c.sweep_id}


def remember_run_profile(store: Store, run_id: str, profile: Profile) -> None:
    """Store the profile a run was decided with (its report and the dashboard show that decision)."""
    from whichai.decide.profile import dump_profile
    from whichai.store import now_iso

    with store._lock:
        store.db.execute("INSERT OR REPLACE INTO run_profiles (run_id, name, profile_yaml, decided_at) VALUES (?, ?, ?, ?)",
                         (run_id, profile.name, dump_profile(profile), now_iso()))
        store.db.commit()


def run_profile(store: Store, run_id: str) -> Profile | None:
    """The profile a run was decided with, or None (a run from before whichai remembered it)."""
    import sqlite3

    from whichai.decide.profile import parse_profile

    try:
        with store._lock:
            row = store.db.execute("SELECT profile_yaml FROM run_profiles WHERE run_id = ?", (run_id,)).fetchone()
    except sqlite3.OperationalError:  # a database opened read-only before the migration
        return None
    return parse_profile(row[0], f"run {run_id}'s profile") if row else None


def run_recommendation(store: Store, run_id: str, *, profile: Profile | str | Path | None = None, lang: str = "en",
                       catalog: Any = None) -> Recommendation:
    """The recommendation for a stored run (its answered cases) under ``profile``; without one, under
    the profile the run was decided with (the default profile for a run that has none stored)."""
    from whichai.measure.metrics import summarise

    run = store.resolve_run(run_id)
    if profile is None:
        profile = run_profile(store, run["id"])
    return recommend(profile, run_id=run["id"], store=store, lang=lang, catalog=catalog, summaries=summarise(store, run["id"]))


def build_report(store: Store, run_id: str, *, lang: str = "en", profile: Any = None, catalog: Any = None,
                 recommendation: Recommendation | None = None) -> ReportDocument:
    """The report document of a run, showing ``recommendation`` (made here for ``profile`` when None)."""
    from whichai.report.build import build_report as build

    if recommendation is None:
        recommendation = run_recommendation(store, run_id, profile=profile, lang=lang, catalog=catalog)
    return build(store, run_id, lang=lang, catalog=catalog, recommendation=recommendation)


def build_recommendation_doc(profile: Any = None, *, lang: str = "en", catalog: Any = None, store: Store | None = None) -> ReportDocument:
    """The report document of a profile's recommendation over the catalog, without a run (the dashboard's profile page)."""
    from whichai.report.build import build_recommendation_doc as build

    return build(recommend(profile, lang=lang, catalog=catalog), lang=lang, catalog=catalog, store=store)


def render_report(store: Store, run_id: str, fmt: str = "html", lang: str = "en", profile: Any = None,
                  recommendation: Recommendation | None = None) -> Rendered:
    """The report of a run as text in ``fmt`` (html, md, json or promptfoo), and the run's full id."""
    from whichai.report import check_request
    from whichai.report import render_report as render

    check_request(fmt, lang)
    if recommendation is None and fmt != "promptfoo":  # promptfoo's results file carries no recommendation
        recommendation = run_recommendation(store, run_id, profile=profile, lang=lang)
    return render(store, run_id, fmt=fmt, lang=lang, recommendation=recommendation)


def write_report(store: Store, run_id: str, fmt: str = "html", out: str | Path | None = None, lang: str = "en",
                 profile: Any = None, recommendation: Recommendation | None = None, force: bool = False) -> Path:
    """Write the report of a run (``fmt``: html, md or json) and return its path. ``recommendation``:
    the one already made for this run (shown as is); else one is made for ``profile``. A report is
    never overwritten silently: the default path gets a new name (``-2``, ``-3``, ...) when taken, and
    an ``out`` that exists needs ``force``."""
    from whichai.errors import InputError
    from whichai.report import check_request, default_report_path
    from whichai.report import write_report as write

    check_request(fmt, lang)
    if out is not None and Path(out).exists() and not force:
        raise InputError(f"{out} exists. Fix: pass --force to overwrite it, or another --out FILE.")
    if out is None:
        first = default_report_path(store, store.resolve_run(run_id)["id"], fmt)
        out, n = first, 2
        while out.exists():
            out, n = first.with_name(f"{first.stem}-{n}{first.suffix}"), n + 1
    if recommendation is None and fmt != "promptfoo":
        recommendation = run_recommendation(store, run_id, profile=profile, lang=lang)
    return write(store, run_id, fmt=fmt, lang=lang, out=out, recommendation=recommendation)


report = write_report  # the name the CLI and earlier callers use


OPENNESS = ("open-source", "open-weights", "closed")


def search_catalog(catalog: Any, text: str | None = None, openness: Iterable[str] = ()) -> list[dict[str, object]]:
    """Catalog entries (the catalog's raw JSON entries) matching ``text`` and ``openness``.

    ``text`` matches as :func:`~whichai.catalog.listing.search_matches` says; ``openness`` keeps the named
    classes (none given: all). The catalog's order is kept. ``whichai models --search`` and the dashboard's
    catalog share it.
    """
    from whichai.catalog.listing import search_matches  # the catalog's rule (not imported by a run's closing)

    needle = (text or "").strip().lower()
    wanted = {o for o in openness if o}
    unknown = wanted - set(OPENNESS)
    if unknown:
        from whichai.errors import InputError

        raise InputError(f"unknown openness {sorted(unknown)[0]!r}. Fix: use one of {', '.join(OPENNESS)}.")
    rows = []
    for raw in catalog.raw:
        if wanted and raw.get("openness") not in wanted:
            continue
        if needle and not search_matches(raw, needle):
            continue
        rows.append(raw)
    return rows
