"""Total cost of ownership: what a model costs per month at the user's volume, by deployment mode.

Three modes (see docs/method.md):

- ``api``: volume × published price (catalog) or the cost per case measured in a run.
- ``owned``: the user's hardware: purchase amortised over the stated months + power for the hours
  the volume needs + the team's operations time. Capacity: ``hardware.hours_per_month`` (730 by
  default, a whole month) at the model's throughput.
- ``rented``: GPUs rented by the hour × the hours the volume needs (or all month when
  ``always_on``) + operations time. Enough GPUs are rented to hold the model.

Throughput, in this order: a capacity figure for the model on the user's hardware (a load test:
``measured``; a profile ``capacity:`` entry: ``profile``), tokens/s counting input and output
tokens; the throughput a run measured for a local model, when the profile's hardware is this
machine (``measured``); else an estimate from memory bandwidth (decoding a token reads every active
weight once). Operations hours follow :func:`ops_rule` unless the profile states them. Every
figure carries its origin: ``measured`` | ``catalog`` | ``profile`` | ``estimate``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, NamedTuple, Protocol, Required, TypedDict

from whichai.catalog.hardware import memory_needed_gb as _memory_needed_gb
from whichai.decide.i18n import LANGS, num, t
from whichai.decide.measurement import Measurement
from whichai.decide.profile import HOURS_PER_MONTH, THIS_MACHINE, OwnedHardware, Profile, RentedGPU
from whichai.decide.task_fit import THINKING_OUTPUT_FACTOR

BITS_PER_WEIGHT = 4.5  # a 4-bit quantisation (Q4_K_M-like), what people self-host by default
BANDWIDTH_EFFICIENCY = 0.6  # share of peak memory bandwidth a decoder reaches
GPU_BATCHING = 8.0  # aggregate decode speed of a batched GPU server vs one stream (vLLM-like)
PREFILL_SPEEDUP_GPU = 10.0  # prompt tokens are processed this many times faster than generated ones
PREFILL_SPEEDUP_CPU = 5.0
OPS_HOURS = {"none": 40.0, "some": 16.0, "strong": 8.0}  # team hours a month for a 70 B model on a GPU server
OPS_REFERENCE_B = 70.0  # the model size OPS_HOURS are stated for
OPS_SIZE_MIN, OPS_SIZE_MAX = 0.1, 1.5
OPS_ALREADY_OWNED = 0.5  # a machine the user already has and runs anyway (purchase 0)
OPS_PER_EXTRA_GPU = 0.25
MAX_RENTED_GPUS = 8
BUSINESS_HOURS_PER_MONTH = 220.0  # 22 working days of 10 hours: the least a business-hours service is up

# GPUs rented when the profile names none (its `rent` left to the default): the smallest that holds the
# model on one GPU, at an on-demand price of large clouds (estimates; a profile's `rent` replaces them).
DEFAULT_RENTABLE = (("NVIDIA L4 24GB", 24.0, 0.8), ("NVIDIA L40S 48GB", 48.0, 1.5), ("NVIDIA H100 80GB", 80.0, 2.5))


def billed_gpu_hours(hours: float, always_on: bool, min_hours: float = 0.0) -> float:
    """The hours a rented GPU is billed for ``hours`` of work a month: providers bill whole hours (the
    first one in full), all month when the service is always on, at least ``min_hours`` otherwise."""
    if always_on:
        return HOURS_PER_MONTH * max(1, math.ceil(hours / HOURS_PER_MONTH - 1e-9))
    if hours <= 0:
        return min_hours
    return max(float(math.ceil(hours - 1e-9)), min_hours)


def rentable_for(need_gb: float, rent: RentedGPU | None) -> RentedGPU:
    """The GPU to rent for a model needing ``need_gb``: the profile's own ``rent`` when it states one
    (anything but the default); otherwise the smallest of :data:`DEFAULT_RENTABLE` that holds it."""
    if rent is not None and rent != RentedGPU():
        return rent
    for gpu, memory, price in DEFAULT_RENTABLE:
        if need_gb <= memory:
            return RentedGPU(gpu=gpu, memory_gb=memory, usd_per_hour=price)
    gpu, memory, price = DEFAULT_RENTABLE[-1]
    return RentedGPU(gpu=gpu, memory_gb=memory, usd_per_hour=price)

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
    return float(_memory_needed_gb(params_b, bits_per_weight=BITS_PER_WEIGHT, context_tokens=context_tokens))


def _figure(value: Any, lang: str) -> str:
    """A figure inside a text: numbers in the reader's convention (trailing zeros dropped), origins translated."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if float(value).is_integer():
        return num(value, lang, 0)
    text = num(value, lang, 2 if abs(value) >= 1 else 6)
    return text.rstrip("0").rstrip(".,") if ("." in text or "," in text) else text


