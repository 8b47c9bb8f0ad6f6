"""The decide model: criterion scores from catalog facts, unknowns as unknown, lifecycle, task-fit
priors, the operations rule, this machine, measured capacity, the one fit rule."""

from __future__ import annotations

from datetime import date

import pytest

from whichai.catalog.hardware import RAM_SHARE, fit_memory, fits, memory_needed_gb
from whichai.catalog.schema import ModelEntry
from whichai.criteria import CRITERION_IDS
from whichai.decide.constraints import build_candidate, build_candidates
from whichai.decide.criteria_scores import score_entry
from whichai.decide.profile import Profile, parse_profile
from whichai.decide.scoring import derive_weights, evaluate, prepare
from whichai.decide.tco import ops_rule

TODAY = date(2026, 11, 25)
SRC = {"name": "curated", "url": "https://example.org/terms", "as_of": "2026-10-01"}


def entry(model_id: str, openness: str = "open-weights", **fields) -> ModelEntry:
    base = {"id": model_id, "name": model_id.split("/")[-1], "provider": model_id.split("/")[0], "openness": openness,
            "weights_downloadable": openness != "closed", "api_available": openness == "closed"}
    if openness == "closed":
        base["price_usd_per_mtok"] = {"input": 1.0, "output": 4.0, "as_of": "2026-07-02", "source": "test"}
    return ModelEntry.model_validate({**base, **fields})


def rank(profile: Profile, entries: list, measurements=None, capacity=None, today=TODAY):
    index = {e.id.lower(): e for e in entries}
    cands = build_candidates(profile, entries, measurements, lambda m: index.get(m.lower()), capacity=capacity, today=today)
    w = {cid: wt.raw for cid, wt in derive_weights(profile).items()}
    ranked, excluded = evaluate(prepare(cands, profile, w), profile, w)
    return ranked, {c.model: [r.code for r in reasons] for c, reasons in excluded}


# --- scores from facts; unknown is unknown -------------------------------------------------------------


def test_score_entry_gives_ten_scores_from_facts_not_from_precomputed_criteria() -> None:
    e = entry("vendor/chat-1", "closed", criteria={cid: {"score": 0.0, "reason": "stale precomputed score"} for cid in CRITERION_IDS},
              facts={"sla": {"value": "99.9%", "source": SRC}, "trains_on_api_data": {"value": False, "source": SRC},
                     "zero_retention_available": {"value": True, "source": SRC}, "certifications": {"value": ["SOC 2"], "source": SRC},
                     "fine_tuning": {"value": True, "source": SRC}})
    scores = score_entry(e, Profile(), today=TODAY)
    assert list(scores) == list(CRITERION_IDS)
    assert scores["support"].score == 0.9 and scores["support"].origin == "catalog"
    assert scores["security"].score == pytest.approx(0.8) and "trains_on_api_data=False (curated, 2026-10-01)" in scores["security"].evidence
    assert scores["customization"].score == 0.6
    assert scores["performance"].origin == "estimate"
    for s in scores.values():
        assert set(s.reason) == {"code", "params", "text"} and s.reason["text"]["en"] and s.reason["text"]["id"]
        assert "stale precomputed" not in s.reason["text"]["en"]


def test_facts_not_on_record_score_half_with_origin_unknown() -> None:
    bare_closed = score_entry(entry("vendor/mystery", "closed"), Profile(), today=TODAY)
    for cid in ("support", "customization", "security"):
        assert (bare_closed[cid].score, bare_closed[cid].origin) == (0.5, "unknown"), cid
    bare_open = score_entry(entry("lab/weights-7b", params_b=7), Profile(), today=TODAY)
    assert (bare_open["collaboration"].score, bare_open["collaboration"].origin) == (0.5, "unknown")  # licence terms unknown
    assert bare_open["support"].origin == "estimate"  # self-hosted weights: community support, said to be an estimate


