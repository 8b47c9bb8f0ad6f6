"""Total cost of ownership: what a model costs per month at the user's volume, by deployment mode.

Three modes (see docs/method.md):

- ``api``: volume × published price (catalog) or the cost per case measured in a run.
- ``owned``: the user's hardware: purchase amortised over the stated months + power for the hours
  the volume needs + the team's operations time. Capacity: a month has 730 hours.
- ``rented``: GPUs rented by the hour × the hours the volume needs (or all month when
  ``always_on``) + operations time. Enough GPUs are rented to hold the model.

Hours come from the throughput measured on this machine (a local model measured in a run) or are
estimated from memory bandwidth (decoding a token reads every active weight once). Every figure
carries its origin: ``measured`` | ``catalog`` | ``profile`` | ``estimate``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from whichai.decide.profile import HOURS_PER_MONTH, Profile

BITS_PER_WEIGHT = 4.5  # a 4-bit quantisation (Q4_K_M-like), what people self-host by default
BANDWIDTH_EFFICIENCY = 0.6  # share of peak memory bandwidth a decoder reaches
GPU_BATCHING = 8.0  # aggregate decode speed of a batched GPU server vs one stream (vLLM-like)
PREFILL_SPEEDUP_GPU = 10.0  # prompt tokens are processed this many times faster than generated ones
PREFILL_SPEEDUP_CPU = 5.0
OPS_HOURS = {"none": 40.0, "some": 16.0, "strong": 8.0}  # team hours per month to run a model yourself
MAX_RENTED_GPUS = 8

# Peak memory bandwidth in GB/s of common GPUs (vendor data sheets); matched by substring, longest first.
GPU_BANDWIDTH_GBPS: dict[str, float] = {
    "h200": 4800, "h100": 3350, "mi300x": 5300, "mi250": 3200, "a100 40": 1555, "a100": 2039,
    "l40s": 864, "l40": 864, "l4": 300, "a10g": 600, "a10": 600, "t4": 320, "v100": 900,
    "rtx 4090": 1008, "rtx 4080": 717, "rtx 3090": 936, "rtx 3080": 760, "a6000": 768, "rtx 6000 ada": 960,
    "rtx a5000": 768, "apple m2 max": 400, "apple m3 max": 400, "apple m1": 68,
}
DEFAULT_GPU_BANDWIDTH = 500.0
CPU_BANDWIDTH_SMALL = 50.0  # dual-channel desktop/laptop memory
CPU_BANDWIDTH_SERVER = 150.0  # many-channel server memory (more than 16 cores)


def gpu_bandwidth(name: str, given: float | None = None) -> tuple[float, str]:
    if given:
        return given, "profile"
    low = name.lower()
    for key in sorted(GPU_BANDWIDTH_GBPS, key=len, reverse=True):
        if key in low:
            return GPU_BANDWIDTH_GBPS[key], "estimate"
    return DEFAULT_GPU_BANDWIDTH, "estimate"


def memory_needed_gb(params_b: float, context_tokens: int = 4096) -> float:
    """GB of memory to hold the weights at 4.5 bits plus a KV cache and runtime overhead."""
    try:
        from whichai.catalog.hardware import memory_needed_gb as catalog_memory

        return float(catalog_memory(params_b, bits_per_weight=BITS_PER_WEIGHT, context_tokens=context_tokens))
    except ImportError:  # the catalog's hardware module is optional for decide
        weights = params_b * BITS_PER_WEIGHT / 8
        kv = 0.02 * params_b * context_tokens / 4096
        return weights + kv + 0.5


@dataclass
class Component:
    name: str  # api | amortisation | power | gpu_rent | operations
    usd: float  # at the profile's volume
    origin: str
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "usd": round(self.usd, 2), "origin": self.origin, "detail": self.detail}


@dataclass
class Mode:
    """One way to run a model, with its cost as a function of volume and price factors."""

    kind: str  # api | owned | rented
    fixed_usd: float = 0.0  # per month, whatever the volume
    api_per_request: float = 0.0  # USD per request, scales with API prices
    gpu_hours_per_request: float = 0.0  # rented GPU-hours (all GPUs) per request
    gpu_usd_per_hour: float = 0.0  # for all the GPUs rented at once
    power_per_request: float = 0.0  # USD of electricity per request
    always_on: bool = False
    capacity_requests: float = math.inf  # most requests a month the mode can serve
    seconds_per_request: float | None = None
    throughput_origin: str = ""
    throughput_detail: str = ""
    cost_origin: str = "catalog"
    components: list[Component] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def monthly(self, requests: float, api_factor: float = 1.0, gpu_factor: float = 1.0) -> float:
        cost = self.fixed_usd + requests * (self.api_per_request * api_factor + self.power_per_request)
        if self.gpu_usd_per_hour:
            hours = requests * self.gpu_hours_per_request
            if self.always_on:
                hours = HOURS_PER_MONTH * max(1, math.ceil(hours / HOURS_PER_MONTH - 1e-9))
            cost += hours * self.gpu_usd_per_hour * gpu_factor
        return cost

    def hours_needed(self, requests: float) -> float | None:
        if self.seconds_per_request is None:
            return None
        return requests * self.seconds_per_request / 3600.0


def ops_cost(profile: Profile) -> tuple[float, float, str]:
    hours = profile.ops_hours_per_month if profile.ops_hours_per_month is not None else OPS_HOURS[profile.team_skill]
    return hours * profile.ops_hourly_rate_usd, hours, "profile"


def api_mode(entry: Any, measurement: dict | None, profile: Profile) -> Mode | str:
    """The API mode, or the code of the reason it has no price."""
    vol = profile.volume
    price = getattr(entry, "price_usd_per_mtok", None) if entry is not None else None
    if price is not None:
        per_request = (vol.input_tokens_per_request * price.input + vol.output_tokens_per_request * price.output) / 1e6
        detail = f"${price.input:g}/${price.output:g} per Mtok in/out ({price.source}, {price.as_of})"
        mode = Mode("api", api_per_request=per_request, cost_origin="catalog")
        mode.components.append(Component("api", per_request * vol.requests_per_month, "catalog", detail))
        return mode
    answered = (measurement or {}).get("answered") or (measurement or {}).get("cases")
    if measurement and measurement.get("cost_usd") is not None and answered:
        per_request = float(measurement["cost_usd"]) / float(answered)
        detail = f"${per_request:.6f} per request measured over {answered} answered cases"
        mode = Mode("api", api_per_request=per_request, cost_origin="measured")
        mode.components.append(Component("api", per_request * vol.requests_per_month, "measured", detail))
        return mode
    return "no_price"


def _estimate_seconds(active_params_b: float, bandwidth_gbps: float, gpu: bool, profile: Profile) -> float:
    gb_per_token = active_params_b * BITS_PER_WEIGHT / 8
    single = BANDWIDTH_EFFICIENCY * bandwidth_gbps / max(gb_per_token, 1e-6)
    decode = single * (GPU_BATCHING if gpu else 1.0)
    prefill = decode * (PREFILL_SPEEDUP_GPU if gpu else PREFILL_SPEEDUP_CPU)
    vol = profile.volume
    return vol.input_tokens_per_request / prefill + vol.output_tokens_per_request / decode


def _measured_seconds(measurement: dict, profile: Profile) -> float | None:
    tps = measurement.get("output_tokens_per_s")
    ttft = measurement.get("ttft_p50_s") or 0.0
    if tps:
        return float(ttft) + profile.volume.output_tokens_per_request / float(tps)
    if measurement.get("latency_p50_s"):
        return float(measurement["latency_p50_s"])
    return None


def owned_mode(
    active_params_b: float | None, measurement: dict | None, local_measured: bool, profile: Profile, on_gpu: bool = True
) -> Mode:
    """Self-hosting on the user's own hardware (fit is checked by the caller)."""
    hw = profile.hardware
    assert hw is not None
    mode = Mode("owned")
    seconds = _measured_seconds(measurement, profile) if (local_measured and measurement) else None
    if seconds is not None:
        mode.throughput_origin = "measured"
        mode.throughput_detail = (
            f"{measurement.get('output_tokens_per_s') or '?'} tokens/s measured on this machine"
        )
    else:
        params = active_params_b or 1.0
        if hw.gpus and on_gpu:
            bw = sum(gpu_bandwidth(g.name, g.memory_bandwidth_gbps)[0] * g.count for g in hw.gpus)
            seconds = _estimate_seconds(params, bw, True, profile)
            mode.throughput_detail = f"estimated from {bw:g} GB/s GPU memory bandwidth and {params:g}B active parameters"
        else:
            bw = hw.memory_bandwidth_gbps or (CPU_BANDWIDTH_SERVER if hw.cpu_cores > 16 else CPU_BANDWIDTH_SMALL)
            seconds = _estimate_seconds(params, bw, False, profile)
            mode.throughput_detail = f"estimated from {bw:g} GB/s CPU memory bandwidth and {params:g}B active parameters"
        mode.throughput_origin = "estimate"
    mode.seconds_per_request = seconds
    mode.capacity_requests = HOURS_PER_MONTH * 3600.0 / seconds if seconds > 0 else math.inf
    watts = hw.power_watts if hw.power_watts is not None else (150.0 + 300.0 * hw.gpu_count() if hw.gpus else 65.0)
    watts_origin = "profile" if hw.power_watts is not None else "estimate"
    mode.power_per_request = watts / 1000.0 * seconds / 3600.0 * hw.electricity_usd_per_kwh
    amort = hw.purchase_usd / hw.amortisation_months
    ops, ops_hours, _ = ops_cost(profile)
    mode.fixed_usd = amort + ops
    requests = profile.volume.requests_per_month
    hours = requests * seconds / 3600.0
    mode.components = [
        Component("amortisation", amort, "profile", f"${hw.purchase_usd:g} over {hw.amortisation_months} months"),
        Component(
            "power",
            mode.power_per_request * requests,
            "estimate" if watts_origin == "estimate" or mode.throughput_origin != "measured" else "measured",
            f"{watts:g} W ({watts_origin}) × {hours:.1f} h ({mode.throughput_origin}) × ${hw.electricity_usd_per_kwh:g}/kWh",
        ),
        Component("operations", ops, "profile", f"{ops_hours:g} h × ${profile.ops_hourly_rate_usd:g}/h ({profile.team_skill} team)"),
    ]
    mode.cost_origin = "estimate"
    return mode