def texts(code: str, langs: tuple[str, ...] = LANGS, **params: Any) -> dict[str, str]:
    """The text of ``code`` in every language (or in ``langs``); parameters ending in ``_origin``
    are origin labels."""
    out = {}
    for lang in langs:
        shown = {k: (t(f"origin.{v}", lang) if k.endswith("_origin") else _figure(v, lang)) for k, v in params.items()}
        out[lang] = t(code, lang, **shown)
    return out


@dataclass
class Component:
    """One part of a mode's monthly cost. How it was computed is a text code with its figures,
    rendered in English and Indonesian when first read (``text``; ``detail`` is the English)."""

    name: str  # api | amortisation | power | gpu_rent | operations
    usd: float  # at the profile's volume
    origin: str
    code: str = ""  # i18n key of how it was computed
    figures: dict[str, Any] = field(default_factory=dict)  # the figures in that text
    params: dict[str, Any] = field(default_factory=dict)  # the figures behind it (operations: hours, rate, rule)
    suffix: tuple[str, ...] = ()  # further text codes appended (e.g. a thinking model's tokens)

    def texts_in(self, langs: tuple[str, ...]) -> dict[str, str]:
        found = texts(self.code, langs, **self.figures) if self.code else {lang: "" for lang in langs}
        for extra in self.suffix:
            found = {lang: body + t(extra, lang, factor=f"{THINKING_OUTPUT_FACTOR:g}") for lang, body in found.items()}
        return found

    @property
    def text(self) -> dict[str, str]:
        return self.texts_in(LANGS)

    @property
    def detail(self) -> str:
        return self.texts_in(("en",))["en"]

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "usd": round(self.usd, 2), "origin": self.origin, "detail": self.detail, "params": self.params,
                "text": self.text}


def component(name: str, usd: float, origin: str, code: str, params: dict[str, Any] | None = None, **figures: Any) -> Component:
    return Component(name, usd, origin, code, figures, params or {})


