"""Hard constraints: which models the user can use at all, and in which deployment modes.

A model is *excluded* when it breaks a constraint: the data may not leave the premises but it is
API-only; it does not fit the hardware; its licence forbids the use; it is below the quality bar
measured on the user's task; its openness is below what is required; no SLA or no way to customise
when one is required; it is retired (lifecycle status ``retired``, or its shutdown date is past
``today``); and (checked at the profile's volume, in :mod:`whichai.decide.scoring`) it cannot
serve the volume or is over budget. Reasons are codes with parameters; the text comes from
:mod:`whichai.decide.i18n` in the user's language.

``today`` is the one date decide reads (lifecycle, release age); callers pass it so tests can pin it.

A measurement is matched to its catalog entry by what it *serves* (a configured server's
``serves = "<catalog id>"``), else by its own id. A *self-hosted* measurement (``self_hosted``: a
local model, a local server, or a server declared ``self_hosted = true``) is the user's own
deployment of those weights: it is costed and judged as self-hosting (owned or rented; the data
stays where the user runs it), never as an outside vendor's API. When several measurements map to
one entry (the embedded model and a server serving the same weights), each stays a candidate of its
own: the one measured under the entry's own id or alias (else the first by id) keeps the entry's id,
the others keep their run ids, with a ``serves`` note.

How it is computed: what a model is before any profile answer (:class:`Model`: its entry, its
measurement and the facts read from them) is made once, per catalog entry when a catalog view is
made. Each rule is a function of a model and of the profile answers it reads, passed as a record of
exactly those answers (:class:`Checks` for the checks of the model alone, :class:`Deploy` for the
deployment modes): a rule cannot read an answer it is not given. Over the catalog's models, a rule's
results are a pure function of the models and those answers (:func:`each`, :func:`deployments`),
cached on them, so the passes of one recommendation (the "what if" re-runs) share every result whose
answers they share; what no "what if" changes (a model's lifecycle at the day, its offers retired by
then) is computed once for all of them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from whichai import clock
from whichai.catalog.hardware import fit_memory
from whichai.catalog.lifecycle import lifecycle_of
from whichai.decide.catalog_view import CatalogView
from whichai.decide.measurement import Measurement
from whichai.decide.profile import OPENNESS_RANK, OwnedHardware, PriceOverride, Profile, RentedGPU
from whichai.decide.task_fit import THINKING_OUTPUT_FACTOR, thinks
from whichai.decide.tco import (
    MAX_RENTED_GPUS,
    CapacityFigure,
    Mode,
    Ops,
    PerRequest,
    Throughput,
    api_cost,
    at_volume,
    find_capacity,
    memory_needed_gb,
    owned_cost,
    price_override,
    rentable_for,
    rented_cost,
    weakest,
    with_ops,
)
from whichai.decide.tuning import TUNED_PREFIX, tuned_modes

DAYS_PER_MONTH = 365.25 / 12

CLOSED_API_PROVIDERS = ("openai/", "anthropic/", "gemini/", "google/")


@dataclass(slots=True)
class Reason:
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, **self.params}


@dataclass(slots=True)
class Candidate:
    """A model as the user could use it: its entry, measurement, allowed modes, static exclusions."""

    model: str
    name: str
    entry: Any  # ModelEntry | None (measured but not in the catalog)
    openness: str  # open-source | open-weights | closed | unknown
    openness_origin: str  # catalog | inferred
    measurement: Measurement | None
    modes: list[Mode] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)  # static hard-constraint failures
    notes: list[Reason] = field(default_factory=list)
    fits_owned: bool | None = None  # None = unknown (size unknown)
    self_hosted: bool = False  # a measurement of the user's own deployment (local model, own server)
    lifecycle: dict[str, Any] | None = None  # {status, shutdown_date, within_horizon, horizon_months, source}
    today: date | None = None  # the date lifecycle and release age are judged at
    source: Model | None = None  # what it is before any profile answer (the scores of the model alone are cached on it)


def fact(entry: Any, name: str) -> Any:
    """A curated fact's object (value, source, note) or None."""
    if entry is None:
        return None
    facts = getattr(entry, "facts", None) or {}
    return facts.get(name)


def fact_value(entry: Any, name: str) -> Any:
    f = fact(entry, name)
    return None if f is None else f.value


def fact_evidence(entry: Any, name: str) -> str:
    return fact_text(name, fact(entry, name))


def fact_text(name: str, f: Any) -> str:
    """A curated fact as evidence: ``name=value (source, date)``, or ``name=unknown``."""
    value = None if f is None else f.value
    if value is None:
        return f"{name}=unknown"
    source = f.source
    return f"{name}={value} ({source.name}, {source.as_of})" if source is not None else f"{name}={value}"


