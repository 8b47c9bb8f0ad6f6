"""Labels of the profile form's fields and sections, in English and Bahasa Indonesia (read from the gettext catalogs).

Keyed by the field's path with list rows as ``*`` (``hardware.gpus.*.memory_gb``). A test checks that
every field of the Profile model has a label here, so a new profile field cannot reach the form
without one.
"""

from __future__ import annotations

from whichai.criteria import CRITERIA
from whichai.criteria import label as criterion_label
from whichai.i18n import pairs, text

# The sections in the form's order; their names are the ``form.section`` table of the gettext catalogs.
SECTION_ORDER = ("about", "volume", "data", "operations", "quality", "hardware", "rent", "capacity", "prices", "weights")
SECTIONS: dict[str, tuple[str, str]] = {key: pairs("form.section")[key] for key in SECTION_ORDER}

SECTION_OF: dict[str, str] = {
    "name": "about", "description": "about", "use_case": "about", "task": "about",
    "volume": "volume", "budget_usd_per_month": "volume", "cost_reference_usd": "volume", "horizon_months": "volume",
    "task_kind": "about", "prices": "prices",
    "data_sensitivity": "data", "data_may_go": "data", "sensitive_share": "data", "deployment": "data",
    "commercial": "data", "accept_use_restrictions": "data", "min_openness": "data", "languages": "data",
    "team_skill": "operations", "ops_hourly_rate_usd": "operations", "ops_hours_per_month": "operations",
    "support": "operations", "customise": "operations",
    "min_quality": "quality", "latency_target_s": "quality",
    "hardware": "hardware", "rent": "rent", "availability": "rent", "capacity": "capacity", "weights": "weights",
}

# The labels are the ``form`` table of the gettext catalogs; the weights' labels are the criteria's names.
LABELS: dict[str, tuple[str, str]] = {
    **pairs("form"),
    **{f"weights.{c.id}": (c.en, c.id_) for c in CRITERIA},
}


def field_label(key: str, lang: str) -> str:
    """The label of the field ``key`` (a key of :data:`LABELS`) in ``lang``."""
    if key.startswith("weights."):
        return criterion_label(key.removeprefix("weights."), lang)
    return text(key, lang, "form")


def section_name(section: str, lang: str) -> str:
    """The name of a section (a key of :data:`SECTIONS`) in ``lang``."""
    return text(section, lang, "form.section")
