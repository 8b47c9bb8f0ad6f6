"""Hard constraints: which models the user can use at all, and in which deployment modes.

A model is *excluded* when it breaks a constraint: the data may not leave the premises but it is
API-only; it does not fit the hardware; its licence forbids the use; it is below the quality bar
measured on the user's task; its openness is below what is required; no SLA or no way to customise
when one is required; and (checked at the profile's volume, in :mod:`whichai.decide.scoring`) it
cannot serve the volume or is over budget. Reasons are codes with parameters; the text comes from
:mod:`whichai.decide.i18n` in the user's language.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from whichai.decide.profile import OPENNESS_RANK, Profile
from whichai.decide.tco import MAX_RENTED_GPUS, Mode, api_mode, memory_needed_gb, owned_mode, rented_mode

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
    f = fact(entry, name)
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


def _infer_openness(model_id: str) -> tuple[str, str]:
    if model_id.startswith("local/"):
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
    """What each mode's cost depends on, as hashable keys (modes are memoised across re-runs)."""
    vol = tuple(profile.volume.model_dump().values())
    ops = (profile.team_skill, profile.ops_hourly_rate_usd, profile.ops_hours_per_month)
    hw = profile.hardware.model_dump_json() if profile.hardware is not None else None
    rent = profile.rent.model_dump_json() if profile.rent is not None else None
    return {"api": vol, "owned": (vol, ops, hw), "rented": (vol, ops, rent)}


def _memo(memo: dict | None, key: tuple, make):
    if memo is None:
        return make()
    found = memo.get(key)
    if found is None:
        found = memo[key] = make()
    return found


