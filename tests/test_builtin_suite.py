"""The built-in suite: big enough, a third or more in Bahasa Indonesia, and every expected answer right.

"Right" is checked two ways: each case's own scorer passes the expected answer written bare and
inside a natural sentence, and rejects a wrong answer; and the sums are recomputed here.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from whichai.tasks.loader import builtin_suite, builtin_tasks
from whichai.tasks.model import Case
from whichai.tasks.scorers import score, validate_options

SUITE = builtin_suite()
CASES = SUITE.cases


def lang(case: Case) -> str:
    langs = [t.split(":", 1)[1] for t in case.tags if t.startswith("lang:")]
    assert len(langs) == 1, f"{case.id} needs exactly one lang: tag"
    return langs[0]


def test_suite_size_languages_and_kinds():
    assert len(CASES) >= 60
    by_lang = Counter(lang(c) for c in CASES)
    assert set(by_lang) == {"en", "id"}
    assert by_lang["id"] * 3 >= len(CASES)
    names = {t.name for t in builtin_tasks()}
    assert {"sentiment", "topic", "facts", "extraction", "arithmetic", "reasoning"} <= names
    kinds = Counter(tag for c in CASES for tag in c.tags if not tag.startswith("lang:"))
    for kind in ("classification", "facts", "extraction", "arithmetic", "reasoning"):
        assert kinds[kind] >= 8, kind
    for task in builtin_tasks():  # every kind is in both languages
        assert {lang(c) for c in task.cases} == {"en", "id"}, task.name


def test_ids_are_unique_and_name_their_task_and_language():
    assert len({c.id for c in CASES}) == len(CASES)
    for task in builtin_tasks():
        for case in task.cases:
            assert case.id.startswith(f"{task.name}-{lang(case)}-"), case.id


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_case_is_valid_short_and_states_the_answer_format(case: Case):
    assert validate_options(case.scorer, case.options, case.expected) is None
    prompt = case.messages()[-1]["content"]
    assert len(prompt) < 400
    words = ("Answer with", "Reply with only") if lang(case) == "en" else ("Jawab dengan", "Balas hanya dengan")
    assert any(w in prompt for w in words), "the prompt must say the answer format"


def _number(value) -> str:
    x = float(value)
    return str(int(x)) if x.is_integer() else str(x)


def right_answers(case: Case) -> list[str]:
    """The expected answer as models write it: bare, and inside a sentence."""
    if case.scorer == "json":
        body = json.dumps(case.expected, ensure_ascii=False)
        return [body, f"Here is the JSON:\n```json\n{json.dumps(case.expected, indent=2, ensure_ascii=False)}\n```"]
    if case.scorer == "numeric":
        bare = [_number(case.expected)]
        if float(case.expected) >= 1000 and float(case.expected).is_integer():
            bare.append(f"{int(float(case.expected)):,}".replace(",", "." if lang(case) == "id" else ","))
        if "." in bare[0] and lang(case) == "id":
            bare.append(bare[0].replace(".", ","))
    elif isinstance(case.expected, list):
        bare = [str(e) for e in case.expected]
    else:
        bare = [str(case.expected)]
    lead = "The answer is" if lang(case) == "en" else "Jawabannya adalah"
    return [*bare, *(f"{lead} {b}." for b in bare), *(f"**{b}**" for b in bare)]


def wrong_answers(case: Case) -> list[str]:
    if case.scorer == "choice":
        return [str(label) for label in case.options["labels"] if str(label) != str(case.expected)]
    if case.scorer == "numeric":
        return [_number(float(case.expected) + 1), "I don't know."]
    if case.scorer == "json":
        return ["{}", json.dumps({k: "salah" for k in case.expected}), "I cannot extract that."]
    return ["I don't know.", "Saya tidak tahu."]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_scorer_accepts_the_right_answer_and_rejects_a_wrong_one(case: Case):
    for answer in right_answers(case):
        result = score(case, answer)
        assert result.passed and result.score == 1.0, (answer, result)
    for answer in wrong_answers(case):
        result = score(case, answer)
        assert not result.passed and result.score < 1.0, (answer, result)


# Every sum recomputed (the prompts say these in words).
ARITHMETIC = {
    "arithmetic-en-01": 17 + 25,
    "arithmetic-en-02": 144 / 12,
    "arithmetic-en-03": 23 * 4,
    "arithmetic-en-04": 1000 - 357,
    "arithmetic-en-05": 0.15 * 200,
    "arithmetic-en-06": 7**2,
    "arithmetic-id-01": 48 + 37,
    "arithmetic-id-02": 9 * 8,
    "arithmetic-id-03": 250 / 5,
    "arithmetic-id-04": 500 - 175,
    "arithmetic-id-05": 0.25 * 80,
    "arithmetic-id-06": 6 * 7 + 10,
    "reasoning-en-01": 3 + 5 - 2,
    "reasoning-en-05": 7 * 2,
    "reasoning-en-06": 16 * 2,
    "reasoning-id-01": 10 - 4 + 3,
    "reasoning-id-04": 60 * 3,
    "reasoning-id-05": 12 + 3,
    "reasoning-id-06": 4 * 5000,
    "reasoning-id-07": max(0.5, 0.25),
    "facts-id-02": 1945,
}


def test_every_numeric_answer_is_recomputed():
    numeric = {c.id: c for c in CASES if c.scorer == "numeric"}
    assert set(numeric) == set(ARITHMETIC)
    for case_id, value in ARITHMETIC.items():
        assert float(numeric[case_id].expected) == pytest.approx(value), case_id


def test_json_cases_expect_values_that_appear_in_the_prompt():
    for case in (c for c in CASES if c.scorer == "json"):
        prompt = case.messages()[-1]["content"]
        for key, value in case.expected.items():
            assert f'"{key}"' in prompt, (case.id, key)
            if isinstance(value, str) and "-" not in value[:5]:  # dates are reformatted by the model
                assert value in prompt, (case.id, value)


@pytest.mark.parametrize(("answer", "passed"), [("5:00 pm", True), ("5 PM", True), ("5 p.m.", True), ("17:00", True), ("5:00", True),
                                                ("2:00 pm + 3 hours = 5:00 pm", True), ("5:00 am", False), ("15:00", False), ("6:00 pm", False)])
def test_train_arrival_time_forms(answer, passed):
    case = next(c for c in CASES if c.id == "reasoning-en-07")
    assert score(case, answer).passed is passed