def test_transparency_from_the_openness_audit() -> None:
    e = entry("lab/audited-7b", "open-source", params_b=7, openness_dimensions={"osai:weights": "open", "osai:data": "partial",
                                                                                   "osai:code": "closed", "mof:paper": "open"})
    s = score_entry(e, Profile(), today=TODAY)["transparency"]
    assert s.score == pytest.approx((1 + 0.5 + 0 + 1) / 4) and s.reason["params"] == {"open": 2, "rated": 4}


# --- lifecycle -------------------------------------------------------------------------------------


def test_retired_models_and_past_shutdowns_are_excluded_and_entries_without_lifecycle_are_fine() -> None:
    entries = [
        entry("vendor/old", "closed", lifecycle={"status": "retired", "shutdown_date": "2026-10-23"}),
        entry("vendor/gone-yesterday", "closed", lifecycle={"status": "deprecated", "shutdown_date": "2026-11-24"}),
        entry("vendor/current", "closed"),
    ]
    ranked, excluded = rank(Profile(), entries)
    assert [r.model for r in ranked] == ["vendor/current"]
    assert excluded == {"vendor/old": ["retired"], "vendor/gone-yesterday": ["retired"]}
    # the same catalog judged on an earlier day: the second one was still served
    ranked, _ = rank(Profile(), entries, today=date(2026, 11, 1))
    assert {r.model for r in ranked} == {"vendor/current", "vendor/gone-yesterday"}


def test_every_offer_retired_removes_the_api_mode() -> None:
    offer = {"price": {"input": 1, "output": 2, "as_of": "2026-07-02", "source": "host"}, "status": "retired"}
    e = entry("lab/hosted-7b", params_b=7, api_available=True, offers={"host/hosted-7b": offer},
              price_usd_per_mtok={"input": 1, "output": 2, "as_of": "2026-07-02", "source": "host"})
    cand = build_candidate(e.id, e, None, Profile(), today=TODAY)
    assert [m.kind for m in cand.modes] == ["owned", "rented"]
    assert "offers_retired" not in [r.code for r in cand.reasons]
    closed = entry("vendor/hosted", "closed", offers={"vendor/hosted": offer})
    assert [r.code for r in build_candidate(closed.id, closed, None, Profile(), today=TODAY).reasons] == ["offers_retired"]
    active = entry("vendor/hosted", "closed", offers={"vendor/hosted": {**offer, "status": "active"}})
    assert [m.kind for m in build_candidate(active.id, active, None, Profile(), today=TODAY).modes] == ["api"]


def test_a_shutdown_within_the_horizon_loses_on_updates_with_its_date() -> None:
    soon = entry("vendor/soon", "closed", lifecycle={"status": "deprecated", "shutdown_date": "2027-01-14"})
    s = score_entry(soon, Profile(horizon_months=6), today=TODAY)["updates"]
    assert s.score == 0.05 and s.reason["code"] == "why.updates_shutdown"
    assert s.reason["params"]["date"] == "2027-01-14" and "2027-01-14" in s.reason["text"]["en"] and "2027-01-14" in s.reason["text"]["id"]
    later = score_entry(soon, Profile(horizon_months=1), today=TODAY)["updates"]
    assert later.reason["code"] == "why.updates_deprecated" and 0.05 < later.score <= 0.3
    current = score_entry(entry("vendor/current", "closed"), Profile(), today=TODAY)["updates"]
    assert current.score == 0.6


# --- priors that fit the task ----------------------------------------------------------------------------


def test_code_and_base_models_do_not_lead_a_chat_task_but_a_code_model_leads_a_code_task() -> None:
    entries = [
        entry("lab/helper-32b-instruct", params_b=32, task_fit=["chat"]),
        entry("lab/big-coder-70b", params_b=70, task_fit=["code"]),
        entry("lab/big-70b-base", params_b=70),  # base read from the name (estimate)
        entry("lab/chatty-coder-70b", params_b=70, task_fit=["chat", "code"]),  # a code specialist that can chat
    ]
    hw = {"ram_gb": 256, "gpus": [{"name": "H100", "memory_gb": 80, "count": 2}]}
    ranked, _ = rank(Profile(hardware=hw, rent=None), entries)
    assert ranked[0].model == "lab/helper-32b-instruct"
    perf = {r.model: r.option.criteria["performance"] for r in ranked}
    assert perf["lab/big-70b-base"].origin == "estimate" and "task_fit=base (estimate)" in " ".join(perf["lab/big-70b-base"].evidence)
    ranked, _ = rank(Profile(hardware=hw, rent=None, task_kind="code"), entries)
    assert ranked[0].model == "lab/big-coder-70b"


