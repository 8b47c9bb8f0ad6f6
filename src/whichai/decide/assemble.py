"""Put what one recommendation found into the decision document (:class:`~whichai.decide.document.Decision`).

Nothing here decides anything: it copies the findings into the typed document, adding each
reason's text in English and Bahasa Indonesia (via :mod:`whichai.decide.explain`).
"""

from __future__ import annotations

import math
from functools import partial
from typing import Any

from whichai.catalog.lifecycle import lifecycle_of
from whichai.criteria import CRITERION_IDS
from whichai.decide.constraints import Reason
from whichai.decide.criteria_scores import Score, within_noise
from whichai.decide.document import DETAIL_ROWS, SCHEMA, Basis, Decision, EvidenceInfo, ProfileInfo, RunInfo, WeightInfo
from whichai.decide.explain import (
    both,
    break_even_text,
    change_text,
    evidence_text,
    explanations,
    reason_text,
    run_text,
    score_reason,
    sensitivity_lines,
    verdict_label,
)
from whichai.decide.i18n import t
from whichai.decide.outcome import Findings, side_of
from whichai.decide.ownership import model_row
from whichai.decide.scoring import Ranked

WEIGHT_BASIS: dict[str, Basis] = {"profile": "given", "derived": "derived", "default": "default"}
_SCALARS = (str, int, float, bool, type(None))


def _note(reason: Reason, note: bool = False, texts: dict[tuple[Any, ...], dict[str, str]] | None = None) -> dict[str, Any]:
    """A reason with its text in both languages; ``texts`` remembers the texts of reasons already
    put into words (hundreds of rows and exclusions share a few dozen distinct reasons)."""
    key = None
    if texts is not None and all(isinstance(v, _SCALARS) for v in reason.params.values()):
        key = (reason.code, note, tuple(reason.params.items()))
    text = texts.get(key) if texts is not None and key is not None else None
    if text is None:
        text = {"en": reason_text(reason, "en", note=note), "id": reason_text(reason, "id", note=note)}
        if texts is not None and key is not None:
            texts[key] = text
    return {"code": reason.code, "params": dict(reason.params), "text": dict(text)}


def _cell(s: Score, skill: str, detailed: bool) -> dict[str, Any]:
    """A criterion cell as a plain dict: the whole ranking is validated in one call at the end."""
    if not detailed:
        return {"score": round(s.score, 4), "origin": s.origin}
    reason = {"en": score_reason(s, "en", skill), "id": score_reason(s, "id", skill)}
    return {"score": round(s.score, 4), "origin": s.origin, "reason": reason, "evidence": tuple(s.evidence)}


def _detailed(f: Findings) -> set[str]:
    """Models whose criteria carry reason and evidence: the first rows, measured ones, each side's
    best, and every model the document names elsewhere (hybrid, break-even, what would change)."""
    ranked = f.outcome.ranked
    models = {r.model for r in ranked[:DETAIL_ROWS]} | {r.model for r in ranked if r.cand.measurement is not None}
    seen: set[str] = set()
    for r in ranked:
        side = side_of(r.cand.openness)
        if side not in seen:
            seen.add(side)
            models.add(r.model)
    if f.hybrid:
        models |= {f.hybrid["sensitive"]["model"], f.hybrid["rest"]["model"]}
    be = f.tco.get("break_even")
    if be:
        models |= {be["api_model"], be["self_hosted_model"]}
    models |= {i["winner"] for i in f.what_would_change if i.get("winner")}
    return models


def _row(rank: int, r: Ranked, skill: str, detailed: bool, texts: dict[tuple[Any, ...], dict[str, str]]) -> dict[str, Any]:
    status, shutdown = lifecycle_of(r.cand.entry)
    mode = r.option.mode
    if detailed:
        crit = r.criteria()
        cells = {cid: _cell(crit[cid], skill, True) for cid in CRITERION_IDS}
    else:  # score and origin only: the cost criterion's are its number and the mode's cost origin (see Ranked.cost)
        crit = r.option.criteria
        cells = {cid: ({"score": round(r.cost_value, 4), "origin": mode.cost_origin} if cid == "cost" else
                       {"score": round(crit[cid].score, 4), "origin": crit[cid].origin}) for cid in CRITERION_IDS}
    return {
        "rank": rank, "detailed": detailed, "model": r.model, "name": r.cand.name, "openness": r.cand.openness,
        "side": side_of(r.cand.openness), "score": round(r.total, 4), "mode": mode.kind, "monthly_usd": round(r.monthly, 2),
        "monthly_origin": mode.cost_origin, "measured": r.cand.measurement is not None, "in_catalog": r.cand.entry is not None,
        "lifecycle": {"status": status, "shutdown_date": shutdown},
        "criteria": cells,
        "notes": [_note(n, True, texts) for n in r.cand.notes],
        "tied_with": [],
    }