def _truthy(value: Any) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value > 0
    if isinstance(value, (list, dict)):
        return bool(value)
    text = str(value).strip().lower()
    if text in ("", "none", "no", "false", "unknown", "n/a"):
        return False if text not in ("", "unknown", "n/a") else None
    return True


def _infer_openness(model_id: str, self_hosted: bool = False) -> tuple[str, str]:
    if model_id.startswith("local/") or self_hosted:  # the user holds the weights
        return "open-weights", "inferred"
    if model_id.startswith(CLOSED_API_PROVIDERS):
        return "closed", "inferred"
    return "unknown", "inferred"


def _zero_retention(entry: Any) -> bool:
    if _truthy(fact_value(entry, "zero_retention_available")):
        return True
    retention = fact_value(entry, "data_retention")
    return retention is not None and str(retention).strip().lower() in ("0", "0 days", "none", "zero")


# a model before any profile answer ------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Model:
    """What a candidate is before any profile answer: its catalog entry and, when measured, its
    measurement, with the facts decide reads from them (:func:`model_of`). One per catalog entry, made
    once per catalog view (:func:`catalog_models`); one per measured deployment, per pass. One model is
    one object: the results cached on it (:func:`each`) key on its identity."""

    model: str  # its id as a candidate
    name: str
    entry: Any  # ModelEntry | RawEntry | None (measured but not in the catalog)
    openness: str  # open-source | open-weights | closed | unknown
    openness_origin: str  # catalog | inferred
    measurement: Measurement | None
    self_hosted: bool  # a measurement of the user's own deployment (:func:`is_self_hosted`)
    local_measured: bool  # measured on this machine (a local model, or a server on this machine)
    downloadable: bool  # weights the user can hold
    api_available: bool  # an API a vendor or host serves it through (never for the user's own deployment)
    params_b: float | None
    active_params_b: float | None
    ids: tuple[str, ...]  # its id and aliases (a capacity figure may name any)
    thinking: bool  # reasons before answering, costed with THINKING_OUTPUT_FACTOR × the output tokens until measured
    notes: tuple[Reason, ...]  # not in the catalog


def model_of(model_id: str, entry: Any, measurement: Measurement | None = None) -> Model:
    """The model ``model_id`` as its catalog ``entry`` (None: not in the catalog) and its ``measurement`` describe it."""
    self_hosted = is_self_hosted(measurement, entry)
    local_measured = False
    if measurement is not None:
        ran_id = str(measurement.get("model") or model_id)
        local_measured = ran_id.startswith("local/") or measurement.get("hardware") == "this-machine"
    downloadable = self_hosted or (bool(entry.weights_downloadable) if entry is not None else local_measured)
    if self_hosted:
        api_available = False
    else:
        api_available = bool(entry.api_available) if entry is not None else (measurement is not None and not local_measured)
    params = _params_b(entry, measurement)
    notes: tuple[Reason, ...] = ()
    if entry is not None:
        name, openness, origin = entry.name, entry.openness, "catalog"
        active = getattr(entry, "active_params_b", None) or params
    else:
        (openness, origin), name, notes = _infer_openness(model_id, self_hosted), model_id.split("/", 1)[-1], (Reason("not_in_catalog"),)
        active = params
    return Model(model_id, name, entry, openness, origin, measurement, self_hosted, local_measured, downloadable, api_available,
                 params, active, (model_id, *(getattr(entry, "aliases", None) or ())), measurement is None and thinks(model_id, name, entry), notes)


@dataclass(frozen=True, eq=False)
class Models:
    """The catalog's models (one :class:`Model` per entry, sorted by id), made once per catalog view."""

    items: tuple[Model, ...]


def catalog_models(entries: list[Any]) -> Models:
    return Models(tuple(model_of(e.id, e) for e in sorted(entries, key=lambda e: e.id)))


@lru_cache(maxsize=16)
def view_models(view: CatalogView) -> Models:
    """A catalog view's entries as models, made once per view: every pass and recommendation over the
    view shares what is cached on them."""
    return catalog_models(view.entries)


@lru_cache(maxsize=256)
def each(rule: Callable[..., Any], models: Models, *answers: Any) -> tuple[Any, ...]:
    """``rule(model, *answers)`` for each of the catalog's models: a pure function of the rule, the models
    and the answers, computed once for each and shared by every pass that gives the same answers."""
    return tuple(rule(m, *answers) for m in models.items)


# the model alone: lifecycle, licence, openness, the quality bar, SLA, customisation ---------------------


