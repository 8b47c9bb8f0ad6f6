"""The decision document as JSON: the shape of ``Decision.model_dump(mode="json")``, for the code that reads it.

:mod:`whichai.decide.document` holds the document"s pydantic models (validation, defaults); its JSON
dump is what the reports, the dashboard and ``--json`` carry. These ``TypedDict`` say that dump"s
shape field by field, so a reader of the JSON is type-checked as a reader of the models is
(one class here per model there, named ``<Model>JSON``; every field is always present in the dump,
so every key is required). ``tests/test_document.py`` checks the two against each other field by field.
"""

from __future__ import annotations

from typing import Literal, TypeAlias, TypedDict

from whichai.decide.document import Basis, BlockKind, EvidenceLevel, ModeKind, Openness, Origin, Side, Verdict

JSONValue: TypeAlias = "str | int | float | bool | None | list[JSONValue] | dict[str, JSONValue]"  # a figure's value, a note's params


class ProfileInfoJSON(TypedDict):
    name: str
    description: str
    use_case: str
    requests_per_month: float
    input_tokens_per_request: float
    output_tokens_per_request: float
    data_sensitivity: str
    data_may_go: str
    deployment: str
    team_skill: str
    min_openness: str
    budget_usd_per_month: float | None
    languages: list[str]


class TextsJSON(TypedDict):
    en: str
    id: str


class EvidenceInfoJSON(TypedDict):
    level: EvidenceLevel
    measured: int
    ranked: int
    top_measured: bool
    other_side_measured: bool | None
    top_model: str | None
    other_side_model: str | None
    next_to_measure: list[str]
    next_run: list[dict[str, str | None]]
    next_command: str | None
    text: TextsJSON


class RunInfoJSON(TypedDict):
    id: str
    status: str
    task: str | None
    cases: int
    models: int
    calls: int
    answered: int
    scored: int | None
    errors: int
    partial: bool
    text: TextsJSON


class CatalogAgeJSON(TypedDict):
    oldest_as_of: str | None
    newest_as_of: str | None
    age_days: int | None
    snapshots: dict[str, str]
    built: str | None
    source: Literal["catalog", "entries"]


class LifecycleJSON(TypedDict):
    status: str | None
    shutdown_date: str | None


class CriterionCellJSON(TypedDict):
    score: float
    origin: Origin
    reason: TextsJSON | None
    evidence: list[str]


class NoteJSON(TypedDict):
    code: str
    params: dict[str, JSONValue]
    text: TextsJSON


class RankRowJSON(TypedDict):
    rank: int
    detailed: bool
    model: str
    name: str
    openness: Openness
    side: Side
    score: float
    mode: ModeKind
    monthly_usd: float
    monthly_origin: Origin
    measured: bool
    in_catalog: bool
    lifecycle: LifecycleJSON
    criteria: dict[str, CriterionCellJSON]
    notes: list[NoteJSON]
    tied_with: list[str]


class ExclusionJSON(TypedDict):
    model: str
    name: str
    openness: Openness
    reasons: list[NoteJSON]


class WeightInfoJSON(TypedDict):
    weight: float
    raw: float
    origin: Origin
    basis: Basis
    reason: TextsJSON


class CostComponentJSON(TypedDict):
    name: str
    monthly_usd: float
    origin: Origin
    detail: str
    params: dict[str, JSONValue]


class TcoModelJSON(TypedDict):
    detailed: bool
    model: str
    name: str
    openness: Openness
    mode: ModeKind
    monthly_usd: float
    origin: Origin
    components: list[CostComponentJSON]
    alternatives: dict[str, float]
    fixed_usd: float | None
    seconds_per_request: float | None
    hours_needed: float | None
    throughput_origin: str | None
    throughput_detail: str | None
    capacity_requests_per_month: float | None
    usd_per_request: float | None


class CurveJSON(TypedDict):
    model: str
    name: str
    openness: Openness
    mode: ModeKind
    origin: Origin
    points: list[list[float]]


class BreakEvenJSON(TypedDict):
    api_model: str
    api_name: str
    self_hosted_model: str
    self_hosted_name: str
    self_hosted_mode: ModeKind
    kind: Literal["above", "always", "never"]
    requests_per_month: float | None
    tokens_per_month: float | None
    monthly_usd: float | None
    current_requests_per_month: float
    origin: Origin
    text: TextsJSON


class TcoJSON(TypedDict):
    requests_per_month: float
    input_tokens_per_request: float
    output_tokens_per_request: float
    currency: Literal["USD"]
    period: Literal["month"]
    models: list[TcoModelJSON]
    curves: list[CurveJSON]
    break_even: BreakEvenJSON | None


class HybridPartJSON(TypedDict):
    model: str
    name: str
    openness: Openness
    mode: ModeKind
    share: float
    monthly_usd: float
    score: float


class HybridJSON(TypedDict):
    applies: bool
    sensitive: HybridPartJSON
    rest: HybridPartJSON
    monthly_usd: float
    origin: Origin


class FlipJSON(TypedDict):
    weight: float | None
    factor: float | None
    winner: str | None
    verdict: str | None


class WeightSensitivityJSON(TypedDict):
    criterion: str
    weight: float
    raw_weight: float
    above: FlipJSON | None
    below: FlipJSON | None
    verdict_above: FlipJSON | None
    verdict_below: FlipJSON | None


class ParamScanJSON(TypedDict):
    winner: FlipJSON | None
    verdict: FlipJSON | None


class ParamSensitivityJSON(TypedDict):
    up: ParamScanJSON
    down: ParamScanJSON
    requests_per_month: float | None


class SensitivityJSON(TypedDict):
    winner: str | None
    weights: list[WeightSensitivityJSON]
    volume: ParamSensitivityJSON | None
    api_prices: ParamSensitivityJSON | None
    gpu_price: ParamSensitivityJSON | None
    lines: dict[str, list[str]]


class ChangeJSON(TypedDict):
    kind: Literal["weight", "volume", "api_prices", "gpu_price", "profile"]
    flips: Literal["verdict", "winner"]
    winner: str | None
    verdict: str | None
    size: float
    direction: str | None
    criterion: str | None
    from_weight: float | None
    to_weight: float | None
    factor: float | None
    requests_per_month: float | None
    change: str | None
    text: TextsJSON


class FigureJSON(TypedDict):
    name: str
    value: JSONValue
    unit: str | None
    origin: Origin
    source: str | None


class BlockJSON(TypedDict):
    kind: BlockKind
    text: str
    figures: list[FigureJSON]


class ExplanationJSON(TypedDict):
    en: list[BlockJSON]
    id: list[BlockJSON]


class DecisionJSON(TypedDict):
    schema: Literal["whichai.decision/1"]
    profile: ProfileInfoJSON
    lang: Literal["en", "id"]
    verdict: Verdict
    verdict_text: TextsJSON
    evidence: EvidenceInfoJSON
    run: RunInfoJSON | None
    catalog_age: CatalogAgeJSON
    top_models: list[str]
    ranking: list[RankRowJSON]
    excluded: list[ExclusionJSON]
    weights: dict[str, WeightInfoJSON]
    tco: TcoJSON
    hybrid: HybridJSON | None
    sensitivity: SensitivityJSON
    what_would_change: list[ChangeJSON]
    explanation: ExplanationJSON
    measured: bool
