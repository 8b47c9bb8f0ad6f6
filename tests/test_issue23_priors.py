"""Issue 23, finding 3: a model whose languages are unknown does not count as covering Bahasa Indonesia."""

from __future__ import annotations

from test_decide_model import entry, rank

from whichai.decide.criteria_scores import language_factor
from whichai.decide.profile import Profile


def test_unknown_languages_score_as_unknown_between_known_coverage_and_known_gap():
    assert language_factor([], ["en", "id"]) == 0.875
    assert language_factor(["en", "id"], ["en", "id"]) == 1.0
    assert language_factor(["en"], ["en", "id"]) == 0.75
    assert language_factor([], ["en"]) is None  # English alone: nearly every model has it


def test_a_model_of_unknown_languages_ranks_below_one_known_to_speak_indonesian():
    entries = [entry("lab/unknown-langs-8b", params_b=8, task_fit=["chat"]),
               entry("lab/indonesian-8b", params_b=8, task_fit=["chat"], languages=["en", "id"])]
    ranked, _ = rank(Profile(hardware={"ram_gb": 64}, rent=None, languages=["en", "id"]), entries)
    assert [r.model for r in ranked] == ["lab/indonesian-8b", "lab/unknown-langs-8b"]
    unknown = ranked[1].option.criteria["performance"]
    assert unknown.reason["params"]["langs"] == "×0.88"
    assert any("languages=unknown" in line for line in unknown.evidence)
