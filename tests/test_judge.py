"""The judge scorer: verdicts parsed robustly, stored with their own cost and latency, retried and
resumed like any call, unreadable verdicts recorded as judge errors (never a crash), options validated
at load time. Real parts: the runner and SQLite; a scripted OpenAI-compatible judge on loopback (the
fake stands in for a vendor's model only); the embedded model as a judge."""

from __future__ import annotations

import asyncio
import json
import re

import pytest
from conftest import write_config

from whichai.config import load_config
from whichai.errors import FileInputError
from whichai.measure.judge import JudgeParseError, grade_messages, judgements, parse_verdict
from whichai.measure.metrics import summarise
from whichai.measure.runner import Runner, RunPlan
from whichai.providers.registry import Registry
from whichai.store import Store
from whichai.tasks.loader import load_file
from whichai.tasks.model import Case, Task

RUBRIC = "The answer repeats the key word of the question."


def _judged(cid: str, word: str, judge: str = "fake/judge", **extra) -> Case:
    return Case(id=cid, input=f"{word} question", expected=word, scorer="judge",
                options={"rubric": RUBRIC, "model": judge, **extra}, tags=["lang:en"])


def scripted_judge(request: dict) -> str:
    """A deterministic judge: passes when the reference answer appears in the answer."""
    prompt = request["messages"][-1]["content"]
    answer = re.search(r"<<<ANSWER\n(.*)\nANSWER>>>", prompt, re.DOTALL).group(1)
    reference = re.search(r"Reference answer:\n(.*?)\n\n", prompt, re.DOTALL).group(1)
    ok = reference.lower() in answer.lower()
    return f'Sure. ```json\n{{"pass": {str(ok).lower()}, "score": {1.0 if ok else 0.1}, "reason": "checked {reference}"}}\n```'


def _run(tmp_path, fake, cases, models=("fake/echo",), retries=2, calibrate=False):
    config = load_config(write_config(tmp_path / "whichai.toml", "fake", fake.base_url,
                                      price_usd_per_mtok="{ input = 1.0, output = 2.0 }"))
    store = Store.open(tmp_path / "w.db")
    plan = RunPlan(task=Task(name="judged", cases=cases), models=list(models), timeout=5, retries=retries,
                   backoff_initial=0.05, backoff_max=1.0, calibrate_judges=calibrate)  # calibration: test_judge_calibration.py
    outcome = asyncio.run(Runner(store, Registry(config)).run(plan))
    return store, outcome


# --- parsing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "passed", "score"),
    [
        ('{"pass": true, "score": 0.9, "reason": "good"}', True, 0.9),
        ('Here you go:\n```json\n{"pass": false, "score": 0.2, "reason": "wrong"}\n```', False, 0.2),
        ('{"score": 0.7}', True, 0.7),  # pass missing: score >= threshold (0.5)
        ('{"score": 0.3, "reason": "meh"}', False, 0.3),
        ('{"pass": "yes"}', True, 1.0),  # score missing: from pass
        ('{"Pass": "False", "Score": "0.4"}', False, 0.4),
        ('{"passed": true, "score": "80%"}', True, 0.8),
        ('noise {not json} then {"pass": true, "score": 1}', True, 1.0),
    ],
)
def test_parse_verdict_reads_the_first_json_object(text, passed, score):
    verdict = parse_verdict(text)
    assert (verdict.passed, verdict.score) == (passed, pytest.approx(score))


def test_threshold_decides_when_pass_is_missing():
    assert parse_verdict('{"score": 0.6}', threshold=0.7).passed is False
    assert parse_verdict('{"score": 0.7}', threshold=0.7).passed is True


@pytest.mark.parametrize(
    "text",
    ["", "The answer is correct.", '{"reason": "no verdict"}', '{"pass": "maybe"}', '{"score": 7}', '{"score": "high"}',
     '["pass", true]', '{"pass": true, "score": NaN}'],
)
def test_unusable_verdicts_raise_a_parse_error(text):
    with pytest.raises(JudgeParseError):
        parse_verdict(text)


