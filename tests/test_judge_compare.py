"""`whichai compare RUN A B --judge MODEL`: pairwise verdicts asked in both orders, position bias turned
into ties, win / tie / loss with a Wilson interval, stored and resumed. A scripted judge on loopback
(the fake stands in for a vendor's model); the embedded model as a real judge."""

from __future__ import annotations

import asyncio
import json
import re

import pytest
from conftest import write_config

from whichai.config import load_config
from whichai.measure.judge import pairwise_results
from whichai.measure.runner import Runner, RunPlan
from whichai.providers.registry import Registry
from whichai.store import Store
from whichai.tasks.model import Case, Task

WORDS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"]


def _cases() -> list[Case]:
    return [Case(id=f"c{i}", input=f"{w} question", expected=w, scorer="contains") for i, w in enumerate(WORDS)]


def _run(tmp_path, fake, models):
    config_path = write_config(tmp_path / "whichai.toml", "fake", fake.base_url, price_usd_per_mtok="{ input = 1.0, output = 2.0 }")
    store = Store.open(tmp_path / "w.db")
    plan = RunPlan(task=Task(name="pairs", cases=_cases()), models=models, timeout=5, retries=1, backoff_initial=0.05)
    outcome = asyncio.run(Runner(store, Registry(load_config(config_path))).run(plan))
    return store, outcome.run_id, config_path


def _answers(request: dict) -> tuple[str, str, str]:
    prompt = request["messages"][-1]["content"]
    first = re.search(r"<<<ANSWER 1\n(.*)\nANSWER 1>>>", prompt, re.DOTALL).group(1)
    second = re.search(r"<<<ANSWER 2\n(.*)\nANSWER 2>>>", prompt, re.DOTALL).group(1)
    reference = re.search(r"Reference answer:\n(.*?)\n\n", prompt, re.DOTALL).group(1)
    return first, second, reference


def fair_judge(request: dict) -> str:
    """Prefers the answer that contains the reference; a tie when both or neither do."""
    first, second, reference = _answers(request)
    one, two = reference in first, reference in second
    winner = "tie" if one == two else ("1" if one else "2")
    return json.dumps({"winner": winner, "reason": f"looked for {reference}"})


def _compare(cli, store, run_id, config, *extra):
    return cli("compare", run_id[:8], "fake/echo", "fake/vague", "--judge", "fake/judge", "--config", str(config),
               "--db", str(store.path), *extra)


def test_a_fair_judge_finds_the_better_model_in_both_orders(cli, tmp_path, fake):
    fake.scripts["vague"] = lambda request: "I am not sure."
    fake.scripts["judge"] = fair_judge
    store, run_id, config = _run(tmp_path, fake, ["fake/echo", "fake/vague"])
    result = _compare(cli, store, run_id, config, "--json")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert (found["wins"], found["ties"], found["losses"], found["undecided"]) == (6, 0, 0, 0)
    assert found["order_disagreements"] == 0 and found["ci_method"] == "wilson-on-decisive-cases"
    low, high = found["win_share_ci95"]
    assert found["win_share"] == 1.0 and 0.5 < low < 0.7 and high == 1.0  # Wilson(6, 6) = 0.61-1.00
    assert found["p_value"] == 0.03125 and "fake/echo is preferred" in found["text"]["en"]
    assert found["cost_usd"] > 0
    # Both orders were asked for every case: each answer was shown first once.
    judge_bodies = [b["messages"][-1]["content"] for b in fake.bodies if b["model"] == "judge"]
    assert len(judge_bodies) == 12
    assert sum(1 for text in judge_bodies if "<<<ANSWER 1\nYou asked" in text) == 6
    # Stored: the same command again asks nothing new and gives the same figures.
    again = _compare(cli, store, run_id, config, "--json")
    assert again.returncode == 0 and fake.total("judge") == 12
    assert json.loads(again.stdout)["wins"] == 6
    assert [r.wins for r in pairwise_results(Store.open(store.path), run_id)] == [6]


def test_a_judge_that_always_prefers_the_first_answer_produces_ties(cli, tmp_path, fake):
    fake.scripts["vague"] = lambda request: "I am not sure."
    fake.scripts["judge"] = lambda request: '{"winner": "1", "reason": "the first one"}'
    store, run_id, config = _run(tmp_path, fake, ["fake/echo", "fake/vague"])
    result = _compare(cli, store, run_id, config, "--json")
    found = json.loads(result.stdout)
    assert (found["wins"], found["ties"], found["losses"]) == (0, 6, 0)
    assert found["order_disagreements"] == 6 and found["win_share"] is None


