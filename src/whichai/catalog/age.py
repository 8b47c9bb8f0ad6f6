"""How old the catalog's sources are: ``whichai.catalog.age(catalog)``."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, TypedDict

from whichai import clock
from whichai.i18n import text

if TYPE_CHECKING:
    from whichai.catalog.catalog import Catalog, CatalogDocument


class SourceAge(TypedDict):
    oldest_as_of: str | None
    newest_as_of: str | None
    age_days: int | None  # from the oldest snapshot to today
    snapshots: dict[str, str]  # upstream data set -> its snapshot date
    built: str | None


def age(catalog: Catalog | CatalogDocument, today: date | None = None) -> SourceAge:
    """{oldest_as_of, newest_as_of, age_days, snapshots, built}.

    Over the three upstream snapshots (osai-index, MOF, models.dev). ``age_days`` counts from the
    *oldest* snapshot to ``today``: the age of the least fresh source the catalog rests on.
    Accepts a :class:`~whichai.catalog.catalog.Catalog` or its raw document.
    """
    doc = catalog if isinstance(catalog, dict) else catalog.document
    snaps = {k: v for k, v in (doc.get("snapshots") or {}).items() if v}
    if not snaps:
        return {"oldest_as_of": None, "newest_as_of": None, "age_days": None, "snapshots": {}, "built": doc.get("built")}
    oldest, newest = min(snaps.values()), max(snaps.values())
    today = today or clock.today()
    return {
        "oldest_as_of": oldest, "newest_as_of": newest, "age_days": (today - date.fromisoformat(oldest[:10])).days,
        "snapshots": snaps, "built": doc.get("built"),
    }


STALE_DAYS = 90


def stale_note(age_days: int | None, lang: str = "en") -> str | None:
    """The warning every view that shows facts gives when they are older than :data:`STALE_DAYS`, else None."""
    if age_days is None or age_days <= STALE_DAYS:
        return None
    return text("ex.catalog_stale", lang, "decide", days=age_days, limit=STALE_DAYS)
