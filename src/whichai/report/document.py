"""The report document's shape (schema ``whichai.report/2``), built by :mod:`whichai.report.build` and
read by every view (HTML, Markdown, JSON, the dashboard's run and profile pages).

The decision inside it is decide's document as JSON (:mod:`whichai.decide.document_json`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NotRequired, TypedDict

if TYPE_CHECKING:
    from whichai.decide.document_json import DecisionJSON


class RunHeader(TypedDict):
    """The run a report shows (``None`` in a report of a profile without a run)."""

    id: str
    task: str
    task_hash: str
    created_at: str
    updated_at: str
    status: str
    models: list[str]
    settings: dict[str, Any]  # the run's generation settings as stored (store's JSON column)
    whichai_version: str


class ModelFacts(TypedDict):
    """What the catalog states about a shown model's openness and licence (:func:`model_facts`)."""

    id: str
    catalog_id: NotRequired[str | None]
    in_catalog: bool
    name: str
    provider: str | None
    openness: str
    openness_reason: str
    license: str | None
    openness_dimensions: dict[str, Any]  # catalog.schema's openness dimensions, as dumped
    sources: list[Any]  # catalog.schema's sources, as dumped


class ReportDocument(TypedDict):
    """The report document (schema ``whichai.report/2``): decide's decision whole, and beside it what
    decide does not own. The run's own parts (``summaries``, ``cases``, ``loads``, ``promptfoo``,
    ``gateway``) are the JSON of measure's, store's and gateway's objects (their ``to_json``)."""

    schema: str
    generated_at: str
    lang: str
    run: RunHeader | None
    decision: DecisionJSON
    shown: list[str]
    openness: dict[str, str]
    summaries: list[dict[str, Any]]
    models: list[ModelFacts]
    latencies: dict[str, list[float]]
    cases: list[dict[str, Any]]
    loads: list[dict[str, Any]]
    promptfoo: NotRequired[dict[str, Any]]
    gateway: NotRequired[dict[str, Any]]