@dataclass(eq=False)  # one mode is one object (hashed by identity: at_volume caches on it)
class Mode:
    """One way to run a model, with its cost as a function of volume and price factors."""

    kind: str  # api | owned | rented
    fixed_usd: float = 0.0  # per month, whatever the volume
    api_per_request: float = 0.0  # USD per request, scales with API prices
    gpu_hours_per_request: float = 0.0  # rented GPU-hours (all GPUs) per request
    gpu_usd_per_hour: float = 0.0  # for all the GPUs rented at once
    power_per_request: float = 0.0  # USD of electricity per request
    always_on: bool = False
    min_hours: float = 0.0  # rented: the fewest hours billed a month (the profile's availability)
    capacity_requests: float = math.inf  # most requests a month the mode can serve
    seconds_per_request: float | None = None
    throughput_origin: str = ""
    throughput_code: str = ""  # i18n key of where the throughput comes from, with its figures
    throughput_figures: dict[str, Any] = field(default_factory=dict)
    throughput_suffix: tuple[str, ...] = ()
    cost_origin: str = "catalog"
    origin_without_ops: str = ""  # self-hosted: the cost's origin before the operations component
    components: list[Component] = field(default_factory=list)
    ops_usd: float = 0.0  # the operations part of fixed_usd
    purchase_usd: float = 0.0  # owned: the hardware's price (for payback)
    tokens_per_s: float | None = None  # throughput, input + output tokens a second
    hardware: str = ""  # what the throughput was measured or estimated on
    output_factor: float = 1.0  # output tokens counted per visible output token (a thinking model's reasoning)
    hours_limit: float = HOURS_PER_MONTH  # the most hours a month it may run (owned: hardware.hours_per_month)
    requests: float = math.nan  # the monthly volume its components are priced at (nan: none yet; :func:`at_volume` prices them)
    ops_args: tuple[float | None, float | None, int] = (None, None, 1)  # self-hosted: (params_b, active_params_b, gpus), what :func:`with_ops` needs to re-cost operations

    @property
    def throughput_text(self) -> dict[str, str]:
        """Where the throughput comes from, in English and Indonesian ({} for the API)."""
        if not self.throughput_code:
            return {}
        return self._throughput_texts(LANGS)

    def _throughput_texts(self, langs: tuple[str, ...]) -> dict[str, str]:
        found = texts(self.throughput_code, langs, **self.throughput_figures)
        return {lang: body + "".join(t(x, lang) for x in self.throughput_suffix) for lang, body in found.items()}

    @property
    def throughput_detail(self) -> str:
        return self._throughput_texts(("en",))["en"] if self.throughput_code else ""

    def running(self, requests: float) -> float:
        """Monthly cost without amortisation: power + operations (+ rent) at ``requests``."""
        amort = next((c.usd for c in self.components if c.name == "amortisation"), 0.0)
        return self.monthly(requests) - amort

    def monthly(self, requests: float, api_factor: float = 1.0, gpu_factor: float = 1.0) -> float:
        cost = self.fixed_usd + requests * (self.api_per_request * api_factor + self.power_per_request)
        if self.gpu_usd_per_hour:
            hours = billed_gpu_hours(requests * self.gpu_hours_per_request, self.always_on, self.min_hours)
            cost += hours * self.gpu_usd_per_hour * gpu_factor
        return cost

    def hours_needed(self, requests: float) -> float | None:
        if self.seconds_per_request is None:
            return None
        return requests * self.seconds_per_request / 3600.0


class Ops(NamedTuple):
    """The profile's answers the operations rule reads (:func:`ops_rule`)."""

    team_skill: str
    ops_hourly_rate_usd: float
    ops_hours_per_month: float | None
    hardware_paid: bool  # the owned hardware is already paid for (purchase 0): run anyway

    @classmethod
    def of(cls, profile: Profile) -> Ops:
        paid = profile.hardware is not None and profile.hardware.purchase_usd == 0
        return cls(profile.team_skill, profile.ops_hourly_rate_usd, profile.ops_hours_per_month, paid)


def ops_rule(profile: Profile | Ops, params_b: float | None, kind: str, gpus: int = 1) -> tuple[float, float, str, dict[str, Any]]:
    """(USD, hours, origin, params) a month of the team's time to run a model yourself.

    Stated in the profile (``ops_hours_per_month``): that, origin ``profile``. Otherwise the rule
    (origin ``estimate``): hours = OPS_HOURS[team_skill] × size × where, with
    size = √(B / 70) within [0.1, 1.5] (B: the model's effective parameters in billions; unknown: 1),
    where = 0.5 on owned hardware already paid for (purchase 0), 1 on hardware bought for it,
    1 + 0.25 per extra rented GPU.
    """
    ops = profile if isinstance(profile, Ops) else Ops.of(profile)
    rate = ops.ops_hourly_rate_usd
    if ops.ops_hours_per_month is not None:
        hours = ops.ops_hours_per_month
        return hours * rate, hours, "profile", {"hours": hours, "rate": rate, "rule": "profile",
                                                 "settings": ["ops_hours_per_month", "ops_hourly_rate_usd"]}
    size = 1.0 if not params_b else min(OPS_SIZE_MAX, max(OPS_SIZE_MIN, math.sqrt(params_b / OPS_REFERENCE_B)))
    if kind == "owned":
        where = OPS_ALREADY_OWNED if ops.hardware_paid else 1.0
    else:
        where = 1.0 + OPS_PER_EXTRA_GPU * max(0, gpus - 1)
    base = OPS_HOURS[ops.team_skill]
    hours = round(base * size * where, 2)
    return hours * rate, hours, "estimate", {
        "hours": hours, "rate": rate, "rule": "team_size_where", "team_skill": ops.team_skill, "base_hours": base,
        "size_factor": round(size, 3), "where_factor": where, "settings": ["ops_hours_per_month", "ops_hourly_rate_usd"],
    }


