"""Self-hosted servers in decide (issue 11 §3): a configured server that says what it serves
(``serves = "<catalog id>"``) and that the user runs it (``self_hosted = true``) is judged as the
user's own deployment of that catalog model, never as an unknown outside vendor; two measurements
of one catalog model stay two candidates; ``recommend --run`` keeps the identity stored with the run."""

from __future__ import annotations

from datetime import date

import pytest
from test_decide_data import entries

from whichai import app
from whichai.decide.constraints import build_candidates
from whichai.decide.profile import OwnedHardware, Profile
from whichai.decide.recommendation import recommend

TODAY = date(2026, 11, 25)
HERE = OwnedHardware(this_machine=True, ram_gb=32, cpu_cores=8, purchase_usd=0)


def summary(model: str, rate: float, cases: int = 20, **identity) -> dict:
    passed = round(rate * cases)
    return {"model": model, "cases": cases, "answered": cases, "scored": cases, "passed": passed, "pass_rate": passed / cases,
            "errors": 0, "latency_p50_s": 0.4, "latency_p95_s": 0.9, "ttft_p50_s": 0.05, "output_tokens_per_s": 40.0,
            "cost_usd": 0.0, **identity}


SERVER = {"serves": "meta/llama-3.1-8b-instruct", "self_hosted": True, "hardware": "this-machine"}


def candidates(profile: Profile, measurements: list[dict]):
    catalog = entries()
    index = {name.lower(): e for e in catalog for name in (e.id, *e.aliases)}
    return {c.model: c for c in build_candidates(profile, catalog, measurements, lambda m: index.get(m.lower()), today=TODAY)}


def test_a_server_that_serves_a_catalog_model_carries_its_facts_and_is_self_hosted() -> None:
    # data may go only to a zero-retention vendor: an outside API without that promise is excluded
    profile = Profile(data_may_go="zero-retention-vendor", data_sensitivity="confidential", hardware=HERE)
    cands = candidates(profile, [summary("myllama/llama-8b", 0.8, **SERVER)])
    assert "myllama/llama-8b" not in cands  # not an unknown model of its own
    cand = cands["meta/llama-3.1-8b-instruct"]
    assert cand.measurement is not None and cand.measurement["model"] == "myllama/llama-8b"
    assert cand.openness == "open-weights" and cand.entry.license == "Llama 3.1 Community"
    assert cand.self_hosted and not cand.reasons
    assert [m.kind for m in cand.modes] == ["owned", "rented"]  # the user's deployment, not the catalog's API hosts
    owned = cand.modes[0]
    assert owned.throughput_origin == "measured" and owned.hardware == "this-machine"
    assert "measured_as" in [n.code for n in cand.notes]


def test_the_recommendation_judges_the_server_as_owned_never_as_an_outside_vendor() -> None:
    profile = Profile(data_may_go="nowhere", data_sensitivity="regulated", deployment="on-premises", hardware=HERE, rent=None)
    rec = recommend(profile, entries(), measurements=[summary("myllama/llama-8b", 0.8, **SERVER)], today=TODAY)
    doc = rec.document()
    row = next(r for r in doc.ranking if r.model == "meta/llama-3.1-8b-instruct")
    assert row.measured and row.mode == "owned" and row.openness == "open-weights"
    assert row.criteria["security"].score == 1.0 and row.criteria["security"].origin == "profile"
    assert row.criteria["performance"].origin == "measured"
    assert not {"myllama/llama-8b", "meta/llama-3.1-8b-instruct"} & {e.model for e in doc.excluded}


