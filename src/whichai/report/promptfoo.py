"""A run as promptfoo's results file (``promptfoo eval -o out.json``), so a team keeps its viewer.

The file is promptfoo 0.121's output shape: ``{evalId, results, config, shareableUrl, metadata, vars}``
where ``results`` is an ``EvaluateSummaryV3`` (``version: 3``, ``timestamp``, ``prompts[]`` with their
metrics, ``results[]``, ``stats``). Each stored result of the run becomes one ``EvaluateResult``:
``prompt {raw, label}``, ``vars``, ``response {output, tokenUsage}``, ``success``, ``score``,
``latencyMs``, ``cost``, ``gradingResult {pass, score, reason, componentResults}``, ``provider {id}``,
``testCase``. ``promptfoo import FILE`` loads it (then ``promptfoo view`` shows it).

Pass, score and reason are the stored verdict. The per-assertion ``componentResults`` are scored again
from the stored answer (with its stored latency and cost) where every assertion is deterministic; for
``python``, ``javascript`` and model-graded ones they are left empty rather than run again.
Everything comes from the database: no date is read from the clock.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from whichai.errors import WhichaiError
from whichai.tasks.promptfoo_assert import DETERMINISTIC, assertion_types, evaluate

RESCORED = DETERMINISTIC | {"latency", "cost"}
_NAMESPACE = uuid.UUID("6f1c3d0e-8a59-4d2b-9a57-0d6b2c1e7f31")
# promptfoo's ResultFailureReason
NONE, ASSERT, ERROR = 0, 1, 2


def _usage(prompt: int | None, completion: int | None, requests: int = 1) -> dict[str, int]:
    prompt, completion = int(prompt or 0), int(completion or 0)
    return {"total": prompt + completion, "prompt": prompt, "completion": completion, "cached": 0, "numRequests": requests}


def _raw(case: dict[str, Any]) -> str:
    value = case.get("input")
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _test_case(case: dict[str, Any]) -> dict[str, Any]:
    options = case.get("options") or {}
    test: dict[str, Any] = {"vars": options.get("vars") or {}, "assert": options.get("assert") or [], "options": {}, "metadata": {}}
    for key in ("description", "threshold"):
        if options.get(key) is not None:
            test[key] = options[key]
    return test


def _components(case: dict[str, Any], row: dict[str, Any]) -> list[dict[str, Any]]:
    options = case.get("options") or {}
    asserts = options.get("assert") or []
    if case.get("scorer") != "promptfoo" or not asserts or not set(assertion_types(asserts)) <= RESCORED:
        return []
    latency = row.get("latency_s")
    scored = {**options, "unsupported": None}
    try:
        return evaluate(row.get("answer") or "", scored, latency_ms=None if latency is None else latency * 1000,
                        cost=row.get("cost_usd")).components
    except (WhichaiError, ValueError, TypeError, KeyError):  # a component list is a courtesy; the stored verdict stands
        return []


def _result(case: dict[str, Any], row: dict[str, Any], prompt_idx: int) -> dict[str, Any]:
    options = case.get("options") or {}
    label = str(options.get("prompt") or _raw(case))
    ok = row["status"] == "ok"
    latency_ms = round(row["latency_s"] * 1000) if row.get("latency_s") is not None else 0
    usage = _usage(row.get("input_tokens"), row.get("output_tokens"))
    passed = bool(ok and row.get("passed"))
    score = float(row.get("score") or 0.0) if ok else 0.0
    reason = (row.get("reason") or "") if ok else f"{row.get('error_class')}: {row.get('error_message') or ''}"
    grading: dict[str, Any] = {"pass": passed, "score": score, "reason": reason or ("All assertions passed" if passed else "failed"),
               "namedScores": {}, "componentResults": _components(case, row) if ok else []}
    response: dict[str, Any] = {"output": row.get("answer") or "", "tokenUsage": usage, "cached": False, "latencyMs": latency_ms}
    if row.get("finish_reason"):
        response["finishReason"] = row["finish_reason"]
    result: dict[str, Any] = {
        "id": str(uuid.uuid5(_NAMESPACE, f"{row['run_id']}/{row['model']}/{row['case_id']}")),
        "promptIdx": prompt_idx, "testIdx": int(options.get("test", 0) or 0),
        "prompt": {"raw": _raw(case), "label": label, "config": {}},
        "promptId": hashlib.sha256(label.encode()).hexdigest(),
        "provider": {"id": row["model"], "label": row["model"]},
        "vars": options.get("vars") or {}, "testCase": _test_case(case),
        "response": response if ok else {"output": "", "error": reason, "tokenUsage": usage},
        "success": passed, "score": score, "latencyMs": latency_ms, "cost": row.get("cost_usd") or 0,
        "gradingResult": grading, "namedScores": {}, "tokenUsage": usage,
        "failureReason": NONE if passed else ASSERT if ok else ERROR,
        "metadata": {"whichai": {"run_id": row["run_id"], "case_id": row["case_id"], "model": row["model"],
                                 "cost_usd": row.get("cost_usd"), "price_source": row.get("price_source")}},
    }
    if not passed:
        result["error"] = reason
    return result


def _prompt_entries(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """promptfoo's ``prompts[]``: one per (prompt, provider), with the metrics its viewer shows."""
    entries: dict[tuple[str, str], dict[str, Any]] = {}
    for r in results:
        key = (r["prompt"]["label"], r["provider"]["id"])
        entry = entries.setdefault(key, {
            "id": r["promptId"], "raw": r["prompt"]["label"], "label": r["prompt"]["label"], "provider": r["provider"]["id"],
            "metrics": {"score": 0.0, "testPassCount": 0, "testFailCount": 0, "testErrorCount": 0, "assertPassCount": 0,
                        "assertFailCount": 0, "totalLatencyMs": 0, "tokenUsage": _usage(0, 0, 0), "namedScores": {},
                        "namedScoresCount": {}, "namedScoreWeights": {}, "cost": 0.0}})
        m = entry["metrics"]
        m["score"] += r["score"]
        m["testPassCount"] += r["success"]
        m["testErrorCount"] += r["failureReason"] == ERROR
        m["testFailCount"] += r["failureReason"] == ASSERT
        components = r["gradingResult"]["componentResults"]
        m["assertPassCount"] += sum(bool(c.get("pass")) for c in components)
        m["assertFailCount"] += sum(not c.get("pass") for c in components)
        m["totalLatencyMs"] += r["latencyMs"]
        m["cost"] += r["cost"]
        for k in ("total", "prompt", "completion", "numRequests"):
            m["tokenUsage"][k] += r["tokenUsage"][k]
    return list(entries.values())