class Checks(NamedTuple):
    """The profile's answers the checks of the model alone read, and the day lifecycles are judged at."""

    today: date
    horizon_months: float
    commercial: bool
    accept_use_restrictions: bool
    min_openness: str
    min_quality: float | None
    support: str
    customise: str

    @classmethod
    def of(cls, profile: Profile, today: date) -> Checks:
        return cls(today, profile.horizon_months, profile.commercial, profile.accept_use_restrictions, profile.min_openness,
                   profile.min_quality, profile.support, profile.customise)


class Static(NamedTuple):
    """What the model alone decides under the profile: its lifecycle, the reasons that exclude it, notes."""

    lifecycle: dict[str, Any] | None
    reasons: tuple[Reason, ...]
    notes: tuple[Reason, ...]

    @property
    def retired(self) -> bool:
        return bool(self.lifecycle) and self.lifecycle["status"] == "retired"  # type: ignore[index]


def static_checks(m: Model, checks: Checks, life: dict[str, Any] | None) -> Static:
    """The lifecycle at ``checks.today`` (``life``, :func:`life_at`; retired: excluded, nothing else
    checked); then the licence, the openness, the measured quality bar, SLA and customisation."""
    if life and life["status"] == "retired":
        day = life["shutdown_date"]
        return Static(life, (Reason("retired", {"date": day}) if day else Reason("retired_undated"),), ())
    reasons: list[Reason] = []
    notes: list[Reason] = []
    entry = m.entry
    if entry is not None:
        licence = entry.license or "?"
        if checks.commercial and entry.commercial_use is False:
            reasons.append(Reason("licence_commercial", {"license": licence}))
        if not checks.accept_use_restrictions and entry.license_restricts_use:
            reasons.append(Reason("licence_restricted", {"license": licence}))
    required = OPENNESS_RANK[checks.min_openness]
    if required > 0:
        if m.openness == "unknown":
            reasons.append(Reason("openness_unknown", {"required": checks.min_openness}))
        elif OPENNESS_RANK[m.openness] < required:
            reasons.append(Reason("openness_below", {"openness": m.openness, "required": checks.min_openness}))
    if checks.min_quality is not None:
        rate = None if m.measurement is None else m.measurement.get("pass_rate")
        if m.measurement is not None and rate is not None:
            _quality_bar(reasons, notes, m.measurement, float(rate), checks.min_quality)
        else:
            notes.append(Reason("quality_unmeasured", {"min": checks.min_quality}))
    if checks.support == "sla-required":
        sla = _truthy(fact_value(entry, "sla"))
        if sla is not True:
            reasons.append(Reason("no_sla" if sla is False else "sla_unknown"))
    if checks.customise == "must" and not m.downloadable and not _truthy(fact_value(entry, "fine_tuning")):
        reasons.append(Reason("no_customisation"))
    if life is None and not reasons and not notes:
        return NOTHING_TO_SAY
    return Static(life, tuple(reasons), tuple(notes))


NOTHING_TO_SAY = Static(None, (), ())  # the checks of most models, shared


@lru_cache(maxsize=64)
def checked(models: Models, checks: Checks) -> tuple[Static, ...]:
    """:func:`static_checks` for each of the catalog's models (their lifecycles judged once a day)."""
    lives = each(life_at, models, checks.today, checks.horizon_months)
    return tuple(static_checks(m, checks, life) for m, life in zip(models.items, lives))


def life_at(m: Model, today: date, horizon_months: float) -> dict[str, Any] | None:
    """The model's lifecycle judged at ``today`` against the horizon (:func:`lifecycle_state`), None when
    nothing is on record: no "what if" changes it, so the passes of a recommendation share it."""
    return (lifecycle_state(m.entry, today, horizon_months) if m.entry is not None else None) or None


def _quality_bar(reasons: list[Reason], notes: list[Reason], measurement: Measurement, rate: float, minimum: float) -> None:
    """Below the bar on the pass rate measured (``rate``): excluded. At or above it, but with the bar inside
    the 95 % interval of that rate (few cases): kept, with a note that the evidence is thin."""
    if rate < minimum:
        reasons.append(Reason("below_quality", {"rate": rate, "min": minimum}))
        return
    ci = measurement.get("pass_rate_ci95")
    if ci and ci[0] is not None and float(ci[0]) < minimum:
        n = next((int(measurement[k]) for k in ("scored", "answered", "cases") if isinstance(measurement.get(k), int) and measurement[k] > 0), None)
        notes.append(Reason("quality_uncertain", {"rate": rate, "min": minimum, "low": float(ci[0]), "cases": n or "?"}))


