"""The ten criterion scores of a model, computed from the catalog's facts (decide alone scores).

The catalog holds facts with their sources; this module turns them into scores in [0, 1], each a
:class:`Score` with its origin, a reason code (``why.*``, texts in the ``decide`` table of the gettext
catalogs, read by :mod:`whichai.decide.i18n`) with parameters, and the evidence (each fact with its source).
A fact that is not on record scores the neutral 0.5 with origin ``unknown``, never a low score
labelled ``catalog``. The rules, one function per criterion (docs/method.md says them for people):

- **customization**: downloadable weights 0.9 (1.0 with open training code); else the vendor's
  fine-tuning 0.6 (offered) or 0.1 (not offered); unknown 0.5.
- **transparency**: the share of audited openness dimensions (osai-index, MOF) that are open,
  partial counting half; without an audit, from the class: open source 0.7, open weights 0.35,
  closed 0.05.
- **collaboration**: closed 0.1; open weights under a licence without use restrictions 0.9, with
  restrictions 0.5; licence terms unknown 0.5 (unknown).
- **updates**: open weights 0.7 (you choose when to upgrade), closed 0.6 (the vendor decides);
  +0.1 when released within a year of ``today``, −0.2 when over three years before; a shutdown
  within the profile's horizon: 0.05; announced beyond it: at most 0.3.
- **support**: an SLA 0.9; paid vendor support 0.7; community only 0.3–0.4; unknown 0.5.
- **security** (of the API): 0.2 + 0.2 (no training on API data) + 0.25 (zero retention on offer)
  + 0.15 (certifications), unknown parts counting half: at most 0.8, since the prompts leave the
  user's premises whatever the terms (owned hardware 1.0, a rented server 0.75); all parts unknown
  0.5. An open model that one API host serves: that host's curated terms, by the same formula;
  several hosts, or no terms of its host in the catalog: 0.4 (an estimate).
- **performance** until measured: a prior from published benchmarks (origin ``benchmark``,
  :func:`benchmark_prior`, the abilities linked onto one scale); where no benchmark covers the model, a prior (origin ``estimate``) from
  size or price tier, scaled by task fit (:func:`task_fit_factor`) and language coverage (:func:`language_factor`).

:func:`score_entry` gives all ten for one entry under a profile (``whichai models ID``), through
the same candidate, cost and scoring code the recommendation uses.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from whichai import clock
from whichai.criteria import CRITERION_IDS
from whichai.decide.constraints import (
    Candidate,
    Model,
    _truthy,
    build_candidate,
    fact,
    fact_evidence,
    fact_text,
    fact_value,
    life_at,
)
from whichai.decide.i18n import num, t, usd
from whichai.decide.measurement import Measurement
from whichai.decide.profile import Profile
from whichai.decide.task_fit import task_fit
from whichai.decide.tco import cheapest

UNKNOWN = 0.5
PRIOR_UNKNOWN = 0.3  # neither size nor price known: below most priors, so the unknown is not rewarded
YEAR_DAYS = 365


@dataclass(slots=True)
class Score:
    score: float
    origin: str  # catalog | benchmark | measured | profile | estimate | unknown
    evidence: list[str] = field(default_factory=list)
    note: str = ""  # the reason code (``why.*``): an i18n key
    params: dict[str, Any] = field(default_factory=dict)  # the reason's parameters

    @property
    def reason(self) -> dict[str, Any]:
        """The reason as a code, its parameters and its text in both languages."""
        return {"code": self.note, "params": dict(self.params), "text": {lang: reason_text(self.note, self.params, lang) for lang in ("en", "id")}}

    def to_json(self) -> dict[str, Any]:
        return {"score": round(self.score, 4), "origin": self.origin, "reason": self.reason, "evidence": self.evidence}



class Commercial(Protocol):
    """What :func:`accessibility` reads of the profile's answers (a Profile, or the scoring pass's record of them)."""

    @property
    def commercial(self) -> bool: ...


def reason_text(code: str, params: dict[str, Any], lang: str) -> str:
    """The text of a reason code in ``lang`` (texts: :mod:`whichai.decide.i18n`); fractional numbers
    in the reader's convention (0.25 in English, 0,25 in Indonesian)."""
    shown = {k: ((int(v) if v.is_integer() else num(v, lang, 2)) if isinstance(v, float) else v) for k, v in params.items()}
    if isinstance(params.get("monthly"), (int, float)):  # an amount of money a month, in the reader's convention
        shown["monthly"] = usd(float(params["monthly"]), lang)
    text = t(code, lang, **{"skill": "", **shown})
    linked = params.get("linked") or []  # a benchmark prior's parts put on their ability's scale (benchmark_prior)
    parts = [text, *(_linked_text(part, lang) for part in linked)]
    if params.get("combined"):  # its own figures weighed with its general ability on that scale (benchmarks.combined)
        ability, n = params["combined"]
        parts.append(t("why.prior_combined", lang, ability=t(f"why.ability_{ability}", lang), n=n))
    anchored = params.get("anchored")  # its multilingual part, anchored on the general ability (benchmark_prior)
    return "; ".join(parts if anchored is None else [*parts, *_anchored_text(anchored, lang)])


def _signed(value: float, lang: str) -> str:
    return ("+" if value >= 0 else "−") + num(abs(value), lang, 2)