def promptfoo_results(store: Any, run_id: str) -> dict[str, Any]:
    """The run ``run_id`` (an id or a unique prefix) as promptfoo's output file, a JSON-ready dict."""
    run = store.resolve_run(run_id)
    cases = {c["id"]: c for c in store.cases(run["id"])}
    order = {case_id: i for i, case_id in enumerate(cases)}
    labels: list[str] = []
    for case in cases.values():
        label = str((case.get("options") or {}).get("prompt") or _raw(case))
        if label not in labels:
            labels.append(label)
    rows = sorted(store.results(run["id"]), key=lambda r: (order.get(r["case_id"], len(order)), run["models"].index(r["model"]) if r["model"] in run["models"] else 0))
    results = []
    for row in rows:
        case = cases.get(row["case_id"], {"id": row["case_id"], "input": "", "options": {}})
        label = str((case.get("options") or {}).get("prompt") or _raw(case))
        results.append(_result(case, row, labels.index(label) if label in labels else 0))
    totals = _usage(sum(r["tokenUsage"]["prompt"] for r in results), sum(r["tokenUsage"]["completion"] for r in results), len(results))
    summary = {
        "version": 3, "timestamp": run["created_at"], "prompts": _prompt_entries(results), "results": results,
        "stats": {"successes": sum(r["success"] for r in results), "failures": sum(r["failureReason"] == ASSERT for r in results),
                  "errors": sum(r["failureReason"] == ERROR for r in results), "tokenUsage": totals},
    }
    var_names = sorted({k for r in results for k in r["vars"]})
    from whichai.tasks.promptfoo import stored_coverage

    coverage = stored_coverage(list(cases.values()))
    config = {"description": run["task_name"], "prompts": labels, "providers": [{"id": m} for m in run["models"]],
              "tests": [], "metadata": {"whichai_run": run["id"]}}
    return {"evalId": f"eval-whichai-{run['id']}", "results": summary, "config": config, "shareableUrl": None,
            "metadata": {"exporter": "whichai", "whichai_run": run["id"], "whichaiVersion": run.get("whichai_version"),
                         "evaluationCreatedAt": run["created_at"], "exportedAt": run["updated_at"],
                         **({"whichai_promptfoo_coverage": coverage.to_json()} if coverage else {})},
            "vars": var_names}


def render(store: Any, run_id: str) -> str:
    return json.dumps(promptfoo_results(store, run_id), ensure_ascii=False, indent=2, default=str) + "\n"
