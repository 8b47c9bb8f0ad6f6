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
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from whichai import clock
from whichai.catalog.hardware import fit_memory
from whichai.decide.catalog_view import lifecycle_of
from whichai.decide.profile import OPENNESS_RANK, Profile
from whichai.decide.task_fit import THINKING_OUTPUT_FACTOR, thinks
from whichai.decide.tco import (
    MAX_RENTED_GPUS,
    Mode,
    api_mode,
    at_volume,
    find_capacity,
    memory_needed_gb,
    owned_mode,
    rentable_for,
    rented_mode,
    weakest,
    with_ops,
)
from whichai.decide.tuning import TUNED_PREFIX, tuned_modes

DAYS_PER_MONTH = 365.25 / 12

CLOSED_API_PROVIDERS = ("openai/", "anthropic/", "gemini/", "google/")


@dataclass
class Reason:
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, **self.params}


@dataclass
class Candidate:
    """A model as the user could use it: its entry, measurement, allowed modes, static exclusions."""

    model: str
    name: str
    entry: Any  # ModelEntry | None (measured but not in the catalog)
    openness: str  # open-source | open-weights | closed | unknown
    openness_origin: str  # catalog | inferred
    measurement: dict | None
    modes: list[Mode] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)  # static hard-constraint failures
    notes: list[Reason] = field(default_factory=list)
    fits_owned: bool | None = None  # None = unknown (size unknown)
    self_hosted: bool = False  # a measurement of the user's own deployment (local model, own server)
    lifecycle: dict[str, Any] | None = None  # {status, shutdown_date, within_horizon, horizon_months, source}
    today: date | None = None  # the date lifecycle and release age are judged at


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
    if f is None or f.value is None:
        return f"{name}=unknown"
    src = f" ({f.source.name}, {f.source.as_of})" if f.source is not None else ""
    return f"{name}={f.value}{src}"


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


def _profile_keys(profile: Profile) -> dict[str, Any]:
    """What each mode's cost depends on, as hashable keys (modes are memoised across re-runs). Not
    the number of requests: a mode's cost is a function of it (:meth:`Mode.monthly`), so the passes at
    other volumes (the hybrid halves) share the modes; a full pass reprices the components it shows."""
    vol = (profile.volume.input_tokens_per_request, profile.volume.output_tokens_per_request)
    ops = (profile.team_skill, profile.ops_hourly_rate_usd, profile.ops_hours_per_month)
    hw = profile.hardware.model_dump_json() if profile.hardware is not None else None
    rent = (profile.rent.model_dump_json() if profile.rent is not None else None, profile.availability)
    prices = tuple(sorted((k, v.input, v.output) for k, v in profile.prices.items()))
    return {"api": (vol, prices), "owned": (vol, hw), "rented": (vol, rent), "ops": ops}


def _key_id(memo: dict | None, value: tuple) -> Any:
    """A small int standing for a composite key in ``memo`` (the value itself without a memo)."""
    if memo is None:
        return value
    ids = memo.get(_KEY_IDS)
    if ids is None:
        ids = memo[_KEY_IDS] = {}
    found = ids.get(value)
    if found is None:
        found = ids[value] = len(ids)
    return found


_KEY_IDS = ("key ids",)


def memoised(memo: dict | None, key: tuple, make):
    """``memo[key]``, made by ``make()`` the first time (every time without a memo)."""
    if memo is None:
        return make()
    found = memo.get(key)
    if found is None:
        found = memo[key] = make()
    return found


def _thinking_profile(profile: Profile) -> Profile:
    """The profile as a thinking model serves it: THINKING_OUTPUT_FACTOR × the output tokens."""
    vol = profile.volume
    return profile.model_copy(update={"volume": vol.model_copy(update={"output_tokens_per_request": vol.output_tokens_per_request * THINKING_OUTPUT_FACTOR})})


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