def _anchored_text(anchored: dict[str, Any], lang: str) -> list[str]:
    """Each multilingual figure's residual from what the general ability predicts, and the shift kept; or that it has none."""
    figures, unused = anchored["figures"], anchored.get("unused") or []
    if not figures:
        return [t("why.prior_multilingual_unanchored", lang, benchmarks=", ".join(unused)) if unused else t("why.prior_multilingual_none", lang)]
    return [*(t(f"why.prior_multilingual_{'above' if r >= 0 else 'below'}", lang, benchmark=b, figure=num(100 * y, lang, 1), residual=_signed(r, lang))
              for b, y, r in figures),
            t("why.prior_multilingual_shift", lang, shift=_signed(anchored["shift"], lang))]


def _part(value: bool | None) -> float:
    return UNKNOWN if value is None else (1.0 if value else 0.0)


def _downloadable(cand: Candidate | Model) -> bool:
    """Weights on record as downloadable (as the constraints judge it); a local model not in the catalog
    ran here; a self-hosted deployment's weights are in the user's hands."""
    e = cand.entry
    if cand.self_hosted:
        return True
    if e is None:
        return cand.model.startswith("local/")
    return e.weights_downloadable is True


def _fact_origin(cand: Candidate | Model) -> str:
    """``catalog`` for a catalog entry's facts; ``estimate`` for what is inferred from a model id alone."""
    return "catalog" if cand.entry is not None else "estimate"


# criteria that depend on the model alone ----------------------------------------------------------


def customization(cand: Candidate, task: str | None = None, tunes: Path | None = None) -> Score:
    """``task``: the decision's task (only a tune measured on it counts); ``tunes``: the tunes folder
    (the user's by default; tests give their own)."""
    if _downloadable(cand):
        tuned = _tuned(cand.model, task, tunes)
        if tuned is not None:
            return tuned
        dims = getattr(cand.entry, "openness_dimensions", None) or {}
        code_open = str(dims.get("code_open", "")).startswith("yes")
        if code_open:
            return Score(1.0, "catalog", ["weights_downloadable=True", f"code_open={dims['code_open']}"], "why.customization_weights_code")
        return Score(0.9, _fact_origin(cand), ["weights_downloadable=True"], "why.customization_weights")
    ft = _truthy(fact_value(cand.entry, "fine_tuning"))
    if ft is True:
        return Score(0.6, "catalog", [fact_evidence(cand.entry, "fine_tuning")], "why.customization_api")
    if ft is False:
        return Score(0.1, "catalog", [fact_evidence(cand.entry, "fine_tuning")], "why.customization_none")
    return Score(UNKNOWN, "unknown", ["fine_tuning=unknown"], "why.unknown")


def _tuned(model: str, task: str | None, tunes: Path | None = None) -> Score | None:
    """Measured customisation: a ``whichai tune`` of this model, measured against it on held-out cases
    (1.0 when tuning raised the pass rate significantly, 0.8 when it did not). No task, no tune."""
    if not task:
        return None
    from whichai.tune.lineage import evidence_for

    found = evidence_for(model, task, tunes)
    if found is None:
        return None
    params = {"tuned": found.model_id, "task": found.task, "before": f"{found.base_rate:.0%}", "after": f"{found.tuned_rate:.0%}",
              "cases": found.cases, "p": f"{found.p_value:.2g}"}
    evidence = [f"{found.model_id}: held-out pass rate {params['before']} -> {params['after']} on {found.cases} cases, McNemar p={params['p']}"]
    if found.raised:
        return Score(1.0, "measured", evidence, "why.customization_tuned", params)
    return Score(0.8, "measured", evidence, "why.customization_tuned_flat", params)


OPEN_VALUES = ("open", "released-open", "yes")
PARTIAL_VALUES = ("partial", "released")


def transparency(cand: Candidate) -> Score:
    dims = getattr(cand.entry, "openness_dimensions", None) or {}
    rated = {k: v for k, v in dims.items() if k.startswith(("osai:", "mof:"))}
    if rated:
        vals = []
        for v in rated.values():
            word = str(v).split(" ")[0].lower()
            vals.append(1.0 if word in OPEN_VALUES else 0.5 if word in PARTIAL_VALUES else 0.0)
        n_open = sum(1 for v in vals if v == 1.0)
        evidence = [f"{k}={v}" for k, v in list(rated.items())[:14]]
        return Score(sum(vals) / len(vals), "catalog", evidence, "why.transparency_audit", {"open": n_open, "rated": len(vals)})
    value = {"open-source": 0.7, "open-weights": 0.35, "closed": 0.05}.get(cand.openness)
    if value is None:
        return Score(UNKNOWN, "unknown", ["openness=unknown"], "why.unknown")
    origin = "catalog" if cand.openness_origin == "catalog" else "estimate"
    return Score(value, origin, [f"openness={cand.openness} ({cand.openness_origin})"], "why.openness")


def collaboration(cand: Candidate) -> Score:
    e = cand.entry
    licence = getattr(e, "license", None) or "?"
    evidence = [f"license={licence}", f"license_restricts_use={getattr(e, 'license_restricts_use', None)}"]
    if not _downloadable(cand):
        if cand.openness == "unknown":
            return Score(UNKNOWN, "unknown", ["openness=unknown"], "why.unknown")
        return Score(0.1, "catalog" if e is not None else "estimate", evidence, "why.collab_closed")
    restricts = getattr(e, "license_restricts_use", None)
    if restricts is False:
        return Score(0.9, "catalog", evidence, "why.collab_open_licence", {"license": licence})
    if restricts:
        return Score(0.5, "catalog", evidence, "why.collab_restricted", {"license": licence})
    return Score(UNKNOWN, "unknown", evidence, "why.unknown")


