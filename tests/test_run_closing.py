"""The closing work of ``whichai run`` (figures, recommendation, report) reads the store: the task's cases, all
stored by then, are not held through it (issue 24: each garbage collection of the closing walked every live
object, 100,000 cases are about 400,000 of them)."""

from __future__ import annotations

import gc
import json

from conftest import write_config

from whichai.cli import running
from whichai.tasks.model import Case


def _live_cases(prefix: str) -> int:
    return sum(1 for o in gc.get_objects() if isinstance(o, Case) and o.id.startswith(prefix))


def test_the_closing_recommendation_runs_with_no_case_of_the_task_alive(cli, fake, tmp_path, monkeypatch) -> None:
    task = tmp_path / "cases.jsonl"
    task.write_text("".join(json.dumps({"id": f"closing-{i}", "input": f"question {i}", "expected": "question"}) + "\n"
                            for i in range(40)))
    config = write_config(tmp_path / "whichai.toml", "fake", fake.base_url)
    seen: list[int] = []
    recommend = running._recommend

    def counted(*args, **kwargs):
        seen.append(_live_cases("closing-"))
        return recommend(*args, **kwargs)

    monkeypatch.setattr(running, "_recommend", counted)
    result = cli("run", "--task", str(task), "--models", "fake/echo", "--config", str(config), "--db", str(tmp_path / "w.db"),
                 "--no-report", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["models"][0]["cases"] == 40
    assert seen == [0]