def test_a_self_hosted_server_the_catalog_lacks_is_open_weights_on_your_hardware_not_an_api() -> None:
    profile = Profile(data_may_go="zero-retention-vendor", hardware=HERE)
    cands = candidates(profile, [summary("myserver/house-model", 0.7, self_hosted=True, hardware="this-machine")])
    cand = cands["myserver/house-model"]
    assert cand.entry is None and cand.openness == "open-weights" and cand.openness_origin == "inferred"
    assert not cand.reasons, [r.code for r in cand.reasons]  # was: api_only_no_zero_retention
    assert [m.kind for m in cand.modes] == ["owned"] and cand.modes[0].throughput_origin == "measured"
    # the same server without the flag is an outside API without a zero-retention promise
    plain = candidates(profile, [summary("myserver/house-model", 0.7)])["myserver/house-model"]
    assert [r.code for r in plain.reasons] == ["api_only_no_zero_retention"]


def test_self_hosted_is_not_believed_for_closed_weights() -> None:
    cands = candidates(Profile(hardware=HERE), [summary("gw/gpt", 0.9, serves="openai/gpt-4o-mini", self_hosted=True)])
    cand = cands["openai/gpt-4o-mini"]
    assert not cand.self_hosted and [m.kind for m in cand.modes] == ["api"]


def test_two_measurements_of_one_catalog_model_stay_two_candidates() -> None:
    embedded = summary("local/smollm2-135m-instruct", 0.25, self_hosted=True, hardware="this-machine")
    server = summary("llamacpp/smollm2", 0.5, serves="local/smollm2-135m-instruct", self_hosted=True, hardware="this-machine")
    for order in ([embedded, server], [server, embedded]):
        cands = candidates(Profile(hardware=HERE), order)
        assert cands["local/smollm2-135m-instruct"].measurement is embedded  # measured under the entry's own id
        other = cands["llamacpp/smollm2"]
        assert other.measurement is server and other.entry is cands["local/smollm2-135m-instruct"].entry
        assert [n.params for n in other.notes if n.code == "serves"] == [{"model": "local/smollm2-135m-instruct"}]
    rec = recommend(Profile(hardware=HERE), entries(), measurements=[embedded, server], today=TODAY)
    rows = {r.model: r for r in rec.document().ranking}
    assert rows["local/smollm2-135m-instruct"].measured and rows["llamacpp/smollm2"].measured
    assert rows["llamacpp/smollm2"].criteria["performance"].score > rows["local/smollm2-135m-instruct"].criteria["performance"].score


def test_recommend_from_a_stored_run_keeps_the_identity(tmp_path) -> None:
    from whichai.providers.identity import Identity, save
    from whichai.store import Store

    store = Store.open(tmp_path / "runs.db")
    try:
        rows = [(f"c{i}", {"id": f"c{i}", "input": "q", "expected": "a"}) for i in range(3)]
        store.ensure_run("run-srv", task_name="t", task_hash="h", models=["myllama/llama-8b"], settings={}, cases=rows, version="0")
        for i in range(3):
            store.save_result("run-srv", {
                "model": "myllama/llama-8b", "case_id": f"c{i}", "status": "ok", "answer": "a", "passed": 1, "score": 1.0,
                "input_tokens": 20, "output_tokens": 10, "ttft_s": 0.05, "latency_s": 0.2, "output_tokens_per_s": 50.0, "cost_usd": 0.0,
            })
        store.set_status("run-srv", "complete")
        save(store, "run-srv", {"myllama/llama-8b": Identity(**SERVER)})
        profile = Profile(data_may_go="nowhere", deployment="on-premises", hardware=HERE, rent=None)
        rec = app.recommend(profile, run_id="run-s", store=store, catalog=entries())
    finally:
        store.close()
    doc = rec.document()
    row = next(r for r in doc.ranking if r.model == "meta/llama-3.1-8b-instruct")
    assert row.measured and row.mode == "owned" and row.criteria["security"].origin == "profile"
    assert "myllama/llama-8b" not in [e.model for e in doc.excluded]


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_serves_note_has_a_text(lang: str) -> None:
    from whichai.decide.constraints import Reason
    from whichai.decide.explain import reason_text

    text = reason_text(Reason("serves", {"model": "local/x"}), lang, note=True)
    assert "local/x" in text and not text.startswith("note.")
