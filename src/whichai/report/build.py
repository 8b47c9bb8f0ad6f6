"""Gather everything a report shows into one plain, JSON-ready document.

The document is the JSON export as is; the HTML and Markdown renderers only lay it out. Sources:
the run, its cases and results (:mod:`whichai.store`), the measured figures (:mod:`whichai.metrics`),
the catalog facts per model (:mod:`whichai.catalog`) and the recommendation (:mod:`whichai.decide`).
The catalog and the recommendation are optional: a report of a run is still worth reading without
them, and says so.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from whichai.criteria import CRITERIA, CRITERION_IDS
from whichai.errors import InputError, WhichaiError
from whichai.store import Store

SCHEMA = "whichai.report/1"
log = logging.getLogger(__name__)


def resolve_run(store: Store, run_id: str) -> dict[str, Any]:
    """The run (literal id or unique prefix; unknown or ambiguous: InputError naming the fix)."""
    return store.resolve_run(run_id)


def build_report(
    store: Store, run_id: str, *, lang: str = "en", profile: Any = None, catalog: Any = None, recommendation: Any = None
) -> dict[str, Any]:
    """The whole report of one run as a JSON-ready dict (see module docstring). ``recommendation``:
    a :class:`whichai.decide.Recommendation` already made for this run's measurements (not made again)."""
    from whichai.metrics import summarise

    run = resolve_run(store, run_id)
    rid = run["id"]
    cases = store.cases(rid)
    results = store.results(rid)
    summaries = summarise(store, rid)
    if catalog is None:
        catalog = load_catalog_quietly()
    models = [model_facts(m, catalog) for m in run["models"]]
    openness = {m["id"]: m["openness"] for m in models}
    for s in summaries:
        s["openness"] = openness.get(s["model"], "unknown")
    recommendation, curves = recommend_quietly(profile, catalog, summaries, lang, run["models"], made=recommendation)
    criteria = criteria_matrix(models, recommendation)
    return {
        "schema": SCHEMA,
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "lang": lang,
        "run": {
            "id": rid,
            "task": run["task_name"],
            "task_hash": run["task_hash"],
            "created_at": run["created_at"],
            "updated_at": run["updated_at"],
            "status": run["status"],
            "models": run["models"],
            "settings": run["settings"],
            "whichai_version": run["whichai_version"],
        },
        "summaries": summaries,
        "models": models,
        "criteria": criteria,
        "recommendation": recommendation,
        "tco_curves": curves,
        "latencies": {
            m: [r["latency_s"] for r in results if r["model"] == m and r["status"] == "ok" and r["latency_s"] is not None]
            for m in run["models"]
        },
        "cases": case_rows(cases, results, run["models"]),
    }


def build_recommendation_doc(profile: Any, *, lang: str = "en", catalog: Any = None, top: int = 8) -> dict[str, Any]:
    """A report document without a run: the recommendation over the catalog for ``profile``,
    with the facts of its top models (what the dashboard's profile page shows before any run)."""
    if catalog is None:
        catalog = load_catalog_quietly()
    recommendation, curves = recommend_quietly(profile, catalog, None, lang, [])
    ids = [r["model"] for r in (recommendation or {}).get("ranking") or [] if isinstance(r, dict)][:top]
    models = [model_facts(m, catalog) for m in ids]
    return {
        "schema": SCHEMA,
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "lang": lang,
        "run": None,
        "summaries": [],
        "models": models,
        "criteria": criteria_matrix(models, recommendation),
        "recommendation": recommendation,
        "tco_curves": curves,
        "latencies": {},
        "cases": [],
    }


def load_catalog_quietly() -> Any:
    try:
        from whichai.catalog import load_catalog

        return load_catalog()
    except (ImportError, WhichaiError, OSError, ValueError) as exc:
        log.warning("catalog unavailable for the report: %s", exc)
        return None


def _entry(catalog: Any, model_id: str) -> Any:
    if catalog is None:
        return None
    try:
        return catalog.get(model_id)
    except (KeyError, LookupError, WhichaiError):
        return None


