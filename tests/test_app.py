"""The application layer (whichai.app): what the CLI and the dashboard share."""

from __future__ import annotations

import pytest
from test_decide_data import entries
from test_document import _store_run

from whichai import app
from whichai.decide.profile import Profile
from whichai.errors import InputError


def test_answered_only_counts_scored_answers_and_drops_models_that_answered_nothing() -> None:
    from dataclasses import replace

    from whichai.measure.metrics import summarise_results

    rows = [{"case_id": f"c{i}", "status": "ok", "passed": None if i == 3 else 1, "latency_s": 0.1} for i in range(4)]
    summary = summarise_results("m", rows, cases=10)
    m = app.answered_only(summary)
    assert m is not None and m["cases"] == 3 and m["cases_in_task"] == 10 and m["pass_rate"] == 1.0
    assert m["answered"] == 4 and m["model"] == "m"
    assert app.answered_only(replace(summary, answered=0, scored=0)) is None


def test_report_of_a_stored_run_by_prefix(tmp_path) -> None:
    store = _store_run(tmp_path, answered=2)
    try:
        path = app.report(store, "run-p", fmt="md", out=tmp_path / "r.md", profile=Profile())
        text = path.read_text(encoding="utf-8")
        with pytest.raises(InputError):
            app.report(store, "nope", fmt="md", out=tmp_path / "x.md")
    finally:
        store.close()
    assert path == tmp_path / "r.md" and "run-part" in text


def test_load_needs_accepts_objects_names_files_and_suggests_names(tmp_path) -> None:
    assert app.load_needs(None) == Profile()
    assert app.load_needs(Profile(name="x")).name == "x"
    assert app.load_needs("research-lab").min_openness == "open-source"
    path = tmp_path / "mine.yaml"
    path.write_text("name: mine\nteam_skill: strong\n", encoding="utf-8")
    assert app.load_needs(str(path)).team_skill == "strong"
    with pytest.raises(InputError, match="Did you mean 'startup-no-ml'"):
        app.load_needs("startup-no-m")
    with pytest.raises(InputError) as info:
        app.load_needs("zzzzzz")
    assert "Did you mean" not in str(info.value)


def test_recommend_only_measured_needs_a_run() -> None:
    with pytest.raises(InputError, match="--only-measured needs --run"):
        app.recommend(Profile(), catalog=entries(), only_measured=True)
