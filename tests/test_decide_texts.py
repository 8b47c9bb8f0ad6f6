"""Texts and inputs decide must get right: group texts for every exclusion code, the real profile
field names in advice, the hours limit in the capacity reason, one ``today`` from the application
layer down, and the catalog fields (openness dimensions, offers) read from the shipped catalog."""

from __future__ import annotations

from datetime import date

import pytest
from test_decide_data import entries, raw_catalog

from whichai import app
from whichai.catalog import load_catalog
from whichai.decide.catalog_view import CatalogView
from whichai.decide.constraints import Reason, build_candidate
from whichai.decide.criteria_scores import score_entry, transparency
from whichai.decide.explain import reason_text
from whichai.decide.i18n import TEXTS
from whichai.decide.profile import OwnedHardware, Profile, Volume
from whichai.decide.recommendation import recommend
from whichai.decide.tco import ops_rule

TODAY = date(2026, 11, 25)
CLOSED = "openai/gpt-4o-mini"


@pytest.mark.parametrize("code", ["retired", "offers_retired"])
def test_lifecycle_exclusions_have_group_texts_in_both_languages(code: str) -> None:
    en, id_ = TEXTS[f"group.{code}"]
    assert en and id_ and en != id_


def test_retired_models_with_and_without_a_date_are_one_line_of_the_summary() -> None:
    """Both say "retired: can no longer be called": the summary counts them together, once."""
    dated = {"status": "retired", "shutdown_date": "2026-10-23", "source": None}
    undated = {"status": "retired", "shutdown_date": None, "source": None}
    others = [e for e in raw_catalog({}).raw if e["id"] != CLOSED][:1]
    catalog = raw_catalog({CLOSED: {"lifecycle": dated}, others[0]["id"]: {"lifecycle": undated}})
    doc = recommend(Profile(), catalog, today=TODAY).document()
    codes = sorted(r.code for e in doc.excluded for r in e.reasons if r.code.startswith("retired"))
    assert codes == ["retired", "retired_undated"]
    for lang in ("en", "id"):
        group = TEXTS["group.retired"][0 if lang == "en" else 1]
        lines = [b.text for b in doc.explanation.blocks(lang) if b.kind == "exclusion" and group in b.text]
        assert len(lines) == 1 and lines[0].lstrip("- ").startswith("2"), lines


def test_the_exclusion_summary_uses_the_group_text_for_retired_models() -> None:
    life = {"status": "retired", "shutdown_date": "2026-10-23", "source": None}
    doc = recommend(Profile(), raw_catalog({CLOSED: {"lifecycle": life}}), today=TODAY).document()
    assert [r.code for e in doc.excluded if e.model == CLOSED for r in e.reasons] == ["retired"]
    for lang in ("en", "id"):
        summary = [b.text for b in doc.explanation.blocks(lang) if b.kind == "exclusion"]
        assert any(TEXTS["group.retired"][0 if lang == "en" else 1] in line for line in summary), summary


def test_every_offer_retired_removes_the_api_mode_over_raw_catalog_records() -> None:
    offer = {"price": {"input": 0.15, "output": 0.6, "as_of": "2026-07-02", "source": "t"}, "context_length": 128000,
             "status": "retired", "shutdown_date": "2026-10-23", "free_tier": False, "source": None}
    view = CatalogView(raw_catalog({CLOSED: {"offers": {CLOSED: offer}}}))
    entry = view.resolve(CLOSED)
    cand = build_candidate(CLOSED, entry, None, Profile(), today=TODAY)
    assert [r.code for r in cand.reasons] == ["offers_retired"]


def test_advice_names_the_profile_field_that_exists() -> None:
    fields = set(Profile.model_fields)
    for profile in (Profile(), Profile(ops_hours_per_month=3)):
        _, _, _, params = ops_rule(profile, 8.0, "owned")
        assert set(params["settings"]) <= fields, params["settings"]
    for lang in (0, 1):
        text = TEXTS["note.operations_decide"][lang]
        assert "ops_hourly_rate_usd" in text and "ops_hourly_usd" not in text


