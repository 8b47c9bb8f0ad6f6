"""Weights from the profile, and the ranking of candidates in their cheapest allowed mode.

The criterion scores themselves come from :mod:`whichai.decide.criteria_scores` (each a number in
[0, 1] with its origin: ``catalog``, ``measured``, ``profile``, ``estimate``, or ``unknown`` = the
neutral 0.5, a reason and its evidence). A model's total is the weighted mean of its scores. Everything here is a pure function of its inputs: same inputs, same ranking
(the ranking rule, :func:`rank_order`: within a tie band of the leader the cheaper model leads, then the model id).
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from operator import itemgetter
from typing import Any, NamedTuple

from whichai.criteria import CRITERION_IDS
from whichai.decide.constraints import Candidate, Model, Reason
from whichai.decide.criteria_scores import (  # noqa: F401  (Score, cost_reference, cost_score: part of this module's API)
    Score,
    TaskAnswers,
    accessibility_of,
    cost,
    cost_reference,
    cost_score,
    ease_of_use,
    entry_scores,
    kind_scores,
    model_performance,
    performance,
    security_in,
)
from whichai.decide.measurement import Measurement
from whichai.decide.profile import Profile
from whichai.decide.tco import Mode, cheapest


def task_languages(measurements: list[Measurement | None] | None) -> list[str]:
    """The languages of the task's cases (tagged ``lang:id``, ``lang:en``), from the run's
    per-language results (``by_lang``) of any measured model."""
    langs: dict[str, None] = {}
    for m in measurements or []:
        for lang in ((m or {}).get("by_lang") or {}):
            langs[str(lang).lower()] = None
    return list(langs)


class Scoring(NamedTuple):
    """The profile's answers the criterion scores (but cost) of the model in any mode read, and the
    languages of the task's cases (a mode's own scores read the team's skill besides)."""

    task: str | None
    horizon_months: float
    commercial: bool
    task_answers: TaskAnswers
    task_langs: tuple[str, ...]

    @classmethod
    def of(cls, profile: Profile, task_langs: list[str] | tuple[str, ...]) -> Scoring:
        return cls(profile.task, profile.horizon_months, profile.commercial, TaskAnswers.of(profile), tuple(task_langs))


def base_scores(cand: Candidate, api_usable: bool, scoring: Scoring) -> dict[str, Score]:
    """Criterion scores that do not depend on the deployment mode (nor on cost)."""
    if cand.source is not None:
        perf = model_performance(cand.source, scoring.task_answers, scoring.task_langs)
    else:
        perf = performance(cand, scoring.task_answers, list(scoring.task_langs))
    access = accessibility_of(cand, api_usable, scoring.commercial)
    return {"accessibility": access, **entry_scores(cand, scoring.task, scoring.horizon_months), "performance": perf}


Criteria = tuple[dict[str, Score], tuple[float, ...]]  # a mode's criterion scores (but cost), and their values in NON_COST order


def mode_criteria(cand: Candidate, scoring: Scoring, team_skill: str) -> tuple[Criteria, ...]:
    """The criterion scores (but cost) of a candidate in each of its modes. A candidate made from a
    :class:`~whichai.decide.constraints.Model` reads them from a pure function of the model, the kinds
    of its modes, its fit, the day, the answers and the team's skill (computed once for each: the passes
    that change none of them share them), the scores of any mode from one of the model, its fit and the answers."""
    kinds = tuple([mode.kind for mode in cand.modes])
    if cand.source is not None:
        return _model_criteria(cand.source, kinds, cand.fits_owned, cand.today, scoring, team_skill)
    return _criteria(base_scores(cand, "api" in kinds, scoring), cand, kinds, team_skill)


@lru_cache(maxsize=16384)
def _model_criteria(m: Model, kinds: tuple[str, ...], fits_owned: bool | None, today: date | None, scoring: Scoring,
                    team_skill: str) -> tuple[Criteria, ...]:
    base = _model_base(m, "api" in kinds, fits_owned, today, scoring)
    out = []
    for kind, values in zip(kinds, _model_values(m, kinds, fits_owned, today, scoring)):
        crit = {**base, **kind_scores(m, kind, team_skill)}
        out.append((crit, (*values, crit["ease_of_use"].score)))
    return tuple(out)


