"""Measured performance is honest about its sample (docs/method.md §3): the pass rate over n cases
is combined with the prior as if the prior were PRIOR_CASES cases, so one lucky case does not put a
135M model first among hundreds, and many cases leave the measured rate."""

from __future__ import annotations

import types
from datetime import date

import pytest

from whichai.catalog import load_catalog
from whichai.decide.catalog_view import CatalogView
from whichai.decide.constraints import build_candidate
from whichai.decide.criteria_scores import PRIOR_CASES, performance, performance_prior
from whichai.decide.profile import Profile
from whichai.decide.recommendation import recommend

TODAY = date(2026, 11, 25)
SMOL = "local/smollm2-135m-instruct"


def run(n: int, passed: int, **more) -> dict:
    return {"model": SMOL, "cases": n, "answered": n, "scored": n, "passed": passed, "pass_rate": passed / n, "errors": 0, **more}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def _row(catalog, measurement: dict):
    doc = recommend(Profile(), catalog, measurements=[measurement], today=TODAY).document()
    return next(r for r in doc.ranking if r.model == SMOL), len(doc.ranking)


def test_one_lucky_case_does_not_put_a_135m_model_first(catalog) -> None:
    row, ranked = _row(catalog, run(1, 1))
    assert ranked > 600
    assert row.rank > 50, row.rank  # was #1: a 1-of-1 pass counted as performance 1.0
    perf = row.criteria["performance"]
    assert perf.origin == "measured" and perf.score < 0.3
    assert "1 of 1" in perf.reason.en and "1 dari 1" in perf.reason.id


def test_the_measured_score_moves_from_the_prior_to_the_rate_as_cases_grow(catalog) -> None:
    entry = CatalogView(catalog).resolve(SMOL)
    profile = Profile()
    prior = performance_prior(build_candidate(SMOL, entry, None, profile, today=TODAY), profile).score
    scores = []
    for n in (1, 3, 13, 50, 200):
        cand = build_candidate(SMOL, entry, run(n, n), profile, today=TODAY)
        s = performance(cand, profile)
        assert s.score == pytest.approx((n + PRIOR_CASES * prior) / (n + PRIOR_CASES))
        assert s.params["n"] == n and s.params["k"] == PRIOR_CASES
        scores.append(s.score)
    assert scores == sorted(scores) and scores[0] < 0.3 and scores[-1] > 0.97
    # all failed: the score falls from the prior toward 0, never below it by more than the data say
    failed = performance(build_candidate(SMOL, entry, run(20, 0), profile, today=TODAY), profile).score
    assert failed == pytest.approx(PRIOR_CASES * prior / 25)


def test_a_rate_without_a_case_count_counts_as_one_case(catalog) -> None:
    entry = CatalogView(catalog).resolve(SMOL)
    bare = build_candidate(SMOL, entry, {"model": SMOL, "pass_rate": 1.0}, Profile(), today=TODAY)
    s = performance(bare, Profile())
    assert s.params["n"] == 1 and "not on record" in s.evidence[0]


@pytest.mark.parametrize("lang,word", [("en", "of"), ("id", "dari")])
def test_the_reason_states_n_and_the_prior_in_both_languages(catalog, lang: str, word: str) -> None:
    row, _ = _row(catalog, run(13, 4))
    text = getattr(row.criteria["performance"].reason, lang)
    assert f"4 {word} 13" in text and str(PRIOR_CASES) in text
    if lang == "id":
        assert "0," in text  # the prior in the Indonesian number format


def test_a_run_summary_as_decide_is_given_it_has_the_measurement_type() -> None:
    """app.answered_only hands decide a summary's JSON as a ``Measurement``: every key it writes is
    declared there, with the declared type."""
    from whichai.app import answered_only
    from whichai.decide.measurement import Measurement
    from whichai.measure.metrics import Consistency, LangRate, ModelSummary

    summary = ModelSummary(
        model="ollama/llama3.1:8b", cases=12, answered=10, scored=9, passed=6.5, pass_rate=6.5 / 9, pass_rate_ci95=(0.4, 0.9),
        errors=2, judge_errors=1, missing=0, partial=True, latency_p50_s=0.8, latency_p95_s=1.9, ttft_p50_s=0.2,
        output_tokens_per_s=41.0, input_tokens_mean=120.0, output_tokens_mean=80.5, tokens_counted=True, cost_usd=None,
        cost_per_1000_cases_usd=None, price_source=None, by_lang={"id": LangRate(5, 5, 3, 0.6, (0.2, 0.9))},
        consistency=Consistency(9, 7, 7 / 9, 3), judged=True, judge_cost_usd=0.01,
        identity={"self_hosted": True, "hardware": "rtx-4090", "serves": "meta/llama-3.1-8b", "params_b": 8.0},
    )
    m = answered_only(summary)
    assert m is not None and m["cases"] == 9 and m["cases_in_task"] == 12
    assert _conforms(m, Measurement), m


def _conforms(value: object, kind: object) -> bool:
    """``value`` has the type ``kind`` (a TypedDict, a union, list[X], dict[str, X] or a plain class; no
    int for a float, no bool for an int), a key not declared in a TypedDict failing it."""
    import typing

    if typing.is_typeddict(kind):
        hints = typing.get_type_hints(kind)
        return isinstance(value, dict) and set(value) <= set(hints) and all(_conforms(v, hints[k]) for k, v in value.items())
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        return any(_conforms(value, a) for a in args)
    if origin is list:
        return isinstance(value, list) and all(_conforms(v, args[0]) for v in value)
    if origin is dict:
        return isinstance(value, dict) and all(isinstance(k, str) and _conforms(v, args[1]) for k, v in value.items())
    if kind is type(None):
        return value is None
    return type(value) is kind
