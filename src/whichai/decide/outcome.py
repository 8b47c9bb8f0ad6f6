"""One pass of the pipeline: candidates → constraints → criterion scores → weighted ranking.

:func:`run_outcome` is called once for the recommendation and again for each "what if" (hybrid
halves, profile toggles); :class:`Outcome` holds what one pass found. A "what if" pass needs only the
first places (:func:`lean_outcome`): it looks at the catalog's models by their ceiling, the highest
total each could reach, and stops where no model left could be placed before the best one found.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from whichai.criteria import CRITERION_IDS
from whichai.decide.catalog_view import CatalogView
from whichai.decide.constraints import Candidate, Judged, Reason, build_candidates, judge, measured_candidates, view_models
from whichai.decide.measurement import Measurement
from whichai.decide.profile import Profile
from whichai.decide.scoring import (
    NON_COST,
    Prepared,
    Pricing,
    Ranked,
    Scoring,
    Weight,
    best_known,
    ceiling,
    derive_weights,
    evaluate,
    out_of_reach,
    prepare,
    prepared_of,
    ranked_of,
    row_of,
    task_languages,
    verdict_of,
)
from whichai.decide.tco import CapacityFigure


@dataclass
class Outcome:
    profile: Profile
    candidates: list[Candidate]
    weights: dict[str, Weight]
    w: dict[str, float]
    prepared: list[Prepared]
    ranked: list[Ranked]
    excluded: list[tuple[Candidate, list[Reason]]]
    _options: dict[int, list[Any]] = field(default_factory=dict, repr=False)

    @property
    def verdict(self) -> str | None:
        return verdict_of(self.ranked)

    @property
    def winner(self) -> Ranked | None:
        return self.ranked[0] if self.ranked else None

    def names(self) -> dict[str, str]:
        return {c.model: c.name for c in self.candidates}

    def openness_of(self, model: str | None) -> str | None:
        for c in self.candidates:
            if c.model == model:
                return c.openness
        return None

    def options(self, r: Ranked) -> list[Any]:
        """Every allowed deployment option of a ranked model (the chosen one among them)."""
        if not self._options:
            self._options.update((id(p.cand), p.options) for p in self.prepared)
        return self._options[id(r.cand)]


def run_outcome(
    profile: Profile, view: CatalogView, measurements: list[Measurement] | None, only: list[str] | None = None,
    capacity: list[CapacityFigure] | None = None, today: date | None = None, lean: bool = False,
) -> Outcome:
    """One pass; ``today`` is the date lifecycles are judged at (every pass of a recommendation uses the same).

    ``lean``: a "what if" pass (hybrid halves, profile changes) that needs only the first places
    (:func:`lean_outcome`)."""
    if lean:
        return lean_outcome(profile, view, measurements, only, capacity, today)
    cands = build_candidates(profile, view.entries, measurements, view.resolve, capacity=capacity, today=today, models=view_models(view))
    wanted = set(only) if only else None
    cands = [c for c in cands if _kept(c, wanted)]
    weights = derive_weights(profile)
    w = {cid: weights[cid].raw for cid in CRITERION_IDS}
    prepared = prepare(cands, profile, w, _task_languages(measurements, view, wanted))
    ranked, excluded = evaluate(prepared, profile, w)
    return Outcome(profile, cands, weights, w, prepared, ranked, excluded)


def lean_outcome(
    profile: Profile, view: CatalogView, measurements: list[Measurement] | None, only: list[str] | None = None,
    capacity: list[CapacityFigure] | None = None, today: date | None = None,
) -> Outcome:
    """A "what if" pass: the first places of the ranking, down to the best model of known openness (the
    winner and the verdict), as a full pass places them. The measured candidates are all ranked; the
    catalog's other eligible models are taken by their ceiling (:func:`~whichai.decide.scoring.ceiling`),
    highest first, until one is out of reach of the best model of known openness so far
    (:func:`~whichai.decide.scoring.out_of_reach`): no model left can be placed before that one. The
    excluded candidates are left out, and ``excluded`` stays empty."""
    judged = judge(profile, view.entries, measurements, view.resolve, capacity, today, lean=True, models=view_models(view))
    wanted = set(only) if only else None
    weights = derive_weights(profile)
    w = {cid: weights[cid].raw for cid in CRITERION_IDS}
    scoring, wlist = Scoring.of(profile, _task_languages(measurements, view, wanted)), [w[c] for c in NON_COST]
    pricing, total_w = Pricing.of(profile, w), math.fsum(w.values()) or 1.0
    measured = [c for m in judged.models.items for c in judged.measured.get(m.model, ()) if _kept(c, wanted)]
    prepared = [prepared_of(c, scoring, profile.team_skill, wlist) for c in measured + [c for c in judged.extra if _kept(c, wanted)]]
    rows = [found for p in prepared if isinstance(found := row_of(p, pricing), tuple)]
    best = best_known(rows)
    for top, i in _by_ceiling(judged, wanted, scoring, wlist, w["cost"]):
        if out_of_reach(top, best, total_w):
            break
        cand = judged.candidate(i, lean=True)
        assert cand is not None  # an eligible model (:func:`_by_ceiling`)
        prepared.append(prepared_of(cand, scoring, profile.team_skill, wlist))
        found = row_of(prepared[-1], pricing)
        if isinstance(found, tuple):
            rows.append(found)
            best = best_known([found], best)
    return Outcome(profile, [p.cand for p in prepared], weights, w, prepared, ranked_of(rows, total_w, None), [])


def _kept(cand: Candidate, wanted: set[str] | None) -> bool:
    """Among the models asked for (``only``; None: all): by its id or the id it was measured under."""
    return wanted is None or cand.model in wanted or bool(cand.measurement and cand.measurement.get("model") in wanted)


def _task_languages(measurements: list[Measurement] | None, view: CatalogView, wanted: set[str] | None) -> list[str]:
    """The task's languages, from every measured candidate asked for (also those a lean pass leaves out)."""
    measured = measured_candidates(measurements, view.resolve)
    return task_languages([m for cid, m in measured if wanted is None or cid in wanted or m.get("model") in wanted])


