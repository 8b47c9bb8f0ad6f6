"""A run's cases are stored in batches while its first calls go out (issue 24: on 100,000 cases the first
call no longer waits for them), and still every case is stored: in order, when the run is stopped before the
batches are done, and when a killed run left only some of them."""

from __future__ import annotations

import asyncio
import json

import pytest
from conftest import write_config

from whichai.config import load_config
from whichai.measure import runner as runner_module
from whichai.measure.runner import Runner, RunPlan
from whichai.providers.registry import Registry
from whichai.store import Store
from whichai.tasks.model import Case, Task

CASES = [Case(id=f"c{i}", input=f"question {i}", expected=f"question {i}", tags=[f"n:{i}"]) for i in range(7)]


def _plan(cases: list[Case] = CASES) -> RunPlan:
    return RunPlan(task=Task(name="t", cases=cases), models=["fake/echo"], retries=0, timeout=5)


def _runner(tmp_path, fake) -> tuple[Store, Runner]:
    store = Store.open(tmp_path / "w.db")
    return store, Runner(store, Registry(load_config(write_config(tmp_path / "whichai.toml", "fake", fake.base_url))))


def _stored(store: Store, run_id: str) -> list[tuple[str, int, dict]]:
    rows = store.db.execute("SELECT case_id, position, data FROM run_cases WHERE run_id = ? ORDER BY position", (run_id,))
    return [(case_id, position, json.loads(data)) for case_id, position, data in rows]


def test_the_cases_are_stored_in_order_in_batches(tmp_path, fake, monkeypatch) -> None:
    monkeypatch.setattr(runner_module, "CASE_BATCH", 2)  # 7 cases: four batches, the last one short
    store, runner = _runner(tmp_path, fake)
    outcome = asyncio.run(runner.run(_plan()))
    assert [(c, p) for c, p, _ in _stored(store, outcome.run_id)] == [(f"c{i}", i) for i in range(7)]
    assert [d for _, _, d in _stored(store, outcome.run_id)] == [c.model_dump(mode="json") for c in CASES]
    assert store.run(outcome.run_id)["status"] == "complete" and len(store.results(outcome.run_id)) == 7


def test_a_run_stopped_before_its_batches_ran_stores_its_cases_on_the_way_out(tmp_path, fake, monkeypatch) -> None:
    async def never(self, db) -> None:  # the batches never get their turn
        await asyncio.sleep(3600)

    async def interrupted(self, *args) -> None:  # Ctrl-C before the first call
        raise KeyboardInterrupt

    monkeypatch.setattr(runner_module._CaseRows, "store_all", never)
    monkeypatch.setattr(Runner, "_judge_stored", interrupted)
    store, runner = _runner(tmp_path, fake)
    plan = _plan()
    with pytest.raises(KeyboardInterrupt):
        asyncio.run(runner.run(plan))
    assert [c for c, _, _ in _stored(store, plan.run_id)] == [c.id for c in CASES]
    assert store.run(plan.run_id)["status"] == "interrupted"


def test_a_run_whose_killed_process_stored_some_cases_stores_the_rest(tmp_path, fake, monkeypatch) -> None:
    monkeypatch.setattr(runner_module, "CASE_BATCH", 3)
    store, runner = _runner(tmp_path, fake)
    plan = _plan()
    store.ensure_run(plan.run_id, task_name="t", task_hash=plan.task.content_hash(), models=plan.models,
                     settings=plan.settings.identity(), cases=plan.task.case_rows(0, 2), version="test")
    outcome = asyncio.run(runner.run(plan))
    assert outcome.resumed and [(c, p) for c, p, _ in _stored(store, plan.run_id)] == [(f"c{i}", i) for i in range(7)]
    assert len(store.results(plan.run_id)) == 7


def test_a_resumed_run_with_all_its_cases_stores_none_again(tmp_path, fake, monkeypatch) -> None:
    store, runner = _runner(tmp_path, fake)
    plan = _plan()
    asyncio.run(runner.run(plan))
    added: list[int] = []
    monkeypatch.setattr(Store, "add_cases", lambda self, run_id, cases, first=0: added.append(first))
    _, again = _runner(tmp_path, fake)
    outcome = asyncio.run(again.run(plan))
    assert outcome.resumed and outcome.reused == 7 and added == []