def _days(a: str | None, b: date) -> int | None:
    if not a:
        return None
    text = str(a)
    try:
        day = date.fromisoformat(text + "-01" if len(text) == 7 else text[:10])
    except ValueError:
        return None
    return (b - day).days


def updates(cand: Candidate) -> Score:
    """From openness, release date and lifecycle (``cand.lifecycle``, set against the profile's horizon)."""
    e = cand.entry
    life = cand.lifecycle or {}
    if life.get("within_horizon"):
        params = {"date": life["shutdown_date"], "horizon": f"{life['horizon_months']:g}"}
        return Score(0.05, "catalog", [f"shutdown_date={life['shutdown_date']} ({life.get('source') or 'catalog'})"], "why.updates_shutdown", params)
    if cand.openness == "unknown" and e is None:
        return Score(UNKNOWN, "unknown", ["release cadence unknown"], "why.unknown")
    is_open = _downloadable(cand)
    score = 0.7 if is_open else 0.6
    release = getattr(e, "release_date", None)
    evidence = [f"openness={cand.openness}"]
    age = _days(release, cand.today) if cand.today else None
    if age is not None:
        evidence.append(f"release_date={release} (catalog)")
        if age <= YEAR_DAYS:
            score += 0.1
        elif age > 3 * YEAR_DAYS:
            score -= 0.2
    dep = fact_value(e, "deprecation")
    if dep is not None and not is_open:
        evidence.append(fact_evidence(e, "deprecation"))
    if life.get("shutdown_date"):
        params = {"date": life["shutdown_date"], "horizon": f"{life['horizon_months']:g}"}
        return Score(min(score, 0.3), "catalog", evidence + [f"shutdown_date={life['shutdown_date']}"], "why.updates_deprecated", params)
    if life.get("status") == "deprecated":  # deprecated with no date (models.dev): a risk, not "available forever"
        return Score(min(score, 0.35), "catalog", evidence + ["lifecycle=deprecated, shutdown date unknown"], "why.updates_deprecated_undated", {})
    return Score(score, _fact_origin(cand), evidence, "why.updates_open" if is_open else "why.updates_closed", {"release": release or "?"})


def support(cand: Candidate) -> Score:
    e = cand.entry
    sla_fact, sup_fact = fact(e, "sla"), fact(e, "support")
    sla = _truthy(None if sla_fact is None else sla_fact.value)
    sup = None if sup_fact is None else sup_fact.value
    evidence = [x for x in (fact_text("sla", sla_fact), fact_text("support", sup_fact)) if not x.endswith("=unknown")]
    if sla:
        return Score(0.9, "catalog", evidence, "why.support_sla")
    text = str(sup).strip().lower() if sup is not None else ""
    if text in ("paid", "vendor", "enterprise") or (sup is True):
        return Score(0.7, "catalog", evidence, "why.support_vendor")
    if text == "community":
        return Score(0.4, "catalog", evidence, "why.support_community")
    if cand.openness in ("open-source", "open-weights") and _downloadable(cand):
        return Score(0.3, "estimate", evidence or ["no vendor support on record for self-hosted weights"], "why.support_community")
    return Score(UNKNOWN, "unknown", evidence or ["support=unknown"], "why.unknown")


def api_security(cand: Candidate | Model) -> Score:
    """Security of sending prompts to the model's API (the vendor's terms, when the vendor is known)."""
    e = cand.entry
    if cand.openness != "closed":
        # an open model behind a host: the entry's facts describe self-hosting; the terms are the host's,
        # known when one host serves it and the catalog has that host's terms
        host = getattr(e, "api_host", None)
        terms = getattr(e, "api_host_terms", None) or {}
        found = _terms_score(lambda n: terms.get(n), f"API host {host}: ") if host else None
        if found is None:
            return Score(0.4, "estimate", ["third-party API host; its data terms are not in the catalog"], "why.security_third_party")
        score, evidence = found
        return Score(score, "catalog", evidence, "why.security_host", {"host": host})
    found = _terms_score(lambda n: fact(e, n))
    if found is None:
        return Score(UNKNOWN, "unknown", ["data handling of the API unknown"], "why.unknown")
    return Score(found[0], "catalog", found[1], "why.security_api")


TERMS = ("trains_on_api_data", "zero_retention_available", "certifications", "data_retention")


def _terms_score(term: Callable[[str], Any], prefix: str = "") -> tuple[float, list[str]] | None:
    """(score, evidence) of an API's data terms, ``term(name)`` giving each curated fact (or None);
    None when none of the three that score is on record. The prompts leave the premises whatever the
    terms: at most 0.8 (owned hardware 1.0); unknown parts count half."""
    values = {n: (None if term(n) is None else term(n).value) for n in TERMS}
    if all(values[n] is None for n in TERMS[:3]):
        return None
    trains, zero, certs = (_truthy(values[n]) for n in TERMS[:3])
    score = 0.2 + 0.2 * _part(None if trains is None else not trains) + 0.25 * _part(zero) + 0.15 * _part(certs)
    return score, [prefix + fact_text(n, term(n)) for n in TERMS]


