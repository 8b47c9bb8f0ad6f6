"""Lifecycle: active, deprecated (with a shutdown date) or retired, per model and per offer.

Sources: dated vendor deprecation notices curated in ``curated/lifecycle.yaml`` (each with the
vendor page and the date it was read), then models.dev's ``status = "deprecated"`` on a lab or host
file (no date: deprecated, shutdown date unknown, a risk decide scores).

The catalog stores what was *announced* (``announced``: active, deprecated or retired, and the
``shutdown_date``), never a status computed on the build date. :func:`evaluate` is the one function
that gives a model's (and each of its offers') status on a date: a shutdown date on or before the
day means *retired*, a later one *deprecated*. :class:`whichai.catalog.Catalog` applies it for
``whichai.clock.today()`` when it is loaded, so every view, decide and the CLI read one status.

Notices (``read_notices``): a notice names run ids at the vendor's API. A dated snapshot it names
(``claude-3-opus-20240229``, ``gpt-5-2025-08-07``) applies to that snapshot; an undated alias
(``claude-3-opus``, ``gpt-5``) is covered only when the notice lists it too (the explicit alias
rule: vendors move aliases to newer snapshots, so an alias is never inferred from a snapshot).
An aggregator that routes to the lab's own API (``ROUTERS``: OpenRouter) serves the lab's run ids
under its own: its offer takes the notice of the lab's run id it names (:func:`notice_for`):
``openrouter/openai/o4-mini-high`` (a reasoning-effort setting of ``o4-mini``),
``openrouter/openai/gpt-4o-mini-2024-07-18`` (the dated snapshot), ``openrouter/google/gemini-2.5-pro-preview``
(its file names the ``06-05`` preview), ``openrouter/anthropic/claude-opus-4.5`` (``claude-opus-4-5``).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from whichai import clock
from whichai.catalog.naming import OWNER_LAB, slug

CURATED = Path(__file__).parent / "curated" / "lifecycle.yaml"
RANK = {"active": 0, "deprecated": 1, "retired": 2}


def _day(day: date | str | None) -> date:
    return date.fromisoformat(day[:10]) if isinstance(day, str) else (day or clock.today())


def status_on(shutdown_date: str | None, day: date | str | None = None, deprecated: bool = False) -> str:
    """The status on ``day`` (default today) of something with this shutdown date."""
    if shutdown_date:
        return "retired" if date.fromisoformat(str(shutdown_date)[:10]) <= _day(day) else "deprecated"
    return "deprecated" if deprecated else "active"


def _status(record: dict[str, Any], day: date) -> str:
    announced = record.setdefault("announced", record.get("status") or "active")
    if announced == "retired":  # retired with no date on record: not served again
        return "retired"
    return status_on(record.get("shutdown_date"), day, announced == "deprecated")


def evaluate(entry: dict[str, Any], day: date | str | None = None) -> dict[str, Any]:
    """THE lifecycle rule: set (in place) and return a raw entry's ``lifecycle`` and each offer's
    ``status`` on ``day`` (default ``clock.today()``) from what was announced.

    A model whose weights are not downloadable lives as long as its lab serves it: it takes its
    lab's own offer's status (when that is further along), and is retired once every offer is.
    An open-weights model stays active when hosts drop it (the weights keep working)."""
    d = _day(day)
    offers = entry.get("offers") or {}
    for o in offers.values():
        o["status"] = _status(o, d)
    lc = entry.get("lifecycle") or {}
    entry["lifecycle"] = lc
    status = _status(lc, d)
    if entry.get("weights_downloadable") is not True and offers:
        own = offers.get(entry["id"])
        if own is not None and RANK[own["status"]] > RANK[status]:
            status = own["status"]
            lc["shutdown_date"] = lc.get("shutdown_date") or own.get("shutdown_date")
        if own is None:  # no lab offer: it lives as long as its hosts serve it (deprecated once all announce it)
            least = min(offers.values(), key=lambda o: RANK[o["status"]])
            if RANK[least["status"]] > RANK[status]:
                status = least["status"]
                dates = [str(o["shutdown_date"]) for o in offers.values() if o.get("shutdown_date")]
                lc["shutdown_date"] = lc.get("shutdown_date") or (max(dates) if dates else None)
        if all(o["status"] == "retired" for o in offers.values()):
            status = "retired"
    lc["status"] = status
    lc["date_unknown"] = status == "deprecated" and not lc.get("shutdown_date")
    return lc


def entry_status(entry: dict[str, Any], day: date | str | None = None) -> str:
    """An entry's lifecycle status on ``day`` (raw catalog dict): :func:`evaluate`'s status."""
    status: str = evaluate(entry, day)["status"]
    return status


def read_notices(path: Path = CURATED) -> dict[str, dict[str, Any]]:
    """Run id -> {shutdown_date, announced, source, notice} from the curated vendor notices."""
    from whichai import safeyaml  # YAML is read when the catalog is built, not each time it is loaded

    doc = safeyaml.load_packaged(path)
    out: dict[str, dict[str, Any]] = {}
    for i, notice in enumerate(doc["notices"]):
        src = dict(notice["source"])
        src["as_of"] = str(src["as_of"])
        src.setdefault("name", "curated")
        when = notice.get("shutdown_date")
        for model in [*notice["models"], *notice.get("aliases", [])]:
            run_id = model if "/" in model else f"{notice['vendor']}/{model}"
            out[run_id.lower()] = {"shutdown_date": str(when) if when else None,
                                   "announced": notice.get("status") or "deprecated", "source": src, "notice": i,
                                   "reported": notice.get("reported") or []}
    return out


# aggregators that route requests to the lab's own API: the lab's notices apply to their offers
# (partner platforms such as Bedrock, Vertex and Azure set their own schedules and are not among them)
ROUTERS = ("openrouter",)
VENDOR_OF_LAB = {"google": "gemini"}  # the run-id prefix of the lab's own API where it differs from the lab
_EFFORT = re.compile(r"-(minimal|low|medium|high|xhigh)$")  # a reasoning-effort setting, not another model


def notice_for(run_id: str, notices: dict[str, dict[str, Any]], name: str = "") -> dict[str, Any] | None:
    """The notice for a run id: its own, else, for an aggregator's offer of a lab's model, the notice
    of the lab's run id it names (the file name or the model's name, less a reasoning-effort suffix,
    with ``4.5`` spelled ``4-5`` as Anthropic does)."""
    rid = run_id.lower()
    if rid in notices:
        return notices[rid]
    host, _, rest = rid.partition("/")
    org, _, model = rest.rpartition("/")
    if host not in ROUTERS or org not in OWNER_LAB:
        return None
    vendor = VENDOR_OF_LAB.get(OWNER_LAB[org], OWNER_LAB[org])
    for stem in dict.fromkeys((model.split(":")[0], slug(name))):
        for cand in dict.fromkeys((stem, _EFFORT.sub("", stem))):
            for spelled in dict.fromkeys((cand, re.sub(r"(?<=\d)\.(?=\d)", "-", cand))):
                if f"{vendor}/{spelled}" in notices:
                    return notices[f"{vendor}/{spelled}"]
    return None


def apply_offer(offer: dict[str, Any], run_id: str, notices: dict[str, dict[str, Any]], day: str | None, md_deprecated: bool, name: str = "") -> None:
    """Record what was announced for an offer: a vendor notice for that run id (:func:`notice_for`),
    else models.dev's flag. (``day`` is unused: the status is evaluated when the catalog is read.)"""
    notice = notice_for(run_id, notices, name)
    if notice:
        offer["shutdown_date"] = notice["shutdown_date"]
        offer["announced"] = offer["status"] = notice["announced"]
        offer["status_source"] = notice["source"]
    elif md_deprecated:
        offer["announced"] = offer["status"] = "deprecated"
    else:
        offer["announced"] = offer.get("status") or "active"


