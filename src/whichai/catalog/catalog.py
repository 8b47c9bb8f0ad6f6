"""The loaded catalog: entries, lookup by id or alias, prices, provider info, link issues.

The shipped catalog is one gzip'd JSON document (``data/catalog.json.gz``) read once per process;
entries become :class:`~whichai.catalog.schema.ModelEntry` objects only when asked for, so listing
the whole catalog as JSON never pays for validation it does not need.
"""

from __future__ import annotations

import gzip
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict

if TYPE_CHECKING:
    from whichai.catalog.schema import ModelEntry, Price

HERE = Path(__file__).parent
SHIPPED = HERE / "data" / "catalog.json.gz"


class Issue(TypedDict):
    """What the build could not link or reconcile (``whichai catalog check`` lists them with its own findings)."""

    kind: str  # conflict | broken-link | duplicate | unreadable | offers-disagree | ...
    source: str  # the upstream data set, or "catalog"
    item: str
    detail: str
    level: NotRequired[str]  # info | warning | error (default: by kind, checks.ISSUE_LEVEL)


class CatalogDocument(TypedDict):
    """The catalog document (``data/catalog.json.gz``, written by :func:`whichai.catalog.build.build_catalog`).

    Its entries, providers and issues stay JSON objects: an entry becomes a
    :class:`~whichai.catalog.schema.ModelEntry` (the one schema of an entry) when it is asked for."""

    format: int
    built: str
    snapshots: dict[str, str]  # upstream data set -> its snapshot date
    providers: dict[str, dict[str, Any]]  # run-id prefix -> models.dev's facts about that API (and curated terms)
    entries: list[dict[str, Any]]
    issues: list[Issue]
    counts: NotRequired[dict[str, int]]


def refreshed_path() -> Path:
    """Where ``whichai catalog refresh`` writes a catalog built from newer upstream copies."""
    from whichai.paths import data_dir

    return data_dir() / "catalog.json.gz"


def active_path() -> Path:
    path = refreshed_path()
    return path if path.exists() else SHIPPED


@lru_cache(maxsize=4)
def read_document(path: str, mtime: float) -> CatalogDocument:  # mtime keys the cache
    """The catalog document, parsed by pydantic-core's JSON parser (jiter, already loaded for the
    decide models): 0.015-0.02 s for the 4 MB document where ``json.loads`` takes 0.03-0.05 s."""
    from pydantic_core import from_json

    with gzip.open(path, "rb") as fh:
        document: CatalogDocument = from_json(fh.read())
    return document


class Catalog:
    """A catalog document read on ``day`` (default ``clock.today()``): every entry's and offer's
    lifecycle status is :func:`whichai.catalog.lifecycle.evaluate`'s on that day."""

    def __init__(self, document: CatalogDocument, path: Path | str | None = None, day: date | None = None) -> None:
        from whichai import clock
        from whichai.catalog.lifecycle import evaluate

        self.day = day or clock.today()
        self.document = document
        self.path = Path(path) if path else None
        self.raw: list[dict[str, Any]] = document["entries"]
        self.providers: dict[str, dict[str, Any]] = document.get("providers", {})
        self.snapshots: dict[str, str] = document.get("snapshots", {})
        self.issues: list[Issue] = document.get("issues", [])
        self._models: dict[int, ModelEntry] = {}
        self._index: dict[str, int] = {}
        for i, e in enumerate(self.raw):
            evaluate(e, self.day)
            for key in (e["id"], *e.get("aliases", [])):
                self._index.setdefault(key.lower(), i)
            _link_api_host(e, self.providers)
            _split_data_terms(e, self.providers)

    def __len__(self) -> int:
        return len(self.raw)

    def _model(self, i: int) -> ModelEntry:
        if i not in self._models:
            from whichai.catalog.schema import ModelEntry

            self._models[i] = ModelEntry.model_validate(self.raw[i])
        return self._models[i]

    @property
    def entries(self) -> list[ModelEntry]:
        return [self._model(i) for i in range(len(self.raw))]

    def find_raw(self, model_id: str) -> dict[str, Any] | None:
        i = self._index.get(str(model_id).strip().lower())
        return None if i is None else self.raw[i]

    def get(self, model_id: str) -> ModelEntry | None:
        """The entry for an id or any alias (``openai/gpt-4o``, ``groq/...``), or None."""
        i = self._index.get(str(model_id).strip().lower())
        return None if i is None else self._model(i)

    def price_for(self, model_id: str) -> Price | None:
        """The published price for running ``model_id`` exactly as named (that host's price), or None.

        A free tier (``offers[id].free_tier``) has no price: it is never a $0 price."""
        from whichai.catalog.schema import Price

        raw = self.find_raw(model_id)
        if raw is None:
            return None
        key = str(model_id).strip().lower()
        for run_id, offer in (raw.get("offers") or {}).items():
            if run_id.lower() == key:  # that host's own price; None for a free tier or no published price
                return Price.model_validate(offer["price"]) if offer.get("price") else None
        if key == raw["id"].lower() and raw.get("price_usd_per_mtok"):
            return Price.model_validate(raw["price_usd_per_mtok"])
        return None

    def provider_info(self, provider: str) -> dict[str, Any] | None:
        """models.dev facts about an API provider: name, env (key variables), api (base URL), doc."""
        return self.providers.get(provider)