def test_the_prompt_holds_rubric_input_reference_and_answer():
    case = _judged("q", "alpha")
    messages = grade_messages(case, "You asked: alpha question")
    text = messages[-1]["content"]
    assert messages[0]["role"] == "system" and '"pass"' in messages[0]["content"]
    for part in (RUBRIC, "alpha question", "Reference answer:\nalpha", "<<<ANSWER\nYou asked: alpha question\nANSWER>>>"):
        assert part in text
    long = grade_messages(case, "x" * 10_000)[-1]["content"]
    assert "more characters]" in long and len(long) < 8_000


# --- the runner with a scripted judge on loopback ---------------------------------------------


def test_a_scripted_judge_scores_answers_with_its_own_cost_and_latency(tmp_path, fake):
    fake.scripts["judge"] = scripted_judge
    cases = [_judged("a", "alpha"), _judged("b", "beta"),
             Case(id="c", input="gamma question", expected="gamma", scorer="contains", tags=["lang:id"])]
    store, outcome = _run(tmp_path, fake, cases)
    assert (outcome.judged, outcome.judge_errors) == (2, 0)
    results = {r["case_id"]: r for r in store.results(outcome.run_id)}
    assert {cid: r["passed"] for cid, r in results.items()} == {"a": 1, "b": 1, "c": 1}
    assert results["a"]["reason"] == "checked alpha" and results["a"]["score"] == 1.0
    found = judgements(store, outcome.run_id)
    j = found[("fake/echo", "a")]
    assert j["status"] == "ok" and j["judge_model"] == "fake/judge"
    assert j["input_tokens"] > 0 and j["output_tokens"] > 0 and j["latency_s"] > 0
    assert j["cost_usd"] == pytest.approx((j["input_tokens"] * 1.0 + j["output_tokens"] * 2.0) / 1e6)
    assert j["price_source"] == "config" and '"pass": true' in j["raw"]
    # The judge saw the rubric and the answer; the judged model never saw the rubric.
    judge_bodies = [b for b in fake.bodies if b["model"] == "judge"]
    assert len(judge_bodies) == 2 and all(RUBRIC in b["messages"][-1]["content"] for b in judge_bodies)
    assert all(RUBRIC not in json.dumps(b) for b in fake.bodies if b["model"] == "echo")
    summary = summarise(store, outcome.run_id)[0]
    assert summary.judge_cost_usd == pytest.approx(sum(x["cost_usd"] for x in found.values()))
    assert summary.by_lang["en"].scored == 2 and summary.by_lang["id"].passed == 1


def test_a_failing_verdict_is_a_fail_not_an_error(tmp_path, fake):
    fake.scripts["judge"] = lambda request: '{"pass": false, "score": 0.1, "reason": "off topic"}'
    store, outcome = _run(tmp_path, fake, [_judged("a", "alpha")])
    result = store.results(outcome.run_id)[0]
    assert (result["status"], result["passed"], result["reason"]) == ("ok", 0, "off topic")


def test_unreadable_verdicts_are_recorded_judge_errors_and_asked_again_on_resume(tmp_path, fake):
    # Unreadable three times (the first try and two retries with other seeds), then readable.
    replies = iter(["I think it is fine!"] * 3 + ['{"pass": true, "score": 0.8, "reason": "now readable"}'])
    fake.scripts["judge"] = lambda request: next(replies)
    store, first = _run(tmp_path, fake, [_judged("a", "alpha")])
    result = store.results(first.run_id)[0]
    assert result["status"] == "ok" and result["passed"] is None and result["answer"]
    assert result["reason"].startswith("judge error (judge_unparseable)")
    j = judgements(store, first.run_id)[("fake/echo", "a")]
    assert j["status"] == "error" and j["error_class"] == "judge_unparseable" and j["raw"] == "I think it is fine!"
    summary = summarise(store, first.run_id)[0]
    assert (summary.answered, summary.scored, summary.judge_errors, summary.partial) == (1, 0, 1, True)
    assert summary.pass_rate is None
    # Resume: the answer is kept (not asked again), only the judge is asked again.
    _, second = _run(tmp_path, fake, [_judged("a", "alpha")])
    assert (second.ran, second.judged, second.judge_errors) == (0, 1, 0)
    assert fake.total("echo") == 1 and fake.total("judge") == 4
    assert store.results(second.run_id)[0]["passed"] == 1


