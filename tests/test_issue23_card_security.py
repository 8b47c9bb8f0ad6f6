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


def test_a_hosted_offers_card_carries_the_hosts_data_terms_not_the_self_hosting_rule():
    """The self-hosting rule's "prompts and outputs stay on your hardware" is a self-hosted deployment's
    data term only: a hosted offer's card (CLI and JSON) shows its host's terms, or unknown."""
    import json

    from typer.testing import CliRunner

    from whichai.cli.main import build_app

    app = build_app(["models"])
    entry = _entry(HOSTED)
    assert "stay on your hardware" in str(entry.self_hosted_terms["data_retention"].value)
    for name, fact in entry.facts.items():
        assert "stay on your hardware" not in str(fact.value), name
    assert "[Deep" in entry.facts["data_retention"].note or "deepinfra" in str(entry.facts["data_retention"].source).lower()
    doc = json.loads(CliRunner().invoke(app, ["models", HOSTED, "--json"]).stdout)
    assert "stay on your hardware" not in json.dumps(doc["facts"])
    shown = CliRunner().invoke(app, ["models", HOSTED], env={"COLUMNS": "300"}).stdout
    facts_table = shown.split("Data terms when you run the weights yourself")[0]
    assert "stay on your hardware" not in facts_table and "stay on your hardware" in shown


def test_an_open_model_with_no_known_host_terms_shows_them_unknown():
    from whichai.catalog.catalog import _split_data_terms

    rule = {"value": "none by a vendor: prompts and outputs stay on your hardware", "source": None, "note": ""}
    entry = {"id": "somehost/lab/model", "openness": "open-weights", "api_available": True,
             "offers": {"somehost/lab/model": {}}, "facts": {"data_retention": rule, "support": {"value": "community"}}}
    _split_data_terms(entry, {"somehost": {"name": "Some host"}})
    assert entry["facts"]["data_retention"]["value"] is None
    assert entry["self_hosted_terms"]["data_retention"] is rule and entry["facts"]["support"]["value"] == "community"
