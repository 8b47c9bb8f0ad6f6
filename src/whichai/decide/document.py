"""The decision document: everything decide concluded, computed once, in one typed model.

``Recommendation.document()`` builds a :class:`Decision`; ``Decision.model_dump(mode="json")`` is
the JSON contract (schema id ``whichai.decision/1``, field by field in docs/decision.md). The
terminal (``whichai.cli.decision_view``), the HTML and Markdown reports and the dashboard render
this document; none of them recomputes a score, a cost or an origin, or re-parses its text.

Every number carries its origin: ``measured`` (on the user's task, here), ``catalog`` (a sourced,
dated fact), ``profile`` (what the user said, or a default they can change), ``estimate`` (a stated
formula) or ``unknown`` (counted as a neutral 0.5). Every text a person reads about the decision
exists in English (``en``) and Bahasa Indonesia (``id``).

``Decision`` is the one pydantic model; its parts (ranking rows and their criterion cells, notes,
texts, costs, sensitivity, changes, explanation blocks) are slotted dataclasses that its one
validation fills: one object each, where a pydantic model is three (itself, its ``__dict__``, its set
of fields), so a recommendation leaves ~12,000 objects for the garbage collector to walk instead of
~39,000, and importing the module builds one model class instead of 35 (same fields in the same
order: the same JSON).

This module holds the models only; it imports nothing else from decide (no import cycle).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Final, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

SCHEMA: Final = "whichai.decision/1"
DETAIL_ROWS = 20  # ranking rows whose criteria carry reason and evidence (plus measured rows and each side's best)

Origin = Literal["measured", "benchmark", "catalog", "profile", "estimate", "unknown"]
ORIGINS: tuple[str, ...] = ("measured", "benchmark", "catalog", "profile", "estimate", "unknown")
Verdict = Optional[Literal["open-source", "open-weights", "closed", "hybrid"]]
Openness = Literal["open-source", "open-weights", "closed", "unknown"]
Side = Literal["open", "closed", "unknown"]
ModeKind = Literal["api", "owned", "rented"]
BlockKind = Literal["verdict", "evidence", "reason", "cost", "operations", "lifecycle", "exclusion", "change", "caveat"]
EvidenceLevel = Literal["measured", "partial", "prior"]
Basis = Literal["given", "derived", "default"]  # of a weight


class _Part:
    """A part of the document: a slotted dataclass, its declared fields in their order, mutable and compared
    field by field as the pydantic models were (frozen, its generated methods would double the module's
    import time). The one ``Decision`` validation makes the parts given as mappings and checks again
    those made directly (``revalidate_instances``), unknown keys rejected, as for the document itself."""

    __slots__ = ()
    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid", revalidate_instances="always")


@dataclass(slots=True, kw_only=True)
class Texts(_Part):
    """One text in both languages."""

    en: str
    id: str

    def get(self, lang: str) -> str:
        return self.id if lang == "id" else self.en


@dataclass(slots=True, kw_only=True)
class Figure(_Part):
    """A number (or fact) a sentence rests on, with where it came from."""

    name: str
    value: Any
    unit: Optional[str] = None
    origin: Origin
    source: Optional[str] = None


@dataclass(slots=True, kw_only=True)
class Block(_Part):
    """One sentence (or line) of the explanation, with the figures it states."""

    kind: BlockKind
    text: str
    figures: list[Figure] = field(default_factory=list)


PART = {"verdict": "head", "evidence": "head"}  # block kinds shown together, before the reasons


@dataclass(slots=True, kw_only=True)
class Explanation(_Part):
    en: list[Block]
    id: list[Block]

    def blocks(self, lang: str) -> list[Block]:
        return self.id if lang == "id" else self.en

    def text(self, lang: str) -> str:
        """The explanation as plain lines, a blank line where a new part starts (verdict and evidence
        are one part; every other kind of block is a part of its own)."""
        lines: list[str] = []
        previous = None
        for block in self.blocks(lang):
            part = PART.get(block.kind, block.kind)
            if previous is not None and part != previous:
                lines.append("")
            lines.append(block.text)
            previous = part
        return "\n".join(lines) + "\n"


@dataclass(slots=True, kw_only=True)
class ProfileInfo(_Part):
    name: str
    description: str = ""
    use_case: str = ""
    requests_per_month: float
    input_tokens_per_request: float
    output_tokens_per_request: float
    data_sensitivity: str
    data_may_go: str
    deployment: str
    team_skill: str
    min_openness: str
    budget_usd_per_month: Optional[float] = None
    languages: list[str] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class EvidenceInfo(_Part):
    """How much of the verdict rests on measurements of this task (issue 11)."""

    level: EvidenceLevel
    measured: int  # ranked models measured on this task
    ranked: int  # models in the ranking
    top_measured: bool
    other_side_measured: Optional[bool]  # None: no eligible model on the other side (open vs closed)
    top_model: Optional[str] = None
    other_side_model: Optional[str] = None
    next_to_measure: list[str] = field(default_factory=list)
    # per model to measure next: {model (catalog id), run_id (the id `whichai run --models` takes, None when
    # no way is known), first (a command that serves it first)}; and the command that measures them
    next_run: list[dict[str, Optional[str]]] = field(default_factory=list)
    next_command: Optional[str] = None
    text: Texts


@dataclass(slots=True, kw_only=True)
class RunInfo(_Part):
    """The run whose measurements were used. Partial runs feed decide their answered cases only."""

    id: str
    status: str  # running | complete | interrupted
    task: Optional[str] = None
    cases: int  # cases of the task
    models: int  # models of the run
    calls: int  # cases × models
    answered: int  # calls that returned an answer
    scored: Optional[int] = None  # answered calls whose answer was scored (a judge may fail to score one)
    errors: int  # calls that failed
    partial: bool  # some calls did not answer or were not scored (interrupted, failed, not yet run)
    text: Texts


@dataclass(slots=True, kw_only=True)
class CatalogAge(_Part):
    oldest_as_of: Optional[str] = None
    newest_as_of: Optional[str] = None
    age_days: Optional[int] = None  # days from oldest_as_of (the least fresh source) to today
    snapshots: dict[str, str] = field(default_factory=dict)  # upstream data set -> its snapshot date
    built: Optional[str] = None  # when the catalog was built
    source: Literal["catalog", "entries"] = "catalog"  # whichai.catalog.age, or derived from the entries' source dates


@dataclass(slots=True, kw_only=True)
class CriterionCell(_Part):
    """One criterion of one model. ``reason`` and ``evidence`` are filled for the detailed rows (the
    first ``DETAIL_ROWS`` of the ranking, every measured model and the best model of each side);
    other rows carry the score and its origin only (``reason`` null) to keep the document small."""

    score: float
    origin: Origin
    reason: Optional[Texts] = None
    evidence: tuple[str, ...] = ()


@dataclass(slots=True, kw_only=True)
class Lifecycle(_Part):
    status: Optional[str] = None  # active | deprecated | retired | None (not on record)
    shutdown_date: Optional[str] = None


@dataclass(slots=True, kw_only=True)
class Note(_Part):
    code: str
    params: dict[str, Any]
    text: Texts


@dataclass(slots=True, kw_only=True)
class RankRow(_Part):
    rank: int
    detailed: bool  # criteria carry their reason and evidence
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
    lifecycle: Lifecycle
    criteria: dict[str, CriterionCell]
    notes: tuple[Note, ...] = ()
    # models among the detailed rows whose performance prior is within the benchmarks' noise of this one's:
    # indistinguishable without measuring (criteria_scores.within_noise); empty when measured or no noise is on record
    tied_with: tuple[str, ...] = ()


@dataclass(slots=True, kw_only=True)
class Exclusion(_Part):
    model: str
    name: str
    openness: Openness
    reasons: tuple[Note, ...]


@dataclass(slots=True, kw_only=True)
class WeightInfo(_Part):
    weight: float  # share of the total, 0..1
    raw: float
    origin: Origin  # always "profile": given, derived from the answers, or a default the user can change
    basis: Basis
    reason: Texts


@dataclass(slots=True, kw_only=True)
class CostComponent(_Part):
    name: str  # api | amortisation | power | gpu_rent | operations | ...
    monthly_usd: float
    origin: Origin
    detail: str = ""
    params: dict[str, Any] = field(default_factory=dict)  # the figures behind it (operations: hours, rate, rule)


@dataclass(slots=True, kw_only=True)
class TcoModel(_Part):
    detailed: bool = True  # components listed (the ranking's detailed rows); else total, origin and alternatives only
    model: str
    name: str
    openness: Openness
    mode: ModeKind
    monthly_usd: float
    origin: Origin
    components: tuple[CostComponent, ...] = ()
    alternatives: dict[str, float] = field(default_factory=dict)  # mode -> USD/month at the profile's volume
    fixed_usd: Optional[float] = None
    seconds_per_request: Optional[float] = None
    hours_needed: Optional[float] = None
    throughput_origin: Optional[str] = None
    throughput_detail: Optional[str] = None
    capacity_requests_per_month: Optional[float] = None
    usd_per_request: Optional[float] = None


@dataclass(slots=True, kw_only=True)
class Curve(_Part):
    model: str
    name: str
    openness: Openness
    mode: ModeKind
    origin: Origin
    points: list[list[float]]  # [requests per month, USD per month]


@dataclass(slots=True, kw_only=True)
class BreakEven(_Part):
    api_model: str
    api_name: str
    self_hosted_model: str
    self_hosted_name: str
    self_hosted_mode: ModeKind
    kind: Literal["above", "always", "never"]
    requests_per_month: Optional[float] = None
    tokens_per_month: Optional[float] = None
    monthly_usd: Optional[float] = None
    current_requests_per_month: float
    origin: Origin = "estimate"
    text: Texts


@dataclass(slots=True, kw_only=True)
class Tco(_Part):
    requests_per_month: float
    input_tokens_per_request: float
    output_tokens_per_request: float
    currency: Literal["USD"] = "USD"
    period: Literal["month"] = "month"
    models: list[TcoModel]
    curves: list[Curve]
    break_even: Optional[BreakEven] = None


@dataclass(slots=True, kw_only=True)
class HybridPart(_Part):
    model: str
    name: str
    openness: Openness
    mode: ModeKind
    share: float
    monthly_usd: float
    score: float


@dataclass(slots=True, kw_only=True)
class Hybrid(_Part):
    applies: bool
    sensitive: HybridPart
    rest: HybridPart
    monthly_usd: float
    origin: Origin = "estimate"


@dataclass(slots=True, kw_only=True)
class Flip(_Part):
    weight: Optional[float] = None
    factor: Optional[float] = None
    winner: Optional[str] = None
    verdict: Optional[str] = None


@dataclass(slots=True, kw_only=True)
class WeightSensitivity(_Part):
    criterion: str
    weight: float
    raw_weight: float
    above: Optional[Flip] = None  # the top model changes when the weight rises to ...
    below: Optional[Flip] = None
    verdict_above: Optional[Flip] = None  # the verdict changes when the weight rises to ...
    verdict_below: Optional[Flip] = None


@dataclass(slots=True, kw_only=True)
class ParamScan(_Part):
    winner: Optional[Flip] = None
    verdict: Optional[Flip] = None


@dataclass(slots=True, kw_only=True)
class ParamSensitivity(_Part):
    up: ParamScan
    down: ParamScan
    requests_per_month: Optional[float] = None


@dataclass(slots=True, kw_only=True)
class Sensitivity(_Part):
    winner: Optional[str] = None
    weights: list[WeightSensitivity] = field(default_factory=list)
    volume: Optional[ParamSensitivity] = None
    api_prices: Optional[ParamSensitivity] = None
    gpu_price: Optional[ParamSensitivity] = None
    lines: dict[str, list[str]]  # {"en": [...], "id": [...]}: within which range the top model stays first


@dataclass(slots=True, kw_only=True)
class Change(_Part):
    """One change of the inputs that would change the verdict (or the top model)."""

    kind: Literal["weight", "volume", "api_prices", "gpu_price", "profile"]
    flips: Literal["verdict", "winner"]
    winner: Optional[str] = None
    verdict: Optional[str] = None
    size: float
    direction: Optional[str] = None
    criterion: Optional[str] = None
    from_weight: Optional[float] = None
    to_weight: Optional[float] = None
    factor: Optional[float] = None
    requests_per_month: Optional[float] = None
    change: Optional[str] = None  # profile change key (change.* texts)
    text: Texts


class Decision(BaseModel):
    """The decision document (``whichai.decision/1``)."""

    # the validator and serialiser are built when first used (not at import: ``whichai --help`` never uses them)
    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)

    schema_: Literal["whichai.decision/1"] = Field(SCHEMA, alias="schema")  # dumped as "schema"
    profile: ProfileInfo
    lang: Literal["en", "id"]
    verdict: Verdict
    verdict_text: Texts
    evidence: EvidenceInfo
    run: Optional[RunInfo] = None
    catalog_age: CatalogAge
    top_models: list[str]
    ranking: list[RankRow]
    excluded: list[Exclusion]
    weights: dict[str, WeightInfo]
    tco: Tco
    hybrid: Optional[Hybrid] = None
    sensitivity: Sensitivity
    what_would_change: list[Change]
    explanation: Explanation
    measured: bool  # the recommendation used measurements of a run

    def model_dump(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("by_alias", True)
        return super().model_dump(**kwargs)

    def model_dump_json(self, **kwargs: Any) -> str:
        kwargs.setdefault("by_alias", True)
        return super().model_dump_json(**kwargs)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")
