"""decide: from the user's needs and resources to an explained recommendation.

Public API (used by :mod:`whichai.app`, ``whichai recommend`` and ``whichai run``)::

    from whichai.decide import load_profile, example_profiles, recommend
    rec = recommend(load_profile("regulated-bank"), load_catalog(), measurements, lang="id")
    doc = rec.document()          # the decision document (whichai.decision/1), a pydantic model
    doc.model_dump(mode="json")   # its JSON: the one contract every view renders

The terminal view lives in :mod:`whichai.cli.decision_view`. Method: docs/method.md; the document:
docs/decision.md.
"""

from __future__ import annotations

from typing import Any

from whichai.decide.i18n import default_lang
from whichai.decide.profile import Profile, example_profiles, load_profile, parse_profile

__all__ = ["Profile", "default_lang", "Recommendation", "example_profiles", "load_profile", "parse_profile", "recommend"]


def __getattr__(name: str) -> Any:  # lazy: the ranking code loads only when a recommendation is made
    if name in ("recommend", "Recommendation"):
        from whichai.decide import recommendation

        return getattr(recommendation, name)
    raise AttributeError(name)