def _by_ceiling(judged: Judged, wanted: set[str] | None, scoring: Scoring, wlist: list[float], w_cost: float) -> list[tuple[float, int]]:
    """(ceiling, index) of the catalog's eligible models that were not measured (and are asked for),
    highest ceiling first (then by id)."""
    found = []
    for i, (m, static, settled) in enumerate(zip(judged.models.items, judged.static, judged.settled)):
        if static.reasons or settled.reasons or m.model in judged.measured or (wanted is not None and m.model not in wanted):
            continue
        kinds = tuple([mode.kind for mode in settled.modes])
        found.append((-ceiling(m, kinds, settled.fits_owned, judged.today, scoring, judged.profile.team_skill, wlist, w_cost), m.model, i))
    found.sort()
    return [(-top, i) for top, _, i in found]


@dataclass
class Findings:
    """Everything one recommendation computed, before it is put into words and into the document."""

    outcome: Outcome
    verdict: str | None
    hybrid: dict[str, Any] | None
    tco: dict[str, Any]
    sensitivity: dict[str, Any]
    what_would_change: list[dict[str, Any]]
    measured: bool
    run: dict[str, Any] | None
    catalog_age: dict[str, Any]
    evidence: dict[str, Any]

    @property
    def profile(self) -> Profile:
        return self.outcome.profile


def side_of(openness: str) -> str:
    """The two sides of the article's question: open (source or weights) and closed."""
    if openness == "closed":
        return "closed"
    if openness in ("open-source", "open-weights"):
        return "open"
    return "unknown"


def evidence_of(outcome: Outcome) -> dict[str, Any]:
    """How much of the verdict rests on measurements (issue 11): ``measured`` when the top model and
    the best model of the other side (open vs closed) were measured on this task, ``partial`` when
    some ranked model was, ``prior`` when none was."""
    ranked = outcome.ranked
    measured = sum(1 for r in ranked if r.cand.measurement is not None)
    if not ranked:
        return {"level": "prior", "measured": 0, "ranked": 0, "top_measured": False, "other_side_measured": None,
                "top_model": None, "other_side_model": None, "next_to_measure": [], "next_run": [], "next_command": None}
    top = ranked[0]
    basis = next((r for r in ranked if side_of(r.cand.openness) != "unknown"), top)  # the model the verdict follows
    side = side_of(basis.cand.openness)
    other = next((r for r in ranked if side_of(r.cand.openness) not in (side, "unknown")), None)
    top_measured = top.cand.measurement is not None
    other_measured = None if other is None else other.cand.measurement is not None
    if top_measured and other_measured is not False:
        level = "measured"
    else:
        level = "partial" if measured else "prior"
    nxt = [r for r in (top, other) if r is not None and r.cand.measurement is None]
    return {"level": level, "measured": measured, "ranked": len(ranked), "top_measured": top_measured,
            "other_side_measured": other_measured, "top_model": top.model, "other_side_model": other.model if other else None,
            "next_to_measure": [r.model for r in nxt], **next_measurement(outcome.profile, nxt)}


def next_measurement(profile: Profile, rows: list[Ranked]) -> dict[str, Any]:
    """How to measure the models to measure next (finding 7 of issue 23): each one's model id for
    ``whichai run --models`` (``next_run``) and the command, for those a model id is known for. A
    profile whose data may not leave the premises is never sent through an outside API."""
    from whichai.decide.profile import example_names
    from whichai.measure.ways import measure_command, way_to_measure

    in_house = not profile.data_leaves_premises_allowed()
    ways = [way_to_measure(r.cand.entry if r.cand.entry is not None else {"id": r.model}, in_house) for r in rows]
    run_ids = [w.run_id for w in ways if w.run_id]
    arg = profile.name if profile.name == "default" or profile.name in example_names() else PROFILE_PLACEHOLDER
    return {"next_run": [w.to_json() for w in ways], "next_command": measure_command(run_ids, arg) if run_ids else None}


PROFILE_PLACEHOLDER = "YOUR_PROFILE.yaml"  # a profile from a file: the command names the file the user wrote