def _ops_component(ops: Ops, params_b: float | None, kind: str, gpus: int = 1) -> Component:
    usd, hours, origin, params = ops_rule(ops, params_b, kind, gpus)
    return component("operations", usd, origin, "cost.detail_operations", params, hours=hours, hours_origin=origin,
                     rate=ops.ops_hourly_rate_usd, skill=ops.team_skill)


class TokensPerRequest(Protocol):
    """What a mode's cost per request reads of the volume (the profile's :class:`Volume`, or :class:`PerRequest`)."""

    @property
    def input_tokens_per_request(self) -> float: ...

    @property
    def output_tokens_per_request(self) -> float: ...


class PerRequest(NamedTuple):
    """The tokens of one request (a mode's cost per request reads these; the number of requests a month
    is read when the cost is: :meth:`Mode.monthly`, :func:`at_volume`)."""

    input_tokens_per_request: float
    output_tokens_per_request: float

    @classmethod
    def of(cls, volume: TokensPerRequest) -> PerRequest:
        return cls(volume.input_tokens_per_request, volume.output_tokens_per_request)

    def thinking(self) -> PerRequest:
        """As a thinking model serves it: THINKING_OUTPUT_FACTOR × the output tokens."""
        return PerRequest(self.input_tokens_per_request, self.output_tokens_per_request * THINKING_OUTPUT_FACTOR)


def price_override(prices: Any, model_id: str, aliases: list[str] | tuple[str, ...] = ()) -> Any:
    """The profile's own price for a model (by id or alias), or None. ``prices``: the profile's ``prices``
    (a mapping) or its items."""
    items = prices.items() if hasattr(prices, "items") else prices
    if not items:
        return None
    wanted = {model_id.lower(), *(a.lower() for a in aliases)}
    for key, price in items:
        if key.strip().lower() in wanted:
            return price
    return None


def api_cost(entry: Any, measurement: Measurement | None, volume: TokensPerRequest, own: Any = None) -> Mode | str:
    """The API mode per request (its price: the profile's own ``own``, else the catalog's, else the cost
    per case measured in a run), or the code of the reason it has no price."""
    price = getattr(entry, "price_usd_per_mtok", None) if entry is not None else None
    if own is not None or price is not None:
        if own is not None:
            inp, outp, origin = own.input, own.output, "profile"
            found = ("cost.detail_api_profile", {"input": inp, "output": outp, "source": own.source})
        else:
            assert price is not None
            inp, outp, origin = price.input, price.output, "catalog"
            found = ("cost.detail_api", {"input": inp, "output": outp, "source": price.source, "as_of": price.as_of})
        per_request = (volume.input_tokens_per_request * inp + volume.output_tokens_per_request * outp) / 1e6
        mode = Mode("api", api_per_request=per_request, cost_origin=origin)
        mode.components.append(Component("api", 0.0, origin, *found))
        return mode
    answered = (measurement or {}).get("answered") or (measurement or {}).get("cases")
    cost = measurement.get("cost_usd") if measurement else None
    if cost is not None and answered:
        per_request = float(cost) / float(answered)
        mode = Mode("api", api_per_request=per_request, cost_origin="measured")
        mode.components.append(component("api", 0.0, "measured", "cost.detail_api_measured", per_request=per_request, answered=answered))
        return mode
    return "no_price"


