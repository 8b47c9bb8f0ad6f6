"""Scores on the ten criteria, weights from the profile, and the ranking.

Each criterion score is a number in [0, 1] with its origin (``catalog``, ``measured``, ``profile``,
``estimate``, or ``unknown`` = the neutral 0.5) and its evidence. A model's total is the weighted
mean of its scores. Everything here is a pure function of its inputs: same inputs, same ranking
(ties are broken by model id).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from whichai.criteria import CRITERION_IDS
from whichai.decide.constraints import Candidate, Reason, _truthy, fact_evidence, fact_value
from whichai.decide.profile import HOURS_PER_MONTH, Profile
from whichai.decide.tco import Mode

UNKNOWN = 0.5
MODE_PREFERENCE = {"owned": 0, "api": 1, "rented": 2}  # tie-break between equally cheap modes
EASE_BY_SKILL = {"none": 0.15, "some": 0.5, "strong": 0.8}
EASE_API = 0.9
SECURITY_OWNED = 1.0
SECURITY_RENTED = 0.75


@dataclass
class Score:
    score: float
    origin: str  # catalog | measured | profile | estimate | unknown
    evidence: list[str] = field(default_factory=list)
    note: str = ""  # i18n key (``why.*``) or, for catalog scores, the catalog's own reason (English)
    params: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"score": round(self.score, 4), "origin": self.origin, "evidence": self.evidence}


def _catalog(entry: Any, cid: str) -> Score | None:
    if entry is None:
        return None
    cs = (getattr(entry, "criteria", None) or {}).get(cid)
    if cs is None:
        return None
    return Score(float(cs.score), "catalog", list(cs.evidence), note=f"catalog:{cs.reason}")


def _part(value: bool | None) -> float:
    return UNKNOWN if value is None else (1.0 if value else 0.0)


def accessibility(cand: Candidate, profile: Profile) -> Score:
    """Can *you* get at it: weights to download, an API you may use, fits your hardware, licence."""
    e = cand.entry
    api_usable = any(m.kind == "api" for m in cand.modes)
    if e is not None:
        downloadable = e.weights_downloadable
        unrestricted = None if e.license_restricts_use is None else not e.license_restricts_use
        if profile.commercial and e.commercial_use is False:
            unrestricted = False
        origin = "catalog"
    else:
        downloadable, unrestricted, origin = cand.model.startswith("local/"), None, "estimate"
    score = 0.35 * _part(downloadable) + 0.25 * float(api_usable) + 0.25 * _part(cand.fits_owned) + 0.15 * _part(unrestricted)

    def yn(value: bool | None) -> str:
        return "unknown" if value is None else ("yes" if value else "no")

    licence = f" ({e.license})" if e is not None and e.license else ""
    evidence = [
        f"weights downloadable: {yn(downloadable)}; API you may use: {yn(api_usable)}; fits your hardware: {yn(cand.fits_owned)}; "
        f"licence without use restrictions: {yn(unrestricted)}{licence}"
    ]
    return Score(score, origin, evidence, note="why.accessibility")


def customization(cand: Candidate) -> Score:
    found = _catalog(cand.entry, "customization")
    if found:
        return found
    ft = _truthy(fact_value(cand.entry, "fine_tuning"))
    downloadable = cand.entry.weights_downloadable if cand.entry is not None else cand.model.startswith("local/")
    if downloadable:
        return Score(0.9, "catalog", ["weights_downloadable=True"], note="why.customization_weights")
    if ft is True:
        return Score(0.6, "catalog", [fact_evidence(cand.entry, "fine_tuning")], note="why.customization_api")
    if ft is False:
        return Score(0.1, "catalog", [fact_evidence(cand.entry, "fine_tuning")], note="why.customization_none")
    return Score(UNKNOWN, "unknown", ["fine_tuning=unknown"], note="why.unknown")


def transparency(cand: Candidate) -> Score:
    found = _catalog(cand.entry, "transparency")
    if found:
        return found
    value = {"open-source": 0.9, "open-weights": 0.5, "closed": 0.1}.get(cand.openness)
    if value is None:
        return Score(UNKNOWN, "unknown", ["openness=unknown"], note="why.unknown")
    origin = "catalog" if cand.openness_origin == "catalog" else "estimate"
    return Score(value, origin, [f"openness={cand.openness} ({cand.openness_origin})"], note="why.openness")


def collaboration(cand: Candidate) -> Score:
    found = _catalog(cand.entry, "collaboration")
    if found:
        return found
    restricts = cand.entry.license_restricts_use if cand.entry is not None else None
    value = {"open-source": 0.9, "open-weights": 0.4 if restricts else 0.6, "closed": 0.1}.get(cand.openness)
    if value is None:
        return Score(UNKNOWN, "unknown", ["openness=unknown"], note="why.unknown")
    origin = "catalog" if cand.openness_origin == "catalog" else "estimate"
    return Score(value, origin, [f"openness={cand.openness}", f"license_restricts_use={restricts}"], note="why.openness")


def updates(cand: Candidate) -> Score:
    found = _catalog(cand.entry, "updates")
    if found:
        return found
    dep = fact_value(cand.entry, "deprecation")
    if dep is not None:
        return Score(0.4, "catalog", [fact_evidence(cand.entry, "deprecation")], note="why.deprecation")
    return Score(UNKNOWN, "unknown", ["release cadence unknown"], note="why.unknown")


def support(cand: Candidate) -> Score:
    found = _catalog(cand.entry, "support")
    if found:
        return found
    sla = _truthy(fact_value(cand.entry, "sla"))
    sup = _truthy(fact_value(cand.entry, "support"))
    evidence = [fact_evidence(cand.entry, "sla"), fact_evidence(cand.entry, "support")]
    if sla:
        return Score(0.9, "catalog", evidence, note="why.support_sla")
    if sup:
        return Score(0.7, "catalog", evidence, note="why.support_vendor")
    if sup is False or cand.openness in ("open-source", "open-weights"):
        return Score(0.3, "estimate", evidence, note="why.support_community")
    return Score(UNKNOWN, "unknown", evidence, note="why.unknown")


def performance(cand: Candidate, profile: Profile) -> Score:
    m = cand.measurement
    if m is not None and m.get("pass_rate") is not None:
        rate = float(m["pass_rate"])
        evidence = [f"pass_rate={rate:.3f} over {m.get('cases', '?')} cases (measured)"]
        ci = m.get("pass_rate_ci95")
        if ci:
            evidence[0] += f", 95% CI {ci[0]:.2f}-{ci[1]:.2f}"
        factor = 1.0
        p95 = m.get("latency_p95_s")
        if profile.latency_target_s and p95:
            factor = min(1.0, profile.latency_target_s / float(p95))
            evidence.append(f"latency_p95={float(p95):.2f}s vs target {profile.latency_target_s:g}s (measured)")
        return Score(rate * factor, "measured", evidence, note="why.measured", params={"rate": rate})
    found = performance_prior(cand)
    langs = list(getattr(cand.entry, "languages", None) or [])
    if profile.languages and langs:
        covered = sum(1 for lang in profile.languages if lang in langs)
        coverage = covered / len(profile.languages)
        if coverage < 1:
            found = Score(
                found.score * (0.5 + 0.5 * coverage),
                found.origin,
                found.evidence + [f"languages={','.join(langs)}; you need {','.join(profile.languages)} (catalog)"],
                note=found.note,
            )
    return found


def entry_scores(cand: Candidate) -> dict[str, Score]:
    """Criterion scores that depend on the model alone (not on the profile)."""
    return {
        "customization": customization(cand),
        "transparency": transparency(cand),
        "collaboration": collaboration(cand),
        "updates": updates(cand),
        "support": support(cand),
    }


PRIOR_UNKNOWN = 0.3  # neither size nor price known: below most priors, so the unknown is not rewarded


def performance_prior(cand: Candidate) -> Score:
    """Until a model is measured on the user's task: a prior from catalog facts, labelled ``estimate``.

    Open models by effective size (MoE: geometric mean of total and active parameters):
    0.2 + 0.15·log10(B), within [0.05, 0.7] (1 B → 0.20, 8 B → 0.34, 70 B → 0.48, 405 B → 0.59).
    Closed models by blended API price p = (3·input + output)/4 USD/Mtok, a proxy for the tier:
    0.45 + 0.08·log10(p), within [0.3, 0.6]. Neither known: 0.3.
    """
    e = cand.entry
    params = getattr(e, "params_b", None) if e is not None else None
    if params:
        active = getattr(e, "active_params_b", None)
        eff = math.sqrt(params * active) if active and active < params else params
        score = min(0.7, max(0.05, 0.2 + 0.15 * math.log10(eff)))
        return Score(score, "estimate", [f"prior from {eff:g} B effective parameters (catalog); not measured on your task"], note="why.prior_size")
    price = getattr(e, "price_usd_per_mtok", None) if e is not None else None
    if price is not None and cand.openness == "closed":
        blended = (3 * price.input + price.output) / 4
        if blended > 0:
            score = min(0.6, max(0.3, 0.45 + 0.08 * math.log10(blended)))
            return Score(score, "estimate", [f"prior from the API price tier, ${blended:.2f}/Mtok blended (catalog); not measured"], note="why.prior_price")
    return Score(PRIOR_UNKNOWN, "unknown", ["size and price unknown; not measured on your task"], note="why.prior_unknown")


def base_scores(cand: Candidate, profile: Profile, cache: dict[str, Any] | None = None) -> dict[str, Score]:
    """Criterion scores that do not depend on the deployment mode (nor on cost)."""
    if cache is None or cand.entry is None:
        fixed = entry_scores(cand)
    else:
        fixed = cache.get(cand.model)
        if fixed is None:
            fixed = cache[cand.model] = entry_scores(cand)
    return {"accessibility": accessibility(cand, profile), **fixed, "performance": performance(cand, profile)}


def api_security(cand: Candidate) -> Score:
    """Security of sending prompts to the model's API (the vendor's terms, when the vendor is known)."""
    e = cand.entry
    if cand.openness != "closed":
        # an open model behind a third-party host: the catalog's facts describe self-hosting, not that host
        return Score(0.4, "estimate", ["third-party API host; its data terms are not in the catalog"], note="why.security_third_party")
    found = _catalog(e, "security")
    if found:
        return found
    names = ("trains_on_api_data", "zero_retention_available", "certifications", "data_retention")
    if any(fact_value(e, n) is not None for n in names):
        trains = _truthy(fact_value(e, "trains_on_api_data"))
        zero = _truthy(fact_value(e, "zero_retention_available"))
        certs = _truthy(fact_value(e, "certifications"))
        score = 0.3 + 0.25 * _part(None if trains is None else not trains) + 0.25 * _part(zero) + 0.2 * _part(certs)
        return Score(score, "catalog", [fact_evidence(e, n) for n in names], note="why.security_api")
    return Score(UNKNOWN, "unknown", ["data handling of the API unknown"], note="why.unknown")


def mode_scores(cand: Candidate, mode: Mode, profile: Profile) -> dict[str, Score]:
    if mode.kind == "owned":
        security = Score(SECURITY_OWNED, "profile", ["runs on your hardware"], note="why.security_owned")
        ease = Score(EASE_BY_SKILL[profile.team_skill], "profile", [f"team_skill={profile.team_skill}"], note="why.ease_self")
    elif mode.kind == "rented":
        security = Score(SECURITY_RENTED, "estimate", ["your own rented GPU server"], note="why.security_rented")
        ease = Score(EASE_BY_SKILL[profile.team_skill], "profile", [f"team_skill={profile.team_skill}"], note="why.ease_self")
    else:
        security = api_security(cand)
        ease = Score(EASE_API, "estimate", ["managed API: nothing to operate"], note="why.ease_api")
    return {"security": security, "ease_of_use": ease}


def cost_reference(profile: Profile) -> float:
    return profile.budget_usd_per_month if profile.budget_usd_per_month else profile.cost_reference_usd


def cost_score(monthly: float, reference: float) -> float:
    return 1.0 / (1.0 + max(monthly, 0.0) / reference)


# weights ---------------------------------------------------------------------------------------------


@dataclass
class Weight:
    raw: float
    origin: str  # profile (given) | derived (from the answers) | default
    why: str  # i18n key


def derive_weights(profile: Profile) -> dict[str, Weight]:
    """Raw weights: given in the profile, else derived from its answers (rules in docs/method.md)."""
    w: dict[str, Weight] = {cid: Weight(1.0, "default", "weight.default") for cid in CRITERION_IDS}
    w["collaboration"] = Weight(0.5, "default", "weight.collaboration_default")
    w["performance"] = Weight(2.0, "default", "weight.performance_default")
    if profile.min_quality is not None or profile.latency_target_s is not None:
        w["performance"] = Weight(3.0, "derived", "weight.performance_bar")
    sens = {"public": 0.5, "internal": 1.0, "confidential": 2.0, "regulated": 3.0}[profile.data_sensitivity]
    w["security"] = Weight(sens, "derived", f"weight.security_{profile.data_sensitivity}")
    w["support"] = Weight({"none": 0.5, "helpful": 1.0, "sla-required": 3.0}[profile.support], "derived", f"weight.support_{profile.support}")
    w["ease_of_use"] = Weight({"none": 3.0, "some": 1.5, "strong": 0.75}[profile.team_skill], "derived", f"weight.ease_{profile.team_skill}")
    w["customization"] = Weight({"none": 0.5, "nice": 1.0, "must": 3.0}[profile.customise], "derived", f"weight.custom_{profile.customise}")
    w["transparency"] = Weight(
        {"closed": 1.0, "open-weights": 1.5, "open-source": 3.0}[profile.min_openness], "derived", f"weight.transparency_{profile.min_openness}"
    )
    cost = 1.5 if profile.budget_usd_per_month is not None else 1.0
    if profile.volume.tokens_per_month() > 1e9:
        cost *= 2
        w["cost"] = Weight(cost, "derived", "weight.cost_volume")
    elif profile.budget_usd_per_month is not None:
        w["cost"] = Weight(cost, "derived", "weight.cost_budget")
    for cid, value in profile.weights.items():
        w[cid] = Weight(float(value), "profile", "weight.given")
    return w


# ranking ---------------------------------------------------------------------------------------------


@dataclass
class Option:
    """A candidate in one mode, with the weighted sum of its non-cost scores precomputed."""

    mode: Mode
    criteria: dict[str, Score]  # without cost
    base: float  # fsum of weight × score over the nine non-cost criteria


@dataclass
class Prepared:
    cand: Candidate
    options: list[Option]


@dataclass
class Ranked:
    cand: Candidate
    option: Option
    monthly: float
    cost: Score
    raw: float
    total: float  # normalised to [0, 1]

    @property
    def model(self) -> str:
        return self.cand.model

    def criteria(self) -> dict[str, Score]:
        return {**self.option.criteria, "cost": self.cost}


def prepare(cands: list[Candidate], profile: Profile, weights: dict[str, float], cache: dict[str, Any] | None = None) -> list[Prepared]:
    out = []
    for cand in cands:
        if cand.reasons:
            out.append(Prepared(cand, []))
            continue
        key = (cand.model, id(cand.measurement), cand.fits_owned, profile.commercial, tuple(profile.languages),
               profile.latency_target_s, profile.team_skill)
        options = []
        base = None
        for mode in cand.modes:
            crit = cache.get(("criteria", mode.kind, *key)) if cache is not None else None
            if crit is None:
                if base is None:
                    base = base_scores(cand, profile, cache)
                crit = {**base, **mode_scores(cand, mode, profile)}
                if cache is not None:
                    cache[("criteria", mode.kind, *key)] = crit
            total = math.fsum(weights[c] * crit[c].score for c in CRITERION_IDS if c != "cost")
            options.append(Option(mode, crit, total))
        out.append(Prepared(cand, options))
    return out


def choose(p: Prepared, requests: float, api_factor: float = 1.0, gpu_factor: float = 1.0) -> tuple[Option, float] | Reason:
    """The cheapest mode that can serve the volume (ties: owned, api, rented)."""
    best: tuple[float, int, Option] | None = None
    short: Option | None = None
    for opt in p.options:
        if requests > opt.mode.capacity_requests:
            short = opt
            continue
        cost = opt.mode.monthly(requests, api_factor, gpu_factor)
        key = (cost, MODE_PREFERENCE[opt.mode.kind], opt)
        if best is None or key[:2] < best[:2]:
            best = key
    if best is None:
        assert short is not None
        hours = short.mode.hours_needed(requests) or 0.0
        return Reason("capacity", {"requests": requests, "hours": round(hours, 1)})
    return best[2], best[0]


def evaluate(
    prepared: list[Prepared],
    profile: Profile,
    weights: dict[str, float],
    *,
    requests: float | None = None,
    api_factor: float = 1.0,
    gpu_factor: float = 1.0,
    budget: float | None | bool = True,
    full: bool = True,
) -> tuple[list[Ranked], list[tuple[Candidate, list[Reason]]]]:
    """Rank at a volume and price factors. ``full=False`` skips building score objects (fast path)."""
    requests = profile.volume.requests_per_month if requests is None else requests
    budget_value = profile.budget_usd_per_month if budget is True else budget
    reference = cost_reference(profile)
    w_cost = weights["cost"]
    total_w = math.fsum(weights.values()) or 1.0
    ranked: list[Ranked] = []
    excluded: list[tuple[Candidate, list[Reason]]] = []
    for p in prepared:
        if p.cand.reasons:
            if full:
                excluded.append((p.cand, p.cand.reasons))
            continue
        chosen = choose(p, requests, api_factor, gpu_factor)
        if isinstance(chosen, Reason):
            if full:
                excluded.append((p.cand, [chosen]))
            continue
        option, monthly = chosen
        if budget_value is not None and monthly > budget_value + 1e-9:
            if full:
                excluded.append((p.cand, [Reason("over_budget", {"cost": monthly, "budget": budget_value})]))
            continue
        cs = cost_score(monthly, reference)
        raw = option.base + w_cost * cs
        cost = Score(cs, option.mode.cost_origin, [f"${monthly:,.2f}/month ({option.mode.kind})"], note="why.cost") if full else None
        ranked.append(Ranked(p.cand, option, monthly, cost, raw, raw / total_w))
    ranked.sort(key=lambda r: (-r.raw, r.cand.model))
    return ranked, excluded


def flatten(prepared: list[Prepared]) -> list[tuple]:
    """Eligible candidates as plain tuples, for the many evaluations of the sensitivity analysis."""
    flat = []
    for p in prepared:
        if p.cand.reasons or not p.options:
            continue
        opts = tuple(
            (o.mode.capacity_requests, o.mode.fixed_usd, o.mode.api_per_request, o.mode.power_per_request,
             o.mode.gpu_hours_per_request, o.mode.gpu_usd_per_hour, o.mode.always_on, MODE_PREFERENCE[o.mode.kind], o.base)
            for o in p.options
        )
        flat.append((p.cand.model, p.cand.openness, opts))
    return flat


def fast_top(
    flat: list[tuple], requests: float, api_factor: float, gpu_factor: float, budget: float | None, w_cost: float, reference: float
) -> tuple[str | None, str | None]:
    """(winner, verdict) exactly as :func:`evaluate` + :func:`verdict_of` would give them, without the objects."""
    best = best_known = None  # (raw, model, openness)
    for model, openness, opts in flat:
        chosen = None
        for cap, fixed, api_pr, power_pr, gpu_h, gpu_hourly, always_on, pref, base in opts:
            if requests > cap:
                continue
            cost = fixed + requests * (api_pr * api_factor + power_pr)
            if gpu_hourly:
                hours = requests * gpu_h
                if always_on:
                    hours = HOURS_PER_MONTH * max(1, math.ceil(hours / HOURS_PER_MONTH - 1e-9))
                cost += hours * gpu_hourly * gpu_factor
            if chosen is None or (cost, pref) < chosen[:2]:
                chosen = (cost, pref, base)
        if chosen is None or (budget is not None and chosen[0] > budget + 1e-9):
            continue
        raw = chosen[2] + w_cost * (1.0 / (1.0 + max(chosen[0], 0.0) / reference))
        if best is None or raw > best[0] or (raw == best[0] and model < best[1]):
            best = (raw, model, openness)
        if openness != "unknown" and (best_known is None or raw > best_known[0] or (raw == best_known[0] and model < best_known[1])):
            best_known = (raw, model, openness)
    return (best[1] if best else None, best_known[2] if best_known else None)


def verdict_of(ranked: list[Ranked]) -> str | None:
    """The openness class of the best model whose openness is known (None when nothing is eligible)."""
    for r in ranked:
        if r.cand.openness in ("open-source", "open-weights", "closed"):
            return r.cand.openness
    return None
