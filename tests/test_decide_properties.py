"""Properties of the ranking, checked on generated catalogs and profiles (hypothesis):

- raising a criterion's weight never lowers the rank of the model best on that criterion;
- a bigger budget never excludes a model;
- the ranking never names an excluded model (and every candidate is one or the other);
- the same inputs give the same output (also with the catalog in another order);
- the terminal view shows what the decision document says (verdict, evidence, costs, explanation).
"""

from __future__ import annotations

import json
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from whichai.catalog.schema import Fact, ModelEntry, Price, Source
from whichai.criteria import CRITERION_IDS
from whichai.decide import recommend
from whichai.decide.profile import GPU, OwnedHardware, Profile, RentedGPU, Volume
from whichai.decide.scoring import TIE_BAND

SRC = Source(name="curated", url="https://example.org", as_of="2026-07-01")
SETTINGS = settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])  # the same examples every run: CI never fails by chance

unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False).map(lambda x: round(x, 3))


@st.composite
def model_entries(draw) -> list[ModelEntry]:
    n = draw(st.integers(min_value=2, max_value=7))
    out = []
    for i in range(n):
        openness = draw(st.sampled_from(["open-source", "open-weights", "closed"]))
        is_open = openness != "closed"
        api = True if not is_open else draw(st.booleans())
        priced = api and draw(st.booleans() if is_open else st.just(True))
        out.append(ModelEntry(
            id=f"lab{i}/model-{i}", name=f"Model {i}", provider=f"Lab {i}", openness=openness,
            license="Apache-2.0" if openness == "open-source" else None,
            license_restricts_use=draw(st.sampled_from([None, False, True])) if is_open else None,
            commercial_use=draw(st.sampled_from([None, True, False])) if is_open else None,
            weights_downloadable=is_open, api_available=api,
            price_usd_per_mtok=Price(input=draw(st.floats(0.01, 20)), output=draw(st.floats(0.01, 60)), as_of="2026-07-02",
                                     source="models.dev") if priced else None,
            params_b=draw(st.sampled_from([0.1, 1.0, 3.0, 8.0, 14.0, 34.0, 70.0, 405.0])) if is_open else None,
            facts={"sla": Fact(value=draw(st.sampled_from([None, True, False])), source=SRC),
                   "zero_retention_available": Fact(value=draw(st.sampled_from([None, True])), source=SRC)},
        ))
    return out


@st.composite
def profiles(draw) -> Profile:
    gpus = draw(st.sampled_from([[], [GPU(name="RTX 4090", memory_gb=24)], [GPU(name="A100", memory_gb=80, count=2)]]))
    return Profile(
        volume=Volume(requests_per_month=draw(st.sampled_from([100, 5_000, 200_000, 10_000_000])),
                      input_tokens_per_request=draw(st.sampled_from([100, 800])), output_tokens_per_request=draw(st.sampled_from([50, 400]))),
        budget_usd_per_month=draw(st.sampled_from([None, 0.0, 10.0, 500.0, 20_000.0])),
        data_sensitivity=draw(st.sampled_from(["public", "internal", "confidential", "regulated"])),
        data_may_go=draw(st.sampled_from(["nowhere", "zero-retention-vendor", "anywhere"])),
        deployment=draw(st.sampled_from(["cloud", "on-premises", "air-gapped", "edge"])),
        hardware=draw(st.sampled_from([None, OwnedHardware(ram_gb=16, gpus=gpus), OwnedHardware(ram_gb=256, gpus=gpus, purchase_usd=20000)])),
        rent=draw(st.sampled_from([None, RentedGPU()])),
        team_skill=draw(st.sampled_from(["none", "some", "strong"])),
        support=draw(st.sampled_from(["none", "helpful", "sla-required"])),
        customise=draw(st.sampled_from(["none", "nice", "must"])),
        min_openness=draw(st.sampled_from(["closed", "closed", "open-weights", "open-source"])),
    )


def _ranks(rec) -> dict[str, int]:
    return {r.model: i for i, r in enumerate(rec.ranked)}


