"""decide: profiles whose right verdict is forced by construction, hard constraints, cost of
ownership, sensitivity, measurements, explanations in English and Bahasa Indonesia, profile files."""

from __future__ import annotations

import math
import re

import pytest
from test_decide_data import entries

from whichai.criteria import CRITERION_IDS
from whichai.decide import example_profiles, load_profile, parse_profile, recommend
from whichai.decide.catalog_view import CatalogView
from whichai.decide.criteria_scores import PRIOR_CASES
from whichai.decide.i18n import TEXTS, default_lang
from whichai.decide.outcome import run_outcome
from whichai.decide.profile import GPU, OwnedHardware, Profile, Volume
from whichai.decide.scoring import Pricing, evaluate, fast_top, flatten
from whichai.decide.tco import break_even
from whichai.errors import FileInputError, InputError

# --- verdicts forced by construction -----------------------------------------------------------------

AIRGAPPED = Profile(
    name="airgapped", deployment="air-gapped", data_sensitivity="confidential", data_may_go="nowhere",
    hardware=OwnedHardware(ram_gb=32, gpus=[]), rent=None, team_skill="some",
)
NO_ML_STAFF = Profile(
    name="no-ml", deployment="cloud", data_sensitivity="public", data_may_go="anywhere", team_skill="none",
    support="sla-required", volume=Volume(requests_per_month=2000, input_tokens_per_request=300, output_tokens_per_request=200),
)
AUDIT = Profile(name="audit", min_openness="open-source", customise="must", data_sensitivity="internal")


def _entry(model_id: str):
    return next(e for e in entries() if e.id == model_id)


def test_airgapped_confidential_gets_an_open_model_that_fits_the_hardware() -> None:
    rec = recommend(AIRGAPPED, entries())
    doc = rec.to_json()
    assert doc["verdict"] in ("open-source", "open-weights")
    top = _entry(doc["ranking"][0]["model"])
    assert top.weights_downloadable and top.openness != "closed"
    assert doc["ranking"][0]["mode"] == "owned"
    from whichai.catalog.hardware import memory_needed_gb

    for row in doc["ranking"]:
        e = _entry(row["model"])
        assert e.weights_downloadable
        assert memory_needed_gb(e.params_b, context_tokens=4096) <= 0.75 * 32 + 1e-9
    excluded = {x["model"]: x for x in doc["excluded"]}
    assert "api_only_offline" in [c["code"] for c in excluded["openai/gpt-4o-mini"]["reasons"]]
    assert "does_not_fit" in [c["code"] for c in excluded["meta/llama-3.1-405b-instruct"]["reasons"]]


def test_no_ml_staff_sla_low_volume_public_data_gets_closed() -> None:
    doc = recommend(NO_ML_STAFF, entries()).to_json()
    assert doc["verdict"] == "closed"
    assert doc["ranking"][0]["model"] == "openai/gpt-4o-mini"  # the only one with an SLA on record
    codes = {x["model"]: [c["code"] for c in x["reasons"]] for x in doc["excluded"]}
    assert "sla_unknown" in codes["anthropic/claude-x"]
    assert all(_entry(r["model"]).openness == "closed" for r in doc["ranking"])


def test_must_audit_training_data_gets_open_source_not_open_weights() -> None:
    doc = recommend(AUDIT, entries()).to_json()
    assert doc["verdict"] == "open-source"
    assert all(_entry(r["model"]).openness == "open-source" for r in doc["ranking"])
    codes = {x["model"]: [c["code"] for c in x["reasons"]] for x in doc["excluded"]}
    assert "openness_below" in codes["meta/llama-3.1-8b-instruct"]
    assert "openness_below" in codes["openai/gpt-4o-mini"]


def test_licence_that_forbids_commercial_use_excludes() -> None:
    doc = recommend(Profile(commercial=True), entries()).to_json()
    codes = {x["model"]: [c["code"] for c in x["reasons"]] for x in doc["excluded"]}
    assert "licence_commercial" in codes["research/noncommercial-7b"]
    doc = recommend(Profile(commercial=False), entries()).to_json()
    assert "research/noncommercial-7b" in [r["model"] for r in doc["ranking"]]


