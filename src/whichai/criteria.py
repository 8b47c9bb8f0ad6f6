"""The ten criteria of the framework (DESIGN.md §1), in English and Bahasa Indonesia."""

from __future__ import annotations

from typing import NamedTuple


class Criterion(NamedTuple):
    id: str
    en: str
    id_: str  # Bahasa Indonesia


CRITERIA: tuple[Criterion, ...] = (
    Criterion("cost", "Cost", "Biaya"),
    Criterion("accessibility", "Accessibility", "Aksesibilitas"),
    Criterion("customization", "Flexibility and customisation", "Fleksibilitas dan Kustomisasi"),
    Criterion("transparency", "Transparency", "Transparansi"),
    Criterion("collaboration", "Global collaboration", "Kolaborasi Global"),
    Criterion("updates", "Updates and speed of innovation", "Pembaruan dan Kecepatan Inovasi"),
    Criterion("support", "Professional support", "Dukungan Profesional"),
    Criterion("security", "Security and privacy", "Keamanan"),
    Criterion("performance", "Performance", "Kinerja"),
    Criterion("ease_of_use", "Ease of use", "Kemudahan Penggunaan"),
)

CRITERION_IDS: tuple[str, ...] = tuple(c.id for c in CRITERIA)


def label(criterion_id: str, lang: str = "en") -> str:
    for c in CRITERIA:
        if c.id == criterion_id:
            return c.id_ if lang == "id" else c.en
    raise KeyError(criterion_id)