def api_mode(entry: Any, measurement: Measurement | None, profile: Profile, model_id: str | None = None) -> Mode | str:
    """The API mode at the profile's volume, or the code of the reason it has no price."""
    own = price_override(profile.prices, model_id or getattr(entry, "id", "") or "", getattr(entry, "aliases", None) or ())
    found = api_cost(entry, measurement, profile.volume, own)
    return found if isinstance(found, str) else _priced(found, profile.volume.requests_per_month)


def _estimate_seconds(active_params_b: float, bandwidth_gbps: float, gpu: bool, volume: TokensPerRequest) -> float:
    gb_per_token = active_params_b * BITS_PER_WEIGHT / 8
    single = BANDWIDTH_EFFICIENCY * bandwidth_gbps / max(gb_per_token, 1e-6)
    decode = single * (GPU_BATCHING if gpu else 1.0)
    prefill = decode * (PREFILL_SPEEDUP_GPU if gpu else PREFILL_SPEEDUP_CPU)
    return volume.input_tokens_per_request / prefill + volume.output_tokens_per_request / decode


def _measured_seconds(measurement: Measurement, volume: TokensPerRequest) -> float | None:
    """Seconds one request of ``volume`` (its tokens per request) takes on the measured hardware. The
    measured rate is output tokens over whole-request latency (time to first token included), so the
    time to first token is not added again: at the measured output length this is the measured mean latency."""
    tps = measurement.get("output_tokens_per_s")
    if tps:
        return volume.output_tokens_per_request / float(tps)
    p50 = measurement.get("latency_p50_s")
    if p50:
        return float(p50)
    return None


class CapacityFigure(TypedDict, total=False):
    """A measured throughput figure as decide is given it: ``whichai load``'s capacity entries
    (:class:`whichai.measure.load.store.CapacityEntry`, field by field)."""

    model: str
    serves: str | None
    tokens_per_s: Required[float]  # input + output, all streams
    hardware: str | None
    source: str | None
    origin: str
    concurrency: int
    sweep_id: str


class Throughput(NamedTuple):
    """A capacity figure: tokens a second (input + output, all streams) of a model on some hardware."""

    model: str
    tokens_per_s: float
    hardware: str | None
    source: str | None
    origin: str  # profile (stated in it) | measured (a load test)

    @classmethod
    def of(cls, figure: Mapping[str, Any], origin: str) -> Throughput:
        return cls(str(figure.get("model", "")), float(figure["tokens_per_s"]), figure.get("hardware"), figure.get("source"),
                   figure.get("origin") or origin)


def capacity_applies(cap: Throughput, hw: OwnedHardware | None) -> bool:
    """Whether a capacity figure describes the profile's own hardware ``hw``.

    Figures written in the profile do (the user states them for their hardware); a measured figure
    does when it names no hardware, names the profile's hardware (``hardware.name``), or was taken
    on this machine and the profile's hardware is this machine.
    """
    if hw is None:
        return False
    if cap.origin == "profile":
        return True
    where = str(cap.hardware or "").strip().lower()
    if not where:
        return True
    if where == THIS_MACHINE:
        return hw.this_machine
    return bool(hw.name and where == hw.name.strip().lower())


def find_capacity(model_ids: list[str] | tuple[str, ...], capacity: Iterable[Throughput] | None, hw: OwnedHardware | None) -> Throughput | None:
    """The capacity figure for a model (any of its ids) on the hardware ``hw``; the profile's own
    entries first, then the highest measured figure."""
    wanted = {m.lower() for m in model_ids if m}
    found = [c for c in capacity or () if c.model.lower() in wanted and capacity_applies(c, hw)]
    if not found:
        return None
    return max(found, key=_preferred)


