"""The decision document (whichai.decision/1): it validates, every figure has a true origin, the
evidence level says how much was measured, partial runs say so, the JSON is deterministic, and
what the terminal shows is the document (compared with the document's own values)."""

from __future__ import annotations

import dataclasses
import io
import json
import random
import re
import types
import typing
from datetime import date

import pytest
from pydantic import BaseModel
from rich.console import Console
from test_decide_data import entries, raw_catalog

from whichai import app
from whichai.cli.decision_view import render
from whichai.criteria import CRITERION_IDS
from whichai.decide import document, document_json, recommend
from whichai.decide.catalog_view import RawEntry
from whichai.decide.criteria_scores import PRIOR_CASES
from whichai.decide.document import ORIGINS, SCHEMA, Decision
from whichai.decide.profile import OwnedHardware, Profile
from whichai.errors import InputError


def measurement(model: str, rate: float, cases: int = 20) -> dict:
    passed = round(rate * cases)
    return {"model": model, "cases": cases, "answered": cases, "scored": cases, "passed": passed, "pass_rate": passed / cases,
            "pass_rate_ci95": [0.0, 1.0], "errors": 0, "latency_p50_s": 0.5, "latency_p95_s": 1.0, "ttft_p50_s": 0.1,
            "output_tokens_per_s": 50.0, "cost_usd": 0.01}


def terminal(doc: Decision, lang: str = "en", width: int = 200) -> str:
    buffer = io.StringIO()
    render(doc, Console(file=buffer, width=width, color_system=None, highlight=False), lang, top=50)
    return buffer.getvalue()


def squash(text: str) -> str:
    """Text without the box drawing and line breaks of a rich panel, for "is this sentence shown"."""
    return re.sub(r"\s+", " ", re.sub(r"[│╭╮╰╯─┃┏┓┗┛━┡┩╇┳┻╋┣┫└┘┌┐├┤┼┬┴]", " ", text)).strip()


# --- the document validates and says where every number came from --------------------------------------


