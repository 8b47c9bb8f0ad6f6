"""Build the shipped catalog from the upstream data sets plus the curated facts.

Reads osai-index YAML, model-openness-tool (MOF) YAML and models.dev TOML as published
(:mod:`whichai.catalog.upstream`), keeps one entry per model with every host as an offer,
applies the curated model facts, vendor terms and deprecation notices
(:mod:`whichai.catalog.curation`, :mod:`whichai.catalog.lifecycle`), classifies openness by the
precedence rules in docs/catalog.md and writes one gzip'd JSON document that
:func:`whichai.catalog.load_catalog` reads in milliseconds. Every fact carries its own source
(``field_sources``); every link that rests on a name and every disagreement goes to ``issues``
(``whichai catalog check`` adds the rule findings of :mod:`whichai.catalog.checks`).

Run ``python tools/build_catalog.py`` or ``whichai catalog refresh --osai DIR --mof DIR --models-dev DIR``.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from whichai import clock
from whichai.catalog import curation, licenses, lifecycle
from whichai.catalog.catalog import CatalogDocument, Issue
from whichai.catalog.naming import lab_filed_id, model_key, params_from_name, slug
from whichai.catalog.openness import Evidence, classify
from whichai.catalog.upstream import (
    URLS,
    apply_mof,
    apply_osai,
    new_entry,
    read_lab_files,
    read_mof,
    read_osai,
    read_providers,
    record_value,
    set_field,
    src,
)

HERE = Path(__file__).parent
SHIPPED = HERE / "data" / "catalog.json.gz"
FORMAT_VERSION = 2
__all__ = ["build_catalog", "write_catalog", "SHIPPED", "URLS"]


# ---------------------------------------------------------------- linking MOF / osai-index to entries


def _has_variant_word(name: str) -> bool:
    return model_key(None, name, True) != model_key(None, name, False)


def _index(entries: dict[str, dict[str, Any]]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Lookup by HF repo and by name. Entries served by API are chat models: they are found under a
    '|chat' key only, so a base checkpoint's name never links to a host's chat model by accident."""
    by_hf: dict[str, str] = {}
    by_name: dict[str, list[str]] = {}
    for k, e in entries.items():
        if e.get("hf_repo"):
            by_hf[e["hf_repo"]] = k
        if e["offers"]:
            names = {model_key(None, e["name"]) + "|chat", model_key(None, e["id"].split("/", 1)[-1]) + "|chat"}
        else:
            names = {slug(e["name"]), slug(e["id"].split("/", 1)[-1]), model_key(None, e["name"], True)}
        for n in names:
            by_name.setdefault(n, []).append(k)
    return by_hf, by_name


def _candidates(by_name: dict[str, Any], entries: dict[str, Any], name: str, derivative: bool = False) -> list[str]:
    """Entries a MOF / osai-index name may be. A name without "instruct" or "chat" is a base checkpoint
    (never a host's chat model), unless the source names the model it was fine-tuned from (``derivative``:
    osai-index's Hermes-4-70B on Llama-3.1-70B is a chat model)."""
    chat = by_name.get(model_key(None, name) + "|chat", [])
    plain = by_name.get(slug(name), []) + by_name.get(model_key(None, name, True), [])
    if not _has_variant_word(name) and not derivative:  # a base checkpoint, or a closed lab's model (always a chat model)
        chat = [c for c in chat if entries[c].get("lab") in curation.CLOSED_LABS]
    return list(dict.fromkeys(chat + plain))


def _producer_matches(producer: str, e: dict[str, Any]) -> bool:
    p, q = slug(producer).split("-")[0], slug(e["provider"]).split("-")[0]
    lab = curation.lab_for_org(producer)
    return bool(p) and (p.startswith(q) or q.startswith(p) or (lab is not None and lab == e.get("lab")))


def _link(entries: dict[str, dict[str, Any]], item_hf: str | list[str] | None, item_names: list[str], producer: str, source: str,
          item: str, issues: list[Issue], derivative: bool = False) -> str | None:
    by_hf, by_name = _index(entries)
    for hf in item_hf if isinstance(item_hf, list) else [item_hf]:
        if hf and hf in by_hf:
            return by_hf[hf]
    for n in item_names:
        cands = _candidates(by_name, entries, n, derivative)
        if len(cands) > 1 and producer:
            cands = [c for c in cands if _producer_matches(producer, entries[c])] or cands
        if len(cands) == 1:
            e = entries[cands[0]]
            if producer and not _producer_matches(producer, e):
                issues.append({"kind": "conflict", "source": source, "item": item, "detail": f"same name as {e['id']} but producer {producer!r} differs from {e['provider']!r}: not linked"})
                continue
            issues.append({"kind": "uncertain-link", "source": source, "item": item, "detail": f"linked to {e['id']} by name"})
            return cands[0]
        if len(cands) > 1:
            issues.append({"kind": "uncertain-link", "source": source, "item": item, "detail": f"name matches {len(cands)} entries ({', '.join(entries[c]['id'] for c in cands[:4])}): not linked"})
    return None