def test_over_budget_excludes_with_the_cost_named() -> None:
    doc = recommend(Profile(budget_usd_per_month=1.0, hardware=None), entries()).to_json()
    over = [x for x in doc["excluded"] if any(c["code"] == "over_budget" for c in x["reasons"])]
    assert over
    for x in over:
        assert "budget" in x["reasons"][0]["text"]["en"] and "$1.00" in x["reasons"][0]["text"]["en"]


def test_zero_retention_vendor_allows_only_vendors_with_it_on_record() -> None:
    p = Profile(data_may_go="zero-retention-vendor", hardware=None, rent=None)
    doc = recommend(p, entries()).to_json()
    ranked = [r["model"] for r in doc["ranking"]]
    assert ranked == ["openai/gpt-4o-mini"]  # claude-x: none on record; open weights via a third-party host: not on record


# --- measurements -------------------------------------------------------------------------------------

MEASURED = [
    {"model": "local/smollm2-135m-instruct", "cases": 72, "answered": 72, "passed": 20, "pass_rate": 0.28,
     "pass_rate_ci95": [0.19, 0.39], "errors": 0, "latency_p50_s": 0.4, "latency_p95_s": 0.9, "ttft_p50_s": 0.05,
     "output_tokens_per_s": 120.0, "cost_usd": 0.0, "input_tokens_mean": 80, "output_tokens_mean": 30},
    {"model": "openai/gpt-4o-mini", "cases": 72, "answered": 72, "passed": 65, "pass_rate": 0.9, "pass_rate_ci95": [0.81, 0.95],
     "errors": 0, "latency_p50_s": 1.1, "latency_p95_s": 2.0, "ttft_p50_s": 0.3, "output_tokens_per_s": 60.0, "cost_usd": 0.02},
    {"model": "myserver/mystery-7b", "cases": 72, "answered": 70, "passed": 50, "pass_rate": 0.69, "pass_rate_ci95": [0.58, 0.79],
     "errors": 2, "latency_p50_s": 0.8, "latency_p95_s": 1.5, "ttft_p50_s": 0.1, "output_tokens_per_s": 80.0, "cost_usd": 0.01},
]


def test_measurements_feed_performance_quality_bar_and_throughput() -> None:
    p = Profile(min_quality=0.5)
    rec = recommend(p, entries(), measurements=MEASURED)
    doc = rec.to_json()
    rows = {r["model"]: r for r in doc["ranking"]}
    excluded = {x["model"]: [c["code"] for c in x["reasons"]] for x in doc["excluded"]}
    assert "below_quality" in excluded["local/smollm2-135m-instruct"]
    prior = {r["model"]: r for r in recommend(p, entries()).to_json()["ranking"]}["openai/gpt-4o-mini"]["criteria"]["performance"]
    # the rate over 72 cases, with the prior counted as PRIOR_CASES cases (docs/method.md §3)
    expected = (0.9 * 72 + PRIOR_CASES * prior["score"]) / (72 + PRIOR_CASES)
    assert rows["openai/gpt-4o-mini"]["criteria"]["performance"]["score"] == pytest.approx(expected, abs=1e-4)
    assert rows["openai/gpt-4o-mini"]["criteria"]["performance"]["origin"] == "measured"
    # measured but not in the catalog: still ranked, openness unknown, catalog criteria unknown, said so
    mystery = rows["myserver/mystery-7b"]
    assert mystery["in_catalog"] is False and mystery["openness"] == "unknown"
    assert any("not in the catalog" in n["text"]["en"] for n in mystery["notes"])
    assert mystery["criteria"]["transparency"]["origin"] == "unknown"
    assert doc["measured"] is True