def _link_api_host(entry: dict[str, Any], providers: dict[str, dict[str, Any]]) -> None:
    """An open model that exactly one API host serves (its offers, keyed "host/model") is called
    through that host: the entry gets ``api_host`` and the host's curated data terms
    (``api_host_terms``, each with its source and date) when the catalog has them. A model several
    hosts serve has no one host whose terms apply (its API price is their median)."""
    if entry.get("openness") == "closed" or not entry.get("api_available") or "api_host" in entry:
        return
    hosts = {key.split("/", 1)[0] for key in entry.get("offers") or {}}
    if len(hosts) != 1:
        return
    host = hosts.pop()
    terms = (providers.get(host) or {}).get("terms")
    if terms:
        entry["api_host"] = host
        entry["api_host_terms"] = terms


# an API's data terms: the self-hosting rule's values (nothing leaves your hardware) hold only where
# the user runs the weights, never on a hosted offer
DATA_TERMS = ("data_retention", "trains_on_api_data", "zero_retention_available", "certifications")


def _split_data_terms(entry: dict[str, Any], providers: dict[str, dict[str, Any]]) -> None:
    """An open model's data terms, by deployment: the self-hosting rule's (stored in ``facts`` at build
    time) move to ``self_hosted_terms``; ``facts`` then carry the terms of the host the entry's id
    names (or of its one API host) where the catalog has that host's terms, else unknown."""
    if entry.get("openness") == "closed" or "self_hosted_terms" in entry:
        return
    facts = entry.get("facts") or {}
    entry["self_hosted_terms"] = {k: facts.pop(k) for k in DATA_TERMS if k in facts}
    own_offer = entry.get("id") in (entry.get("offers") or {})  # the id is a host's run id
    host = entry.get("api_host") or (str(entry["id"]).split("/", 1)[0] if own_offer else None)
    terms = (providers.get(host or "") or {}).get("terms") or {}
    hosted = bool(entry.get("api_available") or entry.get("offers"))
    for k in DATA_TERMS:
        if k in terms:
            facts[k] = terms[k]
        elif hosted:
            facts[k] = {"value": None, "source": None, "note": "a hosted offer's data terms are its host's; not in the catalog for this host"}
    entry["facts"] = facts


def load_shipped() -> Catalog:
    from whichai import clock

    path = active_path()
    return _cached_catalog(str(path), path.stat().st_mtime, clock.today())


@lru_cache(maxsize=4)
def _cached_catalog(path: str, mtime: float, day: date) -> Catalog:  # day keys the cache: statuses are that day's
    return Catalog(read_document(path, mtime), path, day)