def _preferred(c: Throughput) -> tuple[bool, float]:
    return c.origin == "profile", c.tokens_per_s


def _throughput(
    active_params_b: float | None, measurement: Measurement | None, local_measured: bool, hw: OwnedHardware, volume: TokensPerRequest,
    on_gpu: bool,
    cap: Throughput | None,
) -> tuple[float, str, tuple[str, dict[str, Any], tuple[str, ...]], float | None, str]:
    """(seconds per request, origin, (text code, figures, suffix codes), tokens/s, hardware) of the owned hardware."""
    per_request = volume.input_tokens_per_request + volume.output_tokens_per_request
    if cap is not None:
        tps = cap.tokens_per_s
        origin = "profile" if cap.origin == "profile" else "measured"
        where = cap.hardware or hw.name or "your hardware"
        found = ("tp.capacity", {"tps": tps, "hardware": where, "tp_origin": origin, "source": cap.source or "?"}, ())
        return max(per_request, 1e-9) / tps, origin, found, tps, str(where)
    if local_measured and measurement and hw.this_machine:
        seconds = _measured_seconds(measurement, volume)
        if seconds is not None:
            return seconds, "measured", ("tp.measured_here", {"tps": measurement.get("output_tokens_per_s") or "?"}, ()), None, THIS_MACHINE
    params = active_params_b or 1.0
    if hw.gpus and on_gpu:
        bw = sum(gpu_bandwidth(g.name, g.memory_bandwidth_gbps)[0] * g.count for g in hw.gpus)
        code = "tp.estimate_gpu"
        seconds = _estimate_seconds(params, bw, True, volume)
    else:
        bw = hw.memory_bandwidth_gbps or (CPU_BANDWIDTH_SERVER if hw.cpu_cores > 16 else CPU_BANDWIDTH_SMALL)
        code = "tp.estimate_cpu"
        seconds = _estimate_seconds(params, bw, False, volume)
    suffix = ("tp.elsewhere",) if local_measured and measurement and not hw.this_machine else ()
    return seconds, "estimate", (code, {"bw": bw, "params": params}, suffix), None, hw.name or ""


def owned_cost(
    active_params_b: float | None, measurement: Measurement | None, local_measured: bool, hw: OwnedHardware, volume: TokensPerRequest,
    on_gpu: bool = True,
    cap: Throughput | None = None, params_b: float | None = None,
) -> Mode:
    """Self-hosting on the user's hardware ``hw`` (fit is checked by the caller), per request, before
    the team's operations (:func:`with_ops`)."""
    seconds, t_origin, t_text, tps, where = _throughput(active_params_b, measurement, local_measured, hw, volume, on_gpu, cap)
    mode = Mode("owned", throughput_origin=t_origin, throughput_code=t_text[0], throughput_figures=t_text[1], throughput_suffix=t_text[2],
                tokens_per_s=tps, hardware=where, hours_limit=hw.hours_per_month, ops_args=(params_b, active_params_b, 1))
    mode.seconds_per_request = seconds
    mode.capacity_requests = hw.hours_per_month * 3600.0 / seconds * (1 + 1e-9) if seconds > 0 else math.inf
    watts = hw.power_watts if hw.power_watts is not None else (150.0 + 300.0 * hw.gpu_count() if hw.gpus else 65.0)
    watts_origin = "profile" if hw.power_watts is not None else "estimate"
    mode.power_per_request = watts / 1000.0 * seconds / 3600.0 * hw.electricity_usd_per_kwh
    amort = hw.purchase_usd / hw.amortisation_months
    mode.fixed_usd = amort
    mode.purchase_usd = hw.purchase_usd
    power_origin = "estimate" if watts_origin == "estimate" or t_origin == "estimate" else t_origin
    mode.components = [
        component("amortisation", amort, "profile", "cost.detail_amortisation", purchase=hw.purchase_usd, months=hw.amortisation_months),
        component("power", 0.0, power_origin, "cost.detail_power", watts=watts, watts_origin=watts_origin,
                  hours=0.0, hours_origin=t_origin, kwh=hw.electricity_usd_per_kwh),
    ]
    mode.origin_without_ops = weakest(t_origin, watts_origin)
    mode.cost_origin = mode.origin_without_ops
    return mode


