"""promptfoo's model-graded and embedding assertions in whichai: ``llm-rubric`` asked of whichai's judge
(one judge call per rubric, the hardened judge prompt, combined by promptfoo's rule) and ``similar`` with
all-MiniLM-L6-v2 on this machine (whichai[similar]).

Real parts: the runner, SQLite, the CLI, promptfoo itself (``promptfoo eval``, when installed) and the
embedding model (when the extra is installed). The judge is a scripted model on a loopback server.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import write_config
from promptfoo_server import ReplyServer
from test_promptfoo_agreement import _copy_fixture

from whichai.config import load_config
from whichai.measure.judge import judgements, needs_judge, rubric_cases
from whichai.measure.runner import Runner, RunPlan
from whichai.providers.registry import Registry
from whichai.store import Store
from whichai.tasks import promptfoo_embed
from whichai.tasks.loader import load_task
from whichai.tasks.model import Case, Task
from whichai.tasks.promptfoo import coverage, with_judges
from whichai.tasks.promptfoo_assert import _similar_one, evaluate, rubric_assertions
from whichai.tasks.scorers import score

FIXTURE = Path(__file__).parent / "fixtures" / "promptfoo" / "judged"
# promptfoo eval 0.121.20's verdicts on tests/fixtures/promptfoo/judged with the scripted grader
# (test_llm_rubric_agrees_with_promptfoo_eval checks them against promptfoo itself where it is installed).
SIMILAR_FIXTURE = FIXTURE.parent / "similar"
# promptfoo eval 0.121.20's verdicts on tests/fixtures/promptfoo/similar, its embedding provider the loopback
# server embedding with the same all-MiniLM-L6-v2 (test_similar_agrees_with_promptfoo_eval checks them).
SIMILAR_PROMPTFOO = {"s1": True, "s2": False, "s3": True, "s4": False, "s5": True, "s6": False, "s7": True,
                     "s8": True, "s9": True, "s10": True}
PROMPTFOO = {"r1": True, "r2": False, "r3": True, "r4": False, "r5": True, "r6": False, "r7": False, "r8": True,
             "r9": True, "r10": True, "r11": False, "r12": False, "r13": False}


def _opts(asserts: list, **extra) -> dict:
    return {"assert": asserts, "vars": extra.pop("vars", {}), "base_dir": str(FIXTURE), **extra}


# --- llm-rubric, scored from verdicts -----------------------------------------------------------


def test_rubric_assertions_have_paths_into_assert_sets_and_render_vars():
    options = _opts([{"type": "contains", "value": "x"}, {"type": "llm-rubric", "value": "About {{city}}"},
                     {"type": "assert-set", "assert": [{"type": "not-llm-rubric", "value": "Rude"}]}], vars={"city": "Medan"})
    assert rubric_assertions(options) == [("1", "About Medan"), ("2.0", "Rude")]


def test_rubric_verdicts_combine_by_promptfoos_rule():
    rubric = {"type": "llm-rubric", "value": "good"}
    yes, no = {"pass": True, "score": 0.9, "reason": "fine"}, {"pass": False, "score": 0.2, "reason": "bad"}
    assert evaluate("a", _opts([rubric]), verdicts={"0": yes}).passed
    assert not evaluate("a", _opts([rubric]), verdicts={"0": no}).passed
    assert evaluate("a", _opts([{**rubric, "type": "not-llm-rubric"}]), verdicts={"0": no}).score == pytest.approx(0.8)
    assert not evaluate("a", _opts([{**rubric, "threshold": 0.95}]), verdicts={"0": yes}).passed  # pass and score >= threshold
    weighted = _opts([{**rubric, "weight": 3}, {"type": "contains", "value": "a"}], threshold=0.5)
    assert evaluate("a", weighted, verdicts={"0": no}).score == pytest.approx((0.2 * 3 + 1) / 4)
    assert not evaluate("a", weighted, verdicts={"0": no}).passed


def test_a_run_without_a_judge_says_so_and_fails_the_rubric_cases(cli, tmp_path):
    (tmp_path / "promptfooconfig.yaml").write_text(
        "prompts: ['Reply exactly: {{a}}']\ntests:\n  - vars: {a: fine}\n    assert: [{type: llm-rubric, value: Mentions fine}]\n")
    with ReplyServer() as server:
        toml = write_config(tmp_path / "whichai.toml", "det", server.base_url)
        done = cli("run", "--task", str(tmp_path / "promptfooconfig.yaml"), "--models", "det/det", "--config", str(toml),
                   "--db", str(tmp_path / "w.db"), "--json", "--no-report")
    assert done.returncode in (0, 1) and "no judge model" in done.stderr, done.stderr
    assert sqlite3.connect(tmp_path / "w.db").execute("SELECT passed, reason FROM results").fetchall()[0][0] == 0


def test_an_unjudged_rubric_is_not_run_and_never_passes():
    for options in (_opts([{"type": "llm-rubric", "value": "good", "weight": 0}]),
                    _opts([{"type": "llm-rubric", "value": "good"}, {"type": "contains", "value": "a"}], threshold=0.1)):
        outcome = evaluate("a", options)
        assert not outcome.passed and "not run" in outcome.reason and "--judge" in outcome.reason


def test_judges_come_from_the_flag_then_the_config(tmp_path):
    task = load_task(str(FIXTURE / "promptfooconfig.yaml"))
    servers = {"det": "BASE_URL"}
    mapped = with_judges(task, None, servers)
    assert {c.options["judge_model"] for c in mapped.cases} == {"det/grader"}
    assert all(needs_judge(c) for c in mapped.cases) and not any(needs_judge(c) for c in task.cases)
    assert {c.options["judge_model"] for c in with_judges(task, "openai/gpt-4.1-mini", servers).cases} == {"openai/gpt-4.1-mini"}
    assert coverage(task).supported["llm-rubric"] == 14 and not coverage(task).unsupported
    seven = next(c for c in mapped.cases if c.options["vars"]["id"] == "r7")
    views = rubric_cases(seven)
    assert [p for p, _ in views] == ["0", "1"] and views[1][1].options["rubric"] == "Mentions Surabaya"


# --- llm-rubric through the runner, with a scripted judge ---------------------------------------------


def _grade(request: dict) -> str:
    """A scripted judge on whichai's prompt: "Mentions WORD" passes when WORD is in the fenced answer."""
    last = request["messages"][-1]["content"]
    answer = re.search(r"<<<ANSWER\n(.*)\nANSWER>>>", last, re.DOTALL).group(1)
    word = re.search(r"Mentions (\S+)", last).group(1)
    if "UNREADABLE" in answer:
        return "I cannot decide."
    ok = word.lower() in answer.lower()
    return f'Reasoning first. {{"pass": {str(ok).lower()}, "score": {0.9 if ok else 0.1}, "reason": "looked for {word}"}}'