def entry_scores(cand: Candidate, task: str | None = None, horizon_months: float | None = None) -> dict[str, Score]:
    """Criterion scores that depend on the model alone (not on the profile's resources); ``task``: the
    decision's task, for a tune measured on it. A candidate made from a :class:`Model` reads them from
    :func:`model_scores` (``horizon_months``: the profile's, which its lifecycle was judged with)."""
    if cand.source is not None and horizon_months is not None:
        return model_scores(cand.source, cand.today, horizon_months, task)
    return _entry_scores(cand, task)


@lru_cache(maxsize=16384)
def model_scores(m: Model, today: date | None, horizon_months: float, task: str | None) -> dict[str, Score]:
    """:func:`entry_scores` of a model as at ``today``, its lifecycle judged against the horizon (computed
    once for each: the scores of the model alone are shared by every pass and candidate made from it)."""
    life = life_at(m, today, horizon_months) if today is not None else None
    cand = Candidate(m.model, m.name, m.entry, m.openness, m.openness_origin, m.measurement, self_hosted=m.self_hosted, lifecycle=life,
                     today=today)
    return _entry_scores(cand, task)


def _entry_scores(cand: Candidate, task: str | None) -> dict[str, Score]:
    return {
        "customization": customization(cand, task),
        "transparency": transparency(cand),
        "collaboration": collaboration(cand),
        "updates": updates(cand),
        "support": support(cand),
    }


# the performance prior --------------------------------------------------------------------------

class TaskAnswers(NamedTuple):
    """The profile's answers the performance criterion reads (the profile itself has them too)."""

    task_kind: str
    languages: tuple[str, ...]
    latency_target_s: float | None

    @classmethod
    def of(cls, profile: Any) -> TaskAnswers:
        return cls(profile.task_kind, tuple(profile.languages), profile.latency_target_s)


UNKNOWN_FIT = 0.8  # fit not on record: below a model known to fit the task, above one known not to


def task_fit_of(cand: Candidate | Model) -> tuple[list[str], str]:
    """(what the model is fit for, origin): see :mod:`whichai.decide.task_fit`."""
    return task_fit(cand.model, cand.name, cand.entry, cand.openness)


def task_fit_factor(fit: list[str], task_kind: str) -> float:
    """How well a model's fit suits the task: 1 when it fits, less when it does not.

    A chat task: chat/instruct or reasoning 1.0; a code specialist that also chats (fit for code and
    chat, named for code) 0.6; code only 0.3; base only 0.15. A code task: code 1.0 (chat 0.85,
    base 0.3). A reasoning task: reasoning 1.0, chat 0.85, code specialist 0.6, code 0.3, base 0.15.
    Fit not on record (neither in the catalog nor readable from the name): 0.8.
    """
    if not fit:
        return UNKNOWN_FIT
    table = {
        "chat": {"chat": 1.0, "instruct": 1.0, "reasoning": 1.0, "code-specialist": 0.6, "code": 0.3, "base": 0.15},
        "code": {"code": 1.0, "code-specialist": 1.0, "chat": 0.85, "instruct": 0.85, "reasoning": 0.85, "base": 0.3},
        "reasoning": {"reasoning": 1.0, "chat": 0.85, "instruct": 0.85, "code-specialist": 0.6, "code": 0.3, "base": 0.15},
    }[task_kind]
    return max(table.get(f, 0.5) for f in fit)


UNKNOWN_LANGUAGE_SHARE = 0.5  # a language other than English that a model of unknown languages may cover: half a cover


def language_factor(entry_langs: list[str], needed: list[str]) -> float | None:
    """0.5 + 0.5 × the share of the needed languages the model covers; None when no language is needed.

    A model whose languages are not on record is scored as unknown, never as the best case: English
    counts as covered, every other needed language as half covered (:data:`UNKNOWN_LANGUAGE_SHARE`), so
    it ranks below a model known to cover them and above one known not to (issue 23)."""
    if not needed:
        return None
    if not entry_langs:
        other = sum(1 for lang in needed if lang.split("-")[0] != "en")
        if not other:
            return None
        return 0.5 + 0.5 * (len(needed) - other + UNKNOWN_LANGUAGE_SHARE * other) / len(needed)
    have = {x.lower().split("-")[0] for x in entry_langs}
    covered = sum(1 for lang in needed if lang.split("-")[0] in have)
    return 0.5 + 0.5 * covered / len(needed)


def _size_or_price(cand: Candidate | Model) -> tuple[float, str, str] | None:
    e = cand.entry
    params = getattr(e, "params_b", None) if e is not None else None
    if params:
        active = getattr(e, "active_params_b", None)
        eff = math.sqrt(params * active) if active and active < params else params
        score = min(0.7, max(0.05, 0.2 + 0.15 * math.log10(eff)))
        return score, "size", f"prior from {eff:g} B effective parameters (catalog); not measured on your task"
    price = getattr(e, "price_usd_per_mtok", None) if e is not None else None
    if price is not None and cand.openness == "closed":
        blended = (3 * price.input + price.output) / 4
        if blended > 0:
            score = min(0.6, max(0.3, 0.45 + 0.08 * math.log10(blended)))
            return score, "price", f"prior from the API price tier, ${blended:.2f}/Mtok blended (catalog); not measured"
    return None


