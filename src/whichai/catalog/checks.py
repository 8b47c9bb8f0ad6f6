"""``whichai catalog check``: rules that catch each class of catalog error, plus the build's link issues.

Each finding is ``{"kind", "level", "source", "item", "detail"}``; level ``error`` means the
catalog states something its own rules forbid (exit 1), ``warning`` something a person should
look at, ``info`` a link or an unknown fact listed so nothing is merged silently.

Error rules: closed-lab-open, params-vs-name, zero-price, retired-offer-available,
open-source-on-closed-base, closed-open-licence, retired-but-available, licence-vs-base. Warning:
name-collision (entries whose normalised names collide). Warning rules: offers-disagree, stale (a fact read more than 12
months before today).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, TypedDict

from whichai import clock
from whichai.catalog.catalog import CatalogDocument
from whichai.catalog.curation import CLOSED_LABS, lab_for_org
from whichai.catalog.licenses import is_open
from whichai.catalog.lifecycle import evaluate, status_on
from whichai.catalog.naming import canonical_lab, is_base_variant, model_key, params_from_name

STALE_DAYS = 365
ISSUE_LEVEL = {"conflict": "warning", "broken-link": "warning", "duplicate": "warning", "unreadable": "warning", "offers-disagree": "warning"}


class Finding(TypedDict):
    """One thing ``whichai catalog check`` found (a build issue, or a rule's finding)."""

    kind: str
    level: str  # info | warning | error
    source: str
    item: str
    detail: str


def _f(kind: str, level: str, item: str, detail: str, source: str = "check") -> Finding:
    return {"kind": kind, "level": level, "source": source, "item": item, "detail": detail}


def _closed_lab_open(e: dict[str, Any]) -> list[Finding]:
    lab = e.get("lab") or lab_for_org(e.get("provider", ""))
    if lab not in CLOSED_LABS or e["openness"] == "closed":
        return []
    why = str(e.get("openness_dimensions", {}).get("weights_downloadable", ""))
    if e.get("hf_repo") or "open_weights" in why or "Hugging Face" in why or "linked" in why:
        return []
    return [_f("closed-lab-open", "error", e["id"], f"{e['provider']} model listed {e['openness']} without a weights artefact on record")]


def _contradictions(e: dict[str, Any], by_id: dict[str, Any]) -> list[Finding]:
    """Fields that contradict each other: an open licence on a closed model's weights, a retired model
    with an offer listed available by its lab, a derivative claiming an open licence over its base's terms."""
    out = []
    if e["openness"] == "closed" and is_open(e.get("license")):
        out.append(_f("closed-open-licence", "error", e["id"], f"listed closed while its weights' licence is {e['license']} (open)"))
    lc = e.get("lifecycle") or {}
    own = (e.get("offers") or {}).get(e["id"])
    if lc.get("status") == "retired" and own and own.get("status") == "active" and e.get("weights_downloadable") is not True:
        out.append(_f("retired-but-available", "error", e["id"], "listed retired while its lab's own offer is active"))
    base = by_id.get(str(e.get("base_model") or "").lower())
    if base is not None and base is not e and is_open(base.get("license")) is False and e.get("license_restricts_use") is False:
        out.append(_f("licence-vs-base", "error", e["id"], f"licence {e['license']} is open, but its base {base['id']} is under {base['license']}, whose conditions a derivative keeps"))
    return out


def _name_keys(e: dict[str, Any]) -> set[str]:
    """An entry's normalised names: its lab in one spelling (``nousresearch`` and ``Nous Research`` are
    one lab) + model_key of its name and of its id's last part, base/instruct kept; a checkpoint the
    catalog records as a base model is told apart from the chat model of the same name."""
    lab = canonical_lab(e.get("lab") or lab_for_org(e.get("provider", "")) or e.get("provider"))
    base = "|base" if "base" in (e.get("task_fit") or []) and not is_base_variant(e["name"]) else ""
    return {model_key(lab, text, True) + base for text in (e["name"], e["id"].split("/")[-1])}


def name_collisions(entries: list[dict[str, Any]]) -> list[Finding]:
    """Entries whose normalised names (lab + model_key, with base/instruct kept) collide: one model twice?"""
    groups: dict[str, list[str]] = {}
    for e in entries:
        for key in _name_keys(e):
            groups.setdefault(key, []).append(e["id"])
    seen: set[tuple[str, ...]] = set()
    out = []
    for key, ids in sorted(groups.items()):
        if len(ids) > 1 and tuple(ids) not in seen:
            seen.add(tuple(ids))
            out.append(_f("name-collision", "warning", ids[0], f"{len(ids)} entries share the normalised name {key}: " + ", ".join(ids[:6])))
    return out


def _params_vs_name(e: dict[str, Any]) -> list[Finding]:
    named, _ = params_from_name(e["name"])
    p = e.get("params_b")
    if named is None or not p:
        return []
    active = e.get("active_params_b")
    if 0.6 <= p / named <= 1.6 or (active and 0.6 <= active / named <= 1.6):  # "17B" names Llama 4's active size
        return []
    return [_f("params-vs-name", "error", e["id"], f"params_b={p:g} B but the name says {named:g} B")]


def _zero_price(e: dict[str, Any]) -> list[Finding]:
    out = []
    prices = [("headline", e.get("price_usd_per_mtok"))] + [(k, o.get("price")) for k, o in (e.get("offers") or {}).items()]
    for where, p in prices:
        if p and p["input"] + p["output"] <= 0:
            out.append(_f("zero-price", "error", e["id"], f"{where} price is $0: a free tier is a flag on the offer, never a price"))
    return out


def _lifecycle(e: dict[str, Any], day: str) -> list[Finding]:
    out = []
    for run_id, o in (e.get("offers") or {}).items():
        if o.get("shutdown_date") and status_on(o["shutdown_date"], day) == "retired" and o.get("status") != "retired":
            out.append(_f("retired-offer-available", "error", e["id"], f"offer {run_id} shut down on {o['shutdown_date']} but is listed {o.get('status')}"))
    lc = e.get("lifecycle") or {}
    own = (e.get("offers") or {}).get(e["id"]) if not e.get("weights_downloadable") else None
    if own and own.get("status") != "active" and lc.get("status", "active") == "active":
        out.append(_f("retired-offer-available", "error", e["id"], f"the lab's own offer is {own['status']} but the model is listed active"))
    if lc.get("shutdown_date") and status_on(lc["shutdown_date"], day) == "retired" and lc.get("status") != "retired":
        out.append(_f("retired-offer-available", "error", e["id"], f"shut down on {lc['shutdown_date']} but listed {lc.get('status')}"))
    return out


def _open_source_base(e: dict[str, Any], by_id: dict[str, Any]) -> list[Finding]:
    base = by_id.get(str(e.get("base_model") or "").lower())
    if e["openness"] != "open-source" or base is None:
        return []
    data = str(base.get("openness_dimensions", {}).get("data_information", ""))
    if base["openness"] == "open-source" or data.startswith("yes"):
        return []
    return [_f("open-source-on-closed-base", "error", e["id"], f"open source, but its base {base['id']} does not publish its training data")]


def _offers_disagree(e: dict[str, Any]) -> list[Finding]:
    prices = [o["price"]["input"] * 3 + o["price"]["output"] for o in (e.get("offers") or {}).values() if o.get("price")]
    if len(prices) > 1 and min(prices) > 0 and max(prices) / min(prices) > 10:
        return [_f("offers-disagree", "warning", e["id"], f"hosts' prices differ more than tenfold ({min(prices) / 4:.3g} to {max(prices) / 4:.3g} USD/Mtok blended): check they serve the same model")]
    return []


def _stale(e: dict[str, Any], cutoff: str) -> list[Finding]:
    old = []
    for field, s in (e.get("field_sources") or {}).items():
        if s.get("name") == "curated" and s.get("as_of", "9") < cutoff:
            old.append(f"{field} ({s['as_of']})")
    for key, fact in (e.get("facts") or {}).items():
        s = fact.get("source") or {}
        if s.get("as_of") and s["as_of"] < cutoff:
            old.append(f"{key} ({s['as_of']})")
    if not old:
        return []
    return [_f("stale", "warning", e["id"], "facts read more than 12 months ago: " + ", ".join(sorted(set(old))[:6]))]


def run_checks(document: CatalogDocument, today: date | None = None) -> list[Finding]:
    """The build's issues (as info/warning) followed by every rule's findings."""
    today = today or clock.today()
    cutoff = (today - timedelta(days=STALE_DAYS)).isoformat()
    day = today.isoformat()
    entries = document["entries"]
    by_id: dict[str, dict[str, Any]] = {}
    for e in entries:
        for k in (e["id"], *e.get("aliases", [])):
            by_id.setdefault(k.lower(), e)
    out: list[Finding] = [{**i, "level": i.get("level") or ISSUE_LEVEL.get(i["kind"], "info")} for i in document.get("issues", [])]
    for e in entries:  # a built catalog stores what was announced: its statuses are evaluated on the day checked;
        if "announced" in (e.get("lifecycle") or {}):  # an entry with frozen statuses is checked as stored
            evaluate(e, today)
    for e in entries:
        out += _closed_lab_open(e) + _params_vs_name(e) + _zero_price(e) + _lifecycle(e, day)
        out += _open_source_base(e, by_id) + _offers_disagree(e) + _stale(e, cutoff) + _contradictions(e, by_id)
    out += name_collisions(entries)
    conflicts = sum(len(e.get("conflicts") or {}) for e in entries)
    if conflicts:
        out.append(_f("conflict", "info", "catalog", f"{conflicts} fields where sources disagree, in {sum(1 for e in entries if e.get('conflicts'))} entries (each shown by `whichai models ID`)"))
    for name, snap in (document.get("snapshots") or {}).items():
        if snap < cutoff:
            out.append(_f("stale", "warning", name, f"upstream snapshot of {snap} is more than 12 months old: run `whichai catalog refresh`"))
    return out