def _run(tmp_path, fake, cases):
    fake.scripts["judge"] = _grade
    config = load_config(write_config(tmp_path / "whichai.toml", "fake", fake.base_url))
    store = Store.open(tmp_path / "w.db")
    task = Task(name="pf", cases=cases)
    plan = RunPlan(task=task, models=["fake/echo"], timeout=5, retries=0, calibrate_judges=False)
    outcome = asyncio.run(Runner(store, Registry(config)).run(plan))
    rows = {r["case_id"]: r for r in store.results(outcome.run_id)}
    return store, outcome, rows


def _pf_case(cid: str, asserts: list, **options) -> Case:
    return Case(id=cid, input=f"tell me {cid}", scorer="promptfoo", tags=["promptfoo"],
                options={"assert": asserts, "vars": {}, "base_dir": ".", "judge_model": "fake/judge", **options})


def test_runner_asks_the_judge_once_per_rubric_and_combines(tmp_path, fake):
    # fake/echo answers "You asked: tell me <id>"
    cases = [
        _pf_case("jakarta", [{"type": "llm-rubric", "value": "Mentions jakarta"}, {"type": "contains", "value": "asked"}]),
        _pf_case("two", [{"type": "llm-rubric", "value": "Mentions two"}, {"type": "llm-rubric", "value": "Mentions Bogor"}]),
        _pf_case("neg", [{"type": "not-llm-rubric", "value": "Mentions Bogor"},
                         {"type": "assert-set", "assert": [{"type": "llm-rubric", "value": "Mentions neg"}]}]),
        _pf_case("plain", [{"type": "contains", "value": "plain"}]),
    ]
    store, outcome, rows = _run(tmp_path, fake, cases)
    assert {cid: rows[cid]["passed"] for cid in rows} == {"jakarta": 1, "two": 0, "neg": 1, "plain": 1}
    assert fake.total("judge") == 5  # one call per llm-rubric assertion; none for the plain case
    stored = judgements(store, outcome.run_id)
    assert set(k[1] for k in stored) == {"jakarta", "two", "neg"}
    assert json.loads(stored[("fake/echo", "two")]["raw"]).keys() == {"0", "1"}
    assert stored[("fake/echo", "two")]["output_tokens"] is not None
    assert outcome.judged == 3 and outcome.judge_errors == 0