@lru_cache(maxsize=16384)
def _model_base(m: Model, api_usable: bool, fits_owned: bool | None, today: date | None, scoring: Scoring) -> dict[str, Score]:
    return base_scores(_model_candidate(m, fits_owned, today), api_usable, scoring)


def _model_candidate(m: Model, fits_owned: bool | None, today: date | None) -> Candidate:
    """What the criteria read of a candidate made from ``m``: its model, fit and day."""
    return Candidate(m.model, m.name, m.entry, m.openness, m.openness_origin, m.measurement, fits_owned=fits_owned,
                     self_hosted=m.self_hosted, today=today, source=m)


def _criteria(base: dict[str, Score], cand: Candidate | Model, kinds: tuple[str, ...], team_skill: str) -> tuple[Criteria, ...]:
    out = []
    for kind in kinds:
        crit = {**base, **kind_scores(cand, kind, team_skill)}
        out.append((crit, tuple([crit[c].score for c in NON_COST])))
    return tuple(out)


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

NON_COST = tuple(c for c in CRITERION_IDS if c != "cost")
assert NON_COST[-1] == "ease_of_use"  # the one score that reads the team's skill comes last (:func:`ceiling`)


@dataclass(slots=True)
class Option:
    """A candidate in one mode, with the weighted sum of its non-cost scores precomputed."""

    mode: Mode
    criteria: dict[str, Score]  # without cost
    base: float  # fsum of weight × score over the nine non-cost criteria


@dataclass(slots=True)
class Prepared:
    cand: Candidate
    options: list[Option]


@dataclass(slots=True)
class Ranked:
    cand: Candidate
    option: Option
    monthly: float
    cost_score: Score | None  # built when first read (:attr:`cost`): most passes only need the order
    raw: float
    total: float  # normalised to [0, 1]
    profile: Profile | None = None
    cost_value: float = 0.0  # the cost criterion's score (the number in ``cost``)

    @property
    def model(self) -> str:
        return self.cand.model

    @property
    def cost(self) -> Score:
        """The cost criterion's score (with its reason and evidence) at this model's monthly cost."""
        if self.cost_score is None:
            if self.profile is None:
                raise ValueError("a lean pass keeps no profile: its rows have no cost score")
            self.cost_score = cost(self.monthly, self.option.mode, self.profile)
        return self.cost_score

    def criteria(self) -> dict[str, Score]:
        return {**self.option.criteria, "cost": self.cost}


def prepare(cands: list[Candidate], profile: Profile, weights: dict[str, float], task_langs: list[str] | None = None) -> list[Prepared]:
    """Each eligible candidate's options: one per deployment mode, with its criterion scores (but cost)
    and their weighted sum."""
    if task_langs is None:
        task_langs = task_languages([c.measurement for c in cands if c.measurement])
    scoring, skill = Scoring.of(profile, task_langs), profile.team_skill
    wlist = [weights[c] for c in NON_COST]
    return [prepared_of(cand, scoring, skill, wlist) for cand in cands]


def prepared_of(cand: Candidate, scoring: Scoring, team_skill: str, wlist: list[float]) -> Prepared:
    """A candidate's options (none when a constraint excludes it), each with the weighted sum of its
    non-cost scores (``wlist``: the weights in NON_COST order)."""
    if cand.reasons:
        return Prepared(cand, [])
    return Prepared(cand, [Option(mode, crit, weighted(wlist, values))
                           for mode, (crit, values) in zip(cand.modes, mode_criteria(cand, scoring, team_skill))])


def weighted(wlist: list[float], values: tuple[float, ...]) -> float:
    """The weighted sum of a mode's non-cost scores (math.fsum: the same whatever the order of the terms)."""
    return math.fsum([w * x for w, x in zip(wlist, values)])