NON_ENGLISH_WEIGHT = 0.5  # share of the prior taken from the multilingual benchmarks when the task needs other languages


def benchmark_prior(cand: Candidate | Model, profile: Any, task_langs: list[str] | None = None) -> Score | None:
    """The prior from published benchmarks (origin ``benchmark``), or None when none covers the entry.

    The ability the task needs (chat: general; code; reasoning), fitted on one scale from the linked
    results (:mod:`whichai.catalog.benchmarks`), Φ(θ) in [0, 1]; without the model's own figures for that
    ability, its general prior linked to that ability's scale (mean-sigma linking). When the task needs a
    language other than English, every model: (1 − 0.5) × that + 0.5 × its multilingual prior (its general θ
    plus its multilingual figures' shrunk residual from what the general θ predicts, :mod:`whichai.catalog.anchoring`;
    no figure: its general prior). Then × the task fit relative to a chat model where the ability was linked
    (:func:`_linked_fit`), × the language factor. ``params["se"]``: the benchmarks' own noise; ``params["linked"]``:
    [ability, entries the linking was fitted on] for each linked part; ``params["anchored"]``: the multilingual
    figures as [benchmark, figure, residual] and the shift kept.
    """
    from whichai.catalog import benchmarks

    e = cand.entry
    found = benchmarks.prior(e.id, profile.task_kind) if e is not None else None
    line = benchmarks.line_estimate(e.id, profile.task_kind) if e is not None and found is None else None
    if line is not None:
        found = line.prior
    if found is None or e is None:
        return None
    needed = list(dict.fromkeys([*profile.languages, *(task_langs or [])]))
    score, se, evidence = found.score, found.se, [_ability_evidence(found), *found.evidence()]
    if line is not None:
        se, evidence = line.se, [_line_evidence(line, e), *evidence]
    multi = benchmarks.multilingual(line.reference if line else e.id) if any(x.split("-")[0] != "en" for x in needed) else None
    parts = [found] if multi is None else [found, multi]
    if multi is not None:
        score, se = _with_multilingual(score, se, multi, evidence)
    fit_f = _linked_fit(cand, found, profile.task_kind, evidence)
    lang_f = language_factor(list(getattr(e, "languages", None) or []), needed) or 1.0
    if lang_f != 1.0:
        evidence.append(f"languages={','.join(getattr(e, 'languages', None) or []) or 'unknown'} (catalog); you need {','.join(needed)}: ×{lang_f:.2f}")
    value = score * fit_f * lang_f
    names = ", ".join(dict.fromkeys(b for p in parts for b, *_ in p.benchmarks))
    params: dict[str, Any] = {"benchmarks": names, "prior": round(value, 2), "se": round(se * fit_f * lang_f, 3), "task": profile.task_kind}
    if any(p.linked_from for p in parts):
        params["linked"] = [_linked_part(p) for p in parts if p.linked_from]
    if found.with_general is not None:
        params["combined"] = [found.ability, found.with_general.linked_over]
    if multi is not None and multi.anchor is not None:
        params["anchored"] = {"figures": [[k.benchmark, y, round(r, 3)] for k, y, r in multi.anchor.residuals], "shift": round(multi.anchor.shift, 3),
                              "unused": [b for b, _ in multi.anchor.unused]}
    if line is not None:  # an estimate from the line's benchmarked model, never labelled benchmark
        params["reference"] = line.reference_name
        return Score(value, "estimate", evidence, f"why.prior_line_{line.basis}", params)
    return Score(value, "benchmark", evidence, "why.prior_benchmark", params)


def _linked_text(part: list[Any], lang: str) -> str:
    """[ability, n]: the general ability put on that ability's scale; [general, n, ability]: the other way."""
    if len(part) == 3:
        return t("why.prior_linked_from", lang, ability=t(f"why.ability_{part[2]}", lang), n=part[1])
    return t("why.prior_linked", lang, ability=t(f"why.ability_{part[0]}", lang), n=part[1])


def _linked_part(p: Any) -> list[Any]:
    return [p.ability, p.linked_over] if p.linked_from == "general" else [p.ability, p.linked_over, p.linked_from]


def _with_multilingual(score: float, se: float, multi: Any, evidence: list[str]) -> tuple[float, float]:
    """(1 − w) × the task's prior + w × the multilingual one (w = ``NON_ENGLISH_WEIGHT``), and its noise."""
    evidence.append(f"{_ability_evidence(multi)}, weight {NON_ENGLISH_WEIGHT:g}")
    w = NON_ENGLISH_WEIGHT
    return (1 - w) * score + w * multi.score, math.hypot((1 - w) * se, w * multi.se)