def model_facts(model_id: str, catalog: Any) -> dict[str, Any]:
    """What the catalog knows of a model, or a stub that says it knows nothing."""
    entry = _entry(catalog, model_id)
    if entry is None:
        return {
            "id": model_id,
            "in_catalog": False,
            "name": model_id,
            "provider": model_id.split("/", 1)[0],
            "openness": "unknown",
            "openness_reason": "",
            "license": None,
            "criteria": {},
            "openness_dimensions": {},
            "sources": [],
        }
    data = entry.model_dump(mode="json") if hasattr(entry, "model_dump") else dict(entry)
    return {
        "id": model_id,
        "catalog_id": data.get("id"),
        "in_catalog": True,
        "name": data.get("name") or model_id,
        "provider": data.get("provider"),
        "openness": data.get("openness") or "unknown",
        "openness_reason": data.get("openness_reason") or "",
        "license": data.get("license"),
        "price_usd_per_mtok": data.get("price_usd_per_mtok"),
        "params_b": data.get("params_b"),
        "criteria": data.get("criteria") or {},
        "openness_dimensions": data.get("openness_dimensions") or {},
        "sources": data.get("sources") or [],
    }


def recommend_quietly(
    profile: Any, catalog: Any, summaries: list[dict[str, Any]] | None, lang: str, run_models: list[str], made: Any = None
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The decision for this run's measurements as JSON, and the cost curves to chart; (None, None)
    when decide (or the catalog) is unavailable. A bad profile is the user's error and is raised."""
    from whichai.report.tco import tco_curves

    if made is not None and hasattr(made, "to_json"):
        return trim_recommendation(made.to_json(lang), run_models), tco_curves(made, run_models)
    if catalog is None:
        return None, None
    try:
        from whichai.decide import load_profile, recommend
    except ImportError as exc:
        log.warning("decide unavailable for the report: %s", exc)
        return None, None
    if profile is None or isinstance(profile, (str, Path)):
        profile = load_profile(profile)
    try:
        result = recommend(profile, catalog, measurements=summaries or None, lang=lang)
        data = result.to_json() if hasattr(result, "to_json") else dict(result)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - a report without a recommendation beats no report
        log.warning("recommendation failed for the report: %s", exc)
        return None, None
    return trim_recommendation(data, run_models), tco_curves(result, run_models)


TOP = 25


def trim_recommendation(data: dict[str, Any], keep: list[str], top: int = TOP) -> dict[str, Any]:
    """The recommendation as the report keeps it: the top of the ranking plus the run's own models
    (the whole ranking of the catalog is `whichai recommend --json`'s job), with totals kept."""
    ranking = data.get("ranking") or []
    wanted = set(keep)
    kept = [r for i, r in enumerate(ranking) if i < top or (isinstance(r, dict) and r.get("model") in wanted)]
    out = {**data, "ranking": kept, "ranking_total": len(ranking)}
    tco = data.get("tco")
    names = {r.get("model") for r in kept if isinstance(r, dict)}
    if isinstance(tco, dict) and isinstance(tco.get("models"), dict):
        out["tco"] = {**tco, "models": {m: v for m, v in tco["models"].items() if m in names}}
    elif isinstance(tco, dict) and isinstance(tco.get("models"), list):
        out["tco"] = {**tco, "models": [v for v in tco["models"] if isinstance(v, dict) and v.get("model") in names]}
    return out


def criteria_matrix(models: list[dict[str, Any]], recommendation: dict[str, Any] | None) -> dict[str, Any]:
    """Per model, the ten criterion scores: from the ranking when decide gave one (it folds in what was
    measured), else from the catalog. Reasons and evidence come from the catalog."""
    ranked = {}
    for row in (recommendation or {}).get("ranking") or []:
        if isinstance(row, dict) and row.get("model"):
            ranked[row["model"]] = row.get("criteria") or {}
    matrix: dict[str, dict[str, Any]] = {}
    for m in models:
        catalog_scores = m.get("criteria") or {}
        row: dict[str, Any] = {}
        for cid in CRITERION_IDS:
            fact = catalog_scores.get(cid) or {}
            score = _score(ranked.get(m["id"], {}).get(cid))
            origin = "decide" if score is not None else "catalog"
            if score is None:
                score = _score(fact.get("score") if isinstance(fact, dict) else fact)
            row[cid] = {
                "score": score,
                "origin": origin if score is not None else None,
                "reason": fact.get("reason", "") if isinstance(fact, dict) else "",
                "evidence": fact.get("evidence", []) if isinstance(fact, dict) else [],
            }
        matrix[m["id"]] = row
    return {"ids": list(CRITERION_IDS), "labels": {c.id: {"en": c.en, "id": c.id_} for c in CRITERIA}, "models": matrix}


def _score(value: Any) -> float | None:
    if isinstance(value, dict):
        value = value.get("score")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


def case_rows(cases: list[dict[str, Any]], results: list[dict[str, Any]], models: list[str]) -> list[dict[str, Any]]:
    by_key = {(r["model"], r["case_id"]): r for r in results}
    rows = []
    for case in cases:
        cells = {}
        for m in models:
            r = by_key.get((m, case["id"]))
            if r is None:
                cells[m] = {"state": "missing"}
                continue
            state = "error" if r["status"] == "error" else ("pass" if r["passed"] else "fail")
            cells[m] = {
                "state": state,
                "answer": r.get("answer"),
                "score": r.get("score"),
                "reason": r.get("reason"),
                "error_class": r.get("error_class"),
                "error_message": r.get("error_message"),
                "latency_s": r.get("latency_s"),
                "output_tokens": r.get("output_tokens"),
                "cost_usd": r.get("cost_usd"),
            }
        states = {c["state"] for c in cells.values()}
        rows.append(
            {
                "id": case["id"],
                "input": _input_text(case.get("input")),
                "system": case.get("system"),
                "expected": case.get("expected"),
                "scorer": case.get("scorer"),
                "tags": case.get("tags") or [],
                "disagree": len(states) > 1,
                "results": cells,
            }
        )
    return rows


def _input_text(value: Any) -> str:
    """A case input is a prompt or a list of chat messages; show messages as ``role: content`` lines."""
    if isinstance(value, list):
        return "\n".join(f"{m.get('role', '?')}: {m.get('content', '')}" if isinstance(m, dict) else str(m) for m in value)
    return "" if value is None else str(value)


def sensitivity_lines(sensitivity: Any) -> list[str]:
    """The human-readable lines of decide's sensitivity document, whatever its exact shape."""
    if not sensitivity:
        return []
    if isinstance(sensitivity, str):
        return [sensitivity]
    if isinstance(sensitivity, dict):
        for key in ("flips", "changes", "summary", "lines"):
            if sensitivity.get(key):
                return sensitivity_lines(sensitivity[key])
        return []
    out = []
    for item in sensitivity:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict):
            text = item.get("text") or item.get("description") or item.get("change") or item.get("summary")
            if text:
                out.append(str(text))
    return out


