"""The catalog against a second, independent audit sample (tests/data/audit_sample_2.yaml), compared
by tools/audit_catalog.py with the same limits as the first (tests/test_catalog_audit.py): at most
``LIMITS[kind]`` wrong values per kind (about 1 in 90). A fact the catalog leaves unknown is a gap,
not a wrong value.

The sample holds 40 entries drawn with seed 2027 among the entries no curated block touched (at
commit 9fba21f) and 25 prominent models a user looks up first (GPT-5 / GPT-4.1 / GPT-4o / o-series,
Claude, Gemini, Llama, Mistral Large, Qwen, DeepSeek, Gemma, Phi, OLMo, Falcon, SmolLM2, Granite).
Before the rules of this audit it found 7 wrong of 177 checked facts (params_b 3 / 37, context_length
1 / 44, lifecycle 3 / 13); each was fixed by a rule or a vendor notice (docs/catalog.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import audit_catalog  # noqa: E402

from whichai.catalog import load_catalog  # noqa: E402

SAMPLE_PATH = ROOT / "tests" / "data" / "audit_sample_2.yaml"
SAMPLE = audit_catalog.load_sample(SAMPLE_PATH)
DAY = str(SAMPLE["day"])

LIMITS = {"openness": 1, "license": 1, "params_b": 1, "context_length": 1, "lifecycle": 1}

# every kind meets the bar after the rules of the second audit; add a kind here with the reason if a
# rebuild regresses it
XFAIL: dict[str, str] = {}


@pytest.fixture(scope="module")
def result():
    return audit_catalog.audit(load_catalog(), SAMPLE, DAY)


def test_sample_is_well_formed():
    entries = SAMPLE["entries"]
    ids = [e["id"] for e in entries]
    assert len(set(ids)) == len(ids)
    drawn = [e for e in entries if e.get("group") == "drawn"]
    assert len(drawn) == 40 and {e.get("group") for e in entries} == {"drawn", "prominent"}
    for e in entries:
        if not e["facts"]:
            assert e.get("note"), f"{e['id']}: say why no fact was recorded"
        for kind, fact in e["facts"].items():
            assert kind in audit_catalog.KINDS, (e["id"], kind)
            assert fact.get("url"), (e["id"], kind)
            assert str(fact.get("read")) == "2026-12-07", (e["id"], kind)
            assert fact.get("how", "read") in ("read", "card"), (e["id"], kind)
            if fact["value"] == audit_catalog.UNKNOWN:
                assert fact.get("note"), f"{e['id']} {kind}: say what was searched"
    checked = sum(1 for e in entries for f in e["facts"].values() if f["value"] != audit_catalog.UNKNOWN)
    assert checked >= 150


def test_drawn_group_is_the_seeded_draw():
    """The drawn group is the tool's seed-2027 draw, in order (the rule in the YAML header); entries the
    rules of this audit curated since have left the eligible pool, so the draw is compared as recorded."""
    drawn = [e["id"] for e in SAMPLE["entries"] if e.get("group") == "drawn"]
    assert drawn[:3] == ["amazon/nova-pro-v1", "nous-research/hermes-4-405b", "alibaba/qwen3.6-flash"]
    assert drawn[-1] == "ibm/granite-20b-code-instruct-r1.1"


def test_sampled_entries_still_resolve(result):
    assert result["missing"] == []


@pytest.mark.parametrize(
    "kind",
    [pytest.param(k, marks=pytest.mark.xfail(reason=XFAIL[k], strict=False)) if k in XFAIL else k for k in audit_catalog.KINDS],
)
def test_wrong_facts_per_kind(result, kind):
    wrong = [w for w in result["wrong_list"] if w["kind"] == kind]
    detail = "\n".join(f"{w['id']}: catalog {w['catalog']!r}, truth {w['truth']!r} ({w['url']})" for w in wrong)
    assert result["checked"][kind] > 0
    assert len(wrong) <= LIMITS[kind], f"{len(wrong)} wrong {kind} of {result['checked'][kind]} checked:\n{detail}"


def test_nominal_sizes_rule_applies_to_every_copy():
    """A name's size is a label: every Gemma "2B" / "7B", Gemma 2 "2B" and Qwen3-VL "8B" entry whose count
    came only from its name takes the documented count (curation.apply_nominal_sizes), whichever source
    the entry came from; a counted size from a card is never replaced."""
    cat = load_catalog()
    for rid, want in (("google/gemma-2b", 2.51), ("google/codegemma-2b", 2.51), ("google/gemma-7b", 8.54),
                      ("google-ai/codegemma-1.1-7b-it", 8.54), ("google/gemma-2-2b-it", 2.61),
                      ("google-ai/gemma-2-2b-jpn-it", 2.61), ("alibaba/qwen3-vl-8b-thinking", 8.77)):
        e = cat.find_raw(rid)
        assert e is not None and e["params_b"] == want, (rid, e and e["params_b"])
        assert e["field_sources"]["params_b"]["name"] == "curated"
    assert cat.find_raw("google/gemma-2-9b-it")["params_b"] == 9  # a curated card value stays
    assert cat.find_raw("google/recurrentgemma-2b")["params_b"] == 2.0  # no documented count curated: the name's


def test_mistral_notices_retire_the_dated_names_only():
    """The 2026 Mistral retirements cover the dated API names they quote, not the undated aliases."""
    cat = load_catalog()
    for rid in ("mistral/devstral-2512", "mistral/mistral-large-2411", "mistral/devstral-medium-2507"):
        assert audit_catalog.status_on(cat.find_raw(rid), DAY) == "retired", rid
    assert audit_catalog.status_on(cat.find_raw("mistral/devstral-2512"), "2026-07-29") == "deprecated"
    assert audit_catalog.status_on(cat.find_raw("mistral/mistral-large-latest"), DAY) == "active"