def _ability_evidence(found: Any) -> str:
    """The evidence line of one ability's prior: from which benchmarks, or linked from the general ability and how."""
    from whichai.catalog.benchmarks import linkings

    if found.anchor is not None:
        return _anchored_evidence(found)
    if found.with_general is not None:
        g = found.with_general
        return (f"{found.ability} ability from {found.names()}, weighed with its general ability linked to the {found.ability} scale over "
                f"{g.linked_over} models having both ({g.score:.2f} ± {g.se:.2f}) by their precision: {found.score:.2f} ± {found.se:.2f} (benchmark)")
    if not found.linked_from:
        return f"{found.ability} ability from {found.names()}: {found.score:.2f} ± {found.se:.2f} (benchmark)"
    if found.linked_from != "general":
        k = linkings()[found.linked_from]
        return (f"general ability linked from {k.ability} ({found.names()}) over {k.n} models having both: θ = {k.general_mean:.2f} + "
                f"(θ_{k.ability} − {k.mean:.2f}) / {k.slope:.2f} = {found.theta:.2f}, residual spread {k.spread:.2f}: {found.score:.2f} ± "
                f"{found.se:.2f} (benchmark, linked)")
    k = linkings()[found.ability]
    return (f"{found.ability} ability linked from general ({found.names()}) over {k.n} models having both: θ = {k.mean:.2f} + {k.slope:.2f} × "
            f"(θ_general − {k.general_mean:.2f}) = {found.theta:.2f}, residual spread {k.spread:.2f}: {found.score:.2f} ± {found.se:.2f} (benchmark, linked)")


def _anchored_evidence(found: Any) -> str:
    """The evidence line of a multilingual prior anchored on the general ability: each figure against its benchmark's
    line (probit(figure) = α + β θ_general), the residuals' mean and the shift kept."""
    from whichai.catalog.anchoring import MIN_ANCHORED

    a = found.anchor
    unused = "".join(f"; {b} {y:.3f} not used (its benchmark has no line: fewer than {MIN_ANCHORED} models with a general prior, or "
                     "not rising with it)" for b, y in a.unused)
    if not a.residuals:
        return (f"multilingual ability anchored on general: no multilingual figure on an anchored benchmark{unused}; shift 0 ± {a.shift_se:.2f} "
                f"(between models' spread): θ {found.theta:.2f}: {found.score:.2f} ± {found.se:.2f} (benchmark, neutral)")
    each = "; ".join(f"{k.benchmark} {y:.3f} vs probit line {k.intercept:.2f} + {k.slope:.2f} θ_general ({k.n} models): {r:+.2f}" for k, y, r in a.residuals)
    mean = sum(r for *_, r in a.residuals) / len(a.residuals)
    return (f"multilingual ability anchored on general: {each}{unused}; mean {mean:+.2f} × weight {a.weight:.2f} (n/(n + σ²_within/σ²_between)) = "
            f"{a.shift:+.2f} ± {a.shift_se:.2f}: θ {found.theta:.2f}: {found.score:.2f} ± {found.se:.2f} (benchmark)")


def _linked_fit(cand: Candidate | Model, found: Any, task_kind: str, evidence: list[str]) -> float:
    """The task-fit factor of a benchmark prior: 1 on the task's own ability; linked from the general ability, the
    model's fit relative to a general-purpose chat model's, the kind the linking was fitted on (at most 1: a chat
    model is not penalised twice, a base-only one still is); no linking at all (the general prior itself), its fit."""
    from whichai.catalog.benchmarks import TASK_ABILITY

    if found.ability == TASK_ABILITY.get(task_kind, "general") and not found.linked_from:
        return 1.0
    fit, fit_origin = task_fit_of(cand)
    fit_f = task_fit_factor(fit, task_kind)
    if found.linked_from:
        fit_f = min(1.0, fit_f / task_fit_factor(["chat"], task_kind))
        evidence.append(f"no {task_kind} benchmark: task_fit={','.join(fit) or 'unknown'} ({fit_origin}) relative to a chat model: ×{fit_f:.2f}")
    else:
        evidence.append(f"no {task_kind} benchmark: task_fit={','.join(fit) or 'unknown'} ({fit_origin}): ×{fit_f:g}")
    return fit_f


def _line_evidence(line: Any, e: Any) -> str:
    from whichai.catalog.benchmarks import ESTIMATE_SE, TIER_SLACK

    unit = "USD/Mtok blended" if line.basis == "price" else "B effective parameters"
    return (f"no benchmark covers {e.name}: estimate (rule: the strongest benchmarked model of its line, lab {getattr(e, 'lab', None) or getattr(e, 'provider', '?')}, released "
            f"on or before it, {line.reference_release} <= {e.release_date}, at a {line.basis} of at most {TIER_SLACK:g} x its own, "
            f"{line.reference_tier:g} vs {line.tier:g} {unit}) = {line.reference} ({line.reference_name}); se + {ESTIMATE_SE:g} for the estimate")


TIE_Z = 1.96  # two priors closer than 1.96 × the noise of their difference are indistinguishable without measuring


def within_noise(a: Score, b: Score) -> bool:
    """Two performance priors that the benchmarks cannot tell apart: neither measured, both with the
    benchmarks' noise (``params["se"]``, origin ``benchmark`` or a line ``estimate``), and
    |a − b| ≤ 1.96 × √(se_a² + se_b²)."""
    sa, sb = a.params.get("se"), b.params.get("se")
    if a.origin == "measured" or b.origin == "measured" or sa is None or sb is None:
        return False
    return abs(a.score - b.score) <= TIE_Z * math.hypot(float(sa), float(sb))


