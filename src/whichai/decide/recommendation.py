"""From a profile, the catalog and (optionally) measurements to an explained recommendation.

Pipeline (docs/method.md): hard constraints → deployment modes and their cost → criterion scores →
weighted ranking → verdict (and a hybrid plan when part of the traffic is sensitive) → total cost
of ownership and break-even → sensitivity → what would change the verdict → explanation.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypedDict

from whichai import clock
from whichai.decide.assemble import build_document
from whichai.decide.catalog_view import CatalogView, catalog_age
from whichai.decide.constraints import Candidate, Reason
from whichai.decide.document import Decision
from whichai.decide.measurement import Measurement
from whichai.decide.outcome import Findings, Outcome, evidence_of, run_outcome
from whichai.decide.ownership import model_row, tco_summary
from whichai.decide.profile import Profile
from whichai.decide.scoring import Ranked
from whichai.decide.sensitivity import param_sensitivity, weight_sensitivity
from whichai.decide.tco import CapacityFigure


class RunFacts(TypedDict):
    """A run's completeness as decide is given it (``whichai.app.run_measurements``), shown with the verdict."""

    id: str
    status: str  # running | complete | interrupted
    task: str | None
    cases: int
    models: int
    calls: int  # cases x models
    answered: int
    scored: int | None
    errors: int
    partial: bool


# hybrid -------------------------------------------------------------------------------------------------


def _scaled(profile: Profile, share: float, **changes: Any) -> Profile:
    volume = profile.volume.model_copy(update={"requests_per_month": profile.volume.requests_per_month * share})
    budget = None if profile.budget_usd_per_month is None else profile.budget_usd_per_month * share
    return profile.model_copy(update={"volume": volume, "budget_usd_per_month": budget, "sensitive_share": 1.0, **changes})


@dataclass
class Inputs:
    """What every pass of the pipeline shares: the catalog, the measurements and the filters."""

    view: CatalogView
    measurements: list[Measurement] | None = None
    only: list[str] | None = None
    capacity: list[CapacityFigure] | None = None
    today: date | None = None

    def outcome(self, profile: Profile, lean: bool = False) -> Outcome:
        return run_outcome(profile, self.view, self.measurements, self.only, self.capacity, self.today, lean)


def hybrid_halves(profile: Profile) -> tuple[Profile, Profile] | None:
    """(the sensitive share of the traffic, the rest) as profiles of their own, when part of the
    traffic is sensitive and restricted; else None."""
    share = profile.sensitive_share
    restricted = profile.data_may_go != "anywhere" or profile.data_sensitivity in ("confidential", "regulated")
    if not (0.0 < share < 1.0) or not restricted:
        return None
    return _scaled(profile, share), _scaled(profile, 1.0 - share, data_sensitivity="internal", data_may_go="anywhere")


def hybrid_plan(profile: Profile, inp: Inputs) -> dict[str, Any] | None:
    halves = hybrid_halves(profile)
    if halves is None:
        return None
    share = profile.sensitive_share
    sens, rest = (inp.outcome(half, lean=True) for half in halves)
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


def _weight_changes(out: Outcome, sens: dict[str, Any]) -> list[dict[str, Any]]:
    items = []
    for ws in sens["weights"]:
        for direction in ("above", "below"):
            for flips, key in (("verdict", f"verdict_{direction}"), ("winner", direction)):
                hit = ws.get(key)
                if not hit:
                    continue
                factor = hit.get("factor")
                size = abs(math.log(factor)) if factor else 1.5
                items.append({
                    "kind": "weight", "criterion": ws["criterion"], "direction": "up" if direction == "above" else "down",
                    "from_weight": ws["weight"], "to_weight": hit["weight"], "winner": hit["winner"],
                    "verdict": hit.get("verdict") or out.openness_of(hit["winner"]), "flips": flips, "size": round(size, 4),
                })
    return items


def _param_changes(out: Outcome, sens: dict[str, Any]) -> list[dict[str, Any]]:
    items = []
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
    return items