def test_a_resumed_run_does_not_judge_again_what_was_judged(tmp_path, fake):
    fake.scripts["judge"] = scripted_judge
    cases = [_judged("a", "alpha"), _judged("b", "beta")]
    _run(tmp_path, fake, cases)
    store, again = _run(tmp_path, fake, cases)
    assert (again.ran, again.judged) == (0, 0)
    assert fake.total("judge") == 2 and fake.total("echo") == 2


def test_judge_calls_are_retried_under_the_runners_policy(tmp_path, fake):
    fake.scripts["fail-500-1"] = scripted_judge  # first request per prompt: HTTP 500, then the verdict
    store, outcome = _run(tmp_path, fake, [_judged("a", "alpha", judge="fake/fail-500-1")])
    j = judgements(store, outcome.run_id)[("fake/echo", "a")]
    assert j["status"] == "ok" and j["attempts"] == 2 and j["passed"] == 1


def test_a_judge_that_cannot_be_reached_is_a_recorded_error_not_a_crash(tmp_path, fake):
    store, outcome = _run(tmp_path, fake, [_judged("a", "alpha", judge="fake/auth")])
    result = store.results(outcome.run_id)[0]
    j = judgements(store, outcome.run_id)[("fake/echo", "a")]
    assert result["status"] == "ok" and result["passed"] is None
    assert j["status"] == "error" and j["error_class"] == "auth" and "sk-" not in (j["error_message"] or "")


def test_an_empty_answer_fails_without_asking_the_judge(tmp_path, fake):
    fake.scripts["empty"] = lambda request: ""
    fake.scripts["judge"] = scripted_judge
    store, outcome = _run(tmp_path, fake, [_judged("a", "alpha")], models=("fake/empty",))
    result = store.results(outcome.run_id)[0]
    assert result["passed"] == 0 and fake.total("judge") == 0


# --- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ("{model: local/smollm2-135m-instruct}", "options.rubric"),
        ("{rubric: Be polite}", "options.model"),
        ("{rubric: Be polite, model: smollm}", "not a model id"),
        ("{rubric: Be polite, model: local/x, threshold: 2}", "threshold"),
        ("{rubric: Be polite, model: local/x, grader: me}", "unknown option"),
    ],
)
def test_bad_judge_options_name_the_file_and_line(tmp_path, options, message):
    path = tmp_path / "t.yaml"
    path.write_text(f"cases:\n  - id: q1\n    input: Hello\n    scorer: judge\n    options: {options}\n")
    with pytest.raises(FileInputError) as caught:
        load_file(path)
    assert message in caught.value.message and caught.value.line == 5