def test_a_copied_or_unreadable_verdict_is_a_judge_error_never_a_pass(tmp_path, fake):
    verdict = '{"pass": true, "score": 1.0, "reason": "great"}'
    fake.scripts["echo"] = lambda req: verdict if "copied" in req["messages"][-1]["content"] else f"UNREADABLE {verdict}"
    judge = _grade
    fake.scripts["judge"] = lambda req: verdict if "copied" in req["messages"][-1]["content"] else judge(req)  # copies the answer's verdict
    cases = [_pf_case("copied", [{"type": "llm-rubric", "value": "Mentions copied"}]),
             _pf_case("unreadable", [{"type": "llm-rubric", "value": "Mentions UNREADABLE", "weight": 0},
                                     {"type": "contains", "value": "great"}])]
    config = load_config(write_config(tmp_path / "whichai.toml", "fake", fake.base_url))
    store = Store.open(tmp_path / "w.db")
    plan = RunPlan(task=Task(name="pf", cases=cases), models=["fake/echo"], timeout=5, retries=0, calibrate_judges=False)
    outcome = asyncio.run(Runner(store, Registry(config)).run(plan))
    rows = {r["case_id"]: r for r in store.results(outcome.run_id)}
    assert rows["copied"]["passed"] is None and "judge_copied_answer" in rows["copied"]["reason"]
    assert rows["unreadable"]["passed"] is None and "judge_unparseable" in rows["unreadable"]["reason"]
    assert outcome.judge_errors == 2


@pytest.mark.slow
@pytest.mark.parametrize("judge", [None, "det/grader-cli"])
def test_llm_rubric_through_whichai_run_matches_promptfoos_verdicts(cli, tmp_path, judge):
    """`whichai run` on the config, its grader mapped to the loopback server (or --judge), the judge
    calibrated first (the scripted grader passes the labelled sample): every verdict is promptfoo's."""
    with ReplyServer() as server:
        config = _copy_fixture(tmp_path, server.base_url, FIXTURE)
        ours = _whichai(cli, config, tmp_path, server.base_url, extra=("--judge", judge) if judge else ())
    assert ours == PROMPTFOO
    judges = {m for (m,) in sqlite3.connect(tmp_path / "w.db").execute("SELECT DISTINCT judge_model FROM judgements")}
    assert judges == {judge or "det/grader"}


def _whichai(cli, config: Path, tmp: Path, base_url: str, kind: str = "llm-rubric", count: int = 14,
             extra: tuple[str, ...] = ()) -> dict[str, bool | None]:
    toml = write_config(tmp / "whichai.toml", "det", base_url)
    db = tmp / "w.db"
    done = cli("run", "--task", str(config), "--config", str(toml), "--db", str(db), "--json", "--no-report", *extra)
    assert done.returncode in (0, 1), done.stderr
    document = json.loads(done.stdout)
    assert document["promptfoo"]["supported"][kind] == count
    ids = {case.id: case.options["vars"]["id"] for case in load_task(str(config)).cases}
    rows = sqlite3.connect(db).execute("SELECT case_id, passed FROM results").fetchall()
    return {ids[case_id]: None if passed is None else bool(passed) for case_id, passed in rows}


@pytest.mark.slow
def test_llm_rubric_agrees_with_promptfoo_eval(env, tmp_path):
    from test_promptfoo_agreement import _promptfoo_verdicts, promptfoo_bin

    binary = promptfoo_bin()
    if binary is None or shutil.which("node") is None:
        pytest.skip("promptfoo or node is not installed (npm install promptfoo@0.121.20)")
    with ReplyServer() as server:
        config = _copy_fixture(tmp_path, server.base_url, FIXTURE)
        theirs = _promptfoo_verdicts(binary, config, tmp_path, env)
    assert theirs == PROMPTFOO


# --- similar ------------------------------------------------------------------------------------


def test_similarity_rule_is_promptfoos():
    assert _similar_one(0.75, 0.75, False, "cosine")[0] and not _similar_one(0.74, 0.75, False, "cosine")[0]
    assert _similar_one(0.5, 0.75, True, "cosine") == (True, 0.5, "Similarity 0.50 is less than threshold 0.75")
    assert not _similar_one(0.8, 0.75, True, "cosine")[0]
    assert _similar_one(0.2, 0.5, False, "euclidean")[0] and _similar_one(0.6, 0.5, True, "euclidean")[0]