def test_local_throughput_measured_on_this_machine_is_labelled() -> None:
    here = Profile(hardware=OwnedHardware(ram_gb=16, this_machine=True), rent=None, data_may_go="nowhere")
    rec = recommend(here, entries(), measurements=MEASURED[:1])
    row = next(r for r in rec.tco["models"] if r["model"] == "local/smollm2-135m-instruct")
    assert row["mode"] == "owned" and row["throughput_origin"] == "measured"
    # seconds per request = output tokens / measured tokens per second (whole-request rate: TTFT is inside it)
    assert row["seconds_per_request"] == pytest.approx(250 / 120.0, rel=1e-3)
    # the same measurement on a profile whose hardware is some other machine: an estimate, not "measured"
    elsewhere = Profile(hardware=OwnedHardware(ram_gb=16), rent=None, data_may_go="nowhere")
    row = next(r for r in recommend(elsewhere, entries(), measurements=MEASURED[:1]).tco["models"]
               if r["model"] == "local/smollm2-135m-instruct")
    assert row["throughput_origin"] == "estimate"


def test_only_restricts_to_measured_models() -> None:
    rec = recommend(Profile(), entries(), measurements=MEASURED, only=[m["model"] for m in MEASURED])
    assert {r.model for r in rec.ranked} | {c.model for c, _ in rec.excluded} == {m["model"] for m in MEASURED}


# --- cost of ownership ------------------------------------------------------------------------------------


def test_api_cost_is_volume_times_price() -> None:
    p = Profile(volume=Volume(requests_per_month=123_456, input_tokens_per_request=700, output_tokens_per_request=300), hardware=None, rent=None)
    rec = recommend(p, entries())
    row = next(r for r in rec.tco["models"] if r["model"] == "openai/gpt-4o-mini")
    expected = 123_456 * (700 * 0.15 + 300 * 0.6) / 1e6
    assert row["monthly_usd"] == pytest.approx(expected, abs=0.01)
    assert row["origin"] == "catalog"


def test_owned_cost_is_amortisation_power_and_operations() -> None:
    hw = OwnedHardware(ram_gb=64, gpus=[GPU(name="RTX 4090", memory_gb=24)], purchase_usd=3600, amortisation_months=36,
                       power_watts=500, electricity_usd_per_kwh=0.2)
    p = Profile(hardware=hw, rent=None, data_may_go="nowhere", team_skill="strong", ops_hourly_rate_usd=50)
    rec = recommend(p, entries())
    row = next(r for r in rec.tco["models"] if r["model"] == "meta/llama-3.1-8b-instruct")
    parts = {c["name"]: c for c in row["components"]}
    assert parts["amortisation"]["monthly_usd"] == pytest.approx(100.0)
    ops = parts["operations"]
    assert ops["origin"] == "estimate" and ops["monthly_usd"] == pytest.approx(ops["params"]["hours"] * 50, abs=0.01)
    stated = recommend(p.model_copy(update={"ops_hours_per_month": 8}), entries())
    row_stated = next(r for r in stated.tco["models"] if r["model"] == "meta/llama-3.1-8b-instruct")
    ops_stated = next(c for c in row_stated["components"] if c["name"] == "operations")
    assert ops_stated["origin"] == "profile" and ops_stated["monthly_usd"] == pytest.approx(8 * 50)
    assert parts["power"]["monthly_usd"] == pytest.approx(0.5 * row["hours_needed"] * 0.2, abs=0.01)
    assert row["monthly_usd"] == pytest.approx(sum(c["monthly_usd"] for c in row["components"]), abs=0.02)


def test_break_even_is_where_the_two_costs_meet() -> None:
    p = Profile(hardware=OwnedHardware(ram_gb=64, gpus=[GPU(name="A100", memory_gb=80)], purchase_usd=20000, power_watts=400),
                rent=None, team_skill="strong")
    rec = recommend(p, entries())
    be = rec.tco["break_even"]
    assert be is not None and be["origin"] == "estimate"
    out = rec.outcome
    api = next(o.mode for pr in out.prepared if pr.cand.model == be["api_model"] for o in pr.options if o.mode.kind == "api")
    hosted = next(o.mode for pr in out.prepared if pr.cand.model == be["self_hosted_model"] for o in pr.options
                  if o.mode.kind == be["self_hosted_mode"])
    if be["kind"] == "above":
        v = be["requests_per_month"]
        assert hosted.monthly(v * 1.01) <= api.monthly(v * 1.01)
        assert hosted.monthly(v * 0.99) >= api.monthly(v * 0.99)
    assert break_even(api, hosted)["kind"] == be["kind"]