def test_profile_and_task_languages_scale_the_prior() -> None:
    entries = [entry("lab/korean-14b", params_b=14, task_fit=["chat"], languages=["ko"]),
               entry("lab/bilingual-8b", params_b=8, task_fit=["chat"], languages=["en", "id"])]
    hw = {"ram_gb": 64}
    ranked, _ = rank(Profile(hardware=hw, rent=None, languages=["en", "id"]), entries)
    assert ranked[0].model == "lab/bilingual-8b"
    # the task's cases are Indonesian (a measured model's by_lang): an English-only profile still needs id
    entries = [entry("lab/english-14b", params_b=14, task_fit=["chat"], languages=["en"]),
               entry("lab/bilingual-8b", params_b=8, task_fit=["chat"], languages=["en", "id"])]
    other = {"model": "vendor/x", "cases": 4, "answered": 4, "pass_rate": 0.5, "by_lang": {"id": {"pass_rate": 0.5}}}
    ranked, _ = rank(Profile(hardware=hw, rent=None, languages=["en"]), entries, measurements=[other])
    order = [r.model for r in ranked if r.model.startswith("lab/")]
    assert order[0] == "lab/bilingual-8b"
    english = next(r for r in ranked if r.model == "lab/english-14b").option.criteria["performance"]
    assert english.reason["code"] == "why.prior_size_fit" and english.reason["params"]["langs"] == "×0.75"


# --- operations, this machine, capacity --------------------------------------------------------------------


def test_operations_rule_scales_with_model_size_and_hardware() -> None:
    p = Profile(team_skill="some", hardware={"ram_gb": 16, "purchase_usd": 0})
    usd, hours, origin, params = ops_rule(p, 0.135, "owned")
    assert origin == "estimate" and hours == pytest.approx(16 * 0.1 * 0.5) and usd == pytest.approx(hours * 60)
    assert params["settings"] == ["ops_hours_per_month", "ops_hourly_rate_usd"]
    assert ops_rule(p, 70, "owned")[1] == pytest.approx(8.0)
    assert ops_rule(p.model_copy(update={"hardware": p.hardware.model_copy(update={"purchase_usd": 5000})}), 70, "owned")[1] == 16
    assert ops_rule(p, 70, "rented", gpus=3)[1] == pytest.approx(16 * 1.5)
    stated = parse_profile("ops_hours_per_month: 3\nops_hourly_usd: 40\n")
    assert ops_rule(stated, 70, "owned")[:3] == (120, 3, "profile")


def test_local_throughput_measured_here_costs_only_on_this_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    import whichai.catalog.hardware as hardware

    monkeypatch.setattr(hardware, "this_machine", lambda: {"ram_gb": 31.0, "cpu_cores": 12})
    here = parse_profile("hardware: this-machine\nrent: null\n")
    assert here.hardware.this_machine and here.hardware.ram_gb == 31.0 and here.hardware.cpu_cores == 12
    e = entry("local/smollm2-135m-instruct", "open-source", params_b=0.135)
    m = {"model": e.id, "cases": 10, "answered": 10, "pass_rate": 0.3, "output_tokens_per_s": 150.0, "ttft_p50_s": 0.04}
    mode = build_candidate(e.id, e, m, here, today=TODAY).modes[0]
    assert mode.throughput_origin == "measured" and "this machine" in mode.throughput_detail
    laptop = Profile(hardware={"ram_gb": 16}, rent=None)
    mode = build_candidate(e.id, e, m, laptop, today=TODAY).modes[0]
    assert mode.throughput_origin == "estimate" and "not on the hardware your profile describes" in mode.throughput_detail