def lifecycle_state(entry: Any, today: date, horizon_months: float) -> dict[str, Any] | None:
    """The entry's lifecycle judged at ``today``: retired, shutting down within the horizon, or None."""
    status, shutdown = lifecycle_of(entry)
    if status is None and shutdown is None:
        return None
    day = None
    if shutdown:
        try:
            day = date.fromisoformat(str(shutdown)[:10])
        except ValueError:
            day = None
    retired = status == "retired" or (day is not None and day <= today)
    within = day is not None and not retired and (day - today).days <= horizon_months * DAYS_PER_MONTH
    return {"status": "retired" if retired else status, "shutdown_date": str(shutdown) if shutdown else None,
            "within_horizon": within, "horizon_months": horizon_months}


def _offer_status(offer: Any) -> tuple[str | None, str | None]:
    if isinstance(offer, dict):
        return offer.get("status"), offer.get("shutdown_date")
    return getattr(offer, "status", None), getattr(offer, "shutdown_date", None)


def _offers_retired(entry: Any, today: date) -> bool:
    """True when the entry lists offers with a status and every one of them is retired or shut down."""
    offers = getattr(entry, "offers", None) or {}
    states = [_offer_status(o) for o in offers.values()]
    if not states or all(status is None and shutdown is None for status, shutdown in states):
        return False
    for status, shutdown in states:
        if status == "retired":
            continue
        if shutdown and str(shutdown)[:10] <= today.isoformat():
            continue
        return False
    return True


# deployment modes and their cost -------------------------------------------------------------------


class Deploy(NamedTuple):
    """The profile's answers a model's deployment modes read (§1-2 of docs/method.md), and the day its
    offers are judged at. The number of requests a month is not among them: a mode is priced per
    request (:meth:`Mode.monthly` reads the volume; :func:`at_volume` prices what a view shows)."""

    today: date
    deployment: str
    data_may_go: str
    volume: PerRequest
    prices: tuple[tuple[str, PriceOverride], ...]
    hardware: OwnedHardware | None
    rent: RentedGPU | None
    availability: str
    capacity: tuple[Throughput, ...]
    ops: Ops

    @classmethod
    def of(cls, profile: Profile, today: date, capacity: tuple[Throughput, ...] = ()) -> Deploy:
        return cls(today, profile.deployment, profile.data_may_go, PerRequest.of(profile.volume), tuple(profile.prices.items()),
                   profile.hardware, profile.rent, profile.availability, capacity, Ops.of(profile))


def _context(volume: PerRequest) -> int:
    """The context a deployment must hold: a request's tokens, at least 4096."""
    return int(max(4096, volume.input_tokens_per_request + volume.output_tokens_per_request))


def _thinking(mode: Any) -> Any:
    """Mark a mode costed with thinking tokens (an estimate, said in its first component)."""
    if isinstance(mode, Mode):
        mode.output_factor = THINKING_OUTPUT_FACTOR
        mode.cost_origin = weakest(mode.cost_origin, "estimate")
        mode.origin_without_ops = weakest(mode.origin_without_ops or mode.cost_origin, "estimate")
        if mode.components:
            first = mode.components[0]
            first.suffix = (*first.suffix, "cost.detail_thinking")
            first.origin = weakest(first.origin, "estimate")
    return mode


def api_option(m: Model, volume: PerRequest, prices: tuple[tuple[str, PriceOverride], ...]) -> Mode | str | None:
    """The model's API mode (a thinking model with its reasoning tokens), or the code of why it has no
    price; None when it has no API."""
    if not m.api_available:
        return None
    own = price_override(prices, m.model, getattr(m.entry, "aliases", None) or ())
    found = api_cost(m.entry, m.measurement, volume.thinking() if m.thinking else volume, own)
    return _thinking(found) if m.thinking else found


def owned_option(m: Model, hw: OwnedHardware | None, volume: PerRequest, capacity: tuple[Throughput, ...]) -> tuple[Mode | Reason, bool | None] | None:
    """(the owned mode before operations, or why there is none; whether it fits the hardware ``hw``), by
    the one fit rule (:func:`whichai.catalog.hardware.fit_memory`); None when the weights are not the user's to hold."""
    if not m.downloadable:
        return None
    if hw is None:
        return Reason("no_hardware"), None
    need = memory_needed_gb(m.params_b, _context(volume)) if m.params_b else None
    ran_here = m.local_measured and hw.this_machine  # it ran on this very machine: it fits (measured)
    if need is None and not ran_here:
        return Reason("size_unknown"), None
    found = fit_memory(need, hw.ram_gb, hw.gpu_memory_gb()) if need is not None else None
    if found is not None and not found.ok:
        return Reason("does_not_fit", {"need": round(found.need_gb, 1), "have": round(found.have_gb, 1)}), False
    on_gpu = found.where == "gpu" if found is not None else bool(hw.gpus)
    cap = find_capacity(m.ids, capacity, hw)
    mode = owned_cost(m.active_params_b, m.measurement, m.local_measured, hw, volume.thinking() if m.thinking else volume, on_gpu, cap,
                      m.params_b)
    return (_thinking(mode) if m.thinking else mode), True