def explain_blocks(text: str) -> list[dict[str, Any]]:
    """decide's explanation (paragraphs of plain text, ``- `` bullets and ``1. `` steps) as blocks
    of a head line and list items, for the templates to lay out (and escape)."""
    import re

    blocks = []
    for para in re.split(r"\n\s*\n", text.strip()):
        lines = [ln.rstrip() for ln in para.splitlines() if ln.strip()]
        head, items, kind = [], [], "ul"
        for ln in lines:
            bullet = re.match(r"^\s*(?:[-*•]|(\d+)[.)])\s+(.*)$", ln)
            if bullet:
                items.append(bullet.group(2))
                kind = "ol" if bullet.group(1) else kind
            elif items:
                items[-1] += " " + ln.strip()
            else:
                head.append(ln.strip())
        if head or items:
            blocks.append({"head": " ".join(head), "lines": items, "list": kind})
    return blocks


def run_ranking(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Where each model of the run stands in the recommendation: its rank, or why it was excluded."""
    rec = doc.get("recommendation") or {}
    run = doc.get("run") or {}
    models = run.get("models") or []
    ranked = {r.get("model"): r for r in rec.get("ranking") or [] if isinstance(r, dict)}
    excluded = {e.get("model"): e for e in rec.get("excluded") or [] if isinstance(e, dict)}
    openness = {m["id"]: m.get("openness") for m in doc.get("models") or []}
    rows = []
    for m in models:
        if m in ranked:
            r = ranked[m]
            rows.append({"model": m, "rank": r.get("rank"), "openness": r.get("openness") or openness.get(m), "score": r.get("score"),
                         "mode": r.get("mode"), "monthly_usd": r.get("monthly_usd"), "reasons": []})
        elif m in excluded:
            rows.append({"model": m, "rank": None, "openness": excluded[m].get("openness") or openness.get(m), "score": None,
                         "mode": None, "monthly_usd": None, "reasons": list(excluded[m].get("reasons") or [])})
    return rows