def test_measured_capacity_replaces_the_estimate_and_hours_per_month_caps_it() -> None:
    e = entry("lab/model-8b", params_b=8)
    p = Profile(hardware={"name": "office-gpu", "ram_gb": 64, "gpus": [{"name": "RTX 4090", "memory_gb": 24}], "hours_per_month": 100},
                rent=None, volume={"requests_per_month": 10_000, "input_tokens_per_request": 500, "output_tokens_per_request": 250})
    cap = [{"model": "lab/model-8b", "tokens_per_s": 100.0, "hardware": "office-gpu", "source": "whichai load"}]
    mode = build_candidate(e.id, e, None, p, today=TODAY, capacity=cap).modes[0]
    assert mode.throughput_origin == "measured" and mode.tokens_per_s == 100.0 and "office-gpu" in mode.throughput_detail
    assert mode.seconds_per_request == pytest.approx(750 / 100)
    assert mode.capacity_requests == pytest.approx(100 * 3600 / 7.5, rel=1e-6)  # 48,000 requests in 100 h
    ranked, excluded = rank(p.model_copy(update={"volume": p.volume.model_copy(update={"requests_per_month": 60_000})}), [e], capacity=cap)
    assert excluded == {"lab/model-8b": ["capacity"]}


# --- one fit rule --------------------------------------------------------------------------------------


def test_one_fit_rule_with_one_ram_share() -> None:
    need = memory_needed_gb(8)
    assert fit_memory(need, ram_gb=need / RAM_SHARE + 0.01).where == "cpu"
    assert fit_memory(need, ram_gb=need / RAM_SHARE - 0.01).where is None
    assert fit_memory(need, ram_gb=1, gpu_gb=need).where == "gpu"
    ok, _ = fits(8, ram_gb=need / RAM_SHARE - 0.01)
    assert not ok  # the catalog's --fits-ram uses the same share as decide
    e = entry("lab/model-8b", params_b=8)
    cand = build_candidate(e.id, e, None, Profile(hardware={"ram_gb": need / RAM_SHARE - 0.01}, rent=None), today=TODAY)
    assert [r.code for r in cand.reasons] == ["does_not_fit"]


def test_operations_cost_that_decides_the_verdict_is_named_with_the_settings_to_change() -> None:
    from whichai.decide.scoring import operations_decide

    entries = [entry("lab/assistant-8b-instruct", "open-source", params_b=8, task_fit=["chat"], license_restricts_use=False),
               entry("vendor/chat-mini", "closed")]
    profile = Profile(team_skill="none", budget_usd_per_month=150, data_sensitivity="confidential", hardware={"ram_gb": 32}, rent=None)
    index = {e.id: e for e in entries}
    cands = build_candidates(profile, entries, None, index.get, today=TODAY)
    w = {cid: wt.raw for cid, wt in derive_weights(profile).items()}
    prepared = prepare(cands, profile, w)
    ranked, excluded = evaluate(prepared, profile, w)
    assert [r.model for r in ranked] == ["vendor/chat-mini"]
    assert [r.code for c, reasons in excluded for r in reasons] == ["over_budget"]  # priced out by operations
    found = operations_decide(prepared, ranked, profile, w)
    assert found is not None and found.code == "operations_decide"
    hours = 40 * (8 / 70) ** 0.5 * 0.5  # the rule: team none, 8 B, a machine already owned
    assert found.params["model"] == "lab/assistant-8b-instruct" and found.params["over_budget"] is True
    assert found.params["hours"] == pytest.approx(hours, abs=0.01) and found.params["ops_usd"] == pytest.approx(hours * 60, abs=0.6)
    assert found.params["settings"] == ["ops_hours_per_month", "ops_hourly_rate_usd"]
    # no operations time (stated in the profile): the open model ranks first and operations decide nothing
    cheap = profile.model_copy(update={"ops_hours_per_month": 0.0})
    cands = build_candidates(cheap, entries, None, index.get, today=TODAY)
    prepared = prepare(cands, cheap, w)
    ranked, _ = evaluate(prepared, cheap, w)
    assert ranked[0].model == "lab/assistant-8b-instruct" and operations_decide(prepared, ranked, cheap, w) is None


