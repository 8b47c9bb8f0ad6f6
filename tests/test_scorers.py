"""Scorers accept right answers in the forms models write them, and reject wrong ones."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from whichai.tasks.model import Case
from whichai.tasks.scorers import SCORERS, Score, extract_numbers, find_json, normalize, score, validate_options


def run(scorer: str, answer: str, expected, **options) -> Score:
    assert validate_options(scorer, options, expected) is None
    return score(Case(id="c", input="q", expected=expected, scorer=scorer, options=options), answer)


# --- normalisation, exact, contains ------------------------------------------------------


def test_normalize_folds_case_accents_punctuation_and_spaces():
    assert normalize("  São   Paulo!! ") == "sao paulo"
    assert normalize("JAKARTA.") == "jakarta"
    assert normalize("Jum'at") == "jum at"
    assert normalize("CO₂") == "co2"


@pytest.mark.parametrize("answer", ["Jakarta", "jakarta.", "  JAKARTA  ", "Jakarta!"])
def test_exact_passes_normalised_equal(answer):
    result = run("exact", answer, "Jakarta")
    assert result == Score(True, 1.0, 'answer equals "Jakarta"')


def test_exact_rejects_extra_words_and_accepts_any_of_a_list():
    assert not run("exact", "The capital is Jakarta", "Jakarta").passed
    assert run("exact", "Sukarno", ["Soekarno", "Sukarno"]).passed
    assert run("exact", "Sao Paulo", "São Paulo").passed


def test_contains_is_word_boundary_aware():
    assert run("contains", "The capital is Jakarta.", "Jakarta").passed
    assert not run("contains", "Jakartanese food", "Jakarta").passed
    assert not run("contains", "She is an author", "Au").passed
    assert run("contains", "Symbol: Au", "Au").passed
    assert run("contains", "It's carbon-dioxide (CO₂).", "carbon dioxide").passed


def test_contains_any_and_all():
    assert run("any_of", "Mercury is closest", ["Merkurius", "Mercury"]).passed
    result = run("contains", "red and blue", ["red", "green", "blue"], all=True)
    assert (result.passed, result.score) == (False, pytest.approx(2 / 3))
    assert 'lacks "green"' in result.reason
    assert run("contains", "green, red, blue", ["red", "green", "blue"], all=True).passed


def test_empty_answer_fails_every_scorer():
    for name in SCORERS:
        assert score(Case(id="c", input="q", expected="x", scorer=name, options={"labels": ["x", "y"]} if name == "choice" else {}), "  ") == Score(
            False, 0.0, "empty answer"
        )


# --- regex -------------------------------------------------------------------------------


def test_regex_uses_pattern_option_or_expected():
    assert run("regex", "Code: AB-123.", r"[A-Z]{2}-\d{3}").passed
    assert run("regex", "it arrives at 5 p.m.", "5:00 pm", pattern=r"\b5(:00)?\s*p\.?\s?m\b").passed
    assert not run("regex", "ab-123", r"[A-Z]{2}-\d{3}").passed
    assert run("regex", "ab-123", r"[A-Z]{2}-\d{3}", flags="i").passed
    assert not run("regex", " yes, sure ", "yes", fullmatch=True).passed
    assert run("regex", " Yes \n", "yes", fullmatch=True, flags="i").passed


# --- numeric -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("1,234.5", [1234.5]),
        ("1.234,5", [1234.5]),
        ("3,5", [3.5]),
        ("1.234.567", [1234567.0]),
        ("1,234", [1234.0, 1.234]),
        ("1.500", [1.5, 1500.0]),
        ("-3", [-3.0]),
        ("−7", [-7.0]),
        ("minus 4", [-4.0]),
        ("negatif 2", [-2.0]),
        ("Rp15.000", [15.0, 15000.0]),
        ("50%", [50.0]),
    ],
)
def test_extract_numbers_reads_english_and_indonesian_forms(text, values):
    assert extract_numbers(text) == [(text.replace("Rp", "").rstrip("%"), values)]


def test_extract_numbers_skips_hyphens_versions_and_dates():
    assert [v for _, v in extract_numbers("COVID-19 pages 10-12")] == [[19.0], [10.0], [12.0]]
    assert extract_numbers("version 1.2.3 on 12.05.2024") == []
    assert extract_numbers("It is 42.") == [("42", [42.0])]


def test_numeric_picks_the_last_number_by_default():
    assert run("numeric", "17 + 25 = 42", 42).passed
    result = run("numeric", "42, because 17 + 25", 42)
    assert not result.passed and "last number '25' = 25, expected 42" == result.reason
    assert run("numeric", "42, because 17 + 25", 42, pick="first").passed
    assert run("numeric", "maybe 41 or 42 or 43", 42, pick="any").passed
    assert not run("numeric", "no idea", 42).passed


def test_numeric_tolerance_and_separators():
    assert run("numeric", "about 3.14", 3.14159, tolerance=0.01).passed
    assert not run("numeric", "about 3.14", 3.14159).passed
    assert run("numeric", "roughly 1,010", 1000, rel_tolerance=0.02).passed
    assert run("numeric", "Harganya Rp20.000", 20000).passed
    assert run("numeric", "0,5", 0.5).passed
    assert run("numeric", "Hasilnya 1.500", 1.5, decimal="dot").passed
    assert not run("numeric", "Hasilnya 1.500", 1500, decimal="dot").passed
    assert run("numeric", "The answer is -12.", "-12").passed


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-10**9, max_value=10**9))
def test_numeric_reads_any_integer_written_with_thousands_separators(n):
    english = f"{n:,}"
    indonesian = english.replace(",", ".")
    assert run("numeric", f"The total is {english}.", n).passed
    assert run("numeric", f"Totalnya {indonesian}.", n).passed
    assert not run("numeric", f"The total is {english}.", n + 1).passed


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda x: round(x, 2)))
def test_numeric_reads_decimals_with_dot_or_comma(x):
    assert run("numeric", f"= {x:.2f}", x, tolerance=1e-6).passed
    assert run("numeric", f"= {x:.2f}".replace(".", ","), x, tolerance=1e-6).passed


# --- json --------------------------------------------------------------------------------


def test_find_json_in_fences_and_prose():
    assert find_json('```json\n{"a": 1}\n```') == {"a": 1}
    assert find_json('Sure! {"a": {"b": 2}} hope it helps {"c": 3}') == {"a": {"b": 2}}
    assert find_json("{not json} then {\"x\": true}") == {"x": True}
    assert find_json("no json [1, 2]") is None


def test_json_scores_fraction_of_checks():
    expected = {"name": "Budi Santoso", "umur": 28, "kota": "Surabaya"}
    perfect = run("json", 'Berikut: ```json\n{"nama": "x", "name": "budi santoso", "umur": "28", "kota": "Surabaya"}\n```', expected)
    assert perfect == Score(True, 1.0, "valid JSON, all 3 field checks met")
    partial = run("json", '{"name": "Budi Santoso", "umur": 29}', expected, required=["name"])
    assert not partial.passed
    assert partial.score == pytest.approx(3 / 5)  # valid + required name + name met; umur and kota not
    assert "'umur' is 29, expected 28" in partial.reason and "missing 'kota'" in partial.reason
    assert run("json", "I cannot do that", expected) == Score(False, 0.0, 'no JSON object in "I cannot do that"')


def test_json_nested_paths_numbers_and_booleans():
    assert run("json", '{"a": {"b": 1.0}, "ok": true}', {"a.b": 1, "ok": True}).passed
    assert not run("json", '{"a": {"b": 1.0}, "ok": "yes"}', {"ok": True}).passed
    assert run("json", '{"price": "Rp15.000"}', {"price": 15000}).passed
    assert run("json", '{"x": 1}', None, required=["x"]).passed


# --- choice ------------------------------------------------------------------------------

SENTIMENT = {"labels": ["positive", "negative"], "aliases": {"positive": ["positif"], "negative": ["negatif"]}}


@pytest.mark.parametrize("answer", ["positive", "Positive.", "The sentiment is positive.", "Sentimen: positif", "**POSITIVE**"])
def test_choice_accepts_label_in_free_text(answer):
    assert run("choice", answer, "positive", **SENTIMENT).passed


def test_choice_takes_the_first_label_and_explains():
    wrong = run("choice", "Negative, not positive.", "positive", **SENTIMENT)
    assert wrong == Score(False, 0.0, "first label mentioned is 'negative', expected 'positive' (also mentions positive)")
    assert not run("choice", "neutral", "positive", **SENTIMENT).passed
    assert not run("choice", "positive or negative", "positive", mode="only", **SENTIMENT).passed
    assert run("choice", "It's positive", "Positive", **SENTIMENT).passed  # expected matched case-insensitively


def test_choice_prefers_longer_labels_on_overlap():
    options = {"labels": ["not spam", "spam"]}
    assert run("choice", "This is not spam.", "not spam", **options).passed
    assert not run("choice", "This is spam.", "not spam", **options).passed


# --- validation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scorer", "options", "expected", "problem"),
    [
        ("nope", {}, "x", "unknown scorer 'nope'"),
        ("exact", {"ignore_case": True}, "x", "unknown option(s) 'ignore_case' for scorer 'exact' (allowed: none)"),
        ("contains", {}, None, "scorer 'contains' needs 'expected'"),
        ("regex", {"pattern": "(("}, None, "invalid regular expression '((': missing ), unterminated subpattern"),
        ("regex", {"pattern": "a", "flags": "iq"}, None, "unknown regex flag(s) 'q'"),
        ("numeric", {}, "forty", "scorer 'numeric' needs a number as 'expected', got 'forty'"),
        ("numeric", {"pick": "middle"}, 1, "option 'pick' must be one of: last, first, any"),
        ("numeric", {"tolerance": -1}, 1, "option 'tolerance' must be a number ≥ 0"),
        ("json", {}, None, "scorer 'json' needs 'expected' fields or options.required"),
        ("json", {}, "x", "scorer 'json' needs 'expected' to be a mapping"),
        ("choice", {}, "a", "scorer 'choice' needs options.labels"),
        ("choice", {"labels": ["a", "b"]}, "c", "'expected' must be one of the labels ['a', 'b'], got 'c'"),
        ("choice", {"labels": ["a", "b"], "aliases": {"z": ["y"]}}, "a", "alias key 'z' is not one of the labels"),
    ],
)
def test_validate_options_names_the_problem(scorer, options, expected, problem):
    found = validate_options(scorer, options, expected)
    assert found is not None and found.startswith(problem), found


def test_scores_are_json_friendly_and_bounded():
    result = run("json", json.dumps({"a": 1}), {"a": 2, "b": 3})
    assert 0.0 <= result.score <= 1.0 and isinstance(result.reason, str)
    assert result.score == pytest.approx(1 / 3)


def test_numeric_any_explains_what_it_saw():
    assert run("numeric", "41 or 43", 42, pick="any").reason == "no number within tolerance of 42 among 41, 43"


def test_unknown_scorer_at_scoring_time_is_an_input_error():
    from whichai.errors import InputError

    with pytest.raises(InputError, match="unknown scorer 'fuzzy'"):
        score(Case(id="c", input="q", expected="x", scorer="fuzzy"), "x")


def _normalize_by_category(text: str) -> str:
    """The normalisation written out per character (NFKD, marks dropped, P/S/Z/C as spaces, casefolded)."""
    import unicodedata

    kept = [" " if unicodedata.category(ch)[0] in "PSZC" else ch
            for ch in unicodedata.normalize("NFKD", text) if unicodedata.category(ch) != "Mn"]
    return " ".join("".join(kept).casefold().split())


def test_the_ascii_normalisation_is_the_per_character_one():
    import random

    from whichai.tasks.scorers import normalize, normalized_expected

    rng = random.Random(24)
    texts = [chr(c) for c in range(128)] + ["".join(chr(rng.randrange(128)) for _ in range(rng.randrange(40)))
                                             for _ in range(2000)]
    texts += ["The answer is Jakarta.", "  São\tPaulo!\n", "ÉCOLE", "ﬁne", "Straße"]
    for text in texts:
        assert normalize(text) == normalized_expected(text) == _normalize_by_category(text), repr(text)