def owned_mode(
    active_params_b: float | None, measurement: Measurement | None, local_measured: bool, profile: Profile, on_gpu: bool = True,
    cap: Throughput | None = None, params_b: float | None = None,
) -> Mode:
    """Self-hosting on the user's own hardware at the profile's volume (fit is checked by the caller)."""
    hw = profile.hardware
    assert hw is not None
    mode = owned_cost(active_params_b, measurement, local_measured, hw, profile.volume, on_gpu, cap, params_b)
    return _priced(with_ops(mode, Ops.of(profile)), profile.volume.requests_per_month)


def with_ops(mode: Mode, ops: Ops) -> Mode:
    """A self-hosted mode (:func:`owned_cost`, :func:`rented_cost`) with the team's operations
    (:func:`ops_rule`) as its last component."""
    params_b, active_params_b, gpus = mode.ops_args
    comp = _ops_component(ops, _effective_b(params_b, active_params_b), mode.kind, gpus)
    new = _copy(mode)
    new.components = [*mode.components, comp]
    new.fixed_usd = mode.fixed_usd + comp.usd
    new.ops_usd = comp.usd
    new.cost_origin = weakest(mode.origin_without_ops or mode.cost_origin, comp.origin)
    return new


def _copy(mode: Mode) -> Mode:
    """A shallow copy (``copy.copy`` goes through ``__reduce_ex__``: several times slower)."""
    new = object.__new__(Mode)
    new.__dict__.update(mode.__dict__)
    return new


def _priced(mode: Mode, requests: float) -> Mode:
    """Price the components that scale with the volume (API spend, power, GPU rent) at ``requests``
    a month. Nothing else in a mode depends on the number of requests, so one mode serves every
    volume of a recommendation (its "what if" passes); :func:`at_volume` prices a copy."""
    mode.requests = requests
    for c in mode.components:
        if c.name == "api":
            c.usd = mode.api_per_request * requests
        elif c.name in ("power", "gpu_rent"):
            c.usd = mode.power_per_request * requests if c.name == "power" else mode.monthly(requests) - mode.ops_usd
            c.figures["hours"] = round(requests * (mode.seconds_per_request or 0.0) / 3600.0, 1)
    return mode


@lru_cache(maxsize=4096)
def at_volume(mode: Mode, requests: float) -> Mode:
    """``mode`` with its components priced at ``requests`` a month (itself when they already are): what
    a view shows of a mode. A pure function of the mode and the volume, so computed once for each."""
    if mode.requests == requests:
        return mode
    new = _copy(mode)
    new.components = [replace(c, figures=dict(c.figures)) for c in mode.components]
    return _priced(new, requests)


def _effective_b(params_b: float | None, active_params_b: float | None) -> float | None:
    """Effective size for the operations rule: geometric mean of total and active parameters (MoE)."""
    if params_b and active_params_b and active_params_b < params_b:
        return math.sqrt(params_b * active_params_b)
    return params_b or active_params_b