def _static_checks(cand: Candidate, entry: Any, measurement: dict | None, profile: Profile, downloadable: bool) -> None:
    """Licence, openness, the measured quality bar, SLA and customisation."""
    if entry is not None:
        licence = entry.license or "?"
        if profile.commercial and entry.commercial_use is False:
            cand.reasons.append(Reason("licence_commercial", {"license": licence}))
        if not profile.accept_use_restrictions and entry.license_restricts_use:
            cand.reasons.append(Reason("licence_restricted", {"license": licence}))
    required = OPENNESS_RANK[profile.min_openness]
    if required > 0:
        if cand.openness == "unknown":
            cand.reasons.append(Reason("openness_unknown", {"required": profile.min_openness}))
        elif OPENNESS_RANK[cand.openness] < required:
            cand.reasons.append(Reason("openness_below", {"openness": cand.openness, "required": profile.min_openness}))
    if profile.min_quality is not None:
        if measurement is not None and measurement.get("pass_rate") is not None:
            _quality_bar(cand, measurement, profile.min_quality)
        else:
            cand.notes.append(Reason("quality_unmeasured", {"min": profile.min_quality}))
    if profile.support == "sla-required":
        sla = _truthy(fact_value(entry, "sla"))
        if sla is not True:
            cand.reasons.append(Reason("no_sla" if sla is False else "sla_unknown"))
    if profile.customise == "must" and not downloadable and not _truthy(fact_value(entry, "fine_tuning")):
        cand.reasons.append(Reason("no_customisation"))


def _quality_bar(cand: Candidate, measurement: dict, minimum: float) -> None:
    """Below the bar on the pass rate measured: excluded. At or above it, but with the bar inside the
    95 % interval of that rate (few cases): kept, with a note that the evidence is thin."""
    rate = float(measurement["pass_rate"])
    if rate < minimum:
        cand.reasons.append(Reason("below_quality", {"rate": rate, "min": minimum}))
        return
    ci = measurement.get("pass_rate_ci95")
    if ci and ci[0] is not None and float(ci[0]) < minimum:
        n = next((int(measurement[k]) for k in ("scored", "answered", "cases") if isinstance(measurement.get(k), int) and measurement[k] > 0), None)
        cand.notes.append(Reason("quality_uncertain", {"rate": rate, "min": minimum, "low": float(ci[0]), "cases": n or "?"}))


def _mark(ctx: dict[str, Any], mode: Any) -> Any:
    return _thinking(mode) if ctx["thinking"] else mode


def _api(cand: Candidate, ctx: dict[str, Any], failures: list[Reason]) -> None:
    profile, entry, memo, keys = ctx["profile"], cand.entry, ctx["memo"], ctx["keys"]
    if profile.deployment != "cloud":
        failures.append(Reason("api_offline", {"deployment": profile.deployment}))
    elif profile.data_may_go == "nowhere":
        failures.append(Reason("api_data_stays"))
    elif profile.data_may_go == "zero-retention-vendor" and (cand.openness != "closed" or not _zero_retention(entry)):
        # zero retention is a vendor's promise: known for closed models' vendors; a third-party
        # host of open weights is not in the catalog (its facts describe self-hosting)
        failures.append(Reason("no_zero_retention"))
    elif ctx["offers_retired"]:
        failures.append(Reason("offers_retired"))
    else:
        mkey = id(cand.measurement) if cand.measurement is not None else None
        mode = memoised(memo, ("api", cand.model, mkey, keys["api"]), lambda: _mark(ctx, api_mode(entry, cand.measurement, profile, cand.model)))
        if isinstance(mode, str):
            failures.append(Reason(mode))
        else:
            cand.modes.append(mode)


def _owned(cand: Candidate, ctx: dict[str, Any], need: float | None, failures: list[Reason]) -> None:
    profile, memo, keys = ctx["profile"], ctx["memo"], ctx["keys"]
    hw = profile.hardware
    if hw is None:
        failures.append(Reason("no_hardware"))
        return
    e = cand.entry
    params = _params_b(e, cand.measurement)
    active = (getattr(e, "active_params_b", None) or params) if e is not None else params
    ran_here = ctx["local_measured"] and hw.this_machine  # it ran on this very machine: it fits (measured)
    if need is None and not ran_here:
        failures.append(Reason("size_unknown"))
        return
    found = fit_memory(need, hw.ram_gb, hw.gpu_memory_gb()) if need is not None else None
    if found is not None and not found.ok:
        failures.append(Reason("does_not_fit", {"need": round(found.need_gb, 1), "have": round(found.have_gb, 1)}))
        cand.fits_owned = False
        return
    on_gpu = found.where == "gpu" if found is not None else bool(hw.gpus)
    ids = [cand.model, *(getattr(e, "aliases", None) or [])]
    cap = find_capacity(ids, ctx["capacity"], profile)
    mkey = id(cand.measurement) if cand.measurement is not None else None
    cap_key = None if cap is None else (cap["tokens_per_s"], cap.get("hardware"), cap.get("origin"), cap.get("source"))
    key = ("owned", cand.model, mkey, on_gpu, cap_key, keys["owned"])
    cand.modes.append(memoised(memo, key + (keys["ops"],),
                               lambda: _mark(ctx, owned_mode(active, cand.measurement, ctx["local_measured"], profile, on_gpu, cap, params))))
    cand.fits_owned = True