def _profile_changes(out: Outcome, inp: Inputs, need: int) -> list[dict[str, Any]]:
    """Re-run the pipeline with one profile answer changed, in the order the changes are listed
    (by key), until ``need`` of them flip the verdict: the later ones would not be shown."""
    base_verdict, base_winner = out.verdict, (out.winner.model if out.winner else None)
    items: list[dict[str, Any]] = []
    flips = 0
    for key, changed in profile_changes(out.profile):
        alt = inp.outcome(changed, lean=True)
        winner = alt.winner.model if alt.winner else None
        if alt.verdict != base_verdict:
            items.append({"kind": "profile", "change": key, "winner": winner, "verdict": alt.verdict, "flips": "verdict", "size": TOGGLE_SIZE})
            flips += alt.verdict is not None
            if flips >= need:
                break
        elif winner != base_winner:
            items.append({"kind": "profile", "change": key, "winner": winner, "verdict": alt.verdict, "flips": "winner", "size": TOGGLE_SIZE})
    return items


def _order(item: dict[str, Any]) -> tuple[Any, ...]:
    return (item["size"], item["kind"], str(item.get("criterion") or item.get("change") or ""), item.get("direction") or "")


def _ident(item: dict[str, Any]) -> tuple[Any, ...]:
    return (item["kind"], item.get("criterion"), item.get("change"))


def what_would_change(out: Outcome, sens: dict[str, Any], inp: Inputs) -> list[dict[str, Any]]:
    """The (at most three) smallest changes that flip the verdict; else the top model; else leave nothing.

    Profile changes cost a re-run each; they are tried only while fewer than three smaller changes
    (weights, volume, prices) flip the verdict, and only until enough of them do."""
    items = _weight_changes(out, sens) + _param_changes(out, sens)
    ahead = {_ident(i) for i in items if i["flips"] == "verdict" and i["verdict"] is not None and _order(i)[:2] < (TOGGLE_SIZE, "profile")}
    if len(ahead) < 3:
        items += _profile_changes(out, inp, 3 - len(ahead))
    other = [i for i in items if i["flips"] == "verdict" and i["verdict"] is not None]
    winner = [i for i in items if i["flips"] == "winner"]
    nothing = [i for i in items if i["flips"] == "verdict" and i["verdict"] is None]
    chosen = sorted(other or winner or nothing, key=_order)
    seen: set[tuple[Any, ...]] = set()
    result = []
    for item in chosen:
        if _ident(item) in seen:
            continue
        seen.add(_ident(item))
        result.append(item)
        if len(result) == 3:
            break
    return result


# the recommendation -------------------------------------------------------------------------------------


@dataclass
class Recommendation:
    """What :func:`recommend` found. :meth:`document` is the one decision document every view renders."""

    findings: Findings
    lang: str = "en"
    _document: Decision | None = field(default=None, repr=False)

    @property
    def profile(self) -> Profile:
        return self.findings.profile

    @property
    def outcome(self) -> Outcome:
        return self.findings.outcome

    @property
    def verdict(self) -> str | None:
        return self.findings.verdict

    @property
    def hybrid(self) -> dict[str, Any] | None:
        return self.findings.hybrid

    @property
    def tco(self) -> dict[str, Any]:
        """Cost of ownership with every ranked model's components (the document details only the models it names)."""
        requests = self.profile.volume.requests_per_month
        return {**self.findings.tco, "models": [model_row(r, self.outcome, requests) for r in self.outcome.ranked]}

    @property
    def sensitivity(self) -> dict[str, Any]:
        return self.findings.sensitivity

    @property
    def what_would_change(self) -> list[dict[str, Any]]:
        return self.findings.what_would_change

    @property
    def measured(self) -> bool:
        return self.findings.measured

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

    def document(self) -> Decision:
        """The decision document (built once, then reused)."""
        if self._document is None:
            self._document = build_document(self.findings, self.top_models(), self.lang)
        return self._document

    def explain(self, lang: str | None = None) -> str:
        """The explanation as plain text (the document's blocks, one per line)."""
        return self.document().explanation.text(lang or self.lang)

    def to_json(self, lang: str | None = None) -> dict[str, Any]:
        """The document's JSON (``whichai.decision/1``); ``lang`` sets the document's reading language."""
        document = self.document()
        data = document.model_dump(mode="json")
        if lang and lang != self.lang:
            data["lang"] = lang
        return data