def _keep_id(entries: dict[str, Any], key: str | None, own: str) -> None:
    """A MOF / osai-index release linked to an entry keeps the id it would have had as an alias
    (``nvidia/nemo-megatron-20b``, ``nous-research/hermes-4-70b``), so that id keeps resolving."""
    if key is None or own == key or own in entries:
        return
    if own not in entries[key]["aliases"] and own != entries[key]["id"]:
        entries[key]["aliases"].append(own)


def _add_mof(entries: dict[str, Any], mof: Path, as_of: str, issues: list[Issue]) -> None:
    for m in read_mof(mof, as_of, issues):
        key = _link(entries, m["hf"], [m["name"]], m["producer"], "mof", m["file"], issues)
        own = f"{slug(m['producer']) or 'unknown'}/{slug(m['name'])}"
        _keep_id(entries, key, own)
        if key is None:
            key = own
            if key in entries:
                issues.append({"kind": "duplicate", "source": "mof", "item": m["file"], "detail": f"second MOF release named {key}: merged"})
            else:
                entries[key] = new_entry(id=key, name=m["name"], provider=m["producer"] or "unknown", lab=curation.lab_for_org(m["producer"]))
        apply_mof(entries[key], m, as_of)


def _add_osai(entries: dict[str, Any], osai: Path, as_of: str, issues: list[Issue]) -> None:
    for o in read_osai(osai, as_of, issues):
        key = _link(entries, o["hf_all"], [o["end"]], o["org"], "osai-index", o["file"], issues, derivative=bool(o["base"]))
        own = f"{slug(o['org'])}/{slug(o['end'])}"
        _keep_id(entries, key, own)
        if key is None:
            key = own
            if key not in entries:
                name = f"{o['name']} ({o['end']})" if o["end"] != o["name"] else o["name"]
                entries[key] = new_entry(id=key, name=name, provider=o["org"], lab=curation.lab_for_org(o["org"]))
                total, active = params_from_name(o["end"])
                named = src("osai-index", as_of, f"{URLS['osai-index']}/", note=f"size in the end-model name ({o['end']})")
                set_field(entries[key], "params_b", total, named)
                set_field(entries[key], "active_params_b", active, named)
        apply_osai(entries[key], o, as_of)


# ---------------------------------------------------------------- finishing an entry


def _headline_price(e: dict[str, Any], first_party: str | None) -> None:
    """The lab's own price, else the median of the hosts' paid prices (never a free tier)."""
    fp = e["offers"].get(first_party) if first_party else None
    if fp and fp["price"]:
        e["price_usd_per_mtok"] = dict(fp["price"])
        e["_fs"]["price_usd_per_mtok"] = {**fp["source"], "note": f"the lab's own price ({first_party})"}
        return
    paid = [o for o in e["offers"].values() if o["price"] and o["announced"] != "retired"]
    if not paid:
        return
    inp = statistics.median(o["price"]["input"] for o in paid)
    out = statistics.median(o["price"]["output"] for o in paid)
    as_of = max(o["price"]["as_of"] for o in paid)
    e["price_usd_per_mtok"] = {"input": round(inp, 6), "output": round(out, 6), "as_of": as_of, "source": f"models.dev: median of {len(paid)} hosts"}
    e["_fs"]["price_usd_per_mtok"] = src("models.dev", as_of, note=f"median of {len(paid)} hosts' prices: " + ", ".join(sorted(k for k, o in e["offers"].items() if o in paid))[:300])


def _set_id(e: dict[str, Any]) -> str | None:
    fp = e.pop("_first_party", None)
    if fp and fp != e["id"]:
        if e["id"] not in e["aliases"] and not e["id"].startswith("hosted:"):
            e["aliases"].append(e["id"])
        e["id"] = fp
    if e["id"].startswith("hosted:"):
        e["id"] = next(iter(e["offers"]))
    e["aliases"].extend(a for a in e.pop("_same", []) if a not in e["aliases"])
    e["aliases"] = sorted({a for a in e["aliases"] if a != e["id"]})
    return str(fp) if fp is not None else None


