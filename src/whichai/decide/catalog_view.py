"""The catalog as decide reads it: entries with attribute access, and id/alias resolution.

Validating 1,000 catalog entries with pydantic costs more than the whole ranking, so decide reads
the catalog's (already validated) document directly. :class:`RawEntry` offers the attributes of
:class:`whichai.catalog.schema.ModelEntry` that decide uses; nested facts, sources, prices and
offers become small records with *declared* fields: a field the record does not declare
is an ``AttributeError``, as on the pydantic model, never a silent ``None``.
"""

from __future__ import annotations

from collections.abc import Iterator, KeysView
from datetime import date
from functools import cached_property
from typing import Any

from whichai import clock


class _Record:
    """A read-only record of declared fields (``FIELDS``), read from a mapping when read (absent fields
    are None; a nested mapping of ``NESTED`` becomes its record): making one costs nothing, so a fact
    or an offer read for one field does not build the others."""

    __slots__ = ("_raw",)
    FIELDS: tuple[str, ...] = ()
    NESTED: dict[str, type] = {}

    def __init__(self, raw: dict[str, Any]) -> None:
        self._raw = raw

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in cls.FIELDS:
            setattr(cls, name, property(_reader(name, cls.NESTED.get(name))))

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.FIELDS)
        return f"{type(self).__name__}({fields})"


def _reader(name: str, kind: type | None) -> Any:
    """The getter of one declared field."""
    if kind is None:
        return lambda self: self._raw.get(name)

    def nested(self: _Record) -> Any:
        value = self._raw.get(name)
        return kind(value) if type(value) is dict else value

    return nested


class Source(_Record):
    __slots__ = ()
    FIELDS = ("name", "url", "as_of", "note")


class Fact(_Record):
    __slots__ = ()
    FIELDS = ("value", "source", "note")
    NESTED = {"source": Source}


class Price(_Record):
    __slots__ = ()
    FIELDS = ("input", "output", "as_of", "source")


class Lifecycle(_Record):
    __slots__ = ()
    FIELDS = ("status", "shutdown_date", "source")
    NESTED = {"source": Source}


class Offer(_Record):
    """One host serving the model (``ModelEntry.offers``)."""

    __slots__ = ()
    FIELDS = ("price", "context_length", "status", "shutdown_date", "free_tier", "source")
    NESTED = {"price": Price, "source": Source}


class _Records:
    """A read-only mapping whose values become records of one kind when first read."""

    def __init__(self, raw: dict[str, Any], kind: type) -> None:
        self._raw = raw
        self._kind = kind
        self._done: dict[str, Any] = {}

    def get(self, key: str, default: Any = None) -> Any:
        if key in self._done:
            return self._done[key]
        value = self._raw.get(key)
        if value is None:
            return default
        obj = self._done[key] = self._kind(value) if isinstance(value, dict) else value
        return obj

    def __getitem__(self, key: str) -> Any:
        if key not in self._raw:
            raise KeyError(key)
        return self.get(key)

    def __contains__(self, key: str) -> bool:
        return key in self._raw

    def __bool__(self) -> bool:
        return bool(self._raw)

    def __len__(self) -> int:
        return len(self._raw)

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def keys(self) -> KeysView[str]:
        return self._raw.keys()

    def values(self) -> list[Any]:
        return [self.get(k) for k in self._raw]

    def items(self) -> list[tuple[str, Any]]:
        return [(k, self.get(k)) for k in self._raw]


_ENTRY_FIELDS: dict[str, Any] = {
    "id": None, "name": None, "provider": None, "family": None, "openness": "closed", "openness_reason": "", "license": None,
    "license_restricts_use": None, "commercial_use": None, "weights_downloadable": None, "api_available": False,
    "params_b": None, "active_params_b": None, "context_length": None, "release_date": None, "knowledge_cutoff": None,
    "hf_repo": None, "openness_dimensions": None, "base_model": None, "api_host": None,
}
_LIST_FIELDS = ("aliases", "languages", "task_fit")