def recommend(
    profile: Profile,
    catalog: Any,
    measurements: list[Measurement] | None = None,
    lang: str = "en",
    only: list[str] | None = None,
    capacity: list[CapacityFigure] | None = None,
    run: RunFacts | None = None,
    today: date | None = None,
    view: CatalogView | None = None,
) -> Recommendation:
    """The recommendation for ``profile`` over ``catalog`` (a Catalog, or a list of ModelEntry).

    ``measurements``: the per-model summaries of a run's answered cases (``whichai.app`` prepares
    them). ``only``: restrict the candidates to these model ids. ``capacity``: measured or stated
    throughput entries. ``run``: the run's completeness ({id, status, cases, models, calls,
    answered, errors}), shown with the verdict. ``today``: the date lifecycles and the catalog's age
    are judged at (default: the system date, read once). ``view``: a view of ``catalog`` from
    :func:`warm_view` (what a prior-only pass computed is reused; the result is the same).
    """
    today = today or clock.today()
    if view is None:
        view = CatalogView(catalog)
    elif view.catalog is not catalog:
        raise ValueError("a warmed catalog view serves recommendations over its own catalog (see warm_view)")
    return _recommend(profile, Inputs(view, measurements, only, capacity, today), lang, run)


def warm_view(profile: Profile, catalog: Any, today: date | None = None, more: Callable[[], bool] | None = None) -> CatalogView:
    """A view of ``catalog`` with a prior-only pass of ``profile`` done ahead: each model's checks,
    deployment modes and scores, cached on the view's models and the answers they read. Give it to
    :func:`recommend` of the same catalog (``view=``): the models it did not measure, most of the
    catalog, are then ready. ``more``: after that pass, the "what if" passes (hybrid halves, profile
    changes) are warmed too, one at a time while ``more()`` says there is time (``whichai run``: while
    its local models load)."""
    view = CatalogView(catalog)
    inp = Inputs(view, today=today or clock.today())
    inp.outcome(profile)
    Decision.model_rebuild(force=True)  # the document's validator and serialiser (built on first use otherwise)
    if more is not None:
        for variant in _what_ifs(profile):
            if not more():
                break
            inp.outcome(variant, lean=True)
    return view


def _what_ifs(profile: Profile) -> Iterator[Profile]:
    """The profiles a recommendation may re-rank under: the hybrid halves, then the profile changes."""
    yield from hybrid_halves(profile) or ()
    yield from (changed for _, changed in profile_changes(profile))


def profile_changes(profile: Profile) -> Iterator[tuple[str, Profile]]:
    """(key, the profile with that one answer changed) for each change that applies, in key order."""
    for key, applies, change in sorted(_TOGGLES, key=lambda x: x[0]):
        if applies(profile):
            yield key, profile.model_copy(update=change(profile))


def _run_info(run: RunFacts | None) -> dict[str, Any] | None:
    if run is None:
        return None
    info: dict[str, Any] = {k: run.get(k) for k in ("id", "status", "task", "cases", "models", "calls", "answered", "scored", "errors")}
    scored = info["scored"] if info["scored"] is not None else info["answered"]
    info["partial"] = bool(run.get("partial")) or info["status"] != "complete" or scored < info["calls"]
    return info


def _recommend(profile: Profile, inp: Inputs, lang: str, run: RunFacts | None) -> Recommendation:
    if profile.task is None and run and run.get("task"):  # the decision's task: a tune measured on it counts
        profile = profile.model_copy(update={"task": str(run["task"])})
    out = inp.outcome(profile)
    verdict = out.verdict
    hybrid = hybrid_plan(profile, inp)
    if hybrid and hybrid["applies"]:
        verdict = "hybrid"
    sens: dict[str, Any] = {"weights": weight_sensitivity(out.ranked, out.w)}
    sens.update(param_sensitivity(out.prepared, profile, out.w, out.ranked))
    sens["winner"] = out.winner.model if out.winner else None
    wwc = what_would_change(out, sens, inp)
    findings = Findings(
        outcome=out, verdict=verdict, hybrid=hybrid, tco=tco_summary(out, full=False), sensitivity=sens, what_would_change=wwc,
        measured=bool(inp.measurements), run=_run_info(run), catalog_age=catalog_age(inp.view, inp.today), evidence=evidence_of(out),
    )
    return Recommendation(findings, lang)
