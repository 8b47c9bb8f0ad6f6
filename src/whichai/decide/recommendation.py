"""From a profile, the catalog and (optionally) measurements to an explained recommendation.

Pipeline (docs/method.md): hard constraints → deployment modes and their cost → criterion scores →
weighted ranking → verdict (and a hybrid plan when part of the traffic is sensitive) → total cost
of ownership and break-even → sensitivity → what would change the verdict → explanation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from whichai.criteria import CRITERION_IDS
from whichai.decide.constraints import Candidate, Reason, build_candidates
from whichai.decide.profile import Profile
from whichai.decide.scoring import Prepared, Ranked, Weight, derive_weights, evaluate, prepare, verdict_of
from whichai.decide.sensitivity import param_sensitivity, weight_sensitivity
from whichai.decide.tco import break_even

DETAIL_TOP = 10  # models whose criterion evidence is included in the JSON


@dataclass
class Outcome:
    profile: Profile
    candidates: list[Candidate]
    weights: dict[str, Weight]
    w: dict[str, float]
    prepared: list[Prepared]
    ranked: list[Ranked]
    excluded: list[tuple[Candidate, list[Reason]]]

    @property
    def verdict(self) -> str | None:
        return verdict_of(self.ranked)

    @property
    def winner(self) -> Ranked | None:
        return self.ranked[0] if self.ranked else None


class _Obj:
    """Attribute access over a plain mapping (a fact, a source, a price, a criterion score)."""

    def __init__(self, data: dict[str, Any]) -> None:
        for key, value in data.items():
            setattr(self, key, _Obj(value) if isinstance(value, dict) else value)

    def __getattr__(self, name: str) -> Any:  # only for fields the mapping lacks
        if name.startswith("__"):
            raise AttributeError(name)
        return None


_ENTRY_FIELDS: dict[str, Any] = {
    "id": None, "name": None, "provider": None, "family": None, "openness": "closed", "license": None,
    "license_restricts_use": None, "commercial_use": None, "weights_downloadable": None, "api_available": False,
    "params_b": None, "active_params_b": None, "context_length": None, "release_date": None,
}


class RawEntry:
    """A catalog entry read straight from the catalog's (already validated) document, with the
    attribute access of :class:`whichai.catalog.schema.ModelEntry`. Validating 1,000 entries with
    pydantic costs more than the whole ranking, so decide reads the document; facts, criteria and
    the price become objects on first use."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self._raw = raw
        for key, default in _ENTRY_FIELDS.items():
            setattr(self, key, raw.get(key, default))
        self.aliases = raw.get("aliases") or []
        self.languages = raw.get("languages") or []

    @property
    def facts(self) -> _LazyMap:
        value = self.__dict__.get("_facts")
        if value is None:
            value = self.__dict__["_facts"] = _LazyMap(self._raw.get("facts") or {})
        return value

    @property
    def criteria(self) -> _LazyMap:
        value = self.__dict__.get("_criteria")
        if value is None:
            value = self.__dict__["_criteria"] = _LazyMap(self._raw.get("criteria") or {})
        return value

    @property
    def price_usd_per_mtok(self) -> Any:
        if "_price" not in self.__dict__:
            price = self._raw.get("price_usd_per_mtok")
            self.__dict__["_price"] = _Obj(price) if price else None
        return self.__dict__["_price"]


