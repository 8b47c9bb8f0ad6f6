"""Lifecycle: active, deprecated (with a shutdown date) or retired, per model and per offer.

Sources, in order: dated vendor deprecation notices curated in ``curated/lifecycle.yaml`` (each
with the vendor page and the date it was read), then models.dev's ``status = "deprecated"`` on a
lab or host file (no date: deprecated, shutdown date unknown). A shutdown date on or before the
day asked about means *retired*; a later one means *deprecated*.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from whichai import clock

CURATED = Path(__file__).parent / "curated" / "lifecycle.yaml"


def status_on(shutdown_date: str | None, day: date | str | None = None, deprecated: bool = False) -> str:
    """The status on ``day`` (default today) of something with this shutdown date."""
    day = date.fromisoformat(day) if isinstance(day, str) else (day or clock.today())
    if shutdown_date:
        return "retired" if date.fromisoformat(shutdown_date) <= day else "deprecated"
    return "deprecated" if deprecated else "active"


def entry_status(entry: dict, day: date | str | None = None) -> str:
    """An entry's lifecycle status recomputed for ``day`` from its shutdown date (raw catalog dict)."""
    lc = entry.get("lifecycle") or {}
    if lc.get("status") == "retired":  # a retired model is not served again, dated or not
        return "retired"
    return status_on(lc.get("shutdown_date"), day, lc.get("status") == "deprecated")


def read_notices(path: Path = CURATED) -> dict[str, dict]:
    """Run id -> {shutdown_date, source} from the curated vendor notices."""
    doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    out: dict[str, dict] = {}
    for notice in doc["notices"]:
        src = dict(notice["source"])
        src["as_of"] = str(src["as_of"])
        src.setdefault("name", "curated")
        for model in notice["models"]:
            run_id = model if "/" in model else f"{notice['vendor']}/{model}"
            when = notice.get("shutdown_date")
            out[run_id.lower()] = {"shutdown_date": str(when) if when else None, "status": notice.get("status"), "source": src}
    return out


def apply_offer(offer: dict, run_id: str, notices: dict[str, dict], day: str, md_deprecated: bool) -> None:
    """Set an offer's status from a vendor notice for that run id, else models.dev's flag."""
    notice = notices.get(run_id.lower())
    if notice:
        offer["shutdown_date"] = notice["shutdown_date"]
        offer["status"] = notice.get("status") or status_on(notice["shutdown_date"], day)
        offer["status_source"] = notice["source"]
    elif md_deprecated:
        offer["status"] = "deprecated"


def entry_lifecycle(e: dict, first_party: str | None, lab_deprecated: bool, md_source: dict, day: str) -> dict:
    """The model's own lifecycle: its lab's offer decides; open weights stay usable when hosts drop them."""
    offers = e["offers"]
    fp = offers.get(first_party) if first_party else None
    if fp and fp["status"] != "active":
        return {"status": fp["status"], "shutdown_date": fp.get("shutdown_date"), "source": fp.get("status_source") or md_source}
    if lab_deprecated and not e.get("weights_downloadable"):
        return {"status": "deprecated", "shutdown_date": None, "source": md_source}
    if offers and not e.get("weights_downloadable") and all(o["status"] != "active" for o in offers.values()):
        retired = all(o["status"] == "retired" for o in offers.values())
        dates = [o["shutdown_date"] for o in offers.values() if o.get("shutdown_date")]
        return {"status": "retired" if retired else "deprecated", "shutdown_date": max(dates) if dates else None, "source": md_source}
    return {"status": "active", "shutdown_date": None, "source": md_source}