def test_run_with_an_unknown_judge_model_exits_2_naming_file_and_line(cli, tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text("cases:\n  - id: q1\n    input: Hello\n    scorer: judge\n"
                    "    options:\n      rubric: Friendly\n      model: nosuch/judge-model\n")
    result = cli("run", "--task", str(path), "--models", "local/smollm2-135m-instruct", "--db", str(tmp_path / "w.db"),
                 "--no-report", "--json")
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert f"{path}:7" in result.stderr and "nosuch" in result.stderr
    assert not (tmp_path / "w.db").exists()  # bad input writes nothing


# --- the embedded model as a judge (real) ---------------------------------------------------------


@pytest.mark.slow  # the embedded model judges a labelled sample, then the answers
def test_the_embedded_model_as_judge_gives_verdicts_or_recorded_errors(cli, tmp_path):
    judge = "local/smollm2-135m-instruct"
    path = tmp_path / "t.yaml"
    path.write_text(
        "defaults:\n  scorer: judge\n  options:\n"
        f"    rubric: The answer names the correct city.\n    model: {judge}\n"
        "cases:\n"
        "  - {id: en1, input: 'What is the capital of Indonesia? One word.', expected: Jakarta, tags: [lang:en]}\n"
        "  - {id: id1, input: 'Apa ibu kota Jepang? Satu kata.', expected: Tokyo, tags: [lang:id]}\n"
        "  - {id: en2, input: 'What is 2 + 3? Answer with the number.', expected: '5', scorer: numeric, tags: [lang:en]}\n"
    )
    db = tmp_path / "w.db"
    result = cli("run", "--task", str(path), "--models", judge, "--max-tokens", "24", "--db", str(db), "--no-report", "--json")
    assert result.returncode in (0, 1), result.stderr  # 1: some verdicts could not be read (recorded)
    document = json.loads(result.stdout)
    assert "judges its own answers" in result.stderr  # self-preference is said, not hidden
    summary = document["models"][0]
    assert summary["answered"] == 3 and summary["errors"] == 0
    assert document["judged"] == 2
    assert summary["scored"] + summary["judge_errors"] == 3
    assert (result.returncode == 1) == (summary["judge_errors"] > 0)
    store = Store.open(db)
    found = judgements(store, document["run_id"])
    assert set(found) == {(judge, "en1"), (judge, "id1")}
    calibration = document["judge_calibration"][judge]  # issue 23, finding 6: measured and shown
    assert calibration["cases"] == 8 and ("unusable" in result.stdout) != calibration["usable"]
    for j in found.values():
        if j.get("error_class") == "judge_unusable":  # failed its labelled sample: not counted, not asked
            assert not calibration["usable"] and j["status"] == "error" and "tidak dapat dipakai" in j["error_message"]
            continue
        assert j["status"] in ("ok", "error") and j["latency_s"] > 0 and j["output_tokens"] > 0
        assert j["cost_usd"] == 0.0 and j["price_source"] == "local"
        if j["status"] == "ok":
            assert j["passed"] in (0, 1) and 0 <= j["score"] <= 1
        else:
            # unreadable (after retries with other seeds), or the prompt's worked example copied (issue 23, 6)
            assert j["error_class"] in ("judge_unparseable", "judge_copied_example") and j["raw"] is not None
    assert set(summary["by_lang"]) == {"en", "id"}


def test_answers_another_live_process_holds_are_left_to_it(tmp_path, fake):
    import time

    from whichai.measure.judge import unjudged

    replies = iter(["unreadable", "still unreadable"])
    fake.scripts["judge"] = lambda request: next(replies)
    cases = [_judged("a", "alpha"), _judged("b", "beta")]
    store, outcome = _run(tmp_path, fake, cases)
    task = Task(name="judged", cases=cases)
    assert {c.id for _, c, _ in unjudged(store, outcome.run_id, task, ["fake/echo"], "me")} == {"a", "b"}
    # another worker, alive (fresh heartbeat), answered case a: it judges a itself
    store.db.execute("INSERT INTO workers (token, run_id, pid, host, started_at, heartbeat_at) VALUES ('other', ?, 1, 'h', 'now', ?)",
                     (outcome.run_id, time.time()))
    store.db.execute("INSERT OR REPLACE INTO claims (run_id, model, case_id, token, state, claimed_at) VALUES (?, 'fake/echo', 'a', 'other', 'done', 0)",
                     (outcome.run_id,))
    assert {c.id for _, c, _ in unjudged(store, outcome.run_id, task, ["fake/echo"], "me")} == {"b"}
    store.db.execute("UPDATE workers SET heartbeat_at = 0 WHERE token = 'other'")  # it died: a is ours again
    assert {c.id for _, c, _ in unjudged(store, outcome.run_id, task, ["fake/echo"], "me")} == {"a", "b"}
