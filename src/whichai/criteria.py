"""The ten criteria of the framework (DESIGN.md §1), in English and Bahasa Indonesia."""

from __future__ import annotations

from typing import NamedTuple

from whichai.i18n import text


class Criterion(NamedTuple):
    id: str
    en: str
    id_: str  # Bahasa Indonesia


# The criteria in the framework's order; their names are the ``criteria`` table of the gettext catalogs.
CRITERION_IDS: tuple[str, ...] = (
    "cost", "accessibility", "customization", "transparency", "collaboration",
    "updates", "support", "security", "performance", "ease_of_use",
)

CRITERIA: tuple[Criterion, ...] = tuple(
    Criterion(cid, text(cid, "en", "criteria"), text(cid, "id", "criteria")) for cid in CRITERION_IDS
)


def label(criterion_id: str, lang: str = "en") -> str:
    if criterion_id not in CRITERION_IDS:
        raise KeyError(criterion_id)
    return text(criterion_id, lang, "criteria")