def rented_option(m: Model, rent: RentedGPU | None, availability: str, volume: PerRequest) -> Mode | Reason | None:
    """The rented mode before operations (enough GPUs of the profile's ``rent``, else the smallest that
    holds the model, to hold it; at most MAX_RENTED_GPUS), or why there is none; None when the weights
    are not the user's to hold or the profile rents nothing."""
    if not m.downloadable or rent is None:
        return None
    need = memory_needed_gb(m.params_b, _context(volume)) if m.params_b else None
    if need is None:
        return Reason("size_unknown")
    picked = rentable_for(need, rent)
    gpus = max(1, math.ceil(need / picked.memory_gb))
    if gpus > MAX_RENTED_GPUS:
        return Reason("too_many_gpus", {"n": gpus, "gpu": picked.gpu})
    mode = rented_cost(m.active_params_b, gpus, picked, availability, volume.thinking() if m.thinking else volume, m.params_b,
                       picked is not rent)
    return _thinking(mode) if m.thinking else mode


def _operated(found: Any, ops: Ops) -> Any:
    """A self-hosted option with the team's operations (:func:`with_ops`): the mode in ``found``, if any."""
    if isinstance(found, Mode):
        return with_ops(found, ops)
    if isinstance(found, tuple) and isinstance(found[0], Mode):
        return with_ops(found[0], ops), found[1]
    return found


@lru_cache(maxsize=64)
def owned_modes(models: Models, hw: OwnedHardware | None, volume: PerRequest, capacity: tuple[Throughput, ...], ops: Ops) -> tuple[Any, ...]:
    """:func:`owned_option` with the operations of ``ops``, for each of the catalog's models."""
    return tuple(_operated(found, ops) for found in each(owned_option, models, hw, volume, capacity))


@lru_cache(maxsize=64)
def rented_modes(models: Models, rent: RentedGPU | None, availability: str, volume: PerRequest, ops: Ops) -> tuple[Any, ...]:
    """:func:`rented_option` with the operations of ``ops``, for each of the catalog's models."""
    return tuple(_operated(found, ops) for found in each(rented_option, models, rent, availability, volume))


class Settled(NamedTuple):
    """A model's deployment modes under the profile, the reasons that exclude it (no mode left), notes,
    and whether it fits the user's hardware (None: unknown)."""

    modes: tuple[Mode, ...]
    reasons: tuple[Reason, ...]
    notes: tuple[Reason, ...]
    fits_owned: bool | None


API_ONLY = {"api_data_stays": "api_only_data_stays", "api_offline": "api_only_offline", "no_zero_retention": "api_only_no_zero_retention"}


def _api_failure(m: Model, deploy: Deploy, offers_retired: bool) -> Reason | None:
    """Why the API may not be used under the profile (§1): offline, the data stays, no zero retention,
    every offer retired (``offers_retired``, :func:`offers_retired_at`); None when it may."""
    if deploy.deployment != "cloud":
        return Reason("api_offline", {"deployment": deploy.deployment})
    if deploy.data_may_go == "nowhere":
        return Reason("api_data_stays")
    if deploy.data_may_go == "zero-retention-vendor" and (m.openness != "closed" or not _zero_retention(m.entry)):
        # zero retention is a vendor's promise: known for closed models' vendors; a third-party
        # host of open weights is not in the catalog (its facts describe self-hosting)
        return Reason("no_zero_retention")
    if offers_retired:
        return Reason("offers_retired")
    return None


def offers_retired_at(m: Model, today: date) -> bool:
    """Every offer of the model retired or shut down by ``today`` (:func:`_offers_retired`): no "what if"
    changes it, so the passes of a recommendation share it."""
    return m.entry is not None and _offers_retired(m.entry, today)


