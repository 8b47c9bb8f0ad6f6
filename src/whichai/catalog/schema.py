"""The catalog's data model: the contract between the catalog, the runner (prices) and decide.

Other packages read these fields; add fields freely (optional, with defaults), never rename.
Every fact carries where it came from (:class:`Source`) and as of when: ``field_sources`` maps
each field to its own source, ``facts`` (vendor terms) carry theirs, each offer its own.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

Openness = Literal["open-source", "open-weights", "closed", "unknown"]


class Source(BaseModel):
    name: str  # e.g. "models.dev", "osai-index", "mof", "curated", "user"
    url: str = ""  # "" only where the source has no address (e.g. a user file given as a path)
    as_of: str  # ISO date, YYYY-MM-DD (or YYYY-MM when that is all the source gives): when the value was observed
    note: str = ""


class Price(BaseModel):
    """Published API price, USD per million tokens."""

    input: float
    output: float
    as_of: str
    source: str  # Source.name it came from


class Fact(BaseModel):
    """A curated fact the upstream data sets lack. ``value`` is None when unknown."""

    value: Any = None
    source: Source | None = None
    note: str = ""


LifecycleStatus = Literal["active", "deprecated", "retired"]


class Lifecycle(BaseModel):
    """Whether a model (or one host's offer of it) can still be used, and until when.

    ``deprecated``: announced, still served until ``shutdown_date``; ``retired``: no longer served.
    ``announced`` is what the notice says (stored by the build); ``status`` is the status on the
    day the catalog was read (:func:`whichai.catalog.lifecycle.evaluate`, applied when loaded);
    ``date_unknown``: deprecated with no shutdown date (models.dev), a risk decide scores.
    """

    status: LifecycleStatus = "active"
    announced: LifecycleStatus | None = None
    shutdown_date: str | None = None
    date_unknown: bool = False
    source: Source | None = None


class Offer(BaseModel):
    """One host serving the model: its own run id (the key in ``ModelEntry.offers``), price and limits.

    ``price`` is None when the host publishes none or only a free tier (``free_tier``): a free
    tier is never a $0 price.
    """

    price: Price | None = None
    context_length: int | None = None
    status: LifecycleStatus = "active"
    announced: LifecycleStatus | None = None
    shutdown_date: str | None = None
    free_tier: bool = False
    source: Source | None = None


class ModelEntry(BaseModel):
    id: str  # "provider/model" as whichai runs it where it can be run ("openai/gpt-4o"), else "<lab>/<model>"
    name: str
    provider: str  # the organisation behind the model (OpenAI, EleutherAI, ...)
    family: str | None = None
    aliases: list[str] = []  # other ids that resolve to this entry (e.g. "groq/llama-3.1-8b-instant")
    openness: Openness
    openness_reason: str = ""
    license: str | None = None
    license_restricts_use: bool | None = None  # True for e.g. Llama community licence; None = unknown
    commercial_use: bool | None = None
    weights_downloadable: bool | None = None
    api_available: bool = False
    price_usd_per_mtok: Price | None = None
    params_b: float | None = None  # billions of parameters (total)
    active_params_b: float | None = None  # for mixture-of-experts, where known
    context_length: int | None = None
    release_date: str | None = None
    languages: list[str] = []  # ISO codes where known, e.g. ["en", "id"]
    facts: dict[str, Fact] = {}  # curated: support, sla, data_retention, trains_on_api_data, zero_retention_available, certifications, fine_tuning, deprecation
    openness_dimensions: dict[str, str] = {}  # e.g. osai-index dimension -> open/partial/closed
    values: dict[str, list[dict[str, Any]]] = {}  # every source's value of a fact given by more than one source
    conflicts: dict[str, dict[str, Any]] = {}  # fields whose sources disagree: {"shown", "values"}
    sources: list[Source] = []
    # added by the catalog (optional):
    offers: dict[str, Offer] = {}  # run id of each host serving the model -> its own price, limits and status
    knowledge_cutoff: str | None = None
    hf_repo: str | None = None  # "org/repo" on Hugging Face, lowercase
    links: list[dict[str, str]] = []  # how each alias was linked: {"alias", "how"}
    lifecycle: Lifecycle = Lifecycle()
    field_sources: dict[str, Source] = {}  # field name -> where its value came from and when it was observed
    task_fit: list[str] = []  # chat, reasoning, code, base, vision, ... where a source says so
    base_model: str | None = None  # the entry id this model was derived from (fine-tune), where known
    lab: str | None = None  # models.dev lab folder / organisation slug the dedup key uses
    # derived when the catalog is loaded (catalog.py _link_api_host): an open model one API host serves
    api_host: str | None = None  # that host (a models.dev provider id)
    api_host_terms: dict[str, Fact] = {}  # that host's curated data terms, each with its source
    # an open model's data terms when the user runs the weights (catalog.py _split_data_terms): the
    # self-hosting rule's, never shown as a hosted offer's
    self_hosted_terms: dict[str, Fact] = {}
