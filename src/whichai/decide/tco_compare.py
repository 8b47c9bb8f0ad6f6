"""Two models' cost of ownership side by side (``whichai tco A B``): monthly cost, break-even, payback.

Each model is costed at the profile's volume in its cheapest allowed mode (the same candidates,
constraints and cost model as the recommendation). The break-even volume is where the two monthly
costs meet (each model in that mode); for a model run on owned hardware with a purchase price,
``payback_months`` = purchase ÷ (the other model's monthly cost − this one's running cost: power +
operations), as in Pan et al. 2025 (arXiv 2509.18101).

The JSON document (schema ``whichai.tco/1``)::

    {"schema", "profile", "currency": "USD", "period": "month", "hours_per_month",
     "volume": {requests_per_month, input_tokens_per_request, output_tokens_per_request, tokens_per_month},
     "models": [{model, name, openness, mode, monthly_usd, origin, usd_per_mtok,
                 components: [{name, usd, origin, detail, params}], alternatives: {mode: monthly_usd},
                 throughput: {tokens_per_s, origin, detail, hardware, hours_needed} (self-hosted),
                 capacity_requests_per_month, running_usd, purchase_usd (owned)}
                | {model, name, openness, excluded: [{code, params, text: {en, id}}]}],
     "break_even": {kind: above | always | never | equal, cheaper_above, than, requests_per_month,
                    tokens_per_month, origin} | null,
     "payback": [{model, against, months, purchase_usd, against_monthly_usd, running_usd, origin}]}
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal, TypedDict

from whichai import clock
from whichai.decide.catalog_view import CatalogView
from whichai.decide.constraints import Candidate, build_candidate
from whichai.decide.profile import Profile
from whichai.decide.tco import CapacityFigure, Mode, break_even, cheapest, payback_months, weakest
from whichai.errors import InputError, UnknownModelError, did_you_mean

SCHEMA = "whichai.tco/1"


class Throughput(TypedDict):
    tokens_per_s: float | None
    origin: str | None
    detail: str | None
    text: dict[str, str]  # lang -> the throughput as a sentence
    hardware: str | None
    hours_needed: float


class ReasonJSON(TypedDict):
    code: str
    params: dict[str, Any]  # the reason's figures (constraints.Reason.params)
    text: dict[str, str]  # lang -> text


class TcoRow(TypedDict, total=False):
    """One model: its cost in the chosen mode, or why it has none (``excluded``)."""

    model: str
    name: str
    openness: str
    excluded: list[ReasonJSON]
    mode: str
    monthly_usd: float
    origin: str
    components: list[dict[str, Any]]  # tco.Component.to_json()
    throughput: Throughput  # self-hosted modes
    capacity_requests_per_month: int | None
    running_usd: float  # owned
    purchase_usd: float  # owned
    usd_per_mtok: float | None
    alternatives: dict[str, float]


class TcoBreakEven(TypedDict):
    origin: str
    kind: Literal["above", "always", "never", "equal"]
    cheaper_above: str | None
    than: str | None
    requests_per_month: float | None
    tokens_per_month: float | None


class Payback(TypedDict):
    model: str
    against: str
    months: float | None
    purchase_usd: float
    against_monthly_usd: float
    running_usd: float
    origin: str


class TcoDocument(TypedDict):
    """The ``whichai.tco/1`` document (the module's docstring draws it)."""

    schema: str
    profile: str
    currency: Literal["USD"]
    period: Literal["month"]
    volume: dict[str, float]  # the profile's volume and tokens_per_month
    hours_per_month: float | None
    models: list[TcoRow]
    break_even: TcoBreakEven | None
    payback: list[Payback]


def resolve_model(view: CatalogView, model_id: str) -> Any:
    """The catalog entry for an id or alias; an unknown id is bad input, with the closest ids."""
    entry = view.resolve(model_id)
    if entry is not None:
        return entry
    hint = did_you_mean(model_id.strip().lower(), view.index, n=3, quote=str)
    raise UnknownModelError(
        f"unknown model {model_id!r}: not in the catalog. Fix: {hint}find its id with `whichai models --search TEXT`."
    )


def _mode_doc(mode: Mode, requests: float) -> TcoRow:
    doc: TcoRow = {
        "mode": mode.kind,
        "monthly_usd": round(mode.monthly(requests), 2),
        "origin": mode.cost_origin,
        "components": [c.to_json() for c in mode.components],
    }
    if mode.seconds_per_request is not None:
        doc["throughput"] = {
            "tokens_per_s": mode.tokens_per_s, "origin": mode.throughput_origin, "detail": mode.throughput_detail,
            "text": mode.throughput_text,
            "hardware": mode.hardware, "hours_needed": round(mode.hours_needed(requests) or 0.0, 2),
        }
        doc["capacity_requests_per_month"] = round(mode.capacity_requests) if mode.capacity_requests != float("inf") else None
    if mode.kind == "owned":
        doc["running_usd"] = round(mode.running(requests), 2)
        doc["purchase_usd"] = mode.purchase_usd
    return doc


def _row(cand: Candidate, profile: Profile, only: str | None = None) -> tuple[TcoRow, Mode | None]:
    from whichai.decide.constraints import Reason

    requests = profile.volume.requests_per_month
    row: TcoRow = {"model": cand.model, "name": cand.name, "openness": cand.openness}
    modes = [m for m in cand.modes if only is None or m.kind == only]
    found = None if cand.reasons else cheapest(modes, requests)
    if found is None:
        reasons = cand.reasons or [r for r in cand.notes if r.code in ("does_not_fit", "size_unknown")]
        if not cand.reasons and modes:
            reasons = [*reasons, _capacity_reason(modes, requests)]
        elif not cand.reasons and not reasons:
            reasons = [Reason("mode_not_allowed", {"mode": only})]
        row["excluded"] = [_reason_doc(r) for r in reasons]
        return row, None
    mode, monthly = found
    row.update(_mode_doc(mode, requests))
    tokens = profile.volume.tokens_per_month()
    row["usd_per_mtok"] = round(monthly / tokens * 1e6, 4) if tokens else None
    row["alternatives"] = {m.kind: round(m.monthly(requests), 2) for m in cand.modes if requests <= m.capacity_requests}
    return row, mode


def _reason_doc(reason: Any) -> ReasonJSON:
    from whichai.decide.explain import reason_text

    return {"code": reason.code, "params": reason.params, "text": {lang: reason_text(reason, lang) for lang in ("en", "id")}}


def _capacity_reason(modes: list[Mode], requests: float) -> Any:
    from whichai.decide.constraints import Reason

    short = max(modes, key=lambda m: m.hours_needed(requests) or 0.0)
    return Reason("capacity", {"requests": requests, "hours": round(short.hours_needed(requests) or 0.0, 1), "limit": short.hours_limit})


def _break_even(a: TcoRow, ma: Mode, b: TcoRow, mb: Mode, profile: Profile) -> TcoBreakEven:
    """Where the two monthly costs meet (each model in its chosen mode): ``kind`` ``above`` (the
    model ``cheaper_above`` costs less above that volume), ``always`` (it costs less at every volume
    within capacity), or ``equal`` (the same cost at every volume)."""
    v = profile.volume
    per_request = v.input_tokens_per_request + v.output_tokens_per_request
    origin = weakest(ma.cost_origin, mb.cost_origin)
    top = min(ma.capacity_requests, mb.capacity_requests, 1e12)
    if all(abs(ma.monthly(x) - mb.monthly(x)) <= 1e-9 * max(1.0, ma.monthly(x)) for x in (1.0, top)):
        return {"origin": origin, "kind": "equal", "cheaper_above": None, "than": None, "requests_per_month": None, "tokens_per_month": None}
    found, first, second = break_even(mb, ma), a, b  # the volume above which A costs less than B
    if found["requests_per_month"] is None:
        found, first, second = break_even(ma, mb), b, a
    req = found["requests_per_month"]
    return {"origin": origin, "cheaper_above": first["model"] if req is not None else None,
            "than": second["model"] if req is not None else None, "kind": found["kind"] if req is not None else "never",
            "requests_per_month": None if req is None else round(req, 2),
            "tokens_per_month": None if req is None else round(req * per_request)}


def compare(
    profile: Profile, catalog: Any, a: str, b: str, capacity: list[CapacityFigure] | None = None, today: date | None = None,
    modes: tuple[str | None, str | None] = (None, None),
) -> TcoDocument:
    """The ``whichai tco`` document for models ``a`` and ``b`` under ``profile`` (``modes``: cost
    each in that mode only; None: its cheapest allowed mode)."""
    view = catalog if isinstance(catalog, CatalogView) else CatalogView(catalog)
    entries = [resolve_model(view, m) for m in (a, b)]
    if entries[0].id == entries[1].id and modes[0] == modes[1]:
        raise InputError(f"{a!r} and {b!r} are the same model ({entries[0].id}). Fix: name two different models, "
                         "or compare one model in two modes with --mode-a and --mode-b.")
    today = today or clock.today()
    rows, chosen = [], []
    for entry, only in zip(entries, modes):
        cand = build_candidate(entry.id, entry, None, profile, today=today, capacity=capacity)
        row, mode = _row(cand, profile, only)
        rows.append(row)
        chosen.append(mode)
    v = profile.volume
    doc: TcoDocument = {
        "schema": SCHEMA, "profile": profile.name, "currency": "USD", "period": "month",
        "volume": {**v.model_dump(), "tokens_per_month": v.tokens_per_month()},
        "hours_per_month": profile.hardware.hours_per_month if profile.hardware is not None else None,
        "models": rows, "break_even": None, "payback": [],
    }
    first, second = chosen
    if first is None or second is None:
        return doc
    doc["break_even"] = _break_even(rows[0], first, rows[1], second, profile)
    pair = (first, second)
    for i, j in ((0, 1), (1, 0)):
        months = payback_months(pair[i], pair[j].monthly(v.requests_per_month), v.requests_per_month)
        if pair[i].kind == "owned" and pair[i].purchase_usd > 0:
            doc["payback"].append({
                "model": rows[i]["model"], "against": rows[j]["model"], "months": None if months is None else round(months, 4),
                "purchase_usd": pair[i].purchase_usd, "against_monthly_usd": rows[j]["monthly_usd"],
                "running_usd": rows[i]["running_usd"], "origin": weakest(pair[i].cost_origin, pair[j].cost_origin),
            })
    return doc