def _params_b(entry: Any, measurement: dict | None) -> float | None:
    """Billions of parameters: the catalog's, else what a measured local GGUF file states about itself
    (``params_b`` of its run summary, read as ``whichai inspect`` reads it), else unknown."""
    if entry is not None:
        return getattr(entry, "params_b", None)
    value = (measurement or {}).get("params_b")
    return float(value) if isinstance(value, (int, float)) and value > 0 else None


def _rented(cand: Candidate, ctx: dict[str, Any], need: float | None, failures: list[Reason]) -> None:
    profile, memo, keys = ctx["profile"], ctx["memo"], ctx["keys"]
    e = cand.entry
    params = _params_b(e, cand.measurement)
    active = (getattr(e, "active_params_b", None) or params) if e is not None else params
    if profile.deployment != "cloud":
        failures.append(Reason("rent_offline", {"deployment": profile.deployment}))
    elif profile.data_may_go == "nowhere":
        failures.append(Reason("rent_data_stays"))
    elif need is None:
        if not any(r.code == "size_unknown" for r in failures):
            failures.append(Reason("size_unknown"))
    else:
        rent = rentable_for(need, profile)
        gpus = max(1, math.ceil(need / rent.memory_gb))
        if gpus > MAX_RENTED_GPUS:
            failures.append(Reason("too_many_gpus", {"n": gpus, "gpu": rent.gpu}))
        else:
            cand.modes.append(memoised(memo, ("rented", cand.model, gpus, rent.gpu, keys["rented"], keys["ops"]),
                                       lambda: _mark(ctx, rented_mode(active, gpus, profile, params, rent))))


def _static_key(profile: Profile) -> tuple:
    """The profile fields the model-only checks read (lifecycle horizon, licence, openness, bars)."""
    return (profile.commercial, profile.accept_use_restrictions, profile.min_openness, profile.min_quality, profile.support,
            profile.customise, profile.horizon_months)


@dataclass(frozen=True)
class _Static:
    """What the model alone decides under a profile: computed once per recommendation and shared by
    every pass (the hybrid halves and the profile changes of "what would change" keep these fields)."""

    lifecycle: dict[str, Any] | None
    reasons: tuple[Reason, ...]
    notes: tuple[Reason, ...]
    thinking: bool
    offers_retired: bool


def _model_facts(cand: Candidate, measurement: dict | None, today: date, horizon: float) -> tuple[dict | None, bool, bool]:
    """(lifecycle, thinks, every offer retired): what the model alone decides at ``today`` (memoised
    per model for the whole recommendation: no profile answer but the horizon changes them)."""
    entry = cand.entry
    life = (lifecycle_state(entry, today, horizon) if entry is not None else None) or None
    thinking = measurement is None and thinks(cand.model, cand.name, entry)
    return life, thinking, entry is not None and _offers_retired(entry, today)


def _static(cand: Candidate, measurement: dict | None, profile: Profile, facts: tuple[dict | None, bool, bool], downloadable: bool) -> _Static:
    life, thinking, retired_offers = facts
    if life and life["status"] == "retired":
        day = life["shutdown_date"]
        return _Static(life, (Reason("retired", {"date": day}) if day else Reason("retired_undated"),), (), False, False)
    probe = Candidate(cand.model, cand.name, cand.entry, cand.openness, cand.openness_origin, measurement)
    _static_checks(probe, cand.entry, measurement, profile, downloadable)
    return _Static(life, tuple(probe.reasons), tuple(probe.notes), thinking, retired_offers)


def _new_candidate(model_id: str, entry: Any, measurement: dict | None, self_hosted: bool, today: date) -> Candidate:
    if entry is not None:
        cand = Candidate(model_id, entry.name, entry, entry.openness, "catalog", measurement, today=today)
    else:
        openness, origin = _infer_openness(model_id, self_hosted)
        cand = Candidate(model_id, model_id.split("/", 1)[-1], None, openness, origin, measurement, today=today)
        cand.notes.append(Reason("not_in_catalog"))
    cand.self_hosted = self_hosted
    return cand