def performance_prior(cand: Candidate | Model, profile: Any, task_langs: list[str] | None = None) -> Score:
    """Until a model is measured on the user's task: a prior (origin ``estimate``).

    Base: open models by effective size (MoE: geometric mean of total and active parameters),
    0.2 + 0.15·log10(B) within [0.05, 0.7]; closed models by blended API price p (USD/Mtok, a proxy
    for the tier), 0.45 + 0.08·log10(p) within [0.3, 0.6]; neither known 0.3. Then × the
    task fit factor × the language factor (the profile's languages and the task's cases' ``lang:``
    tags).
    """
    bench = benchmark_prior(cand, profile, task_langs)
    if bench is not None:
        return bench
    base = _size_or_price(cand)
    if base is None:
        # a prior, not a fact: a stated rule (origin estimate), below most priors so an unknown size is not rewarded
        return Score(PRIOR_UNKNOWN, "estimate", ["size and price unknown; not measured on your task"], "why.prior_unknown")
    score, basis, first = base
    fit, fit_origin = task_fit_of(cand)
    fit_f = task_fit_factor(fit, profile.task_kind)
    needed = list(dict.fromkeys([*profile.languages, *(task_langs or [])]))
    lang_f = language_factor(list(getattr(cand.entry, "languages", None) or []), needed)
    evidence = [first, f"task_fit={','.join(fit) or 'unknown'} ({fit_origin}) for a {profile.task_kind} task: ×{fit_f:g}"]
    if lang_f is not None:
        evidence.append(f"languages={','.join(getattr(cand.entry, 'languages', None) or []) or 'unknown'} (catalog); you need {','.join(needed)}: ×{lang_f:.2f}")
    if fit_f == 1.0 and lang_f in (None, 1.0):
        return Score(score, "estimate", evidence, f"why.prior_{basis}")
    params = {"task": profile.task_kind, "fit": f"×{fit_f:g}", "langs": "×1" if lang_f is None else f"×{lang_f:.2f}"}  # None: no language need or languages unknown
    return Score(score * fit_f * (lang_f or 1.0), "estimate", evidence, f"why.prior_{basis}_fit", params)


# criteria that depend on the profile and the deployment mode ----------------------------------------

EASE_BY_SKILL = {"none": 0.15, "some": 0.5, "strong": 0.8}
EASE_API = 0.9
SECURITY_OWNED = 1.0
SECURITY_RENTED = 0.75


def accessibility(cand: Candidate, profile: Commercial) -> Score:
    """Can *you* get at it: weights to download, an API you may use, fits your hardware, licence."""
    return accessibility_of(cand, any(m.kind == "api" for m in cand.modes), profile.commercial)


def accessibility_of(cand: Candidate, api_usable: bool, commercial: bool) -> Score:
    """:func:`accessibility`, the API usable or not (cached on the candidate's model, when it has one)."""
    if cand.source is not None:
        return _cached_access(cand.source, api_usable, cand.fits_owned, commercial)
    return _access(cand, api_usable, cand.fits_owned, commercial)


@lru_cache(maxsize=16384)
def _cached_access(m: Model, api_usable: bool, fits_owned: bool | None, commercial: bool) -> Score:
    return _access(m, api_usable, fits_owned, commercial)


def _access(cand: Candidate | Model, api_usable: bool, fits_owned: bool | None, commercial: bool) -> Score:
    e = cand.entry
    if e is not None:
        downloadable = True if cand.self_hosted else e.weights_downloadable
        unrestricted = None if e.license_restricts_use is None else not e.license_restricts_use
        if commercial and e.commercial_use is False:
            unrestricted = False
        origin = "catalog"
    else:
        downloadable, unrestricted, origin = _downloadable(cand), None, "estimate"
    score = 0.35 * _part(downloadable) + 0.25 * float(api_usable) + 0.25 * _part(fits_owned) + 0.15 * _part(unrestricted)

    def yn(value: bool | None) -> str:
        return "unknown" if value is None else ("yes" if value else "no")

    licence = f" ({e.license})" if e is not None and e.license else ""
    evidence = [
        f"weights downloadable: {yn(downloadable)}; API you may use: {yn(api_usable)}; fits your hardware: {yn(fits_owned)}; "
        f"licence without use restrictions: {yn(unrestricted)}{licence}"
    ]
    return Score(score, origin, evidence, "why.accessibility")


PRIOR_CASES = 5  # a measured pass rate is combined with the prior as if the prior were this many cases


def sample_size(m: Measurement) -> tuple[int, bool]:
    """(cases the pass rate is over, whether that count is on record): the scored answered cases,
    else the answered ones, else the cases; not on record: 1 (the least a rate can rest on)."""
    for key in ("scored", "answered", "cases"):
        value = m.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
            return int(value), True
    return 1, False


@lru_cache(maxsize=16384)
def model_performance(m: Model, answers: TaskAnswers, task_langs: tuple[str, ...]) -> Score:
    """:func:`performance` of a model (computed once for each model and answers)."""
    return performance(m, answers, list(task_langs))


