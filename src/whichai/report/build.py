"""Gather what a report shows into one plain, JSON-ready document (the JSON export as is).

The decision is decide's document (``Recommendation.document()``, schema ``whichai.decision/1``),
embedded whole under ``"decision"``: every score, cost, origin, text and curve the views show comes
from it, and none is computed here. Beside it, what decide does not own: the run and its answers
(:mod:`whichai.store`), the measured figures per model (:mod:`whichai.measure.metrics`), the catalog's facts
on openness and licences, and the stored load sweeps (:mod:`whichai.measure.load`, when installed).
"""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

from whichai.report.document import ModelFacts, ReportDocument
from whichai.store import Store

if TYPE_CHECKING:
    from whichai.decide.document_json import DecisionJSON
    from whichai.decide.recommendation import Recommendation

SCHEMA = "whichai.report/2"


def decision_json(recommendation: Recommendation) -> DecisionJSON:
    """The recommendation's decision document as JSON (its shape: :mod:`whichai.decide.document_json`,
    checked field by field against the models in tests/test_document.py)."""
    return cast("DecisionJSON", recommendation.document().model_dump(mode="json"))


def resolve_run(store: Store, run_id: str) -> dict[str, Any]:
    """The run (literal id or unique prefix; unknown or ambiguous: InputError naming the fix)."""
    return store.resolve_run(run_id)


def build_report(store: Store, run_id: str, *, recommendation: Recommendation, lang: str = "en", catalog: Any = None) -> ReportDocument:
    """The whole report of one run as a JSON-ready dict, showing ``recommendation`` (decide's
    Recommendation for this run, made by the application layer: :func:`whichai.app.build_report`)."""
    from whichai.measure.metrics import summarise

    run = resolve_run(store, run_id)
    rid = run["id"]
    summaries = summarise(store, rid)
    catalog = catalog if catalog is not None else load_catalog()
    decision = decision_json(recommendation)
    results = store.results(rid)
    doc = _document(decision, lang, catalog, run["models"])
    doc["run"] = {
        "id": rid, "task": run["task_name"], "task_hash": run["task_hash"], "created_at": run["created_at"],
        "updated_at": run["updated_at"], "status": run["status"], "models": run["models"], "settings": run["settings"],
        "whichai_version": run["whichai_version"],
    }
    doc["summaries"] = [{**s.to_json(), "openness": doc["openness"].get(s.model, "unknown")} for s in summaries]
    doc["latencies"] = {
        m: [r["latency_s"] for r in results if r["model"] == m and r["status"] == "ok" and r["latency_s"] is not None]
        for m in run["models"]
    }
    cases = store.cases(rid)  # read once: the table and the import's coverage (5-7 us per case, decoded from JSON)
    doc["cases"] = case_rows(cases, results, run["models"])
    doc["loads"] = load_sweeps(store, [*run["models"], *doc["shown"]])
    from whichai.tasks.promptfoo import coverage_text, stored_coverage

    coverage = stored_coverage(cases)  # a promptfoo config's run: the import's coverage
    if coverage is not None:
        doc["promptfoo"] = {**coverage.to_json(), "text": coverage_text(coverage)}
    traffic = gateway_traffic(store, decision)
    if traffic is not None:
        doc["gateway"] = traffic
    return doc


def gateway_traffic(store: Store, decision: DecisionJSON) -> dict[str, Any] | None:
    """What ``whichai gateway`` routed with this database (its request log), beside the decision's own
    estimate of the monthly cost (the hybrid plan's, else the top model's); None when it routed nothing."""
    from whichai.gateway.log import stats

    traffic = stats(store)
    if not traffic.requests:
        return None
    first = store.db.execute("SELECT MIN(at) FROM gateway_requests").fetchone()[0]
    hybrid, ranking = decision.get("hybrid"), decision.get("ranking") or []
    estimate = hybrid["monthly_usd"] if hybrid and hybrid.get("applies") else (ranking[0]["monthly_usd"] if ranking else None)
    return {**traffic.to_json(), "since": first, "decision_monthly_usd": estimate}