def ceiling(m: Model, kinds: tuple[str, ...], fits_owned: bool | None, today: date | None, scoring: Scoring, team_skill: str,
            wlist: list[float], w_cost: float) -> float:
    """The highest weighted total a candidate made from ``m``, in modes of ``kinds``, can reach at any
    volume and price: its best mode's non-cost sum (the same terms :func:`prepared_of` sums, and
    math.fsum's sum of them is the same) plus the cost weight (a cost score is at most 1, and rounding
    keeps the order: no total of the candidate is above it). Ease of use, the only score that reads the
    team's skill, is added to the others' (:func:`_model_values`, shared by passes of any skill)."""
    sums = (weighted(wlist, (*values, ease_of_use(kind, team_skill).score))
            for kind, values in zip(kinds, _model_values(m, kinds, fits_owned, today, scoring)))
    return max(sums) + w_cost


@lru_cache(maxsize=16384)
def _model_values(m: Model, kinds: tuple[str, ...], fits_owned: bool | None, today: date | None, scoring: Scoring) -> tuple[tuple[float, ...], ...]:
    """The scores of a candidate made from ``m`` in each of ``kinds`` but ease of use (the last of NON_COST), in NON_COST order."""
    base = _model_base(m, "api" in kinds, fits_owned, today, scoring)
    return tuple(tuple([(security_in(m, kind) if c == "security" else base[c]).score for c in NON_COST[:-1]]) for kind in kinds)


def out_of_reach(ceiling: float, best: float | None, total_w: float) -> bool:
    """A model whose total is at most ``ceiling`` cannot be placed before a model of total ``best``
    (by :func:`rank_order`): while that one is unplaced, the highest total unplaced is at least ``best``,
    and ``ceiling`` is more than the tie band below it."""
    return best is not None and ceiling < best - TIE_BAND * (total_w or 1.0) - 1e-12


TIE_BAND = 0.005  # of the weighted mean (0-1): totals this close to the leader's are equal quality, and the cheaper leads


def rank_order(rows: list[Any], raw: Any, monthly: Any, model: Any, total_w: float = 1.0, until: Any = None) -> list[Any]:
    """The ranking rule, written in this one place (the full ranking, :func:`evaluate`; the sensitivity
    analysis' shortcut, :func:`fast_top`; and its weight walk, :mod:`whichai.decide.sensitivity`, all
    follow it): the next place goes to the cheapest (lower monthly cost, then model id) of the models
    whose weighted total is within ``TIE_BAND`` × the total weight of the highest total still unplaced.
    Two models a hair apart are never ranked by that hair, and a model leads by quality only when it
    is ahead by more than the band. ``raw``, ``monthly``, ``model``: how to read each row; ``until``: stop
    after placing a row it is true of (the first places are all some callers need).

    The highest total still unplaced only falls as places are given, so the models within the band
    of it only grow: they wait in a heap by cost, each entering once."""
    band = TIE_BAND * (total_w or 1.0)
    rest = sorted(rows, key=lambda r: (-raw(r), model(r)))
    totals = [raw(r) for r in rest]
    placed = [False] * len(rest)
    within: list[tuple[float, str, int]] = []  # (monthly cost, model, index) of the unplaced models within the band
    out: list[Any] = []
    highest = entered = 0
    while len(out) < len(rest):
        while placed[highest]:
            highest += 1
        floor = totals[highest] - band - 1e-12
        while entered < len(rest) and totals[entered] >= floor:
            heapq.heappush(within, (round(monthly(rest[entered]), 6), model(rest[entered]), entered))
            entered += 1
        i = heapq.heappop(within)[2]
        placed[i] = True
        out.append(rest[i])
        if until is not None and until(rest[i]):
            break
    return out


def choose(p: Prepared, requests: float, api_factor: float = 1.0, gpu_factor: float = 1.0) -> tuple[Option, float] | Reason:
    """The cheapest mode that can serve the volume (ties: owned, api, rented)."""
    modes = [o.mode for o in p.options]
    found = cheapest(modes, requests, api_factor, gpu_factor)
    if found is None:
        short = modes[-1]
        hours = short.hours_needed(requests) or 0.0
        return Reason("capacity", {"requests": requests, "hours": round(hours, 1), "limit": short.hours_limit})
    mode, monthly = found
    return p.options[modes.index(mode)], monthly


