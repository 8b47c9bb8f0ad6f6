"""Issue 23, finding 9: a hosted API's model card said the prompts stay on your hardware. The security
reason follows the mode the card is scored in: a hosted offer scored as self-hosted (its weights run on
your hardware) says so and that its API would send the prompts out; a hosted offer scored through its API
never says the data stays on your premises."""

from __future__ import annotations

from datetime import date

from whichai.catalog import load_catalog
from whichai.decide.criteria_scores import score_entry
from whichai.decide.i18n import TEXTS
from whichai.decide.profile import load_profile

TODAY = date(2026, 12, 7)
HOSTED = "deepinfra/openai/gpt-oss-20b"


def _entry(model_id: str):
    return load_catalog().get(model_id)


def test_a_hosted_offer_scored_self_hosted_names_its_api_as_the_way_out():
    security = score_entry(_entry(HOSTED), load_profile("regulated-bank"), today=TODAY)["security"]
    assert security.note == "why.security_owned_not_api", security
    en, id_ = TEXTS[security.note]
    assert "{api}" in en and "{api}" in id_


def test_a_hosted_offer_scored_through_its_api_never_says_the_data_stays():
    security = score_entry(_entry(HOSTED), load_profile("research-lab"), today=TODAY)["security"]
    assert security.note != "why.security_owned"
    assert "stays on your premises" not in TEXTS[security.note][0]


def test_the_embedded_model_keeps_the_plain_owned_reason():
    security = score_entry(_entry("local/smollm2-135m-instruct"), load_profile("regulated-bank"), today=TODAY)["security"]
    assert security.note == "why.security_owned"