class _LazyMap:
    """A read-only mapping whose values become :class:`_Obj` when first read."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self._raw = raw
        self._done: dict[str, Any] = {}

    def get(self, key: str, default: Any = None) -> Any:
        if key in self._done:
            return self._done[key]
        value = self._raw.get(key)
        if value is None:
            return default
        obj = self._done[key] = _Obj(value) if isinstance(value, dict) else value
        return obj

    def __contains__(self, key: str) -> bool:
        return key in self._raw

    def __bool__(self) -> bool:
        return bool(self._raw)

    def keys(self):
        return self._raw.keys()

    def items(self):
        return [(k, self.get(k)) for k in self._raw]


class _CatalogView:
    """Entries and id/alias resolution over whatever catalog object is passed."""

    def __init__(self, catalog: Any) -> None:
        raw = getattr(catalog, "raw", None)
        if isinstance(raw, list) and raw and isinstance(raw[0], dict):
            entries: list[Any] = [RawEntry(e) for e in raw]
        elif catalog is None:
            entries = []
        elif hasattr(catalog, "entries"):
            entries = list(catalog.entries)
        else:
            entries = list(catalog)
        self.catalog = catalog
        self.entries = sorted(entries, key=lambda e: e.id)
        self.cache: dict[str, Any] = {}  # entry-only criterion scores, shared by every re-run
        self.memo: dict[tuple, Any] = {}  # deployment modes and their cost, by model and what they depend on
        self.index: dict[str, Any] = {}
        for e in self.entries:
            for alias in e.aliases or []:
                self.index.setdefault(alias.lower(), e)
        for e in self.entries:
            self.index[e.id.lower()] = e

    def resolve(self, model_id: str) -> Any:
        return self.index.get(str(model_id).strip().lower())


def run_outcome(profile: Profile, view: _CatalogView, measurements: list[dict] | None, only: list[str] | None = None) -> Outcome:
    cands = build_candidates(profile, view.entries, measurements, view.resolve, view.memo)
    if only:
        wanted = set(only)
        cands = [c for c in cands if c.model in wanted or (c.measurement and c.measurement.get("model") in wanted)]
    weights = derive_weights(profile)
    w = {cid: weights[cid].raw for cid in CRITERION_IDS}
    prepared = prepare(cands, profile, w, view.cache)
    ranked, excluded = evaluate(prepared, profile, w)
    return Outcome(profile, cands, weights, w, prepared, ranked, excluded)


# hybrid -------------------------------------------------------------------------------------------------


def _scaled(profile: Profile, share: float, **changes: Any) -> Profile:
    volume = profile.volume.model_copy(update={"requests_per_month": profile.volume.requests_per_month * share})
    budget = None if profile.budget_usd_per_month is None else profile.budget_usd_per_month * share
    return profile.model_copy(update={"volume": volume, "budget_usd_per_month": budget, "sensitive_share": 1.0, **changes})


def hybrid_plan(profile: Profile, view: _CatalogView, measurements: list[dict] | None, only: list[str] | None) -> dict[str, Any] | None:
    share = profile.sensitive_share
    restricted = profile.data_may_go != "anywhere" or profile.data_sensitivity in ("confidential", "regulated")
    if not (0.0 < share < 1.0) or not restricted:
        return None
    sens = run_outcome(_scaled(profile, share), view, measurements, only)
    rest = run_outcome(_scaled(profile, 1.0 - share, data_sensitivity="internal", data_may_go="anywhere"), view, measurements, only)
    if not sens.ranked or not rest.ranked:
        return None
    a, b = sens.ranked[0], rest.ranked[0]
    va, vb = sens.verdict, rest.verdict
    return {
        "applies": va is not None and vb is not None and ((va == "closed") != (vb == "closed")),
        "sensitive": {"model": a.model, "name": a.cand.name, "openness": a.cand.openness, "mode": a.option.mode.kind,
                      "share": share, "monthly_usd": round(a.monthly, 2), "score": round(a.total, 4)},
        "rest": {"model": b.model, "name": b.cand.name, "openness": b.cand.openness, "mode": b.option.mode.kind,
                 "share": round(1.0 - share, 4), "monthly_usd": round(b.monthly, 2), "score": round(b.total, 4)},
        "monthly_usd": round(a.monthly + b.monthly, 2),
        "origin": "estimate",
    }


# cost of ownership ------------------------------------------------------------------------------------


def _mode_json(mode: Any, requests: float) -> dict[str, Any]:
    out: dict[str, Any] = {
        "mode": mode.kind,
        "monthly_usd": round(mode.monthly(requests), 2),
        "fixed_usd": round(mode.fixed_usd, 2),
        "origin": mode.cost_origin,
        "components": [c.to_json() for c in mode.components],
    }
    if mode.seconds_per_request is not None:
        out["seconds_per_request"] = round(mode.seconds_per_request, 4)
        out["hours_needed"] = round(mode.hours_needed(requests) or 0.0, 2)
        out["throughput_origin"] = mode.throughput_origin
        out["throughput_detail"] = mode.throughput_detail
    if math.isfinite(mode.capacity_requests):
        out["capacity_requests_per_month"] = round(mode.capacity_requests)
    if mode.kind == "api":
        out["usd_per_request"] = round(mode.api_per_request, 8)
    return out


CURVE_FACTORS = tuple(10 ** (k / 4) for k in range(-8, 9))  # 1/100 × … 100 × the profile's volume
CURVE_MODELS = 5


def _options(out: Outcome, r: Ranked) -> list[Any]:
    return next(p for p in out.prepared if p.cand is r.cand).options


def _curve(r: Ranked, mode: Any, requests: float) -> dict[str, Any]:
    points = []
    for f in CURVE_FACTORS:
        v = requests * f
        if v <= mode.capacity_requests:
            points.append([round(v, 2), round(mode.monthly(v), 2)])
    return {"model": r.model, "name": r.cand.name, "openness": r.cand.openness, "kind": mode.kind, "points": points}


def tco_summary(out: Outcome) -> dict[str, Any]:
    requests = out.profile.volume.requests_per_month
    models: list[dict[str, Any]] = []
    for i, r in enumerate(out.ranked):
        row = {"model": r.model, "name": r.cand.name, "openness": r.cand.openness, "kind": r.option.mode.kind}
        if i < DETAIL_TOP:  # cost components of the top models; the others carry their total and its origin
            row.update(_mode_json(r.option.mode, requests))
            row["alternatives"] = {o.mode.kind: round(o.mode.monthly(requests), 2) for o in _options(out, r)}
        else:
            row.update({"mode": r.option.mode.kind, "monthly_usd": round(r.monthly, 2), "origin": r.option.mode.cost_origin})
        models.append(row)
    api_pick = self_pick = None
    for r in out.ranked:
        options = _options(out, r)
        if api_pick is None:
            api = [o for o in options if o.mode.kind == "api"]
            if api:
                api_pick = (r, api[0])
        if self_pick is None:
            hosted = [o for o in options if o.mode.kind in ("owned", "rented") and requests <= o.mode.capacity_requests]
            hosted = hosted or [o for o in options if o.mode.kind in ("owned", "rented")]
            if hosted:
                self_pick = (r, min(hosted, key=lambda o: (o.mode.monthly(requests), o.mode.kind)))
        if api_pick and self_pick:
            break
    curves = [_curve(r, r.option.mode, requests) for r in out.ranked[:CURVE_MODELS]]
    be: dict[str, Any] | None = None
    if api_pick and self_pick:
        for r, opt in (api_pick, self_pick):
            if not any(c["model"] == r.model and c["kind"] == opt.mode.kind for c in curves):
                curves.append(_curve(r, opt.mode, requests))
        found = break_even(api_pick[1].mode, self_pick[1].mode)
        be = {
            "api_model": api_pick[0].model,
            "api_name": api_pick[0].cand.name,
            "self_hosted_model": self_pick[0].model,
            "self_hosted_name": self_pick[0].cand.name,
            "self_hosted_mode": self_pick[1].mode.kind,
            "kind": found["kind"],  # above | always | never
            "requests_per_month": None if found["requests_per_month"] is None else round(found["requests_per_month"]),
            "current_requests_per_month": requests,
            "origin": "estimate",
        }
        if be["requests_per_month"] is not None:
            v = out.profile.volume
            be["tokens_per_month"] = round(be["requests_per_month"] * (v.input_tokens_per_request + v.output_tokens_per_request))
            be["monthly_usd"] = round(api_pick[1].mode.monthly(be["requests_per_month"]), 2)
    return {
        "volume": out.profile.volume.model_dump(),
        "requests_per_month": requests,
        "currency": "USD",
        "period": "month",
        "models": models,
        "curves": curves,
        "break_even": be,
    }


# what would change --------------------------------------------------------------------------------------

_TOGGLES: list[tuple[str, Any, Any]] = [
    ("data_anywhere", lambda p: p.data_may_go != "anywhere", lambda p: {"data_may_go": "anywhere"}),
    ("data_zero_retention", lambda p: p.data_may_go == "nowhere" and p.deployment == "cloud", lambda p: {"data_may_go": "zero-retention-vendor"}),
    ("data_stays", lambda p: p.data_may_go != "nowhere", lambda p: {"data_may_go": "nowhere"}),
    ("deployment_cloud", lambda p: p.deployment != "cloud", lambda p: {"deployment": "cloud", "data_may_go": "anywhere"}),
    ("team_strong", lambda p: p.team_skill != "strong", lambda p: {"team_skill": "strong"}),
    ("team_none", lambda p: p.team_skill != "none", lambda p: {"team_skill": "none"}),
    ("no_sla", lambda p: p.support == "sla-required", lambda p: {"support": "helpful"}),
    ("sla_required", lambda p: p.support != "sla-required", lambda p: {"support": "sla-required"}),
    ("no_min_openness", lambda p: p.min_openness != "closed", lambda p: {"min_openness": "closed"}),
    ("min_open_source", lambda p: p.min_openness != "open-source", lambda p: {"min_openness": "open-source"}),
    ("no_budget", lambda p: p.budget_usd_per_month is not None, lambda p: {"budget_usd_per_month": None}),
    ("customise_must", lambda p: p.customise != "must", lambda p: {"customise": "must"}),
    ("customise_relaxed", lambda p: p.customise == "must", lambda p: {"customise": "nice"}),
]
TOGGLE_SIZE = 1.0  # a change of kind counts like a factor of e in volume or price when ordering


def what_would_change(
    out: Outcome, sens: dict[str, Any], view: _CatalogView, measurements: list[dict] | None, only: list[str] | None
) -> list[dict[str, Any]]:
    base_verdict, base_winner = out.verdict, (out.winner.model if out.winner else None)
    items: list[dict[str, Any]] = []
    for ws in sens["weights"]:
        for direction in ("above", "below"):
            for flips, key in (("verdict", f"verdict_{direction}"), ("winner", direction)):
                hit = ws.get(key)
                if not hit:
                    continue
                factor = hit.get("factor")
                size = abs(math.log(factor)) if factor else 1.5
                if factor == 0:
                    size = 1.5
                items.append({
                    "kind": "weight", "criterion": ws["criterion"], "direction": "up" if direction == "above" else "down",
                    "from": ws["weight"], "to": hit["weight"], "winner": hit["winner"],
                    "verdict": hit.get("verdict") or _openness(out, hit["winner"]), "flips": flips, "size": round(size, 4),
                })
    for param in ("volume", "api_prices", "gpu_price"):
        block = sens.get(param)
        if not block:
            continue
        for direction in ("up", "down"):
            for flips in ("verdict", "winner"):
                hit = block[direction].get(flips)
                if not hit:
                    continue
                item = {"kind": param, "direction": direction, "factor": hit["factor"], "winner": hit["winner"],
                        "verdict": hit["verdict"], "flips": flips, "size": round(abs(math.log(hit["factor"])), 4)}
                if param == "volume":
                    item["requests_per_month"] = round(out.profile.volume.requests_per_month * hit["factor"])
                items.append(item)
    decisive = {(i["kind"], i.get("criterion")) for i in items if i["flips"] == "verdict" and i["verdict"] is not None and i["size"] < TOGGLE_SIZE}
    toggles = _TOGGLES if len(decisive) < 3 else []  # three smaller changes already flip it: skip the re-runs
    for key, applies, change in toggles:
        if not applies(out.profile):
            continue
        alt = run_outcome(out.profile.model_copy(update=change(out.profile)), view, measurements, only)
        winner = alt.winner.model if alt.winner else None
        if alt.verdict != base_verdict:
            items.append({"kind": "profile", "change": key, "winner": winner, "verdict": alt.verdict, "flips": "verdict", "size": TOGGLE_SIZE})
        elif winner != base_winner:
            items.append({"kind": "profile", "change": key, "winner": winner, "verdict": alt.verdict, "flips": "winner", "size": TOGGLE_SIZE})
    other = [i for i in items if i["flips"] == "verdict" and i["verdict"] is not None]
    winner = [i for i in items if i["flips"] == "winner"]
    nothing = [i for i in items if i["flips"] == "verdict" and i["verdict"] is None]
    chosen = other or winner or nothing
    chosen.sort(key=lambda i: (i["size"], i["kind"], str(i.get("criterion") or i.get("change") or ""), i.get("direction", "")))
    seen: set[tuple] = set()
    result = []
    for item in chosen:
        ident = (item["kind"], item.get("criterion"), item.get("change"))
        if ident in seen:
            continue
        seen.add(ident)
        result.append(item)
        if len(result) == 3:
            break
    return result


def _openness(out: Outcome, model: str | None) -> str | None:
    for c in out.candidates:
        if c.model == model:
            return c.openness
    return None


# the recommendation -------------------------------------------------------------------------------------


@dataclass
class Recommendation:
    profile: Profile
    outcome: Outcome
    verdict: str | None
    hybrid: dict[str, Any] | None
    tco: dict[str, Any]
    sensitivity: dict[str, Any]
    what_would_change: list[dict[str, Any]]
    measured: bool
    lang: str = "en"
    notes: list[dict[str, Any]] = field(default_factory=list)
    explanation: str = ""

    @property
    def ranked(self) -> list[Ranked]:
        return self.outcome.ranked

    @property
    def excluded(self) -> list[tuple[Candidate, list[Reason]]]:
        return self.outcome.excluded

    def top_models(self) -> list[str]:
        if self.verdict == "hybrid" and self.hybrid:
            return [self.hybrid["sensitive"]["model"], self.hybrid["rest"]["model"]]
        return [r.model for r in self.ranked[:3]]

    def explain(self, lang: str | None = None) -> str:
        from whichai.decide.explain import explanation

        return explanation(self, lang or self.lang)

    def to_json(self, lang: str | None = None) -> dict[str, Any]:
        from whichai.decide.explain import reason_text, sensitivity_lines, wwc_text

        lang = lang or self.lang
        o = self.outcome
        total_w = math.fsum(o.w.values())
        ranking = []
        for i, r in enumerate(o.ranked):
            crit = r.criteria()
            item: dict[str, Any] = {
                "rank": i + 1,
                "model": r.model,
                "name": r.cand.name,
                "openness": r.cand.openness,
                "score": round(r.total, 4),
                "mode": r.option.mode.kind,
                "monthly_usd": round(r.monthly, 2),
                "measured": r.cand.measurement is not None,
                "in_catalog": r.cand.entry is not None,
                "criteria": {cid: round(crit[cid].score, 4) for cid in CRITERION_IDS},
                "criteria_origin": {cid: crit[cid].origin for cid in CRITERION_IDS},
            }
            if i < DETAIL_TOP:
                item["evidence"] = {cid: crit[cid].evidence for cid in CRITERION_IDS}
            if r.cand.notes:
                item["notes"] = [reason_text(n, lang, note=True) for n in r.cand.notes]
            ranking.append(item)
        return {
            "profile": self.profile.name,
            "lang": lang,
            "verdict": self.verdict,
            "top_models": self.top_models(),
            "ranking": ranking,
            "excluded": [
                {"model": c.model, "name": c.name, "openness": c.openness,
                 "reasons": [reason_text(r, lang) for r in reasons], "codes": [r.to_json() for r in reasons]}
                for c, reasons in o.excluded
            ],
            "weights": {
                cid: {"weight": round(o.w[cid] / total_w, 4), "raw": o.w[cid], "origin": o.weights[cid].origin}
                for cid in CRITERION_IDS
            },
            "tco": self.tco,
            "hybrid": self.hybrid,
            "sensitivity": {**self.sensitivity, "lines": sensitivity_lines(self, lang)},
            "what_would_change": [{**item, "text": wwc_text(item, self, lang)} for item in self.what_would_change],
            "measured": self.measured,
            "explanation": self.explanation if (lang == self.lang and self.explanation) else self.explain(lang),
        }


def recommend(
    profile: Profile,
    catalog: Any,
    measurements: list[dict] | None = None,
    lang: str = "en",
    only: list[str] | None = None,
) -> Recommendation:
    """The recommendation for ``profile`` over ``catalog`` (a Catalog, or a list of ModelEntry).

    ``measurements``: the per-model summaries of a run (``whichai run --json``'s ``models``).
    ``only``: restrict the candidates to these model ids.
    """
    import gc

    gc_was_enabled = gc.isenabled()
    gc.disable()  # thousands of short-lived objects and no cycles: collection pauses only cost time
    try:
        return _recommend(profile, catalog, measurements, lang, only)
    finally:
        if gc_was_enabled:
            gc.enable()


def _recommend(profile: Profile, catalog: Any, measurements: list[dict] | None, lang: str, only: list[str] | None) -> Recommendation:
    view = _CatalogView(catalog)
    out = run_outcome(profile, view, measurements, only)
    verdict = out.verdict
    hybrid = hybrid_plan(profile, view, measurements, only)
    if hybrid and hybrid["applies"]:
        verdict = "hybrid"
    sens = {"weights": weight_sensitivity(out.ranked, out.w)}
    sens.update(param_sensitivity(out.prepared, profile, out.w, out.ranked))
    sens["winner"] = out.winner.model if out.winner else None
    wwc = what_would_change(out, sens, view, measurements, only)
    rec = Recommendation(
        profile=profile,
        outcome=out,
        verdict=verdict,
        hybrid=hybrid,
        tco=tco_summary(out),
        sensitivity=sens,
        what_would_change=wwc,
        measured=bool(measurements),
        lang=lang,
    )
    rec.explanation = rec.explain(lang)
    return rec