def build_recommendation_doc(recommendation: Recommendation, *, lang: str = "en", catalog: Any = None, store: Store | None = None) -> ReportDocument:
    """A report document without a run: decide's ``recommendation`` over the catalog (what the
    dashboard's profile page shows before any run), with the load sweeps in ``store`` when given."""
    catalog = catalog if catalog is not None else load_catalog()
    decision = decision_json(recommendation)
    doc = _document(decision, lang, catalog, [])
    doc["loads"] = load_sweeps(store, None) if store is not None else []
    traffic = gateway_traffic(store, decision) if store is not None else None
    if traffic is not None:
        doc["gateway"] = traffic
    return doc


def _document(decision: DecisionJSON, lang: str, catalog: Any, run_models: list[str]) -> ReportDocument:
    from whichai.report.views import shown_models

    shown = shown_models(decision, run_models)
    openness: dict[str, str] = {r["model"]: r["openness"] for r in decision["ranking"]}
    openness.update({e["model"]: e["openness"] for e in decision["excluded"]})
    models = [model_facts(m, catalog) for m in shown]
    for m in models:
        openness.setdefault(m["id"], m["openness"])
    return {
        "schema": SCHEMA,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "lang": lang,
        "run": None,
        "decision": decision,
        "shown": shown,
        "openness": openness,
        "summaries": [],
        "models": models,
        "latencies": {},
        "cases": [],
        "loads": [],
    }


def load_catalog() -> Any:
    from whichai.catalog import load_catalog as load

    return load()


def model_facts(model_id: str, catalog: Any) -> ModelFacts:
    """What the catalog states about a model's openness and licence, with its sources (no scores:
    decide scores). A model the catalog does not know gets a stub that says so."""
    entry = catalog.get(model_id) if catalog is not None else None
    if entry is None:
        return {"id": model_id, "in_catalog": False, "name": model_id, "provider": model_id.split("/", 1)[0],
                "openness": "unknown", "openness_reason": "", "license": None, "openness_dimensions": {}, "sources": []}
    data = entry.model_dump(mode="json")
    return {
        "id": model_id, "catalog_id": data.get("id"), "in_catalog": True, "name": data.get("name") or model_id,
        "provider": data.get("provider"), "openness": data.get("openness") or "unknown",
        "openness_reason": data.get("openness_reason") or "", "license": data.get("license"),
        "openness_dimensions": data.get("openness_dimensions") or {}, "sources": data.get("sources") or [],
    }


def load_sweeps(store: Store | None, models: list[str] | None) -> list[dict[str, Any]]:
    """The stored load sweeps (issue 12's JSON shape) of ``models`` (None: all), when whichai's load
    package is installed; [] otherwise."""
    if store is None or importlib.util.find_spec("whichai.measure.load") is None or importlib.util.find_spec("whichai.measure.load.store") is None:
        return []
    from whichai.measure.load.store import load_results

    newest: dict[tuple[str, str], dict[str, Any]] = {}
    for sweep in load_results(store):  # newest first: keep the newest sweep of each model on each server
        key = (sweep.model, sweep.server)
        if (models is None or sweep.model in models) and sweep.points and key not in newest:
            newest[key] = sweep.to_json()
    return list(newest.values())


def case_rows(cases: list[dict[str, Any]], results: list[dict[str, Any]], models: list[str]) -> list[dict[str, Any]]:
    by_key = {(r["model"], r["case_id"]): r for r in results}
    rows = []
    for case in cases:
        cells = {m: _cell(by_key.get((m, case["id"]))) for m in models}
        states = {c["state"] for c in cells.values()}
        rows.append({
            "id": case["id"], "input": _input_text(case.get("input")), "system": case.get("system"),
            "expected": case.get("expected"), "scorer": case.get("scorer"), "tags": case.get("tags") or [],
            "disagree": len(states) > 1, "results": cells,
        })
    return rows


def _cell(r: dict[str, Any] | None) -> dict[str, Any]:
    if r is None:
        return {"state": "missing"}
    state = "error" if r["status"] == "error" else ("pass" if r["passed"] else "fail")
    keys = ("answer", "score", "reason", "error_class", "error_message", "latency_s", "output_tokens", "cost_usd")
    return {"state": state, **{k: r.get(k) for k in keys}}


def _input_text(value: Any) -> str:
    """A case input is a prompt or a list of chat messages; show messages as ``role: content`` lines."""
    if isinstance(value, list):
        return "\n".join(f"{m.get('role', '?')}: {m.get('content', '')}" if isinstance(m, dict) else str(m) for m in value)
    return "" if value is None else str(value)