def build_candidate(
    model_id: str, entry: Any, measurement: dict | None, profile: Profile, memo: dict | None = None, keys: dict | None = None
) -> Candidate:
    keys = keys or _profile_keys(profile)
    mkey = id(measurement) if measurement is not None else None
    if entry is not None:
        cand = Candidate(model_id, entry.name, entry, entry.openness, "catalog", measurement)
    else:
        openness, origin = _infer_openness(model_id)
        cand = Candidate(model_id, model_id.split("/", 1)[-1], None, openness, origin, measurement)
        cand.notes.append(Reason("not_in_catalog"))
    local_measured = measurement is not None and model_id.startswith("local/")

    # licence ---------------------------------------------------------------------------------
    if entry is not None:
        licence = entry.license or "?"
        if profile.commercial and entry.commercial_use is False:
            cand.reasons.append(Reason("licence_commercial", {"license": licence}))
        if not profile.accept_use_restrictions and entry.license_restricts_use:
            cand.reasons.append(Reason("licence_restricted", {"license": licence}))

    # openness --------------------------------------------------------------------------------
    required = OPENNESS_RANK[profile.min_openness]
    if required > 0:
        if cand.openness == "unknown":
            cand.reasons.append(Reason("openness_unknown", {"required": profile.min_openness}))
        elif OPENNESS_RANK[cand.openness] < required:
            cand.reasons.append(Reason("openness_below", {"openness": cand.openness, "required": profile.min_openness}))

    # quality bar measured on the user's task -------------------------------------------------------
    if profile.min_quality is not None:
        if measurement is not None and measurement.get("pass_rate") is not None:
            rate = float(measurement["pass_rate"])
            if rate < profile.min_quality:
                cand.reasons.append(Reason("below_quality", {"rate": rate, "min": profile.min_quality}))
        else:
            cand.notes.append(Reason("quality_unmeasured", {"min": profile.min_quality}))

    # support / SLA -----------------------------------------------------------------------------
    if profile.support == "sla-required":
        sla = _truthy(fact_value(entry, "sla"))
        if sla is not True:
            cand.reasons.append(Reason("no_sla" if sla is False else "sla_unknown"))

    downloadable = bool(entry.weights_downloadable) if entry is not None else local_measured

    # customisation -----------------------------------------------------------------------------
    if profile.customise == "must":
        if not downloadable and not _truthy(fact_value(entry, "fine_tuning")):
            cand.reasons.append(Reason("no_customisation"))

    # deployment modes ----------------------------------------------------------------------------
    failures: list[Reason] = []
    api_available = bool(entry.api_available) if entry is not None else (measurement is not None and not local_measured)
    if api_available:
        if profile.deployment != "cloud":
            failures.append(Reason("api_offline", {"deployment": profile.deployment}))
        elif profile.data_may_go == "nowhere":
            failures.append(Reason("api_data_stays"))
        elif profile.data_may_go == "zero-retention-vendor" and (cand.openness != "closed" or not _zero_retention(entry)):
            # zero retention is a vendor's promise: known for closed models' vendors; a third-party
            # host of open weights is not in the catalog (its facts describe self-hosting)
            failures.append(Reason("no_zero_retention"))
        else:
            mode = _memo(memo, ("api", model_id, mkey, keys["api"]), lambda: api_mode(entry, measurement, profile))
            if isinstance(mode, str):
                failures.append(Reason(mode))
            else:
                cand.modes.append(mode)

    if downloadable:
        params = getattr(entry, "params_b", None) if entry is not None else None
        active = (getattr(entry, "active_params_b", None) or params) if entry is not None else None
        context = int(max(4096, profile.volume.input_tokens_per_request + profile.volume.output_tokens_per_request))
        need = memory_needed_gb(params, context) if params else None
        hw = profile.hardware
        if hw is None:
            failures.append(Reason("no_hardware"))
        elif local_measured:
            # it ran on this machine: it fits (measured). Size-based fit still applies when known.
            if need is not None and need > max(hw.gpu_memory_gb(), 0.75 * hw.ram_gb):
                failures.append(Reason("does_not_fit", {"need": round(need, 1), "have": round(max(hw.gpu_memory_gb(), 0.75 * hw.ram_gb), 1)}))
                cand.fits_owned = False
            else:
                cand.modes.append(_memo(memo, ("owned", model_id, mkey, True, keys["owned"]),
                                        lambda: owned_mode(active, measurement, True, profile, on_gpu=bool(hw.gpus))))
                cand.fits_owned = True
        elif need is None:
            failures.append(Reason("size_unknown"))
        else:
            on_gpu = bool(hw.gpus) and need <= hw.gpu_memory_gb()
            on_cpu = need <= 0.75 * hw.ram_gb
            if on_gpu or on_cpu:
                cand.modes.append(_memo(memo, ("owned", model_id, mkey, on_gpu, keys["owned"]),
                                        lambda: owned_mode(active, measurement, False, profile, on_gpu=on_gpu)))
                cand.fits_owned = True
            else:
                have = hw.gpu_memory_gb() if hw.gpus else 0.75 * hw.ram_gb
                failures.append(Reason("does_not_fit", {"need": round(need, 1), "have": round(have, 1)}))
                cand.fits_owned = False
        if profile.rent is not None:
            if profile.deployment != "cloud":
                failures.append(Reason("rent_offline", {"deployment": profile.deployment}))
            elif profile.data_may_go == "nowhere":
                failures.append(Reason("rent_data_stays"))
            elif need is None:
                if not any(r.code == "size_unknown" for r in failures):
                    failures.append(Reason("size_unknown"))
            else:
                gpus = max(1, math.ceil(need / profile.rent.memory_gb))
                if gpus > MAX_RENTED_GPUS:
                    failures.append(Reason("too_many_gpus", {"n": gpus, "gpu": profile.rent.gpu}))
                else:
                    cand.modes.append(_memo(memo, ("rented", model_id, gpus, keys["rented"]), lambda: rented_mode(active, gpus, profile)))
    elif not api_available:
        failures.append(Reason("not_available"))

    if not cand.modes:
        if not downloadable and any(r.code in ("api_data_stays", "api_offline", "no_zero_retention") for r in failures):
            code = {"api_data_stays": "api_only_data_stays", "api_offline": "api_only_offline", "no_zero_retention": "api_only_no_zero_retention"}
            failures = [Reason(code.get(r.code, r.code), r.params) for r in failures]
        cand.reasons.extend(failures)
    else:
        cand.notes.extend(r for r in failures if r.code in ("does_not_fit", "size_unknown"))
    return cand


def build_candidates(
    profile: Profile, entries: list[Any], measurements: list[dict] | None, resolve, memo: dict | None = None
) -> list[Candidate]:
    """One candidate per catalog entry, plus measured models the catalog lacks; sorted by id."""
    keys = _profile_keys(profile)
    by_model: dict[str, dict] = {}
    for m in measurements or []:
        if m.get("model"):
            by_model[str(m["model"])] = m
    measured_entry: dict[str, tuple[str, dict]] = {}
    extra: list[tuple[str, dict]] = []
    for model_id, m in by_model.items():
        entry = resolve(model_id)
        if entry is None:
            extra.append((model_id, m))
        else:
            measured_entry[entry.id] = (model_id, m)
    out: list[Candidate] = []
    for entry in entries:
        measured = measured_entry.get(entry.id)
        cand = build_candidate(entry.id, entry, measured[1] if measured else None, profile, memo, keys)
        if measured and measured[0] != entry.id:
            cand.notes.append(Reason("measured_as", {"model": measured[0]}))
        out.append(cand)
    for model_id, m in extra:
        out.append(build_candidate(model_id, None, m, profile, memo, keys))
    out.sort(key=lambda c: c.model)
    return out
