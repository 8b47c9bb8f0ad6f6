"""Issue 23, finding 2, seen in the shop's trial: the questionnaire asked for the laptop's RAM, the owner
answered 16 (the default's value), the file dropped it, and the explanation then said the cost "rests on
hardware", a default nobody set. An answer equal to the default is an answer: it stays in the file and
is not listed as a default; a question the answers ended before is."""

from __future__ import annotations

import io
from pathlib import Path

from whichai.decide.profile import defaulted_fields, dump_profile, parse_profile
from whichai.decide.questionnaire import ask_profile

SHOP = Path(__file__).parent / "fixtures" / "shop"


def test_an_answer_equal_to_the_default_is_set_and_kept_in_the_file():
    answers = "shop\n\n3000\n\n\n300\nregulated\nnowhere\n\non-premises\n16\n0\n\n\n\n\nid,en\n0\n0\n\n\n\n"
    profile = ask_profile("en", io.StringIO(answers), io.StringIO())
    assert "hardware" not in defaulted_fields(profile) and "team_skill" not in defaulted_fields(profile)
    again = parse_profile(dump_profile(profile), "p.yaml")
    assert again.hardware.ram_gb == 16 and defaulted_fields(again) == defaulted_fields(profile) == ["availability"]


def test_questions_the_answers_ended_before_stay_defaults():
    profile = ask_profile("en", io.StringIO("shop\n\n3000\n"), io.StringIO())
    left = defaulted_fields(profile)
    assert "volume" not in left and {"hardware", "rent", "team_skill", "languages"} <= set(left)


def test_a_field_written_with_the_default_value_is_set():
    p = parse_profile("name: x\navailability: always_on\nteam_skill: some\n", "x.yaml")
    assert "availability" not in defaulted_fields(p) and "team_skill" not in defaulted_fields(p)
    assert "availability" in parse_profile(dump_profile(p), "x.yaml").model_fields_set


def test_the_shop_profiles_leave_no_default_the_owner_answered():
    written = parse_profile((SHOP / "questionnaire.yaml").read_text(encoding="utf-8"), "questionnaire.yaml")
    assert "hardware" not in defaulted_fields(written)