def test_the_capacity_reason_states_the_profiles_hours_limit() -> None:
    reason = Reason("capacity", {"requests": 1e6, "hours": 900.0, "limit": 176.0})
    for lang in ("en", "id"):
        text = reason_text(reason, lang)
        assert "176" in text and "730" not in text
    # end to end: a machine allowed 176 h a month that cannot serve the volume
    hw = OwnedHardware(ram_gb=64, cpu_cores=8, hours_per_month=176)
    profile = Profile(hardware=hw, rent=None, data_may_go="nowhere", deployment="on-premises",
                      volume=Volume(requests_per_month=2_000_000, input_tokens_per_request=500, output_tokens_per_request=500))
    doc = recommend(profile, entries(), today=TODAY).document()
    capacity = [r for e in doc.excluded for r in e.reasons if r.code == "capacity"]
    assert capacity and all("176" in r.text.en and "730" not in r.text.en for r in capacity)


def test_today_reaches_the_lifecycle_check_from_the_application_layer() -> None:
    life = {"status": "deprecated", "shutdown_date": "2026-12-11", "source": None}
    cat = raw_catalog({CLOSED: {"lifecycle": life}})
    before = app.recommend(Profile(), catalog=cat, today=date(2026, 12, 1)).document()
    after = app.recommend(Profile(), catalog=cat, today=date(2026, 12, 20)).document()
    assert CLOSED in [r.model for r in before.ranking]
    assert [r.code for e in after.excluded if e.model == CLOSED for r in e.reasons] == ["retired"]


def test_the_audited_openness_dimensions_of_the_shipped_catalog_are_read() -> None:
    view = CatalogView(load_catalog())
    audited = [e for e in view.entries if any(k.startswith(("osai:", "mof:")) for k in (e.openness_dimensions or {}))]
    assert len(audited) > 100
    entry = audited[0]
    cand = build_candidate(entry.id, entry, None, Profile(), today=TODAY)
    score = transparency(cand)
    assert score.note == "why.transparency_audit" and score.origin == "catalog"
    assert score_entry(entry, Profile(), today=TODAY)["transparency"].note == "why.transparency_audit"


@pytest.mark.parametrize("deployment", ["on-premises", "air-gapped", "edge"])
def test_deployment_reasons_read_as_english(deployment: str) -> None:
    doc = recommend(Profile(deployment=deployment, data_may_go="nowhere"), entries(), today=TODAY).document()
    texts = [r.text.en for e in doc.excluded for r in e.reasons]
    assert any(deployment in x for x in texts)
    assert not any(f" a {deployment}" in x for x in texts), texts  # "a on-premises deployment"


def test_a_quality_bar_met_on_few_cases_says_the_evidence_is_thin() -> None:
    """min_quality excludes a model whose measured pass rate is below it; one at or above it whose
    95 % interval reaches below the bar is kept, with a note in both languages."""
    model = "meta/llama-3.1-8b-instruct"

    def rec(rate: float, low: float, high: float, n: int):
        m = {"model": model, "pass_rate": rate, "pass_rate_ci95": [low, high], "scored": n, "answered": n, "cases": n}
        return recommend(Profile(min_quality=0.6), entries(), measurements=[m], today=TODAY).document()

    thin = rec(0.7, 0.40, 0.89, 10)
    row = next(r for r in thin.ranking if r.model == model)
    note = next(n for n in row.notes if n.code == "quality_uncertain")
    assert note.params == {"rate": 0.7, "min": 0.6, "low": 0.4, "cases": 10}
    assert "10" in note.text.en and "0.40" in note.text.en and "0,40" in note.text.id
    solid = rec(0.7, 0.66, 0.74, 500)
    assert not [n for r in solid.ranking if r.model == model for n in r.notes if n.code == "quality_uncertain"]
    below = rec(0.5, 0.3, 0.7, 10)
    assert [x.code for e in below.excluded if e.model == model for x in e.reasons] == ["below_quality"]