def is_self_hosted(measurement: dict | None, entry: Any) -> bool:
    """A measurement of the user's own deployment: ``self_hosted`` in the run's summary (a local
    model, a local server, a server declared ``self_hosted = true``), unless the catalog says the
    weights are closed (then nobody but the vendor can host them: the flag is not believed)."""
    if measurement is None or not measurement.get("self_hosted"):
        return False
    return entry is None or entry.openness != "closed"


class _Pass:
    """What every candidate of one pipeline pass shares, computed once per pass: the memo, the
    profile's keys, ``today``, capacity figures, and the keys of the model-only checks and of the
    deployment modes (a candidate whose model, measurement and these keys are unchanged since an
    earlier pass reuses what that pass found)."""

    __slots__ = ("profile", "memo", "keys", "today", "caps", "static_key", "modes_key", "context", "_thinking", "lean")

    def __init__(self, profile: Profile, memo: dict | None, keys: dict | None, today: date, caps: list[dict] | None,
                 lean: bool = False) -> None:
        self.profile, self.memo, self.today, self.caps, self.lean = profile, memo, today, caps, lean
        k = keys or _profile_keys(profile)
        vol = profile.volume
        self.context = int(max(4096, vol.input_tokens_per_request + vol.output_tokens_per_request))
        caps_key = tuple((c.get("model"), c.get("tokens_per_s"), c.get("hardware"), c.get("origin"), c.get("source")) for c in caps or [])
        modes_key = (profile.deployment, profile.data_may_go, k["api"], k["owned"], k["rented"], caps_key, today)
        # the composite keys become small ints, so that the thousands of memo lookups of a pass hash
        # (model, int) pairs instead of nested tuples of the profile's answers
        self.keys = {name: _key_id(memo, (name, value)) for name, value in k.items()}
        self.static_key = _key_id(memo, ("static", today, _static_key(profile)))
        self.modes_key = _key_id(memo, ("modes", modes_key))
        self._thinking: Profile | None = None

    def thinking_profile(self) -> Profile:
        if self._thinking is None:
            self._thinking = _thinking_profile(self.profile)
        return self._thinking


def build_candidate(
    model_id: str, entry: Any, measurement: dict | None, profile: Profile, memo: dict | None = None, keys: dict | None = None,
    today: date | None = None, capacity: list[dict] | None = None,
) -> Candidate:
    """One model as the user could use it under ``profile`` at ``today`` (default: the system date).

    A self-hosted measurement (:func:`is_self_hosted`) is the user's own deployment: self-hosting
    modes only (no vendor API), its weights in the user's hands."""
    cand = _build(model_id, entry, measurement, _Pass(profile, memo, keys, today or clock.today(), capacity))
    assert cand is not None  # only a lean pass leaves a candidate out
    return cand


def _build(model_id: str, entry: Any, measurement: dict | None, ps: _Pass) -> Candidate | None:
    """The candidate; None in a lean pass when a static check excludes it (it could not rank)."""
    memo = ps.memo
    if measurement is None:  # the catalog's entries: the thousands of calls of every pass
        self_hosted = local_measured = False
        downloadable = bool(entry.weights_downloadable)
        mkey = None
    else:
        self_hosted = is_self_hosted(measurement, entry)
        ran_id = str(measurement.get("model") or model_id)
        local_measured = ran_id.startswith("local/") or measurement.get("hardware") == "this-machine"
        downloadable = self_hosted or (bool(entry.weights_downloadable) if entry is not None else local_measured)
        mkey = id(measurement)
    static_key = ("static", model_id, mkey, ps.static_key, downloadable)
    static = memo.get(static_key) if memo is not None else None
    if static is not None and ps.lean and static.reasons:
        return None
    cand = _new_candidate(model_id, entry, measurement, self_hosted, ps.today)
    if static is None:
        static = _static_of(cand, ps, mkey, downloadable)
        if memo is not None:
            memo[static_key] = static
        if ps.lean and static.reasons:
            return None
    cand.lifecycle = static.lifecycle
    cand.reasons.extend(static.reasons)
    cand.notes.extend(static.notes)
    if cand.lifecycle and cand.lifecycle["status"] == "retired":
        return cand
    settled = _settled_modes(cand, ps, static, local_measured, downloadable, mkey)
    modes, reasons, notes, cand.fits_owned = settled
    if model_id.startswith(TUNED_PREFIX):  # a tune: served as its base, its training a one-off cost
        modes = tuned_modes(model_id, modes, ps.profile)
    if not ps.lean:  # a lean pass reads costs only; a full pass shows the components at its volume
        requests = ps.profile.volume.requests_per_month
        modes = [at_volume(m, requests) for m in modes]
    cand.modes.extend(modes)
    cand.reasons.extend(reasons)
    cand.notes.extend(notes)
    return cand