_SNAPSHOT = re.compile(r"-(\d{4}-\d{2}-\d{2}|20\d{6}|\d{4})$")


def _snapshot_offers(entries: dict[str, Any], notices: dict[str, Any]) -> None:
    """A notice naming a dated snapshot (``gpt-5-2025-08-07``, ``gpt-4-0613``) applies to that snapshot:
    one no upstream file lists becomes an offer (and alias) of the entry its undated name belongs to."""
    by_run = {run_id.lower(): e for e in entries.values() for run_id in (*e["offers"], e["id"])}
    for run_id, e in list(by_run.items()):  # served under an aggregator's id: that offer takes the notice
        host, _, tail = run_id.partition("/")
        if host in lifecycle.ROUTERS:
            by_run.setdefault(tail, e)
    for run_id, notice in sorted(notices.items()):
        stem = _SNAPSHOT.sub("", run_id)
        e = by_run.get(stem) if stem != run_id else None
        if e is None or run_id in by_run:
            continue
        e["offers"][run_id] = {"price": None, "context_length": None, "status": notice["announced"], "announced": notice["announced"],
                               "shutdown_date": notice["shutdown_date"], "free_tier": False, "source": notice["source"], "status_source": notice["source"]}
        e["aliases"].append(run_id)
        by_run[run_id] = e


def _lab_id(e: dict[str, Any], taken: set[str]) -> None:
    """A model the lab does not serve itself is filed under ``<lab>/<model>``, not under the first host's
    or aggregator's run id (``openrouter/...``, ``nvidia/meta/...``): those stay offers and aliases."""
    new = lab_filed_id(e["id"], e.get("lab"))
    if new is None:
        return
    if new.lower() in taken and new.lower() not in {a.lower() for a in (*e["aliases"], *e["offers"])}:
        return
    taken.add(new.lower())
    e["aliases"] = sorted({*e["aliases"], e["id"]} - {new})
    e["links"].append({"alias": e["id"], "how": f"host/aggregator id; the model is filed under its lab as {new}"})
    e["id"] = new


def _openness(e: dict[str, Any], issues: list[Issue]) -> None:
    ev: Evidence = e["_ev"]
    curation.apply_precedence(e, ev, issues)
    if ev.license and ev.license_open is None:
        ev.license_open = licenses.is_open(ev.license)
    if e["license"] is None and ev.license:
        e["license"] = ev.license
    e["weights_downloadable"] = ev.weights
    e["license_restricts_use"] = None if ev.license_open is None else not ev.license_open
    if ev.license_open is True:
        e["commercial_use"] = True
    e["openness"], e["openness_reason"], decided = classify(ev)
    e["openness_dimensions"] = {**decided, **e["openness_dimensions"]}
    why = src("whichai rule", e["_fs"].get("license", {}).get("as_of") or "", "", note=e["openness_reason"][:200])
    for field in ("openness", "weights_downloadable"):
        e["_fs"][field] = {**why, "as_of": max((s["as_of"] for s in e["sources"]), default="")}


def _same(a: object, b: object) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(a - b) <= 0.05 * max(abs(a), abs(b))  # 7.24 vs 7.2 B is one value, rounded
    return str(a).strip().lower() == str(b).strip().lower()


def _reported_dates(e: dict[str, Any], notices: dict[str, Any]) -> None:
    """A notice whose date other sources report differently (``reported`` in curated/lifecycle.yaml):
    the vendor page's date is shown, every other source's date is kept as a value (a conflict)."""
    shown = e["lifecycle"].get("shutdown_date")
    for run_id in (e["id"], *e["offers"]):
        notice = notices.get(run_id.lower())
        if notice and notice.get("reported") and notice["shutdown_date"] == shown:
            record_value(e, "shutdown_date", shown, notice["source"])
            for r in notice["reported"]:
                when = str(r["shutdown_date"]) if r.get("shutdown_date") else "none announced"  # a source that gives no date
                record_value(e, "shutdown_date", when, {"name": urlparse(r["url"]).netloc, "as_of": str(r["as_of"]), "url": r["url"], "note": r.get("note", "")})
            return