def rented_cost(active_params_b: float | None, gpus_needed: int, rent: RentedGPU, availability: str, volume: TokensPerRequest,
                params_b: float | None = None, picked: bool = False) -> Mode:
    """GPUs rented by the hour (``rent``; ``picked``: chosen by :func:`rentable_for`, the profile states
    none), billed as :func:`billed_gpu_hours` says for the profile's ``availability``, per request,
    before the team's operations (:func:`with_ops`)."""
    always_on = rent.always_on or availability == "always_on"
    params = active_params_b or 1.0
    bw, bw_origin = gpu_bandwidth(rent.gpu, rent.memory_bandwidth_gbps)
    seconds = _estimate_seconds(params, bw * gpus_needed, True, volume)
    hourly = rent.usd_per_hour * gpus_needed
    mode = Mode(
        "rented",
        gpu_hours_per_request=seconds / 3600.0,
        gpu_usd_per_hour=hourly,
        always_on=always_on,
        min_hours=BUSINESS_HOURS_PER_MONTH if availability == "business_hours" else 0.0,
        seconds_per_request=seconds,
        throughput_origin="estimate",
        throughput_code="tp.estimate_rented",
        throughput_figures={"bw": bw, "bw_origin": bw_origin, "n": gpus_needed, "gpu": rent.gpu, "params": params},
        cost_origin="estimate",
        origin_without_ops="estimate",
        hardware=f"{gpus_needed} × {rent.gpu}",
        ops_args=(params_b, active_params_b, gpus_needed),
    )
    code = "cost.detail_rent_always" if always_on else "cost.detail_rent"
    if picked:
        code += "_default"
    mode.components = [component("gpu_rent", 0.0, "estimate", code, n=gpus_needed, gpu=rent.gpu, rate=rent.usd_per_hour, hours=0.0)]
    return mode


def rented_mode(active_params_b: float | None, gpus_needed: int, profile: Profile, params_b: float | None = None,
                rent: Any = None) -> Mode:
    """GPUs rented by the hour (``rent``, else the profile's) at the profile's volume."""
    rent = rent or profile.rent
    assert rent is not None
    mode = rented_cost(active_params_b, gpus_needed, rent, profile.availability, profile.volume, params_b, rent is not profile.rent)
    return _priced(with_ops(mode, Ops.of(profile)), profile.volume.requests_per_month)


MODE_PREFERENCE = {"owned": 0, "api": 1, "rented": 2}  # tie-break between equally cheap modes
ORIGIN_STRENGTH = {"unknown": 0, "estimate": 1, "profile": 2, "catalog": 2, "benchmark": 2, "measured": 3}


def weakest(*origins: str) -> str:
    """The origin of a figure computed from figures of these origins: the weakest of them
    (one estimate makes the result an estimate; measured only when every part is measured)."""
    return min(origins, key=lambda o: ORIGIN_STRENGTH[o])


def cheapest(modes: list[Mode], requests: float, api_factor: float = 1.0, gpu_factor: float = 1.0) -> tuple[Mode, float] | None:
    """The cheapest mode that can serve ``requests`` a month (ties: owned, api, rented), or None."""
    best: tuple[float, int, Mode] | None = None
    for mode in modes:
        if requests > mode.capacity_requests:
            continue
        cost = mode.monthly(requests, api_factor, gpu_factor)
        if best is None or (cost, MODE_PREFERENCE[mode.kind]) < best[:2]:
            best = (cost, MODE_PREFERENCE[mode.kind], mode)
    return None if best is None else (best[2], best[0])


def payback_months(owned: Mode, other_monthly: float, requests: float) -> float | None:
    """Months until the hardware's price is paid back: purchase ÷ (the other's monthly cost − the
    owned hardware's running cost: power + operations). None when it never pays back or cost nothing."""
    if owned.kind != "owned" or owned.purchase_usd <= 0:
        return None
    saving = other_monthly - owned.running(requests)
    return owned.purchase_usd / saving if saving > 0 else None


def break_even(api: Mode, self_hosted: Mode, api_factor: float = 1.0, gpu_factor: float = 1.0) -> dict[str, Any]:
    """Monthly requests above which ``self_hosted`` costs less than ``api`` (None: never, 0: always)."""

    def diff(v: float) -> float:
        return self_hosted.monthly(v, 1.0, gpu_factor) - api.monthly(v, api_factor)

    cap = self_hosted.capacity_requests
    hi_limit = min(cap, 1e13)
    at_zero = diff(0.0)
    if at_zero < 0 or (at_zero == 0 and diff(1.0) <= 0):  # cheaper from the first request (both free at zero: by slope)
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