class RawEntry:
    """A catalog entry read straight from the catalog's document, with the attribute access of
    :class:`whichai.catalog.schema.ModelEntry` (the fields decide reads)."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self._raw = raw
        for key, default in _ENTRY_FIELDS.items():
            setattr(self, key, raw.get(key, default))
        for key in _LIST_FIELDS:
            setattr(self, key, raw.get(key) or [])

    @property
    def raw(self) -> dict[str, Any]:
        return self._raw

    # the nested parts become records when first read, and stay (functools.cached_property)
    @cached_property
    def facts(self) -> _Records:
        return _Records(self._raw.get("facts") or {}, Fact)

    @cached_property
    def api_host_terms(self) -> _Records:
        return _Records(self._raw.get("api_host_terms") or {}, Fact)

    @cached_property
    def field_sources(self) -> _Records:
        return _Records(self._raw.get("field_sources") or {}, Source)

    @cached_property
    def offers(self) -> _Records:
        return _Records(self._raw.get("offers") or {}, Offer)

    @cached_property
    def sources(self) -> list[Source]:
        return [Source(s) for s in self._raw.get("sources") or []]

    @cached_property
    def price_usd_per_mtok(self) -> Price | None:
        price = self._raw.get("price_usd_per_mtok")
        return Price(price) if price else None

    @cached_property
    def lifecycle(self) -> Lifecycle | None:
        value = self._raw.get("lifecycle")
        return Lifecycle(value) if value else None


_RAW_ENTRIES: dict[int, tuple[list[Any], list[RawEntry]]] = {}  # id(raw list[Any]) -> (that list[Any], its entries), a few catalogs


def raw_entries(raw: list[dict[str, Any]]) -> list[RawEntry]:
    """The entries of a catalog document, built once per document and process (the facts, prices
    and sources they read become records on first use and stay), so repeated recommendations over
    the same catalog (``run --candidates``, the report, the dashboard) do not rebuild them."""
    found = _RAW_ENTRIES.get(id(raw))
    if found is not None and found[0] is raw:
        return found[1]
    entries = [RawEntry(e) for e in raw]
    if len(_RAW_ENTRIES) >= 4:
        _RAW_ENTRIES.pop(next(iter(_RAW_ENTRIES)))
    _RAW_ENTRIES[id(raw)] = (raw, entries)
    return entries


class CatalogView:
    """Entries and id/alias resolution over whatever catalog object is passed: a
    :class:`whichai.catalog.Catalog` (read from its raw document), or a list of ``ModelEntry``."""

    def __init__(self, catalog: Any) -> None:
        raw = getattr(catalog, "raw", None) if catalog is not None else None
        if isinstance(raw, list):
            entries: list[Any] = raw_entries(raw)
        elif catalog is None:
            entries = []
        elif hasattr(catalog, "entries"):
            entries = list(catalog.entries)
        else:
            entries = list(catalog)
        self.catalog = catalog
        self.entries = sorted(entries, key=lambda e: e.id)
        self.index: dict[str, Any] = {}
        for e in self.entries:
            for alias in e.aliases or []:
                self.index.setdefault(alias.lower(), e)
        for e in self.entries:
            self.index[e.id.lower()] = e

    def resolve(self, model_id: str) -> Any:
        return self.index.get(str(model_id).strip().lower())


def catalog_age(view: CatalogView, today: date | None = None) -> dict[str, Any]:
    """How old the catalog's facts are: :func:`whichai.catalog.age` for a loaded catalog (its
    upstream snapshots), else (a plain list of entries) derived from the entries' source dates."""
    if view.catalog is not None and hasattr(view.catalog, "document"):
        from whichai.catalog.age import (
            age,  # the function; importing the submodule rebinds whichai.catalog.age to it
        )

        found = age(view.catalog, today)
        keep = ("oldest_as_of", "newest_as_of", "age_days", "snapshots", "built")
        return {**{k: found.get(k) for k in keep if k in found}, "source": "catalog"}
    dates: list[str] = []
    for e in view.entries:
        dates.extend(s.as_of for s in e.sources if s.as_of)
    if not dates:
        return {"oldest_as_of": None, "newest_as_of": None, "age_days": None, "source": "entries"}
    oldest, newest = min(dates), max(dates)
    return {"oldest_as_of": oldest, "newest_as_of": newest, "age_days": _days_since(oldest, today), "source": "entries"}


def _days_since(as_of: str, today: date | None) -> int | None:
    try:
        day = date.fromisoformat(as_of[:10] if len(as_of) > 7 else as_of + "-01")
    except ValueError:  # a source date that is not ISO: age unknown
        return None
    return ((today or clock.today()) - day).days