def _static_of(cand: Candidate, ps: _Pass, mkey: int | None, downloadable: bool) -> _Static:
    profile, today, measurement = ps.profile, ps.today, cand.measurement
    facts = memoised(ps.memo, ("model", cand.model, mkey, today, profile.horizon_months),
                  lambda: _model_facts(cand, measurement, today, profile.horizon_months))
    return _static(cand, measurement, profile, facts, downloadable)


def _settled_modes(cand: Candidate, ps: _Pass, static: _Static, local_measured: bool, downloadable: bool, mkey: int | None) -> tuple:
    """:func:`_settled`, memoised in two steps: by what decides the modes but the operations answers,
    then with them (a pass that changes only the team's skill, hours or rate re-costs the operations
    of the self-hosted modes, :func:`with_ops`, instead of rebuilding them)."""
    memo = ps.memo
    if memo is None:
        return _settled(cand, ps, static, local_measured, downloadable)
    key = ("modes", cand.model, mkey, ps.modes_key)
    full = key + (ps.keys["ops"],)
    found = memo.get(full)
    if found is None:
        base = memo.get(key)
        if base is None:
            found = memo[key] = _settled(cand, ps, static, local_measured, downloadable)
        else:
            profile = ps.thinking_profile() if static.thinking else ps.profile
            modes = tuple(m if m.kind == "api" else with_ops(m, profile, *m.ops_args) for m in base[0])
            found = (modes, *base[1:])
        memo[full] = found
    return found


def _settled(cand: Candidate, ps: _Pass, static: _Static, local_measured: bool, downloadable: bool) -> tuple[tuple, tuple, tuple, bool | None]:
    """(deployment modes, reasons that exclude the candidate, notes, fits the user's hardware)."""
    modes, failures, fits = _modes(cand, ps, static, local_measured, downloadable)
    probe = Candidate(cand.model, cand.name, None, cand.openness, cand.openness_origin, None, modes=list(modes))
    _settle(probe, list(failures), downloadable)
    return modes, tuple(probe.reasons), tuple(probe.notes), fits


def _modes(cand: Candidate, ps: _Pass, static: _Static, local_measured: bool, downloadable: bool) -> tuple[tuple, tuple, bool | None]:
    """(deployment modes, why the others are not possible, fits the user's hardware) of a candidate."""
    probe = Candidate(cand.model, cand.name, cand.entry, cand.openness, cand.openness_origin, cand.measurement, today=cand.today)
    entry, measurement, memo = cand.entry, cand.measurement, ps.memo
    ctx = {"profile": ps.thinking_profile() if static.thinking else ps.profile, "memo": memo, "keys": ps.keys, "today": ps.today,
           "capacity": ps.caps, "local_measured": local_measured, "thinking": static.thinking, "offers_retired": static.offers_retired}
    failures: list[Reason] = []
    if cand.self_hosted:
        api_available = False
    else:
        api_available = bool(entry.api_available) if entry is not None else (measurement is not None and not local_measured)
    if api_available:
        _api(probe, ctx, failures)
    if downloadable:
        params = _params_b(entry, measurement)
        context = ps.context
        need = memoised(memo, ("need", params, context), lambda: memory_needed_gb(params, context)) if params else None
        _owned(probe, ctx, need, failures)
        if ps.profile.rent is not None:
            _rented(probe, ctx, need, failures)
    elif not api_available:
        failures.append(Reason("not_available"))
    return tuple(probe.modes), tuple(failures), probe.fits_owned


API_ONLY = {"api_data_stays": "api_only_data_stays", "api_offline": "api_only_offline", "no_zero_retention": "api_only_no_zero_retention"}


