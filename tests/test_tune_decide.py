"""issue 18 item 4: a tune in the verdict, from a lineage fixture in a tmp WHICHAI_DATA_DIR (no training):
the tuned model's one-off tuning cost in its cost of ownership, and the customization criterion measured
only on the decision's task."""

from __future__ import annotations

import pytest

from whichai.decide.profile import OwnedHardware, Profile
from whichai.decide.recommendation import recommend

BASE = "local/smollm2-135m-instruct"
TUNED = "local/tuned:reviews"


def _measured(model: str, passed: int) -> dict:
    return {"model": model, "cases": 40, "answered": 40, "scored": 40, "passed": passed, "pass_rate": passed / 40, "errors": 0,
            "latency_p50_s": 0.4, "output_tokens_per_s": 120.0, "cost_usd": 0.0, "input_tokens_mean": 80, "output_tokens_mean": 30}


@pytest.fixture
def tuned(tmp_path, monkeypatch):
    from whichai.tune.lineage import Lineage, tune_dir

    monkeypatch.setenv("WHICHAI_DATA_DIR", str(tmp_path / "data"))
    folder = tune_dir("reviews")
    folder.mkdir(parents=True)
    (folder / "tuned.gguf").write_bytes(b"GGUF")
    Lineage(name="reviews", model_id=TUNED, base=BASE, task="reviews", task_ref="reviews", examples=40, examples_hash="x",
            hyper={"rank": 8}, device="cpu", threads=2, train_seconds=720.0, train_cpu_seconds=1400.0, energy_wh=12.6,
            energy_basis="estimate", steps=120, final_loss=0.01, created_at="2026-12-07T00:00:00+00:00",
            measured={"pass_rates": {BASE: {"passed": 9, "cases": 40, "rate": 0.225}, TUNED: {"passed": 31, "cases": 40, "rate": 0.775}},
                      "comparison": {"cases": 40, "p_value": 1e-5, "better": TUNED}}).save(folder)
    return folder


def _profile(**more) -> Profile:
    return Profile(hardware=OwnedHardware(ram_gb=16, this_machine=True), rent=None, data_may_go="nowhere", customise="must", **more)


def test_the_tuned_model_carries_its_one_off_tuning_cost(tuned):
    rec = recommend(_profile(), [], measurements=[_measured(BASE, 9), _measured(TUNED, 31)])
    rows = {r["model"]: r for r in rec.tco["models"]}
    from whichai.decide.ownership import model_row

    out = rec.outcome
    ranked = {r.model: r for r in out.ranked}
    row = model_row(ranked[TUNED], out, out.profile.volume.requests_per_month)
    tuning = next(c for c in row["components"] if c["name"] == "tuning")
    one_off = 12.6 / 1000 * _profile().hardware.electricity_usd_per_kwh
    assert tuning["params"]["one_off_usd"] == pytest.approx(one_off, abs=1e-4)
    assert tuning["params"]["train_hours"] == 0.2 and tuning["origin"] == "estimate"
    assert "0.2 h" in tuning["detail"] and "6 months" in tuning["detail"]
    base_row = model_row(ranked[BASE], out, out.profile.volume.requests_per_month)
    assert not any(c["name"] == "tuning" for c in base_row["components"])  # the base carries no tuning cost
    assert rows[TUNED]["monthly_usd"] == pytest.approx(rows[BASE]["monthly_usd"] + one_off / 6, abs=0.01)


def test_customization_measured_only_on_the_decisions_task(tuned):
    measured = [_measured(BASE, 9)]

    def custom(rec) -> dict:
        return {r["model"]: r for r in rec.to_json()["ranking"]}[BASE]["criteria"]["customization"]

    assert custom(recommend(_profile(), [], measurements=measured))["origin"] != "measured"  # no task: no tune counts
    assert custom(recommend(_profile(task="other"), [], measurements=measured))["origin"] != "measured"
    on_task = custom(recommend(_profile(task="reviews"), [], measurements=measured))
    assert on_task["origin"] == "measured" and on_task["score"] == 1.0
    assert "from 22% to 78% on 40 held-out cases" in on_task["reason"]["en"] and "menaikkan" in on_task["reason"]["id"]
    # the run's task when the profile names none
    run = {"id": "r1", "status": "complete", "task": "reviews", "cases": 40, "models": 1, "calls": 40, "answered": 40, "scored": 40, "errors": 0}
    assert custom(recommend(_profile(), [], measurements=measured, run=run))["origin"] == "measured"


def test_the_explanation_says_when_customisation_decided(tuned):
    measured = [_measured(BASE, 20), _measured("local/models/other-1b.gguf", 21)]
    without = recommend(_profile(), [], measurements=measured)
    assert without.outcome.ranked[0].model != BASE  # without the tune's evidence the other model leads
    rec = recommend(_profile(task="reviews"), [], measurements=measured)
    assert rec.outcome.ranked[0].model == BASE
    doc = rec.document()
    en = [b for b in doc.explanation.en if b.text.startswith("Customisation decided")]
    assert len(en) == 1 and "from 22% to 78% on 40 held-out cases" in en[0].text
    assert {f.origin for f in en[0].figures} == {"measured"} and {f.value for f in en[0].figures} >= {"22%", "78%", 40}
    assert any(b.text.startswith("Kustomisasi menentukan putusan") for b in doc.explanation.id)
    assert not any(b.text.startswith("Customisation decided") for b in without.document().explanation.en)