def settle(m: Model, deploy: Deploy, offers_retired: bool, api: Mode | str | None, owned: tuple[Mode | Reason, bool | None] | None,
           rented: Mode | Reason | None) -> Settled:
    """The modes the profile allows of a model's options (:func:`api_option`, :func:`owned_option`,
    :func:`rented_option`, with operations; ``offers_retired``: :func:`offers_retired_at`). No mode left:
    the failures exclude it (an API-only model's API failure says "API-only"); else the failures of
    the self-hosting modes that did not apply are notes."""
    modes: list[Mode] = []
    failures: list[Reason] = []
    fits = None
    if api is not None:
        failure = _api_failure(m, deploy, offers_retired)
        if failure is not None:
            failures.append(failure)
        elif isinstance(api, str):
            failures.append(Reason(api))
        else:
            modes.append(api)
    if owned is not None:
        found, fits = owned
        (modes if isinstance(found, Mode) else failures).append(found)  # type: ignore[arg-type]
        if deploy.rent is not None:
            if deploy.deployment != "cloud":
                failures.append(Reason("rent_offline", {"deployment": deploy.deployment}))
            elif deploy.data_may_go == "nowhere":
                failures.append(Reason("rent_data_stays"))
            elif isinstance(rented, Mode):
                modes.append(rented)
            elif rented is not None and not (rented.code == "size_unknown" and any(r.code == "size_unknown" for r in failures)):
                failures.append(rented)
    elif api is None:
        failures.append(Reason("not_available"))
    if not modes:
        if not m.downloadable and any(r.code in API_ONLY for r in failures):
            failures = [Reason(API_ONLY.get(r.code, r.code), r.params) for r in failures]
        return Settled((), tuple(failures), (), fits)
    return Settled(tuple(modes), (), tuple(r for r in failures if r.code in ("does_not_fit", "size_unknown")), fits)


@lru_cache(maxsize=64)
def deployments(models: Models, deploy: Deploy) -> tuple[Settled, ...]:
    """:func:`settle` for each of the catalog's models."""
    owned = owned_modes(models, deploy.hardware, deploy.volume, deploy.capacity, deploy.ops)
    rented = rented_modes(models, deploy.rent, deploy.availability, deploy.volume, deploy.ops)
    return _settled(models, deploy, owned, rented)


def reach(models: Models, deploy: Deploy) -> tuple[Settled, ...]:
    """:func:`settle` for each of the catalog's models, their self-hosted modes before operations
    (:func:`operated` adds them): operations change a mode's cost only, never which modes a model has,
    the reasons or the fit, so the passes that change only the team's answers share these."""
    return _reach(models, deploy._replace(ops=BEFORE_OPS))


BEFORE_OPS = Ops("", 0.0, None, False)  # the operations :func:`reach` is judged without (it reads none)


@lru_cache(maxsize=64)
def _reach(models: Models, deploy: Deploy) -> tuple[Settled, ...]:
    owned = each(owned_option, models, deploy.hardware, deploy.volume, deploy.capacity)
    rented = each(rented_option, models, deploy.rent, deploy.availability, deploy.volume)
    return _settled(models, deploy, owned, rented)


def _settled(models: Models, deploy: Deploy, owned: tuple[Any, ...], rented: tuple[Any, ...]) -> tuple[Settled, ...]:
    retired = each(offers_retired_at, models, deploy.today)
    api = each(api_option, models, deploy.volume, deploy.prices)
    return tuple(settle(m, deploy, *found) for m, *found in zip(models.items, retired, api, owned, rented))


def operated(settled: Settled, ops: Ops) -> Settled:
    """A model's deployment from :func:`reach` with the team's operations on its self-hosted modes, as
    :func:`deployments` gives it."""
    return settled._replace(modes=tuple([mode if mode.kind == "api" else with_ops(mode, ops) for mode in settled.modes]))


def deployment(m: Model, deploy: Deploy) -> Settled:
    """:func:`settle` for one model (a measured one: computed each time)."""
    owned = _operated(owned_option(m, deploy.hardware, deploy.volume, deploy.capacity), deploy.ops)
    rented = _operated(rented_option(m, deploy.rent, deploy.availability, deploy.volume), deploy.ops)
    return settle(m, deploy, offers_retired_at(m, deploy.today), api_option(m, deploy.volume, deploy.prices), owned, rented)


def _params_b(entry: Any, measurement: Measurement | None) -> float | None:
    """Billions of parameters: the catalog's, else what a measured local GGUF file states about itself
    (``params_b`` of its run summary, read as ``whichai inspect`` reads it), else unknown."""
    if entry is not None:
        return getattr(entry, "params_b", None)
    value = (measurement or {}).get("params_b")
    return float(value) if isinstance(value, (int, float)) and value > 0 else None