# --- sensitivity ---------------------------------------------------------------------------------------------


def _winner(profile: Profile) -> str | None:
    view = CatalogView(entries())
    out = run_outcome(profile, view, None)
    return out.winner.model if out.winner else None


def test_weight_thresholds_are_where_the_winner_changes() -> None:
    p = Profile(name="s", team_skill="some")
    rec = recommend(p, entries())
    winner = rec.ranked[0].model
    w = rec.outcome.w
    checked = 0
    for item in rec.sensitivity["weights"]:
        cid = item["criterion"]
        rest = sum(w.values()) - w[cid]
        for side, sign in (("above", 1.01), ("below", 0.99)):
            hit = item[side]
            if not hit or hit["weight"] in (0.0, 1.0):
                continue
            share = hit["weight"]
            # the raw weight there: from the factor, whose 4 decimals stay precise for a tiny share (0.0021 is ±2.4 %)
            raw = w[cid] * hit["factor"] if hit.get("factor") else share * rest / (1 - share)
            past = dict(p.weights) | {c: w[c] for c in CRITERION_IDS}
            past[cid] = raw * sign
            assert _winner(p.model_copy(update={"weights": past})) != winner
            before = dict(past)
            before[cid] = raw * (2 - sign)
            assert _winner(p.model_copy(update={"weights": before})) == winner
            checked += 1
    assert checked >= 1


def test_fast_path_agrees_with_the_full_ranking() -> None:
    for profile in [Profile(), AIRGAPPED, NO_ML_STAFF, AUDIT, Profile(budget_usd_per_month=5, hardware=None)]:
        out = run_outcome(profile, CatalogView(entries()), None)
        flat = flatten(out.prepared)
        for f in (0.01, 0.3, 1.0, 7.0, 300.0):
            ranked, _ = evaluate(out.prepared, profile, out.w, requests=profile.volume.requests_per_month * f, api_factor=f, gpu_factor=1 / f)
            from whichai.decide.scoring import verdict_of

            expect = (ranked[0].model if ranked else None, verdict_of(ranked))
            pricing = Pricing.of(profile, out.w, profile.volume.requests_per_month * f, f, 1 / f)
            got = fast_top(flat, pricing, sum(out.w.values()))
            assert got == expect


def test_what_would_change_names_two_or_three_changes_that_flip_the_verdict() -> None:
    rec = recommend(AIRGAPPED, entries())
    items = rec.to_json()["what_would_change"]
    assert 1 <= len(items) <= 3
    for item in items:
        if item["flips"] == "verdict":
            assert item["verdict"] != rec.verdict
        else:
            assert item["winner"] != rec.ranked[0].model
    assert "What would change" in rec.explain("en") or "No single change" in rec.explain("en")
    # relaxing the deployment makes the closed API usable; with enough weight on ease of use it wins
    p = AIRGAPPED.model_copy(update={"team_skill": "none"})
    rec = recommend(p, entries())
    flips = [i for i in rec.to_json()["what_would_change"] if i["flips"] == "verdict"]
    assert flips and all(i["verdict"] != rec.verdict for i in flips)
    p2 = p.model_copy(update={"deployment": "cloud", "data_may_go": "anywhere"})
    assert any(i.get("change") == "deployment_cloud" for i in flips) == (recommend(p2, entries()).verdict != rec.verdict)


# --- explanation, languages -----------------------------------------------------------------------------------


def test_every_text_has_both_languages() -> None:
    for key, (en, id_) in TEXTS.items():
        assert en and id_, key
        assert set(re.findall(r"{(\w+)}", en)) == set(re.findall(r"{(\w+)}", id_)), key