def entry_lifecycle(e: dict[str, Any], first_party: str | None, lab_deprecated: bool, md_source: dict[str, Any], day: str | None = None) -> dict[str, Any]:
    """What was announced for the model itself: its lab's offer's notice; a closed lab's models.dev flag.
    The status on a date is :func:`evaluate`'s (which also follows the offers)."""
    fp = e["offers"].get(first_party) if first_party else None
    if fp and fp.get("announced", "active") != "active":
        return {"announced": fp["announced"], "shutdown_date": fp.get("shutdown_date"), "source": fp.get("status_source") or md_source}
    if lab_deprecated and e.get("weights_downloadable") is not True:
        return {"announced": "deprecated", "shutdown_date": None, "source": md_source}
    return {"announced": "active", "shutdown_date": None, "source": md_source}


def lifecycle_of(entry: object) -> tuple[str | None, str | None]:
    """(status, shutdown_date) of an entry's lifecycle, (None, None) when not on record.

    A raw catalog entry without a ``lifecycle`` (an older catalog document) has none on record."""
    if entry is None:
        return None, None
    life = getattr(entry, "lifecycle", None)
    if life is None:
        return None, None
    if isinstance(life, dict):
        return life.get("status"), life.get("shutdown_date")
    return life.status, life.shutdown_date