def evaluate(
    prepared: list[Prepared],
    profile: Profile,
    weights: dict[str, float],
    *,
    requests: float | None = None,
    api_factor: float = 1.0,
    gpu_factor: float = 1.0,
    budget: float | None | bool = True,
) -> tuple[list[Ranked], list[tuple[Candidate, list[Reason]]]]:
    """Rank every candidate at a volume and price factors, and say why each excluded one is (a lean
    "what if" pass ranks its first places only: :func:`whichai.decide.outcome.lean_outcome`)."""
    pricing = Pricing.of(profile, weights, requests, api_factor, gpu_factor, budget)
    rows: list[Row] = []
    excluded: list[tuple[Candidate, list[Reason]]] = []
    for p in prepared:
        if p.cand.reasons:
            excluded.append((p.cand, p.cand.reasons))
            continue
        found = row_of(p, pricing)
        if isinstance(found, Reason):
            excluded.append((p.cand, [found]))
        else:
            rows.append(found)
    return ranked_of(rows, math.fsum(weights.values()) or 1.0, profile), excluded


class Pricing(NamedTuple):
    """What a candidate's place in a ranking reads besides its options: the volume (requests a month),
    the price factors, the budget (None: none), the cost reference and the cost weight."""

    requests: float
    api_factor: float
    gpu_factor: float
    budget: float | None
    reference: float
    w_cost: float

    @classmethod
    def of(cls, profile: Profile, weights: dict[str, float], requests: float | None = None, api_factor: float = 1.0,
           gpu_factor: float = 1.0, budget: float | None | bool = True) -> Pricing:
        """The profile's (``requests``, ``budget``: another volume or budget; True: the profile's budget)."""
        requests = profile.volume.requests_per_month if requests is None else requests
        budget_value = profile.budget_usd_per_month if budget is True else budget
        return cls(requests, api_factor, gpu_factor, budget_value, cost_reference(profile), weights["cost"])


Row = tuple[float, float, str, Prepared, Option, float]  # (weighted total, monthly cost, model, its options, the chosen one, cost score)


def row_of(p: Prepared, pricing: Pricing) -> Row | Reason:
    """An eligible candidate's row in the ranking, in its cheapest mode that serves the volume; or why it
    has none (capacity, over budget)."""
    chosen = choose(p, pricing.requests, pricing.api_factor, pricing.gpu_factor)
    if isinstance(chosen, Reason):
        return chosen
    option, monthly = chosen
    if pricing.budget is not None and monthly > pricing.budget + 1e-9:
        return Reason("over_budget", {"cost": monthly, "budget": pricing.budget})
    value = cost_score(monthly, pricing.reference)
    return (option.base + pricing.w_cost * value, monthly, p.cand.model, p, option, value)


def ranked_of(rows: list[Row], total_w: float, profile: Profile | None) -> list[Ranked]:
    """The rows in the ranking's order (:func:`rank_order`). ``profile`` None (a lean pass): the first
    places only, down to the best model of known openness, without the profile (no cost score objects)."""
    until = None if profile is not None else _known_openness
    order = rank_order(rows, itemgetter(0), itemgetter(1), itemgetter(2), total_w, until)
    return [Ranked(p.cand, option, monthly, None, raw, raw / total_w, profile, value) for raw, monthly, _, p, option, value in order]


def _known_openness(row: Row) -> bool:
    return row[3].cand.openness in KNOWN_OPENNESS


def best_known(rows: list[Row], best: float | None = None) -> float | None:
    """The highest total of the rows of known openness, and ``best``: what a scan by ceiling compares the
    models left with (:func:`out_of_reach`)."""
    for row in rows:
        if _known_openness(row) and (best is None or row[0] > best):
            best = row[0]
    return best


KNOWN_OPENNESS = ("open-source", "open-weights", "closed")


