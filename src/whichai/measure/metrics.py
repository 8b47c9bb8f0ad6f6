"""From stored results to the figures of the result table: pass rate with its Wilson interval,
latency percentiles, time to first token, output tokens per second, cost of the run and per 1,000 cases,
pass rates per language, and whether the differences between models are real.

Every figure here is *measured* on this run. Definitions:

- ``cases``: the run's cases; ``answered``: results with an answer (status ok); ``errors``: failed calls;
  ``missing``: cases with no result yet (an interrupted run). ``scored``: answered results with a verdict
  (a judge that could not be parsed leaves an answer unscored: ``judge_errors``).
- ``pass_rate``: passed / scored — over the answered cases only, so an interrupted or partly failed run
  says what it measured, not more; ``partial`` is true when fewer cases were scored than the run has.
  ``pass_rate_ci95`` is the 95 % Wilson interval over the scored cases.
- ``by_lang``: the same per language, from case tags ``lang:<code>`` (e.g. ``lang:id``, ``lang:en``).
- With repeats (``whichai run --repeat N``) a case's score is the share of its N answers that passed;
  ``pass_rate`` is the mean over cases and the interval is Wilson's over cases (conservative: it treats a
  case's N answers as one observation). ``consistency`` is the share of cases whose answers all passed or
  all failed.
- ``latency_*`` and ``ttft_p50_s``: percentiles (linear interpolation) over calls that returned an answer.
- ``output_tokens_per_s``: output tokens of all answers / their total latency (end-to-end, one call at a time).
- ``cost_usd``: sum over answered calls of tokens × price (None if any price is unknown); 0 for local models.
  Judge calls are costed separately (``judge_cost_usd``).
- ``comparisons``: see :mod:`whichai.measure.comparisons` (McNemar's exact test on the shared scored cases).
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from whichai.measure.comparisons import Z95, compare_all, wilson
from whichai.store import Store

__all__ = ["Z95", "wilson", "percentile", "summarise_results", "summarise", "run_summary", "comparisons",
           "case_outcomes", "case_langs"]


def percentile(values: list[float], q: float) -> float | None:
    """The one percentile of whichai (latencies of runs, load tests and the gateway): linear interpolation
    between closest ranks (numpy's default; ``statistics.quantiles(method="inclusive")``), ``q`` in [0, 1]."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = math.ceil(position)
    if low == high:
        return ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def case_langs(cases: list[dict[str, Any]]) -> dict[str, list[str]]:
    """case id -> its languages from ``lang:<code>`` tags (lower-cased, each once)."""
    return {c["id"]: list(dict.fromkeys(t.split(":", 1)[1].strip().lower() for t in c.get("tags", [])
                                        if t.lower().startswith("lang:") and t.split(":", 1)[1].strip())) for c in cases}


def _case_scores(results: list[dict[str, Any]]) -> dict[str, list[bool]]:
    """case id -> the verdicts of its scored answers (one per repeat)."""
    scores: dict[str, list[bool]] = defaultdict(list)
    for r in results:
        if r["status"] == "ok" and r.get("passed") is not None:
            scores[r["case_id"]].append(bool(r["passed"]))
    return scores


def _rate(scores: dict[str, list[bool]], case_ids: list[str] | None = None) -> dict[str, Any]:
    ids = [c for c in (case_ids if case_ids is not None else list(scores)) if c in scores]
    shares = [sum(scores[c]) / len(scores[c]) for c in ids]
    passed = sum(shares)
    low, high = wilson(passed, len(ids)) if ids else (0.0, 1.0)
    return {"scored": len(ids), "passed": round(passed, 4) if passed % 1 else int(passed),
            "pass_rate": passed / len(ids) if ids else None, "ci95": [round(low, 4), round(high, 4)]}


def _by_lang(scores: dict[str, list[bool]], langs: dict[str, list[str]]) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for cid, codes in langs.items():
        for code in codes:
            groups[code].append(cid)
    out = {}
    for code in sorted(groups):
        rate = _rate(scores, groups[code])
        out[code] = {"cases": len(groups[code]), **rate}
    return out


def _consistency(scores: dict[str, list[bool]]) -> dict[str, Any] | None:
    repeated = {c: s for c, s in scores.items() if len(s) > 1}
    if not repeated:
        return None
    steady = sum(1 for s in repeated.values() if all(s) or not any(s))
    return {"cases": len(repeated), "consistent": steady, "share": steady / len(repeated),
            "repeats": max(len(s) for s in repeated.values())}


def _speed_and_cost(ok: list[dict[str, Any]]) -> dict[str, Any]:
    latencies = [r["latency_s"] for r in ok if r["latency_s"] is not None]
    ttfts = [r["ttft_s"] for r in ok if r["ttft_s"] is not None]
    out_tokens = [r["output_tokens"] for r in ok if r["output_tokens"] is not None]
    in_tokens = [r["input_tokens"] for r in ok if r["input_tokens"] is not None]
    costs = [r["cost_usd"] for r in ok]
    cost = None if not ok or any(c is None for c in costs) else sum(costs)
    total_latency = sum(r["latency_s"] for r in ok if r["output_tokens"] is not None and r["latency_s"])
    return {
        "latency_p50_s": percentile(latencies, 0.5),
        "latency_p95_s": percentile(latencies, 0.95),
        "ttft_p50_s": percentile(ttfts, 0.5),
        "output_tokens_per_s": (sum(out_tokens) / total_latency) if out_tokens and total_latency > 0 else None,
        "input_tokens_mean": (sum(in_tokens) / len(in_tokens)) if in_tokens else None,
        "output_tokens_mean": (sum(out_tokens) / len(out_tokens)) if out_tokens else None,
        "tokens_counted": any(r.get("tokens_counted") for r in ok),
        "cost_usd": cost,
        "cost_per_1000_cases_usd": (cost / len(ok) * 1000) if cost is not None and ok else None,
        "price_source": next((r["price_source"] for r in ok if r.get("price_source")), None),
    }


def summarise_results(model: str, results: list[dict[str, Any]], cases: int,
                      langs: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """The measured figures of one model: ``results`` are its stored rows, ``cases`` the run's case count."""
    ok = [r for r in results if r["status"] == "ok"]
    answered_cases = {r["case_id"] for r in ok}
    errored_cases = {r["case_id"] for r in results if r["status"] == "error"} - answered_cases
    scores = _case_scores(results)
    rate = _rate(scores)
    judge_errors = sum(1 for r in ok if r.get("passed") is None)
    summary: dict[str, Any] = {
        "model": model,
        "cases": cases,
        "answered": len(answered_cases),
        "scored": rate["scored"],
        "passed": rate["passed"],
        "pass_rate": rate["pass_rate"],  # None when nothing was scored: not measured
        "pass_rate_ci95": rate["ci95"],
        "pass_rate_over": "scored answered cases",
        "errors": len(errored_cases),
        "judge_errors": judge_errors,
        "missing": cases - len(answered_cases) - len(errored_cases),
        "partial": rate["scored"] < cases,
        **_speed_and_cost(ok),
        "origin": "measured",
    }
    summary["by_lang"] = _by_lang(scores, langs or {})
    consistency = _consistency(scores)
    if consistency is not None:
        summary["consistency"] = consistency
    judged = [r for r in ok if r.get("judge_cost_usd") is not None or r.get("judge_model")]
    if judged:
        costs = [r.get("judge_cost_usd") for r in judged]
        summary["judge_cost_usd"] = None if any(c is None for c in costs) else sum(costs)
    return summary


def summarise(store: Store, run_id: str) -> list[dict[str, Any]]:
    """Per model of the run, in the run's order: the measured figures."""
    run = store.run(run_id)
    if run is None:
        return []
    from whichai.measure.repeats import fold

    cases, rows = fold(store.cases(run["id"]), _with_judgements(store, run["id"], store.results(run["id"])))
    langs = case_langs(cases)
    return [summarise_results(m, [r for r in rows if r["model"] == m], len(cases), langs) for m in run["models"]]


def _with_judgements(store: Store, run_id: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Attach each result's judge cost and model (when its case was judged)."""
    from whichai.measure.judge import judgements

    found = judgements(store, run_id)
    if not found:
        return rows
    out = []
    for r in rows:
        j = found.get((r["model"], r["case_id"]))
        out.append({**r, "judge_model": j["judge_model"], "judge_cost_usd": j["cost_usd"]} if j else r)
    return out


def case_outcomes(store: Store, run_id: str) -> dict[str, dict[str, bool]]:
    """model -> case id -> passed, over scored answers; with repeats, the majority (a tie is a fail)."""
    from whichai.measure.repeats import fold

    _, rows = fold(store.cases(run_id), store.results(run_id))
    by_model: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_model[r["model"]].append(r)
    return {m: {c: sum(s) * 2 > len(s) for c, s in _case_scores(rs).items()} for m, rs in by_model.items()}


def comparisons(store: Store, run_id: str) -> list[dict[str, Any]]:
    """Every pair of the run's models on their shared scored cases (see :mod:`whichai.measure.comparisons`)."""
    run = store.run(run_id)
    if run is None:
        return []
    return compare_all(run["models"], case_outcomes(store, run["id"]))


def run_summary(store: Store, run_id: str, summaries: list[dict[str, Any]] | None = None) -> dict[str, Any] | None:
    """The run as decide sees it: {id, status, cases, answered, errors, partial, text}.

    ``answered`` and ``errors`` are summed over models (case × model results). A partial run (interrupted,
    or with failed calls or unscored answers) feeds decide its scored cases only, and says so."""
    run = store.run(run_id)
    if run is None:
        return None
    from whichai.measure.repeats import fold

    summaries = summaries if summaries is not None else summarise(store, run["id"])
    cases = len(fold(store.cases(run["id"]), [])[0])
    expected = cases * len(run["models"])
    answered = sum(s["answered"] for s in summaries)
    scored = sum(s["scored"] for s in summaries)
    errors = sum(s["errors"] for s in summaries)
    partial = scored < expected or run["status"] != "complete"
    out = {"id": run["id"], "status": run["status"], "cases": cases, "models": len(run["models"]),
           "expected_results": expected, "answered": answered, "scored": scored, "errors": errors, "partial": partial}
    out["text"] = _partial_text(out) if partial else {
        "en": f"Complete: all {cases} cases answered and scored for each of {len(run['models'])} model(s).",
        "id": f"Lengkap: semua {cases} kasus terjawab dan dinilai untuk {len(run['models'])} model.",
    }
    return out


def _partial_text(r: dict[str, Any]) -> dict[str, str]:
    why_en = "it was interrupted" if r["status"] == "interrupted" else "some calls failed or were not scored"
    why_id = "run dihentikan" if r["status"] == "interrupted" else "sebagian panggilan gagal atau tidak dinilai"
    return {
        "en": f"Partial run ({why_en}): {r['scored']} of {r['expected_results']} case × model results are scored "
              f"({r['errors']} failed). Pass rates are over the scored cases only; run the same command again to finish.",
        "id": f"Run sebagian ({why_id}): {r['scored']} dari {r['expected_results']} hasil kasus × model sudah dinilai "
              f"({r['errors']} gagal). Tingkat lulus hanya dihitung dari kasus yang dinilai; jalankan perintah yang sama lagi untuk menyelesaikannya.",
    }