def rented_mode(active_params_b: float | None, gpus_needed: int, profile: Profile) -> Mode:
    rent = profile.rent
    assert rent is not None
    params = active_params_b or 1.0
    bw, bw_origin = gpu_bandwidth(rent.gpu, rent.memory_bandwidth_gbps)
    seconds = _estimate_seconds(params, bw * gpus_needed, True, profile)
    hourly = rent.usd_per_hour * gpus_needed
    ops, ops_hours, _ = ops_cost(profile)
    mode = Mode(
        "rented",
        fixed_usd=ops,
        gpu_hours_per_request=seconds / 3600.0,
        gpu_usd_per_hour=hourly,
        always_on=rent.always_on,
        seconds_per_request=seconds,
        throughput_origin="estimate",
        throughput_detail=f"estimated from {bw:g} GB/s ({bw_origin}) × {gpus_needed} {rent.gpu} and {params:g}B active parameters",
        cost_origin="estimate",
    )
    requests = profile.volume.requests_per_month
    rent_usd = mode.monthly(requests) - ops
    hours = requests * seconds / 3600.0
    billed = f"{'all month' if rent.always_on else f'{hours:.1f} h needed (estimate)'}"
    mode.components = [
        Component("gpu_rent", rent_usd, "estimate", f"{gpus_needed} × {rent.gpu} at ${rent.usd_per_hour:g}/h (profile), {billed}"),
        Component("operations", ops, "profile", f"{ops_hours:g} h × ${profile.ops_hourly_rate_usd:g}/h ({profile.team_skill} team)"),
    ]
    return mode


def break_even(api: Mode, self_hosted: Mode, api_factor: float = 1.0, gpu_factor: float = 1.0) -> dict[str, Any]:
    """Monthly requests above which ``self_hosted`` costs less than ``api`` (None: never, 0: always)."""

    def diff(v: float) -> float:
        return self_hosted.monthly(v, 1.0, gpu_factor) - api.monthly(v, api_factor)

    cap = self_hosted.capacity_requests
    hi_limit = min(cap, 1e13)
    if diff(0.0) <= 0:
        return {"requests_per_month": 0.0, "kind": "always"}
    # scan on a geometric grid for the first volume where self-hosting is cheaper, then bisect
    prev = 0.0
    v = 1.0
    while v <= hi_limit:
        if diff(v) <= 0:
            lo, hi = prev, v
            for _ in range(60):
                mid = (lo + hi) / 2
                if diff(mid) <= 0:
                    hi = mid
                else:
                    lo = mid
            return {"requests_per_month": hi, "kind": "above"}
        prev = v
        v *= 2.0
    if cap < math.inf and cap <= 1e13 and diff(cap) <= 0:
        return {"requests_per_month": cap, "kind": "above"}
    return {"requests_per_month": None, "kind": "never"}