def test_a_thinking_model_is_costed_with_its_reasoning_tokens() -> None:
    from whichai.decide.task_fit import THINKING_OUTPUT_FACTOR

    price = {"input": 1.0, "output": 4.0, "as_of": "2026-07-02", "source": "test"}
    plain = entry("lab/helper-70b-instruct", params_b=70, api_available=True, price_usd_per_mtok=price, task_fit=["chat"])
    thinker = entry("lab/helper-70b-r1", params_b=70, api_available=True, price_usd_per_mtok=price, task_fit=["chat", "reasoning"])
    p = Profile(rent=None, hardware=None)
    vol = p.volume
    api = {e.id: build_candidate(e.id, e, None, p, today=TODAY).modes[0] for e in (plain, thinker)}
    per_request = (vol.input_tokens_per_request * 1.0 + vol.output_tokens_per_request * 4.0) / 1e6
    assert api[plain.id].monthly(vol.requests_per_month) == pytest.approx(per_request * vol.requests_per_month)
    thinking = (vol.input_tokens_per_request * 1.0 + vol.output_tokens_per_request * THINKING_OUTPUT_FACTOR * 4.0) / 1e6
    assert api[thinker.id].monthly(vol.requests_per_month) == pytest.approx(thinking * vol.requests_per_month)
    assert api[thinker.id].cost_origin == "estimate" and "thinking model" in api[thinker.id].components[0].detail
    # measured on the task: its measured cost stands, no factor
    measured = {"model": thinker.id, "cases": 5, "answered": 5, "pass_rate": 0.6, "cost_usd": 0.01}
    assert build_candidate(thinker.id, thinker, measured, p, today=TODAY).modes[0].output_factor == 1.0


def test_cost_parts_and_throughput_say_how_they_were_computed_in_both_languages() -> None:
    e = entry("lab/model-8b", params_b=8)
    p = Profile(hardware={"ram_gb": 64, "purchase_usd": 1500.5, "power_watts": 90}, rent=None)
    mode = build_candidate(e.id, e, None, p, today=TODAY).modes[0]
    parts = {c.name: c for c in mode.components}
    assert parts["amortisation"].text == {"en": "$1,500.5 over 36 months", "id": "$1.500,5 selama 36 bulan"}
    assert parts["power"].text["id"].startswith("90 W (profil) ×") and "(perkiraan)" in parts["power"].text["id"]
    assert parts["operations"].text["en"] == parts["operations"].detail and "jam" in parts["operations"].text["id"]
    assert mode.throughput_text["en"] == mode.throughput_detail and "diperkirakan" in mode.throughput_text["id"]


def test_an_open_model_one_host_serves_is_scored_on_that_hosts_data_terms() -> None:
    """The API of an open model is its host's: when exactly one host serves it and the catalog has that
    host's curated terms, security comes from them (with their sources); several hosts: an estimate."""
    from whichai.catalog import load_catalog
    from whichai.decide.constraints import build_candidate
    from whichai.decide.criteria_scores import api_security

    catalog = load_catalog()
    single = next(e for e in catalog.raw if e.get("api_host"))
    host_terms = catalog.provider_info(single["api_host"])["terms"]
    cand = build_candidate(single["id"], catalog.get(single["id"]), None, Profile())
    found = api_security(cand)
    assert found.origin == "catalog" and found.params == {"host": single["api_host"]}
    trains = host_terms.get("trains_on_api_data")
    if trains is not None and trains["value"] is not None:
        assert f"API host {single['api_host']}: trains_on_api_data={trains['value']} (curated, {trains['source']['as_of']})" in found.evidence
    assert 0.2 <= found.score <= 0.8
    several = next(e for e in catalog.raw if e.get("openness") != "closed" and e.get("api_available")
                   and len({k.split("/")[0] for k in e.get("offers") or {}}) > 1)
    assert "api_host" not in several
    other = api_security(build_candidate(several["id"], catalog.get(several["id"]), None, Profile()))
    assert (other.score, other.origin) == (0.4, "estimate")