def is_self_hosted(measurement: Measurement | None, entry: Any) -> bool:
    """A measurement of the user's own deployment: ``self_hosted`` in the run's summary (a local
    model, a local server, a server declared ``self_hosted = true``), unless the catalog says the
    weights are closed (then nobody but the vendor can host them: the flag is not believed)."""
    if measurement is None or not measurement.get("self_hosted"):
        return False
    return entry is None or entry.openness != "closed"


# candidates --------------------------------------------------------------------------------------------


def capacity_entries(profile: Profile, capacity: list[CapacityFigure] | None) -> tuple[Throughput, ...]:
    """The profile's own capacity figures (origin ``profile``) and the measured ones passed in."""
    own = [Throughput.of(c.model_dump(), "profile") for c in profile.capacity]
    return (*own, *(Throughput.of(c, "measured") for c in capacity or []))


def _candidate(m: Model, static: Static, settled: Settled, today: date, profile: Profile, lean: bool) -> Candidate | None:
    """The candidate from what its checks and deployment found; None in a lean pass when it is excluded
    (it could not rank)."""
    if lean and (static.reasons or settled.reasons):
        return None
    if static.retired:  # nothing else is checked
        return Candidate(m.model, m.name, m.entry, m.openness, m.openness_origin, m.measurement, [], list(static.reasons),
                         [*m.notes, *static.notes], None, m.self_hosted, static.lifecycle, today, m)
    modes = settled.modes
    if m.model.startswith(TUNED_PREFIX):  # a tune: served as its base, its training a one-off cost
        modes = tuned_modes(m.model, modes, profile)
    return Candidate(m.model, m.name, m.entry, m.openness, m.openness_origin, m.measurement, list(modes), [*static.reasons, *settled.reasons],
                     [*m.notes, *static.notes, *settled.notes], settled.fits_owned, m.self_hosted, static.lifecycle, today, m)


def build_candidate(
    model_id: str, entry: Any, measurement: Measurement | None, profile: Profile, today: date | None = None, capacity: list[CapacityFigure] | None = None,
) -> Candidate:
    """One model as the user could use it under ``profile`` at ``today`` (default: the system date),
    its modes priced at the profile's volume; ``capacity``: measured throughput entries (the profile's
    own are added, :func:`capacity_entries`).

    A self-hosted measurement (:func:`is_self_hosted`) is the user's own deployment: self-hosting
    modes only (no vendor API), its weights in the user's hands."""
    today = today or clock.today()
    m = model_of(model_id, entry, measurement)
    deploy = Deploy.of(profile, today, capacity_entries(profile, capacity))
    checks = Checks.of(profile, today)
    cand = _candidate(m, static_checks(m, checks, life_at(m, today, checks.horizon_months)), deployment(m, deploy), today, profile, lean=False)
    assert cand is not None  # only a lean pass leaves a candidate out
    requests = profile.volume.requests_per_month
    cand.modes = [at_volume(mode, requests) for mode in cand.modes]
    return cand


Resolve = Callable[[str], Any]  # a model id or alias -> its catalog entry, or None


def _by_entry(measurements: list[Measurement] | None, resolve: Resolve) -> tuple[dict[str, list[tuple[str, Measurement]]], list[tuple[str, Measurement]]]:
    """Measurements grouped by the catalog entry they measure (``serves``, else their own id), and
    those the catalog lacks. Several measurements of one model id: the last one counts (one run
    summarises each model id once)."""
    by_model: dict[str, Measurement] = {}
    for m in measurements or []:
        if m.get("model"):
            by_model[str(m["model"])] = m
    grouped: dict[str, list[tuple[str, Measurement]]] = {}
    extra: list[tuple[str, Measurement]] = []
    for model_id, m in sorted(by_model.items()):
        entry = resolve(str(m.get("serves") or model_id))
        if entry is None:
            extra.append((model_id, m))
        else:
            grouped.setdefault(entry.id, []).append((model_id, m))
    return grouped, extra


def _split(entry: Any, found: list[tuple[str, Measurement]], resolve: Resolve) -> tuple[tuple[str, Measurement], list[tuple[str, Measurement]]]:
    """Of several measurements of one entry: the one measured under the entry's own id or alias
    (else the first by id) stands for the entry; the others are deployments of their own."""
    own = next((f for f in found if getattr(resolve(f[0]), "id", None) == entry.id), found[0])
    return own, [f for f in found if f is not own]


def measured_candidates(measurements: list[Measurement] | None, resolve: Resolve) -> list[tuple[str, Measurement]]:
    """(candidate id, measurement) of every measurement that becomes a candidate in
    :func:`build_candidates` (a lean pass leaves some candidates out, not their measurements)."""
    grouped, extra = _by_entry(measurements, resolve)
    out: list[tuple[str, Measurement]] = []
    for entry_id, found in grouped.items():
        entry = resolve(entry_id)
        (_, own), others = _split(entry, found, resolve)
        out.append((entry.id, own))
        out.extend(others)
    out.extend(extra)
    return sorted(out, key=lambda x: x[0])


