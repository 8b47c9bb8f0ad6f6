"""Issue 23, finding 2: a default nobody set must not silently decide, and rented GPUs are billed as
providers bill them (whole hours; all month for a service that must always answer)."""

from __future__ import annotations

import json

from whichai.decide.profile import Profile, defaulted_fields, parse_profile
from whichai.decide.questionnaire import ask_profile
from whichai.decide.tco import BUSINESS_HOURS_PER_MONTH, HOURS_PER_MONTH, billed_gpu_hours, rentable_for


def test_rented_gpus_are_billed_by_the_hour_and_all_month_when_always_on():
    assert billed_gpu_hours(0.3, always_on=False) == 1.0  # one begun hour, not 18 minutes
    assert billed_gpu_hours(2.01, always_on=False) == 3.0
    assert billed_gpu_hours(0.3, always_on=True) == HOURS_PER_MONTH
    assert billed_gpu_hours(5.0, always_on=False, min_hours=BUSINESS_HOURS_PER_MONTH) == BUSINESS_HOURS_PER_MONTH


def test_a_profile_without_availability_is_always_on_and_says_so():
    p = parse_profile("name: shop\nvolume: {requests_per_month: 3000}\n", "shop.yaml")
    assert p.availability == "always_on"
    left = defaulted_fields(p)
    assert "rent" in left and "availability" in left and "volume" not in left


def test_a_small_model_is_not_costed_on_an_h100_unless_the_profile_says_so():
    p = Profile()
    assert "L4" in rentable_for(0.5, p.rent).gpu  # a 135M model
    assert "H100" in rentable_for(60, p.rent).gpu
    own = parse_profile("name: x\nrent: {gpu: A100 80GB, memory_gb: 80, usd_per_hour: 1.9}\n", "x.yaml")
    assert rentable_for(0.5, own.rent).gpu == "A100 80GB"


def test_tco_of_a_135m_model_rents_a_small_gpu_billed_all_month(cli):
    result = cli("tco", "smollm2-135m-instruct", "openai/gpt-4o-mini", "--mode-a", "rented", "--json", timeout=60)
    assert result.returncode == 0, result.stderr
    row = json.loads(result.stdout)["models"][0]
    rent = next(c for c in row["components"] if c["name"] == "gpu_rent")
    assert "H100" not in rent["detail"] and "not in your profile" in rent["detail"]
    assert rent["usd"] >= 0.8 * HOURS_PER_MONTH - 1e-6  # an always-on service, not billed by the minute


def test_profile_show_and_the_questionnaire_list_the_defaults(cli, tmp_path):
    (tmp_path / "p.yaml").write_text("name: shop\nlanguages: [en, id]\n", encoding="utf-8")
    shown = cli("profile", "show", str(tmp_path / "p.yaml"), timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert "# " in shown.stdout and "availability" in shown.stdout.split("#", 1)[1] and "rent" in shown.stdout.split("#", 1)[1]
    data = json.loads(cli("profile", "show", str(tmp_path / "p.yaml"), "--json", timeout=60).stdout)
    assert "rent" in data["defaulted"] and "languages" not in data["defaulted"]
    import io

    err = io.StringIO()
    ask_profile("en", io.StringIO(""), err)
    assert "Left to their defaults" in err.getvalue() and "availability" in err.getvalue()


def test_the_indonesian_questionnaires_error_is_indonesian():
    import io

    import pytest

    from whichai.errors import InputError

    with pytest.raises(InputError) as info:
        ask_profile("id", io.StringIO("toko\n\nbanyak\n"), io.StringIO())
    message = str(info.value)
    assert "masukkan angka" in message and "enter a number" not in message and "Fix:" in message


def test_the_verdict_names_the_default_it_rests_on():
    from whichai.catalog import load_catalog
    from whichai.decide.recommendation import recommend

    p = parse_profile("name: x\nmin_openness: open-weights\ndata_may_go: anywhere\nhardware: null\n", "x.yaml")
    document = recommend(p, load_catalog()).document().to_json()
    assert document["ranking"][0]["mode"] == "api", document["ranking"][0]  # its cost rests on the default volume
    assert "rests on volume" in json.dumps(document["explanation"], ensure_ascii=False)
    assert "nilai bawaan yang tidak diatur" in json.dumps(document["explanation"], ensure_ascii=False)


def test_the_printed_profile_show_command_names_the_users_profile():
    """`whichai profile show` alone shows the default profile, not the user's: the printed command
    carries the profile (a built-in's name, else the user's file), in every language."""
    import re

    from whichai.catalog import load_catalog
    from whichai.decide.recommendation import recommend

    p = parse_profile("name: x\nmin_openness: open-weights\ndata_may_go: anywhere\nhardware: null\n", "x.yaml")
    text = json.dumps(recommend(p, load_catalog()).document().to_json()["explanation"], ensure_ascii=False)
    assert "`whichai profile show YOUR_PROFILE.yaml`" in text and "`whichai profile show PROFIL_ANDA.yaml`" in text
    assert not re.search(r"whichai profile show`", text), text
