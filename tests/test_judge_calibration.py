"""Issue 23, finding 6: a judge earns its vote. Before a judge's verdicts count in a run, it grades a
built-in labelled sample (English and Indonesian, half pass, half fail); its agreement is stored and shown,
and a judge below the threshold (or no better than chance) is unusable: the answers it would judge are
judge errors (unscored, the run partial), never passes. Real parts: the runner and SQLite; a scripted
OpenAI-compatible judge on loopback."""

from __future__ import annotations

from test_judge import _judged, _run, scripted_judge

from whichai.measure.judge import (
    CALIBRATION_MIN_AGREEMENT,
    calibration_cases,
    calibration_summary,
    calibrations,
    judgements,
)

ALWAYS_PASS = '{"pass": true, "score": 1.0, "reason": "looks fine"}'  # what the 135M judge did


def test_the_labelled_sample_is_balanced_and_in_both_languages():
    sample = calibration_cases("fake/judge")
    labels = [label for _, _, label in sample]
    assert labels.count(True) == labels.count(False) >= 4
    assert {c.id.split(":")[1][:2] for c, _, _ in sample} == {"en", "id"}


def test_a_judge_that_always_passes_is_no_better_than_chance():
    sample = calibration_cases("j")
    ok = {"status": "ok", "passed": 1}
    c = calibration_summary("j", [(case.id, label, ok) for case, _, label in sample])
    assert c["agreement"] == 0.5 and c["chance"] == 0.5 and not c["usable"]
    assert "unusable" in c["text"]["en"] and "tidak dapat dipakai" in c["text"]["id"]
    unreadable = {"status": "error", "error_class": "judge_unparseable"}
    c = calibration_summary("j", [(case.id, label, unreadable) for case, _, label in sample])
    assert c["agreement"] == 0 and c["unreadable"] == len(sample) and not c["usable"]
    right = calibration_summary("j", [(case.id, label, {"status": "ok", "passed": int(label)}) for case, _, label in sample])
    assert right["usable"] and right["agreement"] == 1.0 >= CALIBRATION_MIN_AGREEMENT


def test_a_good_judge_is_measured_stored_and_counted(tmp_path, fake):
    fake.scripts["judge"] = scripted_judge
    cases = [_judged("a", "alpha"), _judged("b", "beta")]
    store, outcome = _run(tmp_path, fake, cases, calibrate=True)
    sample = len(calibration_cases("fake/judge"))
    assert fake.total("judge") == sample + 2
    c = outcome.judge_calibration["fake/judge"]
    assert c["usable"] and c["agreement"] == 1.0 and c["agreed"] == sample
    assert calibrations(store, outcome.run_id)["fake/judge"]["agreement"] == 1.0
    assert all(r["passed"] == 1 for r in store.results(outcome.run_id))
    # Resume: the calibration is stored with the run and not asked again.
    _, again = _run(tmp_path, fake, cases, calibrate=True)
    assert fake.total("judge") == sample + 2 and again.judged == 0


def test_a_judge_that_always_passes_is_unusable_and_its_cases_are_not_scored(tmp_path, fake):
    fake.scripts["judge"] = lambda request: ALWAYS_PASS
    store, outcome = _run(tmp_path, fake, [_judged("a", "alpha"), _judged("b", "beta")], calibrate=True)
    c = outcome.judge_calibration["fake/judge"]
    assert not c["usable"] and c["agreement"] == 0.5
    results = store.results(outcome.run_id)
    assert all(r["passed"] is None for r in results)  # not scored, and certainly not passes
    assert outcome.judge_errors == 2
    for j in judgements(store, outcome.run_id).values():
        assert j["status"] == "error" and j["error_class"] == "judge_unusable"
        assert "unusable" in j["error_message"] and "tidak dapat dipakai" in j["error_message"]
    # Only the sample was sent to the judge; the run's answers were not.
    assert fake.total("judge") == len(calibration_cases("fake/judge"))