def _all_texts(obj):
    if isinstance(obj, dict):
        if set(obj) == {"en", "id"} and all(isinstance(v, str) for v in obj.values()):
            yield obj
        for value in obj.values():
            yield from _all_texts(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from _all_texts(value)


@pytest.mark.parametrize("profile", [Profile(), Profile(data_may_go="nowhere", hardware=OwnedHardware(ram_gb=64), rent=None),
                                     Profile(support="sla-required", team_skill="none")])
def test_document_validates_and_every_origin_is_allowed(profile: Profile) -> None:
    rec = recommend(profile, entries(), measurements=[measurement("openai/gpt-4o-mini", 0.8)])
    data = rec.to_json()
    assert data["schema"] == SCHEMA
    again = Decision.model_validate(data)  # the JSON is the typed document, field for field
    assert again.model_dump(mode="json") == data
    for row in data["ranking"]:
        assert set(row["criteria"]) == set(CRITERION_IDS)
        assert {c["origin"] for c in row["criteria"].values()} <= set(ORIGINS)
        assert row["monthly_origin"] in ORIGINS
        if row["detailed"]:
            assert all(c["reason"]["en"] and c["reason"]["id"] for c in row["criteria"].values())
    for lang in ("en", "id"):
        for block in data["explanation"][lang]:
            assert block["text"]
            assert all(f["origin"] in ORIGINS for f in block["figures"])
    for model in data["tco"]["models"]:
        assert model["origin"] in ORIGINS and all(c["origin"] in ORIGINS for c in model["components"])
    for pair in _all_texts(data):  # every text a person reads is in both languages
        assert pair["en"].strip() and pair["id"].strip(), pair
    for x in data["excluded"]:
        assert x["reasons"] and all(r["code"] and r["text"]["en"] and r["text"]["id"] for r in x["reasons"])


def test_measured_performance_is_labelled_measured_and_priors_are_not() -> None:
    rec = recommend(Profile(), entries(), measurements=[measurement("openai/gpt-4o-mini", 0.85)])
    rows = {r["model"]: r for r in rec.to_json()["ranking"]}
    perf = rows["openai/gpt-4o-mini"]["criteria"]["performance"]
    prior = {r["model"]: r for r in recommend(Profile(), entries()).to_json()["ranking"]}["openai/gpt-4o-mini"]["criteria"]["performance"]
    expected = (0.85 * 20 + PRIOR_CASES * prior["score"]) / (20 + PRIOR_CASES)  # 20 cases, the prior as PRIOR_CASES
    assert perf["origin"] == "measured" and perf["score"] == pytest.approx(expected, abs=1e-4)
    for model, row in rows.items():
        if model != "openai/gpt-4o-mini":
            assert row["criteria"]["performance"]["origin"] != "measured"
            assert row["measured"] is False


def test_json_is_deterministic_also_with_the_catalog_shuffled() -> None:
    profile = Profile(data_sensitivity="confidential", sensitive_share=0.4, data_may_go="nowhere")
    day = date(2026, 11, 25)  # the one clock reading (lifecycles, catalog age), pinned
    first = json.dumps(recommend(profile, entries(), today=day).to_json(), sort_keys=True)
    assert json.dumps(recommend(profile, entries(), today=day).to_json(), sort_keys=True) == first
    shuffled = entries()
    random.Random(7).shuffle(shuffled)
    assert json.dumps(recommend(profile, shuffled, today=day).to_json(), sort_keys=True) == first
    cat = raw_catalog({"openai/gpt-4o-mini": {"sources": [{"name": "curated", "url": "https://example.org", "as_of": "2026-07-01"}]}})
    age = recommend(profile, cat, today=day).document().catalog_age
    assert (age.oldest_as_of, age.age_days, age.source) == ("2026-07-01", (day - date(2026, 7, 1)).days, "entries")
    assert recommend(profile, cat, today=date(2027, 11, 25)).document().catalog_age.age_days == age.age_days + 365


# --- evidence (issue 11) --------------------------------------------------------------------------------


def test_nothing_measured_is_a_prior_and_the_terminal_says_provisional() -> None:
    doc = recommend(Profile(), entries()).document()
    ev = doc.evidence
    assert ev.level == "prior" and ev.measured == 0 and not ev.top_measured
    assert ev.next_to_measure and ev.next_to_measure[0] == doc.ranking[0].model
    shown = terminal(doc)
    assert "PROVISIONAL" in shown
    assert doc.explanation.en[0].text.startswith("Verdict (provisional)")
    flat = squash(shown)
    assert squash(ev.text.en) in flat  # what to measure next, as the document says it
    for model in ev.next_to_measure:
        assert model in flat
    idn = squash(terminal(doc, "id"))
    assert "SEMENTARA" in idn and squash(ev.text.id) in idn


def test_top_and_best_of_the_other_side_measured_is_measured() -> None:
    base = recommend(Profile(), entries()).document()
    top = base.ranking[0]
    other = next(r for r in base.ranking if r.side not in (top.side, "unknown"))
    runs = [measurement(top.model, 0.9), measurement(other.model, 0.6)]
    doc = recommend(Profile(), entries(), measurements=runs).document()
    ev = doc.evidence
    measured_models = {r.model for r in doc.ranking if r.measured}
    assert ev.top_model in measured_models and ev.other_side_model in measured_models
    assert ev.level == "measured" and ev.next_to_measure == []
    assert not doc.explanation.en[0].text.startswith("Verdict (provisional)")
    assert "PROVISIONAL" not in terminal(doc)


def test_only_some_measured_is_partial_and_names_what_is_missing() -> None:
    base = recommend(Profile(), entries()).document()
    last = base.ranking[-1].model  # measure a model that stays low in the ranking
    doc = recommend(Profile(), entries(), measurements=[measurement(last, 0.05)]).document()
    ev = doc.evidence
    assert ev.level == "partial" and ev.measured == 1
    assert doc.ranking[0].model in ev.next_to_measure
    assert doc.ranking[0].model not in {r.model for r in doc.ranking if r.measured}
    assert "PROVISIONAL" in terminal(doc)


# --- partial runs feed decide their answered cases only -------------------------------------------------


def _store_run(tmp_path, answered: int, cases: int = 4):
    from whichai.store import Store

    store = Store.open(tmp_path / "runs.db")
    rows = [(f"c{i}", {"id": f"c{i}", "input": "q", "expected": "a"}) for i in range(cases)]
    store.ensure_run("run-part", task_name="t", task_hash="h", models=["local/smollm2-135m-instruct"], settings={}, cases=rows, version="0")
    for i in range(answered):
        store.save_result("run-part", {
            "model": "local/smollm2-135m-instruct", "case_id": f"c{i}", "status": "ok", "answer": "a", "passed": 1, "score": 1.0,
            "input_tokens": 20, "output_tokens": 10, "ttft_s": 0.05, "latency_s": 0.2, "output_tokens_per_s": 50.0, "cost_usd": 0.0,
        })
    store.set_status("run-part", "interrupted")
    return store


def test_an_interrupted_run_uses_answered_cases_and_says_so(tmp_path) -> None:
    store = _store_run(tmp_path, answered=2)
    try:
        rec = app.recommend(Profile(), run_id="run-p", store=store, catalog=entries(), only_measured=True)
    finally:
        store.close()
    doc = rec.document()
    assert doc.run is not None and doc.run.partial and doc.run.status == "interrupted"
    assert (doc.run.answered, doc.run.calls) == (2, 4)
    row = doc.ranking[0]
    # 2 of 2 answered cases passed: the unanswered ones are not failures of the model (n = 2, not 4)
    assert row.model == "local/smollm2-135m-instruct" and row.criteria["performance"].reason.en.startswith("measured on your task: 2 of 2")
    assert row.criteria["performance"].origin == "measured"
    caveats = [b.text for b in doc.explanation.en if b.kind == "caveat"]
    assert doc.run.text.en in caveats and "partial" in doc.run.text.en
    assert doc.run.text.id in [b.text for b in doc.explanation.id]
    assert squash(doc.run.text.en) in squash(terminal(doc))


def test_an_unknown_run_and_an_unknown_profile_are_bad_input(tmp_path) -> None:
    store = _store_run(tmp_path, answered=1)
    try:
        with pytest.raises(InputError):
            app.recommend(Profile(), run_id="nope", store=store, catalog=entries())
    finally:
        store.close()
    with pytest.raises(InputError, match="Did you mean 'regulated-bank'"):
        app.load_needs("regulatd-bank")


# --- the terminal shows the document -------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "id"])
def test_terminal_shows_exactly_the_documents_texts(lang: str) -> None:
    profile = Profile(data_may_go="nowhere", hardware=OwnedHardware(ram_gb=64), rent=None, budget_usd_per_month=500)
    doc = recommend(profile, entries(), measurements=[measurement("local/smollm2-135m-instruct", 0.3)]).document()
    flat = squash(terminal(doc, lang))
    for block in doc.explanation.blocks(lang):
        assert squash(block.text) in flat, block.text
    assert squash(doc.verdict_text.get(lang)) in flat
    for row in doc.ranking:
        assert row.model in flat
    for w in doc.weights.values():
        assert squash(w.reason.get(lang)) in flat


def test_markup_in_names_is_printed_as_text() -> None:
    odd = "myserver/[providers.NAME]-[bold]x[/bold]"
    doc = recommend(Profile(), entries(), measurements=[measurement(odd, 0.7)]).document()
    assert odd in {r.model for r in doc.ranking}
    shown = terminal(doc, width=250)
    assert "[providers.NAME]-[bold]x[/bold]" in shown


def test_no_dangling_criteria_header() -> None:
    profiles = [Profile(), Profile(team_skill="none"), Profile(support="sla-required"), Profile(min_openness="open-source"),
                Profile(data_may_go="nowhere", hardware=OwnedHardware(ram_gb=8), rent=None)]
    for profile in profiles:
        for lang in ("en", "id"):
            blocks = recommend(profile, entries()).document().explanation.blocks(lang)
            for i, block in enumerate(blocks):
                if block.text.endswith(":"):
                    assert i + 1 < len(blocks) and blocks[i + 1].kind == block.kind, block.text


def test_operations_that_decide_the_verdict_are_said_and_true() -> None:
    hw = OwnedHardware(ram_gb=64, purchase_usd=0)
    base = Profile(data_may_go="zero-retention-vendor", data_sensitivity="confidential", hardware=hw, rent=None, team_skill="strong",
                   ops_hours_per_month=0.0, budget_usd_per_month=500)
    free = recommend(base, entries()).document()
    assert free.ranking[0].side == "open"  # with no operations cost, the machine the user has wins
    assert not [b for b in free.explanation.en if b.kind == "operations"]
    costly = recommend(base.model_copy(update={"ops_hours_per_month": 40.0}), entries()).document()
    assert costly.ranking[0].side == "closed"  # 40 h a month of operations ($2,400) puts the open models over the budget
    ops_blocks = [b for b in costly.explanation.en if b.kind == "operations"]
    assert ops_blocks, [b.text for b in costly.explanation.en]
    figure = ops_blocks[0].figures[0]
    model = figure.name.rsplit(".", 1)[0]
    # the model it names is over the budget because of that cost: excluded, with its monthly cost
    over = next(r for e in costly.excluded if e.model == model for r in e.reasons if r.code == "over_budget")
    without_ops = next(m.monthly_usd for m in free.tco.models if m.model == model)
    assert figure.value == pytest.approx(40.0 * base.ops_hourly_rate_usd) and figure.origin == "profile"
    assert over.params["cost"] == pytest.approx(without_ops + figure.value, abs=0.01)
    assert [b for b in costly.explanation.id if b.kind == "operations"]
    assert squash(ops_blocks[0].text) in squash(terminal(costly))


# --- reading the catalog document -----------------------------------------------------------------------


def test_raw_entries_answer_declared_fields_only_and_carry_the_lifecycle() -> None:
    cat = raw_catalog({"openai/gpt-4o-mini": {"lifecycle": {"status": "deprecated", "shutdown_date": "2027-01-31", "source": None}}})
    entry = RawEntry(cat.raw[0])
    with pytest.raises(AttributeError):
        entry.no_such_field  # noqa: B018 - the point: no shim answering None for any name
    fact = entry.facts.get("support")
    assert fact.value == "community" and fact.source.name == "curated"
    with pytest.raises(AttributeError):
        fact.no_such_field  # noqa: B018
    doc = recommend(Profile(support="sla-required"), cat).document()
    row = next(r for r in doc.ranking if r.model == "openai/gpt-4o-mini")
    assert row.lifecycle.status == "deprecated" and row.lifecycle.shutdown_date == "2027-01-31"
    if doc.ranking[0].model == "openai/gpt-4o-mini":
        lifecycle = [b for b in doc.explanation.en if b.kind == "lifecycle"]
        assert lifecycle and "2027-01-31" in lifecycle[0].text


def test_search_catalog_matches_id_name_provider_licence_and_alias() -> None:
    cat = raw_catalog({"openai/gpt-4o-mini": {"aliases": ["azure/gpt-4o-mini-deploy"]}})
    assert [r["id"] for r in app.search_catalog(cat, "AZURE/")] == ["openai/gpt-4o-mini"]
    assert {r["id"] for r in app.search_catalog(cat, "apache")} == {"local/smollm2-135m-instruct", "allenai/olmo-2-13b"}
    assert {r["id"] for r in app.search_catalog(cat, None, ["closed"])} == {"openai/gpt-4o-mini", "anthropic/claude-x"}
    assert app.search_catalog(cat, "meta", ["closed"]) == []
    with pytest.raises(InputError):
        app.search_catalog(cat, None, ["shut"])


def test_every_model_the_document_names_has_its_reasons() -> None:
    profile = Profile(data_sensitivity="regulated", data_may_go="nowhere", sensitive_share=0.3, hardware=OwnedHardware(ram_gb=64),
                      rent=None, team_skill="none", weights={"support": 4, "ease_of_use": 4})
    doc = recommend(profile, entries(), measurements=[measurement("anthropic/claude-x", 0.7)]).document()
    rows = {r.model: r for r in doc.ranking}
    named = set(doc.top_models) | {c.winner for c in doc.what_would_change if c.winner} | {r.model for r in doc.ranking if r.measured}
    if doc.tco.break_even:
        named |= {doc.tco.break_even.api_model, doc.tco.break_even.self_hosted_model}
    if doc.hybrid:
        named |= {doc.hybrid.sensitive.model, doc.hybrid.rest.model}
    for model in named & set(rows):
        assert rows[model].detailed and all(c.reason is not None for c in rows[model].criteria.values()), model
        assert next(m for m in doc.tco.models if m.model == model).detailed


def _is_part(annotation: object) -> bool:
    """The document itself (a pydantic model) or one of its parts (slotted dataclasses)."""
    return isinstance(annotation, type) and (issubclass(annotation, BaseModel) or dataclasses.is_dataclass(annotation))


def _models_in(annotation: object) -> list[type]:
    if _is_part(annotation):
        return [annotation]  # type: ignore[list-item]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def _declared(model: type) -> dict[str, object]:
    """A part's keys as dumped (by alias) and their annotations."""
    if issubclass(model, BaseModel):
        return {f.alias or name: f.annotation for name, f in model.model_fields.items()}
    hints = typing.get_type_hints(model, vars(document))
    return {f.name: hints[f.name] for f in dataclasses.fields(model)}


def _json_type(annotation: object) -> str:
    """A model field's annotation as document_json writes it (``Texts`` -> ``TextsJSON``, Any -> JSONValue)."""
    aliases = {repr(v): n for n, v in vars(document).items() if n[:1].isupper() and typing.get_origin(v) in (typing.Literal, typing.Union)}
    if repr(annotation) in aliases:
        return aliases[repr(annotation)]
    if _is_part(annotation):
        return annotation.__name__ + "JSON"  # type: ignore[union-attr]
    if annotation is typing.Any:
        return "JSONValue"
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return " | ".join(_json_type(a) for a in args)
    if origin is typing.Literal:
        return "Literal[" + ", ".join(json.dumps(a) for a in args) + "]"
    if origin is tuple and args[1:] == (Ellipsis,):  # dumped as a JSON array, as a list is
        return f"list[{_json_type(args[0])}]"
    if origin in (list, dict):
        return f"{origin.__name__}[{', '.join(_json_type(a) for a in args)}]"
    return "None" if annotation is type(None) else getattr(annotation, "__name__", repr(annotation))


def _fields(shape: type) -> dict[str, str]:
    """A TypedDict's keys and their annotations as written."""
    return {k: str(getattr(v, "__forward_arg__", v)).replace("'", "\"") for k, v in shape.__annotations__.items()}


def test_the_json_types_say_the_models_shape_field_by_field() -> None:
    """document_json's TypedDict and document's models: the same classes, keys (by alias) and types."""
    todo, seen = [Decision], set()
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        shape = getattr(document_json, model.__name__ + "JSON")
        expected = {key: _json_type(annotation) for key, annotation in _declared(model).items()}
        assert _fields(shape) == expected, model.__name__
        assert shape.__required_keys__ == set(expected), model.__name__  # model_dump writes every field
        todo.extend(m for annotation in _declared(model).values() for m in _models_in(annotation))
    typed = {n for n, v in vars(document_json).items() if typing.is_typeddict(v)}
    assert typed == {m.__name__ + "JSON" for m in seen}, "a JSON type without its model"


def test_a_dumped_document_has_the_keys_its_json_type_names() -> None:
    doc = recommend(Profile(), entries(), [measurement("openai/gpt-4o-mini", 0.9)]).to_json()

    def check(value: object, shape: type) -> None:
        assert isinstance(value, dict) and set(value) == set(_fields(shape)), shape.__name__
        for key, annotation in _fields(shape).items():
            name = annotation.split(" | ")[0]
            inner = getattr(document_json, name, None)
            if typing.is_typeddict(inner) and value[key] is not None:
                check(value[key], inner)
            elif name.startswith("list[") and typing.is_typeddict(vars(document_json).get(name[5:-1])):
                for item in value[key]:
                    check(item, getattr(document_json, name[5:-1]))

    check(doc, document_json.DecisionJSON)


def test_the_indonesian_reasons_carry_no_english_evidence() -> None:
    """A criterion's reason in Indonesian is its own text, figures included ("biaya bulanan pada volume Anda: $10,70/bulan");
    the evidence items, recorded in English ("mode=api", "general ability from GPQA ..."), follow the English reason only."""
    from whichai.catalog import load_catalog
    from whichai.decide import example_profiles

    data = recommend(example_profiles()["startup-no-ml"], load_catalog()).to_json()
    rows = [row for row in data["ranking"] if row["detailed"]]
    assert rows
    for row in rows:
        for c in row["criteria"].values():
            assert not any(len(e) > 6 and e in c["reason"]["id"] for e in c["evidence"]), (row["model"], c["reason"]["id"])
    cost = rows[0]["criteria"]["cost"]["reason"]
    assert "/bulan" in cost["id"] and "/month" not in cost["id"] and "/month" in cost["en"]