def performance(cand: Candidate | Model, profile: Any, task_langs: list[str] | None = None) -> Score:
    """Measured on the user's task, honest about the sample: the pass rate over n scored cases
    combined with the prior (:func:`performance_prior`) as if the prior were ``PRIOR_CASES`` cases,
    (passed + 5 × prior) / (n + 5), then × latency target / p95 latency (at most 1). One case
    passed of one moves a small model's prior a little; 200 of 200 leave it near 1. Else the prior."""
    m = cand.measurement
    measured_rate = None if m is None else m.get("pass_rate")
    if m is None or measured_rate is None:
        return performance_prior(cand, profile, task_langs)
    rate = float(measured_rate)
    n, counted = sample_size(m)
    passed = rate * n
    prior = performance_prior(cand, profile, task_langs)
    combined = (passed + PRIOR_CASES * prior.score) / (n + PRIOR_CASES)
    evidence = [f"pass_rate={rate:.3f} over {n} answered cases (measured)" if counted else
                f"pass_rate={rate:.3f} (measured; number of cases not on record: counted as 1)"]
    ci = m.get("pass_rate_ci95")
    if ci:
        evidence[0] += f", 95% CI {ci[0]:.2f}-{ci[1]:.2f}"
    factor = 1.0
    p95 = m.get("latency_p95_s")
    if profile.latency_target_s and p95:
        factor = min(1.0, profile.latency_target_s / float(p95))
        evidence.append(f"latency_p95={float(p95):.2f}s vs target {profile.latency_target_s:g}s (measured)")
    params = {"rate": rate, "passed": round(passed, 2), "n": n, "prior": round(prior.score, 2), "k": PRIOR_CASES, "score": round(combined, 2)}
    return Score(combined * factor, "measured", evidence, "why.measured", params)


def owned_security(cand: Candidate | Model) -> Score:
    """Security when the weights run on the user's hardware. An entry that is a hosted API's offer (an id
    under a host, e.g. deepinfra/…) is scored in this mode only because its weights can be downloaded:
    the reason says so and that the offer's API would send the prompts out, so that a hosted API's card
    never reads as if its API kept the prompts on the user's hardware (issue 23, finding 9)."""
    e = cand.entry
    if e is not None and not cand.self_hosted and getattr(e, "api_available", False):
        return Score(SECURITY_OWNED, "profile", [f"runs on your hardware (owned), not through the API {e.id}"],
                     "why.security_owned_not_api", {"api": e.id})
    return Score(SECURITY_OWNED, "profile", ["runs on your hardware"], "why.security_owned")


def mode_scores(cand: Candidate, mode: Any, profile: Any) -> dict[str, Score]:
    """Security and ease of use in a deployment mode (``profile``: its ``team_skill`` is read)."""
    return kind_scores(cand, mode.kind, profile.team_skill)


def kind_scores(cand: Candidate | Model, kind: str, team_skill: str) -> dict[str, Score]:
    """Security and ease of use in a kind of deployment mode."""
    return {"security": security_in(cand, kind), "ease_of_use": ease_of_use(kind, team_skill)}


def security_in(cand: Candidate | Model, kind: str) -> Score:
    """Security in a kind of deployment mode (cached on the model, or the candidate's)."""
    model = cand if isinstance(cand, Model) else cand.source
    return _cached_security(model, kind) if model is not None else _security(cand, kind)


@lru_cache(maxsize=16384)
def _cached_security(m: Model, kind: str) -> Score:
    return _security(m, kind)


def _security(cand: Candidate | Model, kind: str) -> Score:
    if kind == "owned":
        return owned_security(cand)
    if kind == "rented":
        return Score(SECURITY_RENTED, "estimate", ["your own rented GPU server"], "why.security_rented")
    return api_security(cand)


@lru_cache(maxsize=16)
def ease_of_use(kind: str, team_skill: str) -> Score:
    """Self-hosting by the team's skill; a managed API has nothing to operate."""
    if kind in ("owned", "rented"):
        return Score(EASE_BY_SKILL[team_skill], "profile", [f"team_skill={team_skill}"], "why.ease_self", {"skill": team_skill})
    return Score(EASE_API, "estimate", ["managed API: nothing to operate"], "why.ease_api")


def cost_reference(profile: Profile) -> float:
    return profile.budget_usd_per_month if profile.budget_usd_per_month else profile.cost_reference_usd


def cost_score(monthly: float, reference: float) -> float:
    """1 / (1 + monthly / reference): 0.5 at the budget (or the reference cost), 1 when free."""
    return 1.0 / (1.0 + max(monthly, 0.0) / reference)


def cost(monthly: float, mode: Any, profile: Profile) -> Score:
    return Score(cost_score(monthly, cost_reference(profile)), mode.cost_origin, [f"mode={mode.kind}"], "why.cost",
                 {"monthly": round(monthly, 2), "mode": mode.kind})


# one entry, for `whichai models ID` ------------------------------------------------------------------


def score_entry(entry: Any, profile: Profile | None = None, today: date | None = None) -> dict[str, Score]:
    """The ten criterion scores of one catalog entry under ``profile`` (the default profile when None),
    in its cheapest allowed mode at the profile's volume; computed as the recommendation computes them."""
    profile = profile or Profile()
    cand = build_candidate(entry.id, entry, None, profile, today=today or clock.today())
    scores = {"accessibility": accessibility(cand, profile), **entry_scores(cand, profile.task), "performance": performance(cand, profile)}
    found = cheapest(cand.modes, profile.volume.requests_per_month)
    if found is None:
        scores["security"] = api_security(cand) if entry.api_available else Score(UNKNOWN, "unknown", [], "why.unknown")
        scores["ease_of_use"] = Score(UNKNOWN, "unknown", [], "why.unknown")
        scores["cost"] = Score(UNKNOWN, "unknown", [r.code for r in cand.reasons], "why.cost_none")
    else:
        mode, monthly = found
        scores.update(mode_scores(cand, mode, profile))
        scores["cost"] = cost(monthly, mode, profile)
    return {cid: scores[cid] for cid in CRITERION_IDS}