@SETTINGS
@given(model_entries(), profiles(), st.sampled_from(CRITERION_IDS), st.floats(min_value=1.01, max_value=50.0))
def test_raising_a_weight_never_lowers_the_model_best_on_it_below_a_worse_one(entries, profile, cid, factor) -> None:
    rec = recommend(profile, entries)
    if not rec.ranked:
        return
    scores = {r.model: r.criteria()[cid].score for r in rec.ranked}
    top = max(scores.values())
    best = [m for m, s in scores.items() if s == top]
    weights = {c: rec.outcome.w[c] for c in CRITERION_IDS}
    weights[cid] *= factor
    raised = recommend(profile.model_copy(update={"weights": weights}), entries)
    before, after = _ranks(rec), _ranks(raised)
    assert set(before) == set(after)  # weights never change who is eligible
    rows = {r.model: r for r in raised.ranked}
    band = TIE_BAND * math.fsum(raised.outcome.w.values()) + 1e-9
    for model in best:
        # the only models that may overtake it are its equals on the criterion, and models now within the
        # tie band of it that are cheaper (the ranking rule: at equal quality the cheaper model leads)
        for other in (m for m in after if after[m] < after[model] and before[m] > before[model]):
            equal_quality = rows[model].raw - rows[other].raw <= band
            cheaper = (round(rows[other].monthly, 6), other) <= (round(rows[model].monthly, 6), model)
            assert scores[other] == top or (equal_quality and cheaper), (cid, model, other)


@SETTINGS
@given(model_entries(), profiles(), st.floats(min_value=0.0, max_value=5000.0), st.floats(min_value=0.0, max_value=50000.0))
def test_a_bigger_budget_never_excludes_a_model(entries, profile, budget, extra) -> None:
    small = recommend(profile.model_copy(update={"budget_usd_per_month": budget}), entries)
    big = recommend(profile.model_copy(update={"budget_usd_per_month": budget + extra}), entries)
    unlimited = recommend(profile.model_copy(update={"budget_usd_per_month": None}), entries)
    small_ok = {r.model for r in small.ranked}
    big_ok = {r.model for r in big.ranked}
    assert small_ok <= big_ok <= {r.model for r in unlimited.ranked}


@SETTINGS
@given(model_entries(), profiles())
def test_the_ranking_never_names_an_excluded_model(entries, profile) -> None:
    doc = recommend(profile, entries).to_json()
    ranked = {r["model"] for r in doc["ranking"]}
    excluded = {x["model"] for x in doc["excluded"]}
    assert not ranked & excluded
    assert ranked | excluded == {e.id for e in entries}
    assert all(x["reasons"] for x in doc["excluded"])
    assert set(doc["top_models"]) <= ranked | {((doc.get("hybrid") or {}).get("rest") or {}).get("model")}
    assert (doc["verdict"] is None) == (not ranked)


@SETTINGS
@given(model_entries(), profiles(), st.randoms(use_true_random=False))
def test_same_inputs_same_output(entries, profile, rnd) -> None:
    first = json.dumps(recommend(profile, entries).to_json(), sort_keys=True)
    again = json.dumps(recommend(profile, entries).to_json(), sort_keys=True)
    shuffled = list(entries)
    rnd.shuffle(shuffled)
    other_order = json.dumps(recommend(profile, shuffled).to_json(), sort_keys=True)
    assert first == again == other_order


@SETTINGS
@given(model_entries(), profiles(), st.sampled_from(["en", "id"]))
def test_the_terminal_shows_what_the_document_says(entries, profile, lang) -> None:
    """For random catalogs and profiles, the terminal view shows the document's verdict, evidence,
    ranked models with their monthly cost and its origin, and every explanation sentence."""
    import io
    import re

    from rich.console import Console

    from whichai.cli.decision_view import render
    from whichai.decide.i18n import num, t

    doc = recommend(profile, entries, lang=lang).document()
    buffer = io.StringIO()
    render(doc, Console(file=buffer, width=400, color_system=None), lang, top=len(doc.ranking) or 1)
    flat = re.sub(r"\s+", " ", re.sub(r"[│╭╮╰╯─┃┏┓┗┛━┡┩╇┳┻╋└┘├┤┼┬┴]", " ", buffer.getvalue()))

    def shown(text: str) -> bool:
        return re.sub(r"\s+", " ", text).strip() in flat

    assert shown(doc.verdict_text.get(lang))
    provisional = doc.evidence.level != "measured" and bool(doc.ranking)  # nothing is measured here: always provisional
    assert provisional == (("PROVISIONAL" if lang == "en" else "SEMENTARA") in flat)
    assert shown(doc.evidence.text.get(lang))
    for row in doc.ranking:
        assert shown(row.model)
        assert shown(num(row.monthly_usd, lang) + " " + t(f"origin.{row.monthly_origin}", lang))
    for block in doc.explanation.blocks(lang):
        assert shown(block.text), block.text
