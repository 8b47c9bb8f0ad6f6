"""promptfoo configs as whichai tasks: loading (prompts × tests × vars, CSV, defaultTest) and assertion scoring."""

from __future__ import annotations

from pathlib import Path

import pytest

from whichai.cli.tasks import summarize
from whichai.tasks.loader import load_task
from whichai.tasks.model import Case
from whichai.tasks.promptfoo import coverage
from whichai.tasks.promptfoo_assert import evaluate, parse_expected
from whichai.tasks.scorers import score

FIXTURES = Path(__file__).parent / "fixtures" / "promptfoo"
EXAMPLES = ["getting-started", "simple-cli", "simple-csv", "simple-test", "json-output"]


def run(output: str, asserts: list, **options):
    return evaluate(output, {"assert": asserts, "vars": options.pop("vars", {}), "base_dir": str(FIXTURES), **options})


def test_agreement_config_loads_prompts_times_tests_with_csv_and_default_test():
    task = load_task(str(FIXTURES / "agreement" / "promptfooconfig.yaml"))
    assert len(task.cases) == 38
    assert all(c.scorer == "promptfoo" and c.options["assert"][0]["value"] == "FORBIDDEN" for c in task.cases)
    by_id = {c.options["vars"]["id"]: c for c in task.cases}
    assert by_id["csv2"].options["assert"][1:] == [{"type": "contains", "value": "cool"}, {"type": "not-icontains", "value": "HOT"}]
    assert by_id["eq1"].input == "Reply exactly: Jakarta"
    assert by_id["eq1"].id == load_task(str(FIXTURES / "agreement" / "promptfooconfig.yaml")).cases[0].id  # stable


@pytest.mark.parametrize("name", EXAMPLES)
def test_promptfoo_examples_load_unchanged(name):
    task = load_task(str(FIXTURES / "examples" / name / "promptfooconfig.yaml"))
    report = coverage(task)
    assert report.cases == len(task.cases) > 0
    if name in ("simple-test", "json-output"):  # similar, llm-rubric, $ref, transform: flagged, never passed
        assert report.unsupported and report.flagged_cases > 0
        flagged = [c for c in task.cases if "promptfoo:unsupported" in c.tags]
        assert all(not score(c, "Ahoy arrr grub Yarr").passed for c in flagged)
    else:
        assert not report.unsupported and report.flagged_cases == 0


def test_simple_csv_renders_the_load_filter_and_splits_prompt_files():
    task = load_task(str(FIXTURES / "examples" / "simple-csv" / "promptfooconfig.yaml"))
    assert len(task.cases) == 8  # 2 prompts × 4 rows
    assert "- Tone: formal" in task.cases[0].input
    assert summarize(task)["scorers"] == {"promptfoo": 8}


def test_chat_json_prompt_becomes_messages(tmp_path):
    (tmp_path / "chat.json").write_text('[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "{{q}}"}]')
    (tmp_path / "promptfooconfig.yaml").write_text("prompts: [file://chat.json]\ntests:\n  - vars: {q: [a, b]}\n")
    task = load_task(str(tmp_path / "promptfooconfig.yaml"))
    assert [c.messages() for c in task.cases] == [[{"role": "system", "content": "Be brief."}, {"role": "user", "content": q}] for q in "ab"]


def test_weights_threshold_negation_and_sets():
    assert run("alpha", [{"type": "contains", "value": "alpha"}, {"type": "contains", "value": "x"}], threshold=0.5).passed
    assert not run("alpha", [{"type": "contains", "value": "alpha"}, {"type": "contains", "value": "x", "weight": 3}], threshold=0.5).passed
    assert run("alpha", [{"type": "contains", "value": "x", "weight": 0}]).passed
    assert run("alpha", [{"type": "not-contains", "value": "beta"}]).passed
    outcome = run("alpha", [{"type": "assert-set", "threshold": 0.5, "assert": [{"type": "contains", "value": "alpha"}, {"type": "equals", "value": "b"}]}])
    assert outcome.passed and outcome.score == 0.5 and outcome.components[0]["componentResults"]


def test_assertion_values_render_vars_and_python_runs_in_a_subprocess():
    assert run("Surabaya", [{"type": "equals", "value": "{{city}}"}], vars={"city": "Surabaya"}).passed
    assert run("four words in here", [{"type": "python", "value": "len(output.split()) == 4"}]).passed
    graded = run("x", [{"type": "python", "value": "s = 0.25\nreturn {'pass': True, 'score': s, 'reason': 'ok'}"}])
    assert graded.passed and graded.score == 0.25
    assert not run("x", [{"type": "python", "value": "1/0"}]).passed


def test_unsupported_and_unmeasured_assertions_never_pass():
    assert not run("ok", [{"type": "factuality", "value": "ok"}]).passed
    assert not run("ok", [{"type": "latency", "threshold": 100}]).passed  # not measured here


def test_csv_expected_shorthand():
    assert parse_expected("contains:cool") == {"type": "contains", "value": "cool"}
    assert parse_expected('icontains-any:a,"b,c"') == {"type": "icontains-any", "value": ["a", "b,c"]}
    assert parse_expected("Bandung") == {"type": "equals", "value": "Bandung"}
    assert parse_expected("grade:is polite")["type"] == "llm-rubric"
    assert parse_expected("python:len(output) > 3") == {"type": "python", "value": "len(output) > 3"}


def test_json_assertions_and_levenshtein():
    schema = {"type": "object", "required": ["a"]}
    assert run('{"a": 1}', [{"type": "is-json", "value": schema}, {"type": "equals", "value": {"a": 1}}]).passed
    assert not run('{"b": 1}', [{"type": "is-json", "value": schema}]).passed
    assert run('text {"a": 1} more', [{"type": "contains-json", "value": schema}, {"type": "not-is-json"}]).passed
    assert not run("kitten", [{"type": "levenshtein", "value": "sitting", "threshold": 2}]).passed


def test_scorer_interface_scores_a_promptfoo_case():
    case = Case(id="c", input="q", scorer="promptfoo", options={"assert": [{"type": "icontains", "value": "JAKARTA"}], "vars": {}})
    assert score(case, "It is Jakarta").passed


def test_providers_map_to_model_ids_and_an_unmapped_one_names_the_fix():
    from whichai.errors import FileInputError
    from whichai.tasks.promptfoo import model_ids

    servers = {"mine": "http://127.0.0.1:8000/v1"}
    entries = ["openai:chat:gpt-4o-mini", "anthropic:messages:claude-sonnet-4", "vertex:gemini-2.5-pro", "ollama:chat:llama3",
               {"id": "openai:chat:qwen", "config": {"apiBaseUrl": "http://127.0.0.1:8000/v1/"}}]
    assert model_ids(entries, servers, "c.yaml") == ["openai/gpt-4o-mini", "anthropic/claude-sonnet-4", "gemini/gemini-2.5-pro",
                                                      "ollama/llama3", "mine/qwen"]
    with pytest.raises(FileInputError, match="bedrock:claude.*Fix: run it with --models"):
        model_ids(["bedrock:claude"], servers, "c.yaml")
    with pytest.raises(FileInputError, match=r"\[providers.myserver\]"):
        model_ids([{"id": "openai:chat:x", "config": {"apiBaseUrl": "http://elsewhere/v1"}}], servers, "c.yaml")