def _mark_ties(rows: list[dict[str, Any]], ranked: list[Ranked]) -> None:
    """Fill ``tied_with`` among the first ``DETAIL_ROWS`` rows (priors within the benchmarks' noise)."""
    head = list(zip(rows[:DETAIL_ROWS], ranked[:DETAIL_ROWS]))
    for i, (row, r) in enumerate(head):
        for other, o in head[i + 1:]:
            if within_noise(r.option.criteria["performance"], o.option.criteria["performance"]):
                row["tied_with"].append(o.model)
                other["tied_with"].append(r.model)


def _weights(f: Findings) -> dict[str, WeightInfo]:
    o = f.outcome
    total = math.fsum(o.w.values()) or 1.0
    out = {}
    for cid in CRITERION_IDS:
        w = o.weights[cid]
        out[cid] = WeightInfo(weight=round(o.w[cid] / total, 4), raw=o.w[cid], origin="profile", basis=WEIGHT_BASIS[w.origin],
                              reason=both(partial(t, w.why)))
    return out


def _profile(f: Findings) -> ProfileInfo:
    p = f.profile
    v = p.volume
    return ProfileInfo(
        name=p.name, description=p.description, use_case=p.use_case, requests_per_month=v.requests_per_month,
        input_tokens_per_request=v.input_tokens_per_request, output_tokens_per_request=v.output_tokens_per_request,
        data_sensitivity=p.data_sensitivity, data_may_go=p.data_may_go, deployment=p.deployment, team_skill=p.team_skill,
        min_openness=p.min_openness, budget_usd_per_month=p.budget_usd_per_month, languages=list(p.languages),
    )


def _tco(f: Findings, detailed: set[str]) -> dict[str, Any]:
    """Cost of ownership: components for the detailed models; the others carry their total, its
    origin and the cost of every allowed mode (as ``Findings.tco`` holds them)."""
    out = f.outcome
    requests = f.profile.volume.requests_per_month
    models = [model_row(r, out, requests) if m["model"] in detailed else {**m, "detailed": False}
              for r, m in zip(out.ranked, f.tco["models"])]
    be = f.tco.get("break_even")
    return {**f.tco, "models": models, "break_even": None if be is None else _break_even(be)}


def _break_even(be: dict[str, Any]) -> dict[str, Any]:
    return {**be, "text": both(lambda lang: break_even_text(be, lang))}


def _sensitivity(f: Findings) -> dict[str, Any]:
    names = f.outcome.names()
    return {**f.sensitivity, "lines": {lang: sensitivity_lines(f.sensitivity, names, lang) for lang in ("en", "id")}}


def _changes(f: Findings) -> list[dict[str, Any]]:
    names = f.outcome.names()
    return [{**item, "text": both(partial(change_text, item, names))} for item in f.what_would_change]


def _evidence(f: Findings) -> EvidenceInfo:
    names = f.outcome.names()
    return EvidenceInfo(**f.evidence, text=both(lambda lang: evidence_text(f.evidence, names, lang, f.profile.name)))


def _run(run: dict[str, Any] | None) -> RunInfo | None:
    if run is None:
        return None
    return RunInfo(**run, text=both(lambda lang: run_text(run, lang)))


def build_document(f: Findings, top_models: list[str], lang: str) -> Decision:
    """The decision document of one recommendation (validated once, as a whole)."""
    skill = f.profile.team_skill
    blocks = explanations(f)
    detailed = _detailed(f)
    texts: dict[tuple[Any, ...], dict[str, str]] = {}
    rows = [_row(i, r, skill, r.model in detailed, texts) for i, r in enumerate(f.outcome.ranked, 1)]
    _mark_ties(rows, f.outcome.ranked)
    return Decision.model_validate({
        "schema": SCHEMA,
        "profile": _profile(f),
        "lang": lang,
        "verdict": f.verdict,
        "verdict_text": both(lambda lg: verdict_label(f.verdict, lg)),
        "evidence": _evidence(f),
        "run": _run(f.run),
        "catalog_age": f.catalog_age,
        "top_models": top_models,
        "ranking": rows,
        "excluded": [{"model": c.model, "name": c.name, "openness": c.openness, "reasons": [_note(r, False, texts) for r in reasons]}
                     for c, reasons in f.outcome.excluded],
        "weights": _weights(f),
        "tco": _tco(f, detailed),
        "hybrid": f.hybrid,
        "sensitivity": _sensitivity(f),
        "what_would_change": _changes(f),
        "explanation": {"en": blocks["en"], "id": blocks["id"]},
        "measured": f.measured,
    })