def _conflicts(e: dict[str, Any]) -> None:
    """``values``: every source's value per field; ``conflicts``: fields whose sources disagree, each
    with the values and the one shown (the precedence's)."""
    values = e.pop("_values", {})
    if "license" in values:  # compare licences as normalised
        for v in values["license"]:
            v["value"] = licenses.normalise(v["value"]) or v["value"]
    e["values"] = {f: v for f, v in sorted(values.items()) if len(v) > 1}
    e["conflicts"] = {}
    for field, vals in e["values"].items():
        distinct: list[object] = []
        for v in vals:
            if not any(_same(v["value"], d) for d in distinct):
                distinct.append(v["value"])
        if len(distinct) > 1:
            shown = e.get(field) if field in e else (e.get("lifecycle") or {}).get(field)  # shutdown_date: the lifecycle's
            e["conflicts"][field] = {"shown": shown, "values": vals}


def _finish(e: dict[str, Any], ctx: dict[str, Any], issues: list[Issue]) -> dict[str, Any]:
    fp = _set_id(e)
    _openness(e, issues)
    md = src("models.dev", ctx["snapshots"]["models.dev"])
    e["lifecycle"] = lifecycle.entry_lifecycle(e, fp, e.pop("_md_deprecated"), md)
    notice = ctx["notices"].get(e["id"].lower())
    if notice and not fp:  # a vendor notice for a model no host lists any more (e.g. Claude 2 from MOF)
        e["lifecycle"] = {"announced": notice["announced"], "shutdown_date": notice["shutdown_date"], "source": notice["source"]}
    _headline_price(e, fp)
    for o in e["offers"].values():
        o.pop("status_source", None) if not o.get("shutdown_date") and o["announced"] == "active" else None
        o["status"] = o["announced"]  # the status on a date is lifecycle.evaluate's, when the catalog is read
    e["lifecycle"]["status"] = e["lifecycle"]["announced"]
    if e["params_b"] is None and e["openness"] != "closed":
        issues.append({"kind": "unknown-fact", "source": "catalog", "item": e["id"], "detail": "parameter count unknown: hardware fit cannot be computed"})
    curation.apply_vendor_facts(e, ctx["vendors"])
    _reported_dates(e, ctx["notices"])
    _conflicts(e)
    e["links"] = e.pop("_links")
    e["field_sources"] = e.pop("_fs")
    for k in [k for k in e if k.startswith("_")]:
        e.pop(k)
    return e


def build_catalog(osai: Path, mof: Path, models_dev: Path, as_of: dict[str, str] | None = None, day: str | None = None) -> CatalogDocument:
    as_of = as_of or {}
    day = day or clock.today().isoformat()
    snaps = {"osai-index": as_of.get("osai-index", day), "mof": as_of.get("mof", day), "models.dev": as_of.get("models.dev", day)}
    issues: list[Issue] = []
    notices = lifecycle.read_notices()
    root = Path(models_dev)
    meta, entries, index = read_lab_files(root, snaps["models.dev"], issues)
    providers = read_providers(root, meta, entries, index, snaps["models.dev"], issues, notices, day)
    _add_mof(entries, Path(mof), snaps["mof"], issues)
    _add_osai(entries, Path(osai), snaps["osai-index"], issues)
    _snapshot_offers(entries, notices)
    curated = curation.read_models()
    curation.merge_same_models(entries, issues, curated)
    curation.apply_curated_models(entries, issues, curated)
    curation.merge_repo_copies(entries)
    curation.sizes_from_repo_names(entries)
    curation.apply_nominal_sizes(entries, curated.get("nominal_sizes", []))
    curation.share_repo_facts(entries, issues)
    curation.align_suites(entries, issues)
    curation.link_bases(entries, issues)
    ctx: dict[str, Any] = {"day": day, "snapshots": snaps, "vendors": curation.read_vendors(), "notices": notices}
    out, seen = [], set()
    taken = {i.lower() for e in entries.values() for i in (e["id"], *e["offers"], *e["aliases"])}
    for e in entries.values():
        e = _finish(e, ctx, issues)
        _lab_id(e, taken)
        if e["id"] in seen:
            issues.append({"kind": "duplicate", "source": "catalog", "item": e["id"], "detail": "two entries share an id; the second was dropped"})
            continue
        seen.add(e["id"])
        out.append(e)
    out.sort(key=lambda e: e["id"])
    curation.attach_provider_terms(providers, ctx["vendors"])
    return {
        "format": FORMAT_VERSION, "built": day, "snapshots": snaps, "providers": providers, "entries": out, "issues": issues,
        "counts": {"entries": len(out), "offers": sum(len(e["offers"]) for e in out)},
    }


def write_catalog(doc: CatalogDocument, path: Path = SHIPPED) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), sort_keys=False).encode("utf-8")
    with path.open("wb") as fh, gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0, compresslevel=9) as gz:
        gz.write(raw)
    return path
