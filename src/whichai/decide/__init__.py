"""decide: from the user's needs and resources to an explained recommendation.

Public API (used by ``whichai recommend`` and ``whichai run``)::

    from whichai.decide import load_profile, example_profiles, recommend, render
    rec = recommend(load_profile("regulated-bank"), load_catalog(), measurements, lang="id")
    rec.to_json()            # verdict, ranking, excluded, tco, sensitivity, explanation, ...
    render(rec, console)     # the terminal view (rich)

Method: docs/method.md.
"""

from __future__ import annotations

from whichai.decide.i18n import default_lang
from whichai.decide.profile import Profile, example_profiles, load_profile, parse_profile

__all__ = ["Profile", "default_lang", "Recommendation", "example_profiles", "load_profile", "parse_profile", "recommend", "render"]


def __getattr__(name: str):  # lazy: the ranking code loads only when a recommendation is made
    if name in ("recommend", "Recommendation"):
        import importlib

        return getattr(importlib.import_module("whichai.decide.recommendation"), name)
    if name == "render":
        from whichai.decide.explain import render

        return render
    raise AttributeError(name)
