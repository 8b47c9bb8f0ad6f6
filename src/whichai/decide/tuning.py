"""The one-off cost of a tune (``whichai tune``) in its model's cost of ownership (issue 18 item 4).

A tuned model (``local/tuned:NAME``) is served as its base is; on top, its training is a one-off cost:
the training's energy (the lineage's measured CPU or wall time × the device's stated draw) at the
profile's electricity price, spread over the profile's horizon as a monthly ``tuning`` component of each
self-hosted mode on the user's own hardware.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from whichai.decide.profile import Profile
from whichai.decide.tco import Mode, _copy, component

TUNED_PREFIX = "local/tuned:"


def lineage_of(model: str, root: Path | None = None) -> Any:
    """The lineage of the tune ``model`` names (``root``: the tunes folder, the user's by default), or None."""
    if not model.startswith(TUNED_PREFIX):
        return None
    from whichai.tune.lineage import list_tunes

    return next((t for t in list_tunes(root) if t.model_id == model), None)


def kwh_price(profile: Profile) -> float:
    return float(getattr(profile.hardware, "electricity_usd_per_kwh", 0.15))


def one_off_usd(lineage: Any, profile: Profile) -> float:
    return float(lineage.energy_wh) / 1000.0 * kwh_price(profile)


def with_tuning(mode: Mode, lineage: Any, profile: Profile) -> Mode:
    """``mode`` with the tune's training as a monthly share of a one-off cost (owned modes only)."""
    if mode.kind != "owned":
        return mode
    months = max(1, int(profile.horizon_months))
    total = one_off_usd(lineage, profile)
    hours = round(float(lineage.train_seconds) / 3600.0, 2)
    new = _copy(mode)
    params = {"one_off_usd": round(total, 4), "train_hours": hours, "train_cpu_seconds": lineage.train_cpu_seconds,
              "device": lineage.device, "energy_wh": lineage.energy_wh, "months": months, "tune": lineage.model_id}
    new.components = list(mode.components) + [
        component("tuning", total / months, "estimate", "cost.detail_tuning", params, hours=hours, hours_origin="measured",
                  wh=round(float(lineage.energy_wh), 2), kwh=kwh_price(profile), months=months)]
    new.fixed_usd = mode.fixed_usd + total / months
    return new


def tuned_modes(model: str, modes: Any, profile: Profile, root: Path | None = None) -> Any:
    """The modes of ``model``, each owned one with its tuning component when ``model`` is a tune."""
    lineage = lineage_of(model, root)
    if lineage is None:
        return modes
    return type(modes)(with_tuning(m, lineage, profile) for m in modes)
