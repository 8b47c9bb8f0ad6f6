"""The model list (``whichai models``): which catalog entries a listing keeps, as typed rows.

The selection (openness, search words, lifecycle status today, fit on a machine) reads the catalog's
raw JSON entries here, inside the catalog package, so the rules it applies (:func:`search_matches`,
:func:`whichai.catalog.lifecycle.entry_status`, :func:`whichai.catalog.hardware.fits`) get the raw
entry from their own package. A :class:`ListingRow` carries what the list prints: the table's
columns and the ``--json`` list's fields, each value as the catalog document states it (an integer
stays an integer), so the CLI only renders.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias, Union

if TYPE_CHECKING:
    from whichai.catalog.catalog import Catalog

# a value of the catalog document's JSON, as read (a nested part of an entry the list prints as it is)
Json: TypeAlias = Union[None, bool, int, float, str, list["Json"], dict[str, "Json"]]


@dataclass(frozen=True)
class ListingFilter:
    """What ``whichai models`` keeps: openness classes (none: all), every word of ``search``, the
    lifecycle ``status`` today, and, with ``ram_gb`` or ``gpus``, the models that fit that machine."""

    openness: frozenset[str] = frozenset()
    search: str | None = None
    status: str | None = None
    ram_gb: float | None = None
    gpus: tuple[float, ...] | None = None
    bits: float = 4.5

    @property
    def checks_fit(self) -> bool:
        return self.ram_gb is not None or self.gpus is not None


@dataclass(frozen=True)
class ListingPrice:
    """The published price, USD per million tokens, as the entry states it."""

    input: float
    output: float
    as_of: str
    source: str


@dataclass(frozen=True)
class ListingRow:
    """One model of the list: the ``--json`` list's fields (``LIST_KEYS`` of the CLI, the price and the
    fit) and the table's (today's ``status`` and its ``shutdown_date``)."""

    id: str
    name: str | None
    provider: str | None
    family: str | None
    openness: str
    openness_reason: str | None
    license: str | None
    license_restricts_use: bool | None
    weights_downloadable: bool | None
    api_available: bool | None
    params_b: float | None
    active_params_b: float | None
    context_length: int | None
    release_date: str | None
    aliases: Json
    sources: Json
    lifecycle: Json
    task_fit: Json
    languages: Json
    price: ListingPrice | None
    status: str
    shutdown_date: str | None
    fit: str | None = None


def search_matches(raw: Mapping[str, object], text: str) -> bool:
    """Whether a catalog entry (its raw JSON) matches a search: every word of ``text`` (in any order,
    case-insensitively) is part of its id, name, provider, licence or an alias ("gemini flash" finds gemini-3.5-flash)."""
    aliases = raw.get("aliases")
    fields = (raw.get("id"), raw.get("name"), raw.get("provider"), raw.get("license"), *(aliases if isinstance(aliases, list) else []))
    haystack = " ".join(str(x) for x in fields if x).lower()
    return all(word in haystack for word in text.lower().split())


def _price(raw: dict[str, Any]) -> ListingPrice | None:
    p = raw.get("price_usd_per_mtok")
    return ListingPrice(p["input"], p["output"], p["as_of"], p["source"]) if p else None


def _row(raw: dict[str, Any], status: str, fit: str | None) -> ListingRow:
    """The row of a raw entry whose lifecycle was evaluated today (``status``)."""
    g = raw.get
    lc = g("lifecycle") or {}
    return ListingRow(
        id=raw["id"], name=g("name"), provider=g("provider"), family=g("family"), openness=raw["openness"],
        openness_reason=g("openness_reason"), license=g("license"), license_restricts_use=g("license_restricts_use"),
        weights_downloadable=g("weights_downloadable"), api_available=g("api_available"), params_b=g("params_b"),
        active_params_b=g("active_params_b"), context_length=g("context_length"), release_date=g("release_date"),
        aliases=g("aliases"), sources=g("sources"), lifecycle=g("lifecycle"), task_fit=g("task_fit"),
        languages=g("languages"), price=_price(raw), status=status, shutdown_date=lc.get("shutdown_date") or None, fit=fit,
    )


def _kept(raw: dict[str, Any], wanted: ListingFilter, words: str) -> tuple[bool, str | None]:
    """(kept, fit reason) of one raw entry; the status is read after (it sets the lifecycle in place)."""
    from whichai.catalog.lifecycle import entry_status

    if wanted.openness and raw["openness"] not in wanted.openness:
        return False, None
    if words and not search_matches(raw, words):
        return False, None
    if wanted.status and entry_status(raw) != wanted.status:
        return False, None
    if not wanted.checks_fit:
        return True, None
    from whichai.catalog.hardware import fits

    gpus = list(wanted.gpus) if wanted.gpus is not None else None
    return fits(raw, wanted.ram_gb, gpus, bits_per_weight=wanted.bits)


def list_models(catalog: Catalog, wanted: ListingFilter) -> list[ListingRow]:
    """The catalog's models that ``wanted`` keeps, in the catalog's order, as rows."""
    from whichai.catalog.lifecycle import entry_status

    words = (wanted.search or "").strip()
    rows = []
    for raw in catalog.raw:
        kept, fit = _kept(raw, wanted, words)
        if kept:
            rows.append(_row(raw, entry_status(raw), fit))
    return rows