def _settle(cand: Candidate, failures: list[Reason], downloadable: bool) -> None:
    """No mode left: the failures exclude it (an API-only model's API failure says "API-only");
    else the failures of the self-hosting modes that did not apply are notes."""
    if not cand.modes:
        if not downloadable and any(r.code in API_ONLY for r in failures):
            failures = [Reason(API_ONLY.get(r.code, r.code), r.params) for r in failures]
        cand.reasons.extend(failures)
    else:
        cand.notes.extend(r for r in failures if r.code in ("does_not_fit", "size_unknown"))


def capacity_entries(profile: Profile, capacity: list[dict] | None) -> list[dict]:
    """The profile's own capacity entries (origin ``profile``) and the measured ones passed in."""
    own = [{**c.model_dump(), "origin": "profile"} for c in profile.capacity]
    return own + [{"origin": "measured", **c} for c in capacity or []]


def _by_entry(measurements: list[dict] | None, resolve) -> tuple[dict[str, list[tuple[str, dict]]], list[tuple[str, dict]]]:
    """Measurements grouped by the catalog entry they measure (``serves``, else their own id), and
    those the catalog lacks. Several measurements of one model id: the last one counts (one run
    summarises each model id once)."""
    by_model: dict[str, dict] = {}
    for m in measurements or []:
        if m.get("model"):
            by_model[str(m["model"])] = m
    grouped: dict[str, list[tuple[str, dict]]] = {}
    extra: list[tuple[str, dict]] = []
    for model_id, m in sorted(by_model.items()):
        entry = resolve(str(m.get("serves") or model_id))
        if entry is None:
            extra.append((model_id, m))
        else:
            grouped.setdefault(entry.id, []).append((model_id, m))
    return grouped, extra


def _split(entry: Any, found: list[tuple[str, dict]], resolve) -> tuple[tuple[str, dict], list[tuple[str, dict]]]:
    """Of several measurements of one entry: the one measured under the entry's own id or alias
    (else the first by id) stands for the entry; the others are deployments of their own."""
    own = next((f for f in found if getattr(resolve(f[0]), "id", None) == entry.id), found[0])
    return own, [f for f in found if f is not own]


def measured_candidates(measurements: list[dict] | None, resolve) -> list[tuple[str, dict]]:
    """(candidate id, measurement) of every measurement that becomes a candidate in
    :func:`build_candidates` (a lean pass leaves some candidates out, not their measurements)."""
    grouped, extra = _by_entry(measurements, resolve)
    out: list[tuple[str, dict]] = []
    for entry_id, found in grouped.items():
        entry = resolve(entry_id)
        (_, own), others = _split(entry, found, resolve)
        out.append((entry.id, own))
        out.extend(others)
    out.extend(extra)
    return sorted(out, key=lambda x: x[0])


def build_candidates(
    profile: Profile, entries: list[Any], measurements: list[dict] | None, resolve, memo: dict | None = None,
    capacity: list[dict] | None = None, today: date | None = None, lean: bool = False,
) -> list[Candidate]:
    """One candidate per catalog entry, plus measured models the catalog lacks, plus further
    deployments measured of one entry (see the module doc); sorted by id.

    ``capacity``: measured throughput entries ({model, tokens_per_s, hardware, source, origin});
    ``today``: the date lifecycle is judged at (the system date when None, read once here);
    ``lean``: a "what if" pass that needs only the ranking: a candidate a static check excludes
    gets no deployment modes (they could not rank it)."""
    ps = _Pass(profile, memo, None, today or clock.today(), capacity_entries(profile, capacity), lean)
    grouped, extra = _by_entry(measurements, resolve)
    out: list[Candidate] = []
    for entry in entries:
        found = grouped.get(entry.id)
        if not found:
            cand = _build(entry.id, entry, None, ps)
            if cand is not None:
                out.append(cand)
            continue
        (own_id, own), others = _split(entry, found, resolve)
        cand = _build(entry.id, entry, own, ps)
        if cand is not None:
            if own_id != entry.id:
                cand.notes.append(Reason("measured_as", {"model": own_id}))
            out.append(cand)
        for model_id, m in others:
            other = _build(model_id, entry, m, ps)
            if other is not None:
                other.notes.append(Reason("serves", {"model": entry.id}))
                out.append(other)
    for model_id, m in extra:
        cand = _build(model_id, None, m, ps)
        if cand is not None:
            out.append(cand)
    out.sort(key=lambda c: c.model)
    return out
