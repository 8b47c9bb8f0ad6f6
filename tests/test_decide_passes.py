"""The shortcuts that make a recommendation's many passes cheap must not change what they find:

- a lean "what if" pass (hybrid halves, profile changes) names the same winner and verdict, with the
  same scores and costs, as a full pass under the same profile;
- a deployment mode is shared across volumes: repriced at another volume, its components equal those
  of a mode built at that volume;
- the order of the passes over one catalog view does not matter: a full pass after lean passes at
  other volumes shows the same document as a full pass alone.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_decide_properties import SETTINGS, model_entries, profiles

from whichai.decide.catalog_view import CatalogView
from whichai.decide.outcome import run_outcome
from whichai.decide.profile import GPU, OwnedHardware, Profile, RentedGPU, Volume
from whichai.decide.recommendation import recommend
from whichai.decide.tco import api_mode, at_volume, owned_mode, rented_mode

TODAY = date(2026, 11, 25)
MEASURED = st.lists(
    st.fixed_dictionaries({
        "pick": st.integers(min_value=0, max_value=6),
        "pass_rate": st.floats(min_value=0.0, max_value=1.0),
        "lang": st.sampled_from(["en", "id", "fr"]),
    }),
    max_size=3,
)


def _measurements(entries, picks) -> list[dict]:
    out = []
    for p in picks:
        entry = entries[p["pick"] % len(entries)]
        out.append({"model": entry.id, "pass_rate": p["pass_rate"], "n": 10, "passed": round(10 * p["pass_rate"]),
                    "by_lang": {p["lang"]: {"pass_rate": p["pass_rate"], "n": 10}}})
    return out


def _top(outcome) -> tuple:
    w = outcome.winner
    return (outcome.verdict, None if w is None else (w.model, round(w.raw, 9), round(w.monthly, 6), w.option.mode.kind))


@SETTINGS
@given(model_entries(), profiles(), MEASURED, st.sampled_from([1.0, 0.37, 4.0]))
def test_a_lean_pass_finds_what_a_full_pass_finds(entries, profile, picks, scale) -> None:
    measurements = _measurements(entries, picks)
    vol = profile.volume
    other = profile.model_copy(update={"volume": vol.model_copy(update={"requests_per_month": vol.requests_per_month * scale})})
    view = CatalogView(entries)
    full_first = run_outcome(profile, view, measurements, today=TODAY)  # as in recommend: the full pass first
    lean = run_outcome(other, view, measurements, today=TODAY, lean=True)
    alone = run_outcome(other, CatalogView(entries), measurements, today=TODAY)  # a full pass on a fresh view
    assert _top(lean) == _top(alone)
    assert full_first.verdict == run_outcome(profile, CatalogView(entries), measurements, today=TODAY).verdict


def _hw() -> OwnedHardware:
    return OwnedHardware(ram_gb=256, gpus=[GPU(name="A100", memory_gb=80, count=2)], purchase_usd=20000, power_watts=900)


def _components(mode) -> list[tuple]:
    return [(c.name, round(c.usd, 6), c.origin, c.code, dict(c.figures)) for c in mode.components]


def test_a_mode_repriced_at_another_volume_equals_one_built_there() -> None:
    def at(requests: float) -> Profile:
        return Profile(volume=Volume(requests_per_month=requests, input_tokens_per_request=900, output_tokens_per_request=300),
                       hardware=_hw(), rent=RentedGPU(always_on=False))

    from whichai.decide.catalog_view import Price

    class Entry:  # the fields api_mode reads
        id, aliases = "lab/m", []
        price_usd_per_mtok = Price({"input": 0.5, "output": 1.5, "as_of": "2026-11-01", "source": "models.dev"})

    small, big = at(1_000), at(3_500_000)
    builders = [
        lambda p: api_mode(Entry(), None, p, "lab/m"),
        lambda p: owned_mode(8.0, None, False, p, True, None, 8.0),
        lambda p: rented_mode(8.0, 1, p, 8.0),
    ]
    for build in builders:
        built_small, built_big = build(small), build(big)
        repriced = at_volume(built_small, big.volume.requests_per_month)
        assert repriced is not built_small
        assert _components(repriced) == _components(built_big)
        assert _components(built_small) == _components(build(small))  # the original is left as it was
        assert at_volume(built_big, big.volume.requests_per_month) is built_big


def test_the_passes_order_does_not_change_the_document() -> None:
    from whichai.catalog import load_catalog

    catalog = load_catalog()
    profile = Profile(volume=Volume(requests_per_month=250_000), hardware=_hw(), data_may_go="nowhere",
                      data_sensitivity="regulated", sensitive_share=0.4)
    alone = recommend(profile, catalog, today=TODAY).to_json()
    view = CatalogView(catalog)
    for share in (0.4, 0.6):  # lean passes at the hybrid halves' volumes first, on the same view
        vol = profile.volume.model_copy(update={"requests_per_month": profile.volume.requests_per_month * share})
        run_outcome(profile.model_copy(update={"volume": vol}), view, None, today=TODAY, lean=True)
    from whichai.decide.recommendation import Inputs, _recommend

    after = _recommend(profile, Inputs(view, today=TODAY), "en", None).to_json()
    assert after["tco"] == alone["tco"]
    assert after == alone


def test_a_lean_pass_reads_the_tasks_languages_from_every_measured_model() -> None:
    """A measured model that a static check excludes is left out of a lean pass, but the languages
    of the task it was measured on still count for every other model's performance."""
    from whichai.catalog import load_catalog

    catalog = load_catalog()
    closed = next(e["id"] for e in catalog.raw if e.get("openness") == "closed" and e.get("api_available"))
    measured = [{"model": closed, "pass_rate": 0.9, "n": 10, "passed": 9, "by_lang": {"id": {"pass_rate": 0.9, "n": 10}}}]
    profile = Profile(min_openness="open-source", languages=["en"])  # excludes the measured closed model
    lean = run_outcome(profile, CatalogView(catalog), measured, today=TODAY, lean=True)
    full = run_outcome(profile, CatalogView(catalog), measured, today=TODAY)
    assert closed not in {c.model for c in lean.candidates}
    full_sums = {p.cand.model: [o.base for o in p.options] for p in full.prepared}
    assert {p.cand.model: [o.base for o in p.options] for p in lean.prepared}.items() <= full_sums.items()
    assert _top(lean) == _top(full)