def test_unreadable_verdicts_are_undecided_and_asked_again(cli, tmp_path, fake):
    fake.scripts["vague"] = lambda request: "I am not sure."
    calls = {"n": 0}

    def flaky(request: dict) -> str:
        calls["n"] += 1
        return "Answer 1, clearly." if calls["n"] <= 2 else fair_judge(request)

    fake.scripts["judge"] = flaky
    store, run_id, config = _run(tmp_path, fake, ["fake/echo", "fake/vague"])
    first = _compare(cli, store, run_id, config, "--json")
    assert first.returncode == 1, first.stderr
    found = json.loads(first.stdout)
    assert found["undecided"] >= 1 and found["wins"] + found["undecided"] == 6
    second = _compare(cli, store, run_id, config, "--json")
    assert second.returncode == 0 and json.loads(second.stdout)["wins"] == 6
    assert fake.total("judge") == 12 + 2  # only the unreadable ones were asked again
    rows = store.db.execute("SELECT COUNT(*) FROM pairwise WHERE status = 'ok'").fetchone()[0]
    assert rows == 12


def test_the_terminal_view_shows_counts_and_the_sentence_in_indonesian(cli, tmp_path, fake):
    fake.scripts["vague"] = lambda request: "I am not sure."
    fake.scripts["judge"] = fair_judge
    store, run_id, config = _run(tmp_path, fake, ["fake/echo", "fake/vague"])
    result = _compare(cli, store, run_id, config, "--lang", "id")
    assert result.returncode == 0, result.stderr
    assert "6 menang, 0 seri, 0 kalah" in result.stdout and "lebih disukai" in result.stdout


def test_bad_input_exits_2_with_the_fix(cli, tmp_path, fake):
    store, run_id, config = _run(tmp_path, fake, ["fake/echo", "fake/vague"])
    wrong_model = cli("compare", run_id, "fake/echo", "fake/nope", "--judge", "fake/judge", "--config", str(config), "--db", str(store.path))
    assert wrong_model.returncode == 2 and "no model 'fake/nope'" in wrong_model.stderr and "fake/vague" in wrong_model.stderr
    wrong_judge = cli("compare", run_id, "fake/echo", "fake/vague", "--judge", "nosuch/judge", "--config", str(config), "--db", str(store.path))
    assert wrong_judge.returncode == 2 and "nosuch" in wrong_judge.stderr
    wrong_run = cli("compare", "ffffffff", "fake/echo", "fake/vague", "--judge", "fake/judge", "--config", str(config), "--db", str(store.path))
    assert wrong_run.returncode == 2 and "whichai runs" in wrong_run.stderr
    same = cli("compare", run_id, "fake/echo", "fake/echo", "--judge", "fake/judge", "--config", str(config), "--db", str(store.path))
    assert same.returncode == 2
    assert fake.total("judge") == 0


@pytest.mark.slow  # the embedded model reads four long judge prompts
def test_the_embedded_model_as_pairwise_judge_gives_verdicts_or_undecided(cli, tmp_path, fake):
    fake.scripts["vague"] = lambda request: "I am not sure."
    store, run_id, config = _run(tmp_path, fake, ["fake/echo", "fake/vague"])
    store.db.execute("DELETE FROM run_cases WHERE case_id NOT IN ('c0', 'c1')")  # two cases keep it quick
    result = cli("compare", run_id, "fake/echo", "fake/vague", "--judge", "local/smollm2-135m-instruct",
                 "--config", str(config), "--db", str(store.path), "--json")
    assert result.returncode in (0, 1), result.stderr
    found = json.loads(result.stdout)
    assert found["cases"] == 2 and found["wins"] + found["ties"] + found["losses"] + found["undecided"] == 2
    assert (result.returncode == 1) == (found["undecided"] > 0)
    rows = store.db.execute("SELECT status, error_class, latency_s, cost_usd FROM pairwise").fetchall()
    assert len(rows) == 4 and all(r[2] > 0 and r[3] == 0.0 for r in rows)
    assert all(r[0] == "ok" or r[1] == "judge_unparseable" for r in rows)


def test_nothing_to_compare_is_said_not_crashed(cli, tmp_path, fake):
    store, run_id, config = _run(tmp_path, fake, ["fake/echo", "fake/auth"])
    result = cli("compare", run_id, "fake/echo", "fake/auth", "--judge", "fake/judge", "--config", str(config), "--db", str(store.path))
    assert result.returncode == 2 and "no case has an answer from both" in result.stderr
    assert "Traceback" not in result.stderr and fake.total("judge") == 0