def flatten(prepared: list[Prepared]) -> list[tuple[Prepared, float]]:
    """Eligible candidates with the highest non-cost sum of their options, highest first (then by id),
    for the many evaluations of the sensitivity analysis (:func:`fast_top` stops where no later model
    can reach the best one)."""
    flat = [(p, max(o.base for o in p.options)) for p in prepared if not p.cand.reasons and p.options]
    flat.sort(key=lambda row: (-row[1], row[0].cand.model))
    return flat


def fast_top(flat: list[tuple[Prepared, float]], pricing: Pricing, total_w: float = 1.0) -> tuple[str | None, str | None]:
    """(winner, verdict) exactly as :func:`evaluate` + :func:`verdict_of` give them at ``pricing``: each
    candidate's row by the same rule (:func:`row_of`), in the same order (:func:`rank_order`), but only
    as far as needed. A model's total is at most its highest non-cost sum + the cost weight (a cost score
    is at most 1): the scan stops at the first model (``flat`` is sorted by that sum) out of reach of the
    best model of known openness so far (:func:`out_of_reach`: no such model can be placed before it)."""
    rows: list[Row] = []
    best = None
    for p, top_base in flat:
        if out_of_reach(top_base + pricing.w_cost, best, total_w):
            break
        found = row_of(p, pricing)
        if isinstance(found, Reason):
            continue
        rows.append(found)
        best = best_known([found], best)
    order = rank_order(rows, itemgetter(0), itemgetter(1), itemgetter(2), total_w, _known_openness)
    winner = order[0][2] if order else None
    verdict = order[-1][3].cand.openness if order and _known_openness(order[-1]) else None
    return winner, verdict


def verdict_of(ranked: list[Ranked]) -> str | None:
    """The openness class of the best model whose openness is known (None when nothing is eligible)."""
    for r in ranked:
        if r.cand.openness in KNOWN_OPENNESS:
            return r.cand.openness
    return None


# operations --------------------------------------------------------------------------------------------


def operations_decide(prepared: list[Prepared], ranked: list[Ranked], profile: Profile, weights: dict[str, float]) -> Reason | None:
    """``Reason("operations_decide", …)`` when operations cost decides the verdict: a self-hosted
    option of the other openness side would rank first without its operations cost (also when that
    cost is what puts it over the budget; ahead of the top model by the ranking's rule,
    :func:`rank_order`), so the explanation says so and names the two settings
    that change it (``ops_hours_per_month``, ``ops_hourly_rate_usd``). None otherwise."""
    top = ranked[0] if ranked else None
    requests = profile.volume.requests_per_month
    budget, reference = profile.budget_usd_per_month, cost_reference(profile)
    total_w = math.fsum(weights.values()) or 1.0
    best: tuple[float, Candidate, Mode, float] | None = None
    for p in prepared:
        if p.cand.reasons or (top is not None and (p.cand is top.cand or p.cand.openness == top.cand.openness)):
            continue
        for opt in p.options:
            mode = opt.mode
            if mode.kind == "api" or mode.ops_usd <= 0 or requests > mode.capacity_requests:
                continue
            without = mode.monthly(requests) - mode.ops_usd
            if budget is not None and without > budget + 1e-9:
                continue
            raw = opt.base + weights["cost"] * cost_score(without, reference)
            leads = top is None or rank_order([(raw, without, p.cand.model), (top.raw, top.monthly, top.model)],
                                              lambda r: r[0], lambda r: r[1], lambda r: r[2], total_w)[0][2] == p.cand.model
            if leads and (best is None or raw > best[0]):
                best = (raw, p.cand, mode, without)
    if best is None:
        return None
    _, cand, mode, without = best
    ops = next(c for c in mode.components if c.name == "operations")
    return Reason("operations_decide", {
        "model": cand.model, "name": cand.name, "openness": cand.openness, "mode": mode.kind,
        "ops_usd": round(mode.ops_usd, 2), "hours": ops.params.get("hours"), "rate": ops.params.get("rate"), "origin": ops.origin,
        "monthly_without_ops": round(without, 2), "over_budget": budget is not None and mode.monthly(requests) > budget + 1e-9,
        "top": top.model if top else None, "settings": ["ops_hours_per_month", "ops_hourly_rate_usd"],
    })