def test_self_hostings_scores_depend_on_the_kind_and_the_teams_skill_alone() -> None:
    """Self-hosting's security and ease of use score the same for every model of a kind and skill; only
    the reason may name the model (a hosted API's offer scored as self-hosted says its API would send
    the prompts out), so it is computed per model, never shared through a memo."""
    from whichai.catalog import load_catalog
    from whichai.decide.constraints import build_candidate
    from whichai.decide.criteria_scores import mode_scores

    catalog = load_catalog()
    open_ids = [e["id"] for e in catalog.raw if e.get("weights_downloadable") and e.get("params_b")][:40]
    for skill in ("none", "some", "strong"):
        profile = Profile(hardware=_hw(), rent=RentedGPU(), team_skill=skill)
        seen: dict[str, tuple] = {}
        for model in open_ids:
            cand = build_candidate(model, catalog.get(model), None, profile, today=TODAY)
            for mode in cand.modes:
                if mode.kind == "api":
                    continue
                scores = mode_scores(cand, mode, profile)
                got = {k: (s.score, s.origin) for k, s in scores.items()}
                assert seen.setdefault(mode.kind, got) == got, (model, mode.kind)
                hosted = mode.kind == "owned" and scores["security"].note == "why.security_owned_not_api"
                assert not hosted or scores["security"].params["api"] == cand.entry.id, (model, "a note about another model")


def test_a_view_warmed_before_the_measurements_gives_the_same_recommendation() -> None:
    """``whichai run`` warms the catalog view with a prior-only pass while its models load; the
    recommendation with the run's measurements is then the same as one computed from scratch."""
    from whichai.catalog import load_catalog
    from whichai.decide.recommendation import warm_view

    catalog = load_catalog()
    ids = [e["id"] for e in catalog.raw if e.get("weights_downloadable") and e.get("params_b")][:2]
    measured = [{"model": m, "pass_rate": rate, "n": 20, "passed": round(20 * rate), "latency_p50_s": 0.4, "output_tokens_per_s": 80.0,
                 "by_lang": {"id": {"pass_rate": rate, "n": 20}}} for m, rate in zip(ids, (0.9, 0.35))]
    profile = Profile(hardware=_hw(), sensitive_share=0.5, data_may_go="nowhere", data_sensitivity="regulated", min_quality=0.5)
    fresh = recommend(profile, catalog, measurements=measured, today=TODAY).to_json()
    view = warm_view(profile, catalog, today=TODAY)
    assert recommend(profile, catalog, measurements=measured, today=TODAY, view=view).to_json() == fresh
    calls = []  # and with the "what if" passes warmed as well, as long as it is asked to go on
    everything = warm_view(profile, catalog, today=TODAY, more=lambda: calls.append(1) or True)
    assert len(calls) >= 3  # the hybrid halves and the profile changes
    assert recommend(profile, catalog, measurements=measured, today=TODAY, view=everything).to_json() == fresh
    # nothing a recommendation measured stays in the view: it serves the next one as a fresh view would
    assert recommend(profile, catalog, today=TODAY, view=everything).to_json() == recommend(profile, catalog, today=TODAY).to_json()
    with pytest.raises(ValueError):  # a view serves recommendations over its own catalog only
        recommend(profile, [], today=TODAY, view=everything)


@pytest.mark.parametrize("name", ["default", "airgapped-government", "high-volume-product", "hobbyist-laptop", "regulated-bank",
                                  "research-lab", "startup-no-ml"])
def test_every_what_if_of_a_built_in_profile_leans_to_the_full_passes_top(name) -> None:
    """Over the shipped catalog: each "what if" of a built-in profile (hybrid halves, profile changes), as
    a lean pass, places first what a full pass does, looking at fewer models than a full pass ranks (it
    stops where no model left could be placed before the best of known openness)."""
    from whichai.catalog import load_catalog
    from whichai.decide.profile import load_profile
    from whichai.decide.recommendation import _what_ifs

    catalog, profile = load_catalog(), load_profile(name)
    view, other = CatalogView(catalog), CatalogView(catalog)  # the lean passes' view, and the full passes'
    run_outcome(profile, view, None, today=TODAY)  # as in recommend: the full pass first
    looked = ranked = 0
    for variant in _what_ifs(profile):
        lean = run_outcome(variant, view, None, today=TODAY, lean=True)
        full = run_outcome(variant, other, None, today=TODAY)
        assert _top(lean) == _top(full), variant
        assert [r.model for r in lean.ranked] == [r.model for r in full.ranked[:len(lean.ranked)]]
        looked, ranked = looked + len(lean.prepared), ranked + len(full.ranked)
    assert looked < ranked
