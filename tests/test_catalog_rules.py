"""Issue 16's rules over the shipped catalog: three-valued openness, lifecycle evaluated when read,
every vendor notice curated as a whole, one entry per model across hosts, conflicts kept."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from whichai.catalog import load_catalog
from whichai.catalog.licenses import is_open
from whichai.catalog.lifecycle import CURATED, evaluate, read_notices

NOTICES = yaml.safe_load(Path(CURATED).read_text(encoding="utf-8"))["notices"]
# (vendor, shutdown date) -> how many model ids / dated snapshots and undated aliases the notice names
NOTICE_COUNTS = {
    ("openai", "2026-07-23"): (18, 3), ("openai", "2026-08-10"): (2, 0), ("openai", "2026-10-23"): (13, 8),
    ("openai", "2026-12-11"): (6, 6), ("openai", "2027-01-14"): (5, 4),
    ("anthropic", "2025-10-22"): (3, 0), ("anthropic", "2026-01-05"): (2, 0), ("anthropic", "2026-02-19"): (2, 0),
    ("anthropic", "None"): (2, 0), ("anthropic", "2026-04-20"): (2, 0), ("anthropic", "2026-06-15"): (4, 0),
    ("anthropic", "2026-08-05"): (2, 0), ("anthropic", "2026-11-30"): (2, 0), ("anthropic", "2027-01-22"): (1, 1), ("anthropic", "2025-07-21"): (4, 0),
    ("anthropic", "2024-11-06"): (8, 0), ("gemini", "2026-06-17"): (2, 0), ("gemini", "2026-03-09"): (1, 0),
    ("gemini", "2027-05-07"): (1, 0), ("gemini", "2025-12-02"): (3, 0), ("gemini", "2025-12-09"): (2, 0),
    ("gemini", "2026-06-01"): (4, 0), ("gemini", "2026-06-25"): (2, 0),
    # the second audit (tests/data/audit_sample_2.yaml): Mistral's 2026 retirements, AI21's Jurassic models
    ("mistral", "2026-07-30"): (1, 0), ("mistral", "2026-05-31"): (2, 0), ("ai21-labs", "None"): (2, 0), ("ai21", "2024-11-14"): (1, 0),
}


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


@pytest.mark.parametrize("notice", NOTICES, ids=lambda n: f"{n['vendor']}-{n.get('shutdown_date')}")
def test_each_notice_is_curated_whole_and_applies_to_what_it_names(notice, cat):
    key = (notice["vendor"], str(notice.get("shutdown_date")))
    assert (len(notice["models"]), len(notice.get("aliases", []))) == NOTICE_COUNTS[key]
    for model in [*notice["models"], *notice.get("aliases", [])]:
        run_id = model if "/" in model else f"{notice['vendor']}/{model}"
        raw = cat.find_raw(run_id)
        if raw is None:  # named by the notice but served by no upstream file and no snapshot of a listed model
            continue
        offer = next((o for k, o in raw["offers"].items() if k.lower() == run_id.lower()), None)
        when = str(notice["shutdown_date"]) if notice.get("shutdown_date") else None
        assert (offer or raw["lifecycle"])["shutdown_date"] == when, run_id


def test_openais_2027_01_14_notice_names_every_gpt_4o_and_gpt_4_1_snapshot(cat):
    notice = read_notices()
    snapshots = ("gpt-4o-2024-08-06", "gpt-4o-2024-11-20", "gpt-4o-mini-2024-07-18", "gpt-4.1-2025-04-14", "gpt-4.1-mini-2025-04-14")
    named = [k for k, n in notice.items() if k.startswith("openai/") and n["shutdown_date"] == "2027-01-14"]
    assert sorted(named) == sorted(f"openai/{m}" for m in (*snapshots, "gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini"))
    for model in snapshots:  # each snapshot resolves (an entry of its own or an offer of its model) and carries the date
        raw = cat.find_raw(f"openai/{model}")
        offer = next((o for k, o in raw["offers"].items() if k.lower() == f"openai/{model}"), None)
        assert (offer or raw["lifecycle"])["shutdown_date"] == "2027-01-14", model
        late = copy.deepcopy(raw)
        evaluate(late, "2027-01-14")
        assert (late["offers"].get(f"openai/{model}") or late["lifecycle"])["status"] == "retired", model


def test_a_notice_on_dated_snapshots_does_not_retire_the_undated_alias(cat):
    # the 2026-04-22 notice names gpt-4o-search-preview-2025-03-11 alone (no alias on its row)
    search = cat.find_raw("openai/gpt-4o-search-preview")
    assert cat.find_raw("openai/gpt-4o-search-preview-2025-03-11") is search  # the snapshot is an offer of the model
    assert search["offers"]["openai/gpt-4o-search-preview-2025-03-11"]["status"] == "retired"  # shut down 2026-07-23
    assert search["lifecycle"]["status"] == "active" and "openai/gpt-4o-search-preview" not in read_notices()
    assert read_notices()["openai/gpt-4"]["shutdown_date"] == "2026-10-23"  # an alias the notice lists is covered


def test_a_notice_naming_the_alias_applies_to_the_alias_and_an_older_reading_is_a_conflict(cat):
    # the newest version of OpenAI's page lists "gpt-5, gpt-5-2025-08-07" on the Dec 11 row: alias and snapshot
    gpt5 = cat.find_raw("openai/gpt-5")
    assert cat.find_raw("openai/gpt-5-2025-08-07") is gpt5  # the snapshot is an offer of the model
    assert gpt5["lifecycle"]["status"] == "deprecated" and gpt5["lifecycle"]["shutdown_date"] == "2026-12-11"
    late = copy.deepcopy(gpt5)
    evaluate(late, "2026-12-11")
    assert late["offers"]["openai/gpt-5-2025-08-07"]["status"] == late["offers"]["openai/gpt-5"]["status"] == "retired"
    assert late["lifecycle"]["status"] == "retired"
    # an older reading (the snapshots only, the aliases kept) is kept as a value; the vendor's newest page is shown
    conflict = gpt5["conflicts"]["shutdown_date"]
    assert conflict["shown"] == "2026-12-11" and {v["value"] for v in conflict["values"]} == {"2026-12-11", "none announced"}
    # the 2026-10-23 notice, curated whole: the 2024 GPT-4o snapshot and o1-pro are retired on the pinned day
    for model in ("openai/gpt-4o-2024-05-13", "openai/o1-pro", "openai/o4-mini", "openai/gpt-4.1-nano"):
        assert cat.get(model).lifecycle.status == "retired", model


@pytest.mark.parametrize("day", ["2026-01-01", "2026-07-01", "2026-12-07", "2027-02-01", "2028-01-01"])
def test_nothing_past_its_shutdown_date_is_listed_available(cat, day):
    for raw in cat.raw:
        e = copy.deepcopy(raw)
        lc = evaluate(e, day)
        if lc.get("shutdown_date") and lc["shutdown_date"] <= day:
            assert lc["status"] == "retired", (day, e["id"])
        for run_id, o in e["offers"].items():
            if o.get("shutdown_date") and o["shutdown_date"] <= day:
                assert o["status"] == "retired", (day, run_id)


def test_status_is_one_function_on_read_and_deprecated_without_date_is_flagged(cat):
    assert cat.get("openai/gpt-4").lifecycle.status == "retired"  # shut down 2026-10-23; pinned day 2026-12-07
    assert cat.get("openai/gpt-4o").lifecycle.status == "deprecated"  # shuts down 2027-01-14
    undated = [e for e in cat.raw if e["lifecycle"]["status"] == "deprecated" and not e["lifecycle"].get("shutdown_date")]
    assert undated and all(e["lifecycle"]["date_unknown"] for e in undated)


def test_openness_three_valued_and_never_closed_with_an_open_licence(cat):
    classes = {e["openness"] for e in cat.raw}
    assert classes == {"open-source", "open-weights", "closed", "unknown"}
    assert not [e["id"] for e in cat.raw if e["openness"] == "closed" and is_open(e.get("license"))]
    for e in cat.raw:
        if e["openness"] == "closed":  # closed only with positive evidence
            assert e["weights_downloadable"] is False, e["id"]
        if e["openness"] == "unknown":
            assert e["weights_downloadable"] is None and "unknown" in e["openness_reason"]


@pytest.mark.parametrize("suite", ["pythia", "olmo-"])
def test_every_checkpoint_of_a_suite_gets_one_class(cat, suite):
    members = [e for e in cat.raw if e["id"].split("/")[-1].startswith(suite) and e["id"].split("/")[0] in ("eleutherai", "allen-institute-for-ai")]
    assert len(members) >= 2
    assert len({e["openness"] for e in members}) == 1, {e["id"]: e["openness"] for e in members}


def test_host_and_aggregator_ids_resolve_to_the_labs_entry(cat):
    v31 = cat.get("baseten/deepseek-ai/DeepSeek-V3.1")
    assert v31.id.startswith("deepseek/") and "baseten/deepseek-ai/DeepSeek-V3.1" in v31.offers
    assert cat.get("lmstudio/qwen/qwen3-coder-30b").id.startswith("alibaba/")
    hosted = ("openrouter/", "ollama-cloud/", "baseten/", "lmstudio/")
    assert not [e["id"] for e in cat.raw if e["id"].startswith(hosted) and e.get("lab") and e["id"].count("/") > 1]


@pytest.mark.parametrize("ids", [
    ("nvidia/nemo-megatron-20b", "nvidia/nemo-megatron-gpt-20b"),  # GPT names the architecture
    ("amazon-bedrock/mistral.ministral-3-8b-instruct", "openrouter/mistralai/ministral-8b-2512"),  # release tag
    ("meta/llama-4-scout-17b-instruct", "openrouter/meta-llama/llama-4-scout"),  # the lab's only size
    ("openrouter/nousresearch/hermes-4-70b", "nous-research/hermes-4-70b"),  # lab spellings; a fine-tune is no base
    ("cohere/command-a-reasoning-08-2025", "cohere-ai/command-a-reasoning"),
])
def test_one_entry_per_model_across_hosts_sources_and_lab_spellings(cat, ids):
    assert len({id(cat.find_raw(i)) for i in ids}) == 1 and cat.find_raw(ids[0]) is not None, ids


def test_normalised_names_never_collide(cat):
    from whichai.catalog.checks import name_collisions

    assert name_collisions(cat.raw) == []
    assert cat.get("cohere/command-r-08-2024") is not cat.get("cohere/command-r-plus-08-2024")  # R+ is not R
    assert cat.get("mistral/magistral-small") is not cat.get("nvidia/mistralai/magistral-small-2506")  # 'latest' is no version


@pytest.mark.parametrize("run_id", ["gemini/gemini-2.5-pro", "gemini/gemini-2.5-flash"])
def test_a_shutdown_date_other_sources_report_differently_is_a_conflict_the_vendors_page_shown(cat, run_id):
    raw = cat.find_raw(run_id)
    assert raw["lifecycle"]["shutdown_date"] == "2026-06-17"  # Google's deprecations page, read 2026-12-07
    conflict = raw["conflicts"]["shutdown_date"]
    assert conflict["shown"] == "2026-06-17"
    assert {v["value"] for v in conflict["values"]} == {"2026-06-17", "2026-10-16", "2026-10-20", "2026-12-01"}
    assert raw["lifecycle"]["status"] == "retired"  # on the pinned 2026-12-07, whichever date holds


def test_every_sources_value_is_kept_and_conflicts_are_shown(cat):
    neo = cat.find_raw("eleutherai/gpt-neo-2.7b")
    assert neo["license"] == "MIT" and {v["value"] for v in neo["conflicts"]["license"]["values"]} == {"MIT", "Apache-2.0"}
    assert cat.get("eleutherai/gpt-neo-2.7b").conflicts["license"]["shown"] == "MIT"


def _same_fact(a, b) -> bool:
    return float(a) == float(b) if isinstance(a, (int, float)) and isinstance(b, (int, float)) else a == b


def test_entries_naming_one_hugging_face_repository_agree_on_the_facts_of_the_weights(cat):
    """The rule, over the whole shipped catalog: entries that name the same repository (an API alias, a dated
    snapshot, a faster tier, a host's copy) agree on licence and size wherever both have one, and one that
    lacks a fact its sibling has is either given it or named in an issue; none is closed while its sibling's
    weights are downloadable unless an issue says why."""
    groups: dict[str, list[dict]] = {}
    for e in cat.raw:
        if e.get("hf_repo"):
            groups.setdefault(e["hf_repo"].lower(), []).append(e)
    named = " ".join(f"{i['item']} {i['detail']}" for i in cat.issues if i["kind"] == "conflict")
    shared = [g for g in groups.values() if len(g) > 1]
    assert len(shared) >= 10
    for members in shared:
        for field in ("license", "params_b", "active_params_b"):
            values = [(m["id"], m.get(field)) for m in members if m.get(field) is not None]
            for (_, v), (_, w) in zip(values, values[1:]):
                assert _same_fact(v, w) or members[0]["hf_repo"].lower() in named, (field, values)
            if values:
                bare = [m for m in members if m.get(field) is None]
                assert all(m["id"] in named for m in bare), (field, [m["id"] for m in bare])
        if any(m["weights_downloadable"] for m in members):
            assert all(m["openness"] != "closed" or m["id"] in named for m in members), [(m["id"], m["openness"]) for m in members]


def test_a_sibling_of_the_same_weights_gives_its_licence_and_size_with_its_source(cat):
    large = cat.find_raw("mistral/mistral-large-2512")  # Mistral's dated API snapshot of Mistral Large 3; its "latest" alias has the licence
    assert large["license"] == "Apache-2.0" and large["openness"] == "open-weights" and large["commercial_use"] is True
    assert "same weights as" in large["field_sources"]["license"]["note"] and large["field_sources"]["license"]["url"].startswith("https://")
    assert "mistralai/mistral-large-3-675b-instruct-2512" in large["openness_dimensions"]["license_open"]
    assert cat.find_raw("minimax/MiniMax-M2.5-highspeed")["license"] == cat.find_raw("minimax/MiniMax-M2.5")["license"] == "Modified MIT"
    small = cat.find_raw("mistral/mistral-small-2506")  # one entry with OpenRouter's copy now: its licence and size
    assert small["license"] == "Apache-2.0" and small["params_b"] == 24
    # models.dev's alias file names Medium 3.5's repository, yet says the alias serves closed weights: nothing shared, an issue
    latest = cat.find_raw("mistral/mistral-medium-latest")
    assert latest["openness"] == "closed" and latest["license"] is None
    assert any(i["item"] == "mistral/mistral-medium-latest" and i["kind"] == "conflict" for i in cat.issues)


def test_share_repo_facts_fills_gaps_never_overwrites_and_reports_disagreement():
    from whichai.catalog.curation import share_repo_facts
    from whichai.catalog.openness import Evidence
    from whichai.catalog.upstream import new_entry, set_field, src

    def entry(eid, **facts):
        e = new_entry(id=eid, name=eid.split("/")[1].title(), provider="Lab")
        e["_ev"] = Evidence()
        for k, v in facts.items():
            set_field(e, k, v, src("models.dev", "2026-07-02", note=eid))
        e["_ev"].license = facts.get("license")
        return e

    entries = {e["id"]: e for e in (entry("lab/a", hf_repo="lab/w", license="MIT"), entry("lab/a-fast", hf_repo="lab/w", params_b=7),
                                    entry("lab/b", hf_repo="lab/v", license="MIT"), entry("lab/b-2", hf_repo="lab/v", license="Apache-2.0"),
                                    entry("lab/c", hf_repo="lab/u"))}
    issues: list = []
    share_repo_facts(entries, issues)
    assert (entries["lab/a-fast"]["license"], entries["lab/a"]["params_b"]) == ("MIT", 7)
    assert entries["lab/a-fast"]["_ev"].license == "MIT" and "same weights as A" in entries["lab/a-fast"]["_ev"].license_src
    assert (entries["lab/b"]["license"], entries["lab/b-2"]["license"]) == ("MIT", "Apache-2.0")  # never overwritten
    assert [i["item"] for i in issues] == ["lab/v"] and "license differs" in issues[0]["detail"]
    assert entries["lab/c"]["license"] is None  # alone: nothing to share


@pytest.mark.parametrize(("copy", "entry"), [
    ("ollama-cloud/deepseek-v3.1:671b", "deepseek/deepseek-v3.1"),  # Ollama Cloud's copy, named with its size
    ("deepseek/deepseek-v3.1-671b", "deepseek/deepseek-v3.1"),  # the id it had as an entry of its own still resolves
    ("openrouter/mistralai/mistral-small-3.2-24b-instruct", "mistral/mistral-small-2506"),
    ("mistral/mistral-small-3.2-24b-instruct", "mistral/mistral-small-2506"),
])
def test_host_copies_naming_one_repository_and_one_model_are_one_entry(cat, copy, entry):
    assert cat.get(copy) is not None and cat.get(copy).id == entry
    assert any("same model (https://huggingface.co/" in link["how"] for link in cat.find_raw(entry)["links"])


def test_no_two_entries_are_one_model_of_one_repository(cat):
    from whichai.catalog.curation import SIZE_LABEL
    from whichai.catalog.naming import model_key

    seen: dict[tuple[str, str], str] = {}
    for e in cat.raw:
        if e.get("hf_repo"):
            key = (e["hf_repo"].lower(), model_key(None, SIZE_LABEL.sub("", e["name"]), True))
            assert key not in seen, (seen.get(key), e["id"])
            seen[key] = e["id"]
    # other entries of one repository are other offerings (an API alias, a faster tier), kept apart
    assert cat.get("mistral/mistral-large-latest").id != cat.get("mistral/mistral-large-2512").id
    assert cat.get("minimax/MiniMax-M2.5-highspeed").id != cat.get("minimax/MiniMax-M2.5").id


def test_merge_repo_copies_keeps_the_labs_entry_and_the_others_ids():
    from whichai.catalog.curation import merge_repo_copies
    from whichai.catalog.openness import Evidence
    from whichai.catalog.upstream import new_entry

    def entry(eid, name, lab_file=False):
        e = new_entry(id=eid, name=name, provider="Lab", lab="lab")
        e.update(_ev=Evidence(), _links=[], hf_repo="lab/w-7b", offers={eid: {}})
        e["_lab_file"] = lab_file
        return e

    entries = {e["id"]: e for e in (entry("openrouter/lab/w-7b", "W 7B"), entry("lab/w", "W", lab_file=True), entry("lab/w-fast", "W Fast"))}
    merge_repo_copies(entries)
    assert sorted(entries) == ["lab/w", "lab/w-fast"]  # the faster tier is another offering
    assert {"openrouter/lab/w-7b", "lab/w-7b"} <= set(entries["lab/w"]["aliases"]) and "openrouter/lab/w-7b" in entries["lab/w"]["offers"]


def test_a_size_in_the_repository_name_is_read_where_no_source_gives_one(cat):
    large = cat.find_raw("mistral/mistral-large-2512")  # mistralai/Mistral-Large-3-675B-Instruct-2512
    assert large["params_b"] == 675 and large["field_sources"]["params_b"]["note"].startswith("size in the repository name")
    assert cat.find_raw("mistral/mistral-small-2603")["params_b"] == 119  # Mistral Small 4 119B
    assert cat.find_raw("mistral/mistral-medium-latest")["params_b"] is None  # its own lab says closed: its repository is in doubt
    assert cat.find_raw("mistral/mistral-small-2506")["params_b"] == 24  # a card's count is kept, not the repository name's


def test_sizes_from_repo_names_never_overwrite_and_skip_closed_weights():
    from whichai.catalog.curation import sizes_from_repo_names
    from whichai.catalog.openness import Evidence
    from whichai.catalog.upstream import new_entry

    def entry(eid, repo, params=None, weights=None):
        e = new_entry(id=eid, name=eid, provider="Lab")
        e.update(_ev=Evidence(weights=weights), hf_repo=repo, params_b=params)
        return e

    entries = {"a": entry("lab/a", "lab/a-30b-a3b"), "b": entry("lab/b", "lab/b-7b", params=6.9), "c": entry("lab/c", "lab/c-70b", weights=False)}
    sizes_from_repo_names(entries)
    assert (entries["a"]["params_b"], entries["a"]["active_params_b"]) == (30, 3)
    assert entries["b"]["params_b"] == 6.9 and entries["c"]["params_b"] is None
