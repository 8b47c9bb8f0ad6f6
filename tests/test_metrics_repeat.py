"""`whichai run --repeat N`: each case asked N times with sampling, nothing reused between repeats,
resumed per repeat, and per-case consistency in the summary."""

from __future__ import annotations

import asyncio
import itertools

import pytest
from conftest import write_config

from whichai.config import load_config
from whichai.errors import InputError
from whichai.measure.metrics import comparisons, run_summary, summarise
from whichai.measure.repeats import base_ids, expand, temperature_for
from whichai.measure.runner import Runner, RunPlan
from whichai.providers.base import GenerationSettings
from whichai.providers.registry import Registry
from whichai.store import Store
from whichai.tasks.model import Case, Task

CASES = [Case(id=f"q{i}", input=f"word{i} please", expected=f"word{i}", tags=["lang:en"]) for i in range(4)]


def _run(tmp_path, fake, models, n=3, cases=CASES):
    config = load_config(write_config(tmp_path / "whichai.toml", "fake", fake.base_url))
    store = Store.open(tmp_path / "w.db")
    task = expand(Task(name="r", cases=cases), n)
    plan = RunPlan(task=task, models=models, settings=GenerationSettings(temperature=0.7, seed=None), timeout=5, retries=0)
    outcome = asyncio.run(Runner(store, Registry(config)).run(plan))
    return store, outcome


def test_expand_gives_each_repeat_its_own_case_and_key():
    task = expand(Task(name="r", cases=CASES[:2]), 3)
    assert [c.id for c in task.cases] == ["q0#1", "q0#2", "q0#3", "q1#1", "q1#2", "q1#3"]
    assert base_ids([c.model_dump() for c in task.cases])["q1#2"] == ("q1", 2)
    assert expand(task, 1) is task
    with pytest.raises(InputError):
        expand(task, 0)


def test_repeats_need_sampling():
    assert temperature_for(1, None) == (None, None)
    assert temperature_for(3, None)[0] == 0.7 and "0.7" in temperature_for(3, None)[1]
    assert temperature_for(3, 1.2) == (1.2, None)
    with pytest.raises(InputError, match="temperature above 0"):
        temperature_for(3, 0.0)


def test_every_repeat_is_asked_and_consistency_is_reported(tmp_path, fake):
    flip = itertools.cycle([True, False])
    # "steady" always answers right; "coin" alternates right and wrong on every request
    fake.scripts["steady"] = lambda r: r["messages"][-1]["content"]
    fake.scripts["coin"] = lambda r: r["messages"][-1]["content"] if next(flip) else "no"
    store, outcome = _run(tmp_path, fake, ["fake/steady", "fake/coin"])
    assert fake.total("steady") == 12 and fake.total("coin") == 12  # 4 cases x 3 repeats, nothing reused
    bodies = [b for b in fake.bodies if b["model"] == "coin"]
    assert all(b.get("temperature") == 0.7 and "seed" not in b for b in bodies)
    steady, coin = summarise(store, outcome.run_id)
    assert steady.cases == 4 and steady.to_json()["consistency"] == {"cases": 4, "consistent": 4, "share": 1.0, "repeats": 3}
    assert coin.consistency is not None and coin.consistency.share < 1 and coin.consistency.repeats == 3
    assert coin.answered == 4 and steady.pass_rate == 1.0
    assert run_summary(store, outcome.run_id).cases == 4
    pair = comparisons(store, outcome.run_id)[0]
    assert pair.cases == 4  # compared per case (majority of its repeats), not per answer


def test_a_resumed_run_asks_only_the_missing_repeats(tmp_path, fake):
    store, first = _run(tmp_path, fake, ["fake/echo"])
    store.db.execute("DELETE FROM results WHERE case_id IN ('q0#2', 'q3#3')")
    store.db.execute("DELETE FROM claims WHERE case_id IN ('q0#2', 'q3#3')")
    _, second = _run(tmp_path, fake, ["fake/echo"])
    assert second.run_id == first.run_id and second.ran == 2 and fake.total("echo") == 14


def test_run_with_repeat_at_temperature_zero_is_bad_input(cli, tmp_path):
    result = cli("run", "--task", "facts", "--limit", "1", "--repeat", "3", "--temperature", "0",
                 "--models", "local/smollm2-135m-instruct", "--db", str(tmp_path / "w.db"), "--no-report")
    assert result.returncode == 2 and "--temperature above 0" in result.stderr
    assert not (tmp_path / "w.db").exists()