def test_explanation_in_english_and_indonesian_labels_every_number() -> None:
    rec = recommend(AIRGAPPED, entries(), lang="en")
    en = rec.explain("en")
    idn = rec.explain("id")
    assert en.startswith("Verdict (provisional):") and idn.startswith("Putusan (sementara):")  # nothing measured
    assert "[profile]" in en and "[estimate]" in en
    assert "[profil]" in idn and "[perkiraan]" in idn
    # every money figure is followed (within its item) by an origin label
    for line in en.splitlines():
        if "$" in line:
            assert re.search(r"\[(catalog|measured|profile|estimate)\]", line), line
    assert [line for line in idn.splitlines() if line] == [b["text"] for b in rec.to_json("id")["explanation"]["id"]]


def test_default_language_from_the_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "id_ID.UTF-8")
    assert default_lang() == "id"
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    assert default_lang() == "en"


def test_json_has_the_documented_keys() -> None:
    doc = recommend(Profile(), entries()).to_json()
    for key in ("verdict", "ranking", "excluded", "tco", "sensitivity", "explanation", "top_models", "what_would_change", "weights"):
        assert key in doc
    assert doc["verdict"] in ("open-source", "open-weights", "closed", "hybrid")
    for row in doc["ranking"]:
        assert set(row["criteria"]) == set(CRITERION_IDS)
        assert 0 <= row["score"] <= 1
        assert {c["origin"] for c in row["criteria"].values()} <= {"catalog", "measured", "benchmark", "profile", "estimate", "unknown"}
    assert math.isclose(sum(w["weight"] for w in doc["weights"].values()), 1.0, abs_tol=1e-3)
    assert doc["sensitivity"]["lines"]["en"] and len(doc["sensitivity"]["lines"]["id"]) == len(doc["sensitivity"]["lines"]["en"])


def test_hybrid_when_only_part_of_the_traffic_is_sensitive() -> None:
    p = Profile(data_sensitivity="regulated", data_may_go="nowhere", sensitive_share=0.3,
                hardware=OwnedHardware(ram_gb=64), rent=None, support="sla-required")
    # the SLA requirement leaves no open model, so force it off for the sensitive part via the hardware-only plan:
    p = p.model_copy(update={"support": "helpful", "team_skill": "none", "weights": {"support": 4, "ease_of_use": 4}})
    rec = recommend(p, entries())
    assert rec.hybrid is not None
    if rec.hybrid["applies"]:
        assert rec.verdict == "hybrid"
        assert {rec.hybrid["sensitive"]["openness"] == "closed", rec.hybrid["rest"]["openness"] == "closed"} == {True, False}
        assert rec.hybrid["sensitive"]["mode"] == "owned"
    assert rec.hybrid["sensitive"]["mode"] == "owned"  # sensitive data never leaves the premises
    assert rec.hybrid["rest"]["openness"] == "closed"


# --- profiles ------------------------------------------------------------------------------------------------


def test_example_profiles_load_and_cover_the_issue() -> None:
    names = set(example_profiles())
    assert {"hobbyist-laptop", "startup-no-ml", "regulated-bank", "airgapped-government", "research-lab", "high-volume-product"} <= names
    assert load_profile(None) == Profile()
    assert load_profile("research-lab").min_openness == "open-source"


def test_bad_profile_names_file_and_line(tmp_path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("name: x\nvolume:\n  requests_per_month: lots\n", encoding="utf-8")
    with pytest.raises(FileInputError) as info:
        load_profile(str(path))
    assert info.value.line == 3 and str(path) in str(info.value) and "requests_per_month" in str(info.value)
    path.write_text("name: x\ndeployment: moon\n", encoding="utf-8")
    with pytest.raises(FileInputError) as info:
        load_profile(str(path))
    assert info.value.line == 2
    path.write_text("name: x\nweights:\n  vibes: 3\n", encoding="utf-8")
    with pytest.raises(FileInputError) as info:
        load_profile(str(path))
    assert info.value.line == 2 and "vibes" in str(info.value)
    path.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(FileInputError) as info:
        load_profile(str(path))
    assert info.value.line is not None
    with pytest.raises(InputError):
        load_profile("no-such-profile")


def test_empty_profile_is_the_default() -> None:
    assert parse_profile("") == Profile()