class Judged(NamedTuple):
    """One pass's judgement of the models (:func:`judge`): each catalog model's checks and deployment
    (cached on the models and the answers: the passes that share the answers share them; in a lean
    pass, the deployment before operations, :func:`reach`), and the candidates of the measurements, by
    the catalog entry they measure (``measured``) or not in the catalog (``extra``)."""

    models: Models
    static: tuple[Static, ...]
    settled: tuple[Settled, ...]
    measured: dict[str, list[Candidate]]
    extra: list[Candidate]
    today: date
    profile: Profile
    ops: Ops | None  # the operations still to add to the deployments (a lean pass's), None: added

    def candidate(self, i: int, lean: bool) -> Candidate | None:
        """The candidate of the i-th catalog model (None in a lean pass when it is excluded)."""
        m, static, settled = self.models.items[i], self.static[i], self.settled[i]
        if self.ops is not None and not (lean and (static.reasons or settled.reasons)):
            settled = operated(settled, self.ops)
        return _candidate(m, static, settled, self.today, self.profile, lean)


def judge(
    profile: Profile, entries: list[Any], measurements: list[Measurement] | None, resolve: Callable[[str], Any],
    capacity: list[CapacityFigure] | None = None, today: date | None = None, lean: bool = False, models: Models | None = None,
) -> Judged:
    """The catalog's models judged under ``profile`` (arguments as :func:`build_candidates`), and the
    candidates of the measurements (see the module doc: a measured entry's own measurement keeps its id).
    ``lean``: a "what if" pass that needs only the ranking: a measured candidate a check excludes is
    left out (it could not rank), and the catalog's deployments are judged before operations
    (:func:`reach`), added per candidate."""
    today = today or clock.today()
    checks, deploy = Checks.of(profile, today), Deploy.of(profile, today, capacity_entries(profile, capacity))
    models = models or catalog_models(entries)
    grouped, extra = _by_entry(measurements, resolve)

    def measured(model_id: str, entry: Any, measurement: Measurement, note: Reason | None) -> list[Candidate]:
        m = model_of(model_id, entry, measurement)
        cand = _candidate(m, static_checks(m, checks, life_at(m, today, checks.horizon_months)), deployment(m, deploy), today, profile, lean)
        if cand is not None and note is not None:
            cand.notes.append(note)
        return [] if cand is None else [cand]

    by_entry: dict[str, list[Candidate]] = {}
    for entry_id, found in grouped.items():
        entry = resolve(entry_id)
        (own_id, own), others = _split(entry, found, resolve)
        cands = measured(entry.id, entry, own, Reason("measured_as", {"model": own_id}) if own_id != entry.id else None)
        for model_id, other in others:
            cands += measured(model_id, entry, other, Reason("serves", {"model": entry.id}))
        by_entry[entry.id] = cands
    outside = [c for model_id, measurement in extra for c in measured(model_id, None, measurement, None)]
    settled = reach(models, deploy) if lean else deployments(models, deploy)
    return Judged(models, checked(models, checks), settled, by_entry, outside, today, profile, deploy.ops if lean else None)


def build_candidates(
    profile: Profile, entries: list[Any], measurements: list[Measurement] | None, resolve: Callable[[str], Any],
    capacity: list[CapacityFigure] | None = None, today: date | None = None, models: Models | None = None,
) -> list[Candidate]:
    """One candidate per catalog entry, plus measured models the catalog lacks, plus further
    deployments measured of one entry (see the module doc); sorted by id. Their modes are per request
    (:func:`at_volume` prices what is shown at a volume).

    ``capacity``: measured throughput entries ({model, tokens_per_s, hardware, source, origin});
    ``today``: the date lifecycle is judged at (the system date when None, read once here);
    ``models``: the catalog's models (:func:`catalog_models` of ``entries``), made once per catalog view.
    (A lean "what if" pass builds the candidates of the few models it looks at: :func:`judge`.)"""
    judged = judge(profile, entries, measurements, resolve, capacity, today, models=models)
    out: list[Candidate] = []
    for i, m in enumerate(judged.models.items):
        if m.model in judged.measured:
            out.extend(judged.measured[m.model])
            continue
        cand = judged.candidate(i, lean=False)
        assert cand is not None  # only a lean pass leaves a candidate out
        out.append(cand)
    out.extend(judged.extra)
    out.sort(key=lambda c: c.model)
    return out
