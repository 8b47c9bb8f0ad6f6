"""``whichai run --max-cost``: what the run's paid API calls may cost, bounded before any call.

The paid API is the loopback fake of an OpenAI-compatible vendor (tests/fakeopenai.py) with a price
configured for its provider, as a user would write it in whichai.toml.
"""

from __future__ import annotations

import json
import math

import pytest
from conftest import write_config, write_jsonl

from whichai.config import load_config
from whichai.measure.spend import CHARS_PER_TOKEN, TOKENS_PER_MESSAGE, estimate, prompt_tokens
from whichai.providers.registry import Registry
from whichai.tasks.loader import load_task

CASES = [{"id": f"q{i}", "input": f"What is {i} plus {i}? Answer with a number.", "expected": str(2 * i), "scorer": "contains"}
         for i in range(1, 5)]
PRICE = "{ input = 2.0, output = 8.0 }"


@pytest.fixture
def setup(tmp_path, fake):
    config = write_config(tmp_path / "whichai.toml", "vendor", fake.base_url, price_usd_per_mtok=PRICE)
    task = write_jsonl(tmp_path / "task.jsonl", CASES)
    return config, task


def _bound(config, task) -> float:
    """The run's bound as whichai.measure.spend computes it: what the CLI must show."""
    return estimate(Registry(load_config(config)), load_task(str(task)), ["vendor/echo"], max_tokens=50).usd


def test_the_estimate_counts_every_call_at_its_cap_and_the_configured_price(setup) -> None:
    config, task = setup
    the_task = load_task(str(task))
    spend = estimate(Registry(load_config(config)), the_task, ["vendor/echo", "local/smollm2-135m-instruct"], max_tokens=50)
    [row] = spend.models  # the local model costs nothing per call
    expected_in = sum(math.ceil(len(c["input"]) / CHARS_PER_TOKEN) + TOKENS_PER_MESSAGE for c in CASES)
    assert expected_in == sum(prompt_tokens(c.messages()) for c in the_task.cases)
    assert row == {"model": "vendor/echo", "calls": 4, "input_tokens": expected_in, "output_tokens": 4 * 50,
                   "usd": pytest.approx((expected_in * 2.0 + 200 * 8.0) / 1e6), "price": "config"}
    assert spend.usd == pytest.approx(row["usd"]) and not spend.unpriced


def test_a_run_over_the_cap_is_refused_before_anything_is_written(cli, setup, tmp_path) -> None:
    config, task = setup
    db = tmp_path / "runs.db"
    proc = cli("run", "--task", str(task), "--models", "vendor/echo", "--config", str(config), "--db", str(db),
               "--max-tokens", "50", "--max-cost", "0.0001", "--no-report")
    assert proc.returncode == 2, proc.stderr
    text = " ".join(proc.stderr.split())
    assert f"could cost up to ${_bound(config, task):.4f}" in text and "over --max-cost $0.0001" in text and "vendor/echo" in text
    assert "Fix: raise --max-cost" in text
    assert not db.exists()


def test_a_run_under_the_cap_runs_and_says_its_bound(cli, setup, tmp_path) -> None:
    config, task = setup
    proc = cli("run", "--task", str(task), "--models", "vendor/echo", "--config", str(config), "--db", str(tmp_path / "r.db"),
               "--max-tokens", "50", "--max-cost", "1", "--no-report", "--json")
    assert proc.returncode in (0, 1), proc.stderr
    bound = _bound(config, task)
    assert f"paid API calls of this run: at most ${bound:.4f}" in " ".join(proc.stderr.split())
    document = json.loads(proc.stdout)
    spent = [r["cost_usd"] for r in document["models"]]
    assert spent and all(c is not None for c in spent) and 0 < sum(spent) <= bound  # what the answers did cost


def test_a_paid_model_without_a_price_cannot_be_bounded(cli, fake, tmp_path) -> None:
    config = write_config(tmp_path / "whichai.toml", "vendor", fake.base_url)  # no price configured, none in the catalog
    task = write_jsonl(tmp_path / "task.jsonl", CASES[:1])
    proc = cli("run", "--task", str(task), "--models", "vendor/echo", "--config", str(config), "--db", str(tmp_path / "r.db"),
               "--max-cost", "5", "--no-report")
    assert proc.returncode == 2
    text = " ".join(proc.stderr.split())
    assert "vendor/echo would be called on a paid API with no price on record" in text and "price_usd_per_mtok" in text
    assert not (tmp_path / "r.db").exists()


def test_a_self_hosted_server_costs_nothing_per_call(setup, tmp_path, fake) -> None:
    config = write_config(tmp_path / "self.toml", "mine", fake.base_url, self_hosted="true")
    the_task = load_task(str(setup[1]))
    spend = estimate(Registry(load_config(config)), the_task, ["mine/echo"], max_tokens=50)
    assert spend.models == [] and spend.unpriced == [] and spend.usd == 0.0


def test_without_a_cap_the_run_still_says_what_its_paid_calls_may_cost(cli, setup, tmp_path) -> None:
    config, task = setup
    proc = cli("run", "--task", str(task), "--models", "vendor/echo", "--config", str(config), "--db", str(tmp_path / "r.db"),
               "--max-tokens", "50", "--no-report", "--json")
    assert proc.returncode in (0, 1), proc.stderr
    text = " ".join(proc.stderr.split())
    assert f"paid API calls of this run: at most ${_bound(config, task):.4f}" in text and "--max-cost USD" in text