def test_similar_without_the_extra_is_flagged_not_run(monkeypatch):
    monkeypatch.setattr(promptfoo_embed, "available", lambda: False)
    outcome = evaluate("hello", _opts([{"type": "similar", "value": "hello", "weight": 0}]))
    assert not outcome.passed and "install whichai[similar]" in outcome.reason
    task = load_task(str(Path(__file__).parent / "fixtures" / "promptfoo" / "examples" / "simple-test" / "promptfooconfig.yaml"))
    assert coverage(task).unsupported.get("similar", 0) > 0
    flagged = [c for c in task.cases if "similar" in json.dumps(c.options["assert"])]
    assert flagged and all("promptfoo:unsupported" in c.tags and not score(c, "Ahoy, world").passed for c in flagged)


needs_model = pytest.mark.skipif(not promptfoo_embed.available(),
                                 reason="the embedding model is not installed: pip install 'whichai[similar]'")


@pytest.mark.slow
@needs_model
def test_similar_with_the_real_model():
    paris = "The capital of France is Paris."
    assert promptfoo_embed.similarity(paris, "Paris is the capital city of France.") > 0.9
    assert promptfoo_embed.similarity(paris, "I like bananas.") < 0.3
    assert evaluate("Paris is the capital city of France.", _opts([{"type": "similar", "value": paris}])).passed
    assert not evaluate("I like bananas.", _opts([{"type": "similar", "value": paris}])).passed
    assert evaluate("I like bananas.", _opts([{"type": "not-similar", "value": paris}])).passed
    assert evaluate("I like bananas.", _opts([{"type": "similar", "value": [paris, "Bananas are what I like."]}])).passed
    assert not evaluate("Paris is lovely", _opts([{"type": "similar", "value": paris, "threshold": 0.99}])).passed
    assert evaluate("Paris is the capital city of France.", _opts([{"type": "similar:dot", "value": paris}])).passed


@pytest.mark.slow
@needs_model
def test_similar_through_whichai_run_matches_promptfoos_verdicts(cli, tmp_path):
    with ReplyServer() as server:
        config = _copy_fixture(tmp_path, server.base_url, SIMILAR_FIXTURE)
        ours = _whichai(cli, config, tmp_path, server.base_url, kind="similar", count=8)
    assert ours == SIMILAR_PROMPTFOO


@pytest.mark.slow
@needs_model
def test_similar_agrees_with_promptfoo_eval(env, tmp_path):
    """promptfoo's embedding provider is the loopback server's /embeddings, which embeds with the model whichai
    uses: the same vectors, so the verdicts differ only if the rule does."""
    from test_promptfoo_agreement import _promptfoo_verdicts, promptfoo_bin

    binary = promptfoo_bin()
    if binary is None or shutil.which("node") is None:
        pytest.skip("promptfoo or node is not installed (npm install promptfoo@0.121.20)")
    with ReplyServer() as server:
        config = _copy_fixture(tmp_path, server.base_url, SIMILAR_FIXTURE)
        theirs = _promptfoo_verdicts(binary, config, tmp_path, env)
    assert theirs == SIMILAR_PROMPTFOO


def test_a_resumed_run_judges_what_has_no_verdict_with_the_stored_latency(tmp_path, fake):
    """A judge error leaves the case unscored; the same run again asks the judge only about it, and its
    latency assertion reads the stored answer's latency."""
    case = _pf_case("resume", [{"type": "llm-rubric", "value": "Mentions resume"}, {"type": "latency", "threshold": 60000}])
    config = load_config(write_config(tmp_path / "whichai.toml", "fake", fake.base_url))
    store = Store.open(tmp_path / "w.db")
    plan = RunPlan(task=Task(name="pf", cases=[case]), models=["fake/echo"], timeout=5, retries=0, calibrate_judges=False)
    fake.scripts["judge"] = lambda req: "no verdict here"
    first = asyncio.run(Runner(store, Registry(config)).run(plan))
    assert store.results(first.run_id)[0]["passed"] is None
    fake.scripts["judge"] = _grade
    second = asyncio.run(Runner(store, Registry(config)).run(plan))
    row = store.results(second.run_id)[0]
    assert second.run_id == first.run_id and second.ran == 0 and second.judged == 1
    assert row["passed"] == 1, row["reason"]


def test_an_unmapped_grader_is_an_error_naming_it_and_the_flag():
    from whichai.errors import FileInputError

    task = load_task(str(FIXTURE / "promptfooconfig.yaml"))
    task = task.model_copy(update={"cases": [c.model_copy(update={"options": {**c.options, "grader": "bedrock:claude"}}) for c in task.cases]})
    with pytest.raises(FileInputError, match=r"bedrock:claude.*--judge"):
        with_judges(task, None, {})
    assert with_judges(task, "det/grader", {}).cases[0].options["judge_model"] == "det/grader"
