"""whichai tune (issue 18): checks before any work, and a tiny real tune (rank 2, 8 examples, one epoch)
that is interrupted after 3 steps, resumed by the same command, exported to GGUF, run as
local/tuned:NAME through the runner and compared with its base. The full-size figure is bench/bench_tune.py's.

The tiny tune needs the ``tune`` extra (torch, transformers, peft, gguf) and skips cleanly without it; it
loads the base twice (about a minute on a loaded 2-core machine), so it is marked slow.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from whichai.errors import ConfigError, InputError

FIXTURE = Path(__file__).parent / "fixtures" / "tune" / "review_labels.jsonl"
HAVE_TUNE = all(importlib.util.find_spec(m) for m in ("torch", "transformers", "peft", "gguf"))
needs_tune = pytest.mark.skipif(not HAVE_TUNE, reason="the tune extra is not installed (pip install 'whichai[tune]')")


@pytest.fixture()
def data(tmp_path, monkeypatch):
    monkeypatch.setenv("WHICHAI_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


def _files(tmp_path: Path, n_train: int, n_test: int) -> tuple[str, str]:
    lines = FIXTURE.read_text("utf-8").splitlines()
    train, test = tmp_path / "train.jsonl", tmp_path / "test.jsonl"
    train.write_text("\n".join(lines[:n_train]) + "\n", "utf-8")
    test.write_text("\n".join(lines[n_train:n_train + n_test]) + "\n", "utf-8")
    return str(train), str(test)


def test_split_keeps_training_cases_out_of_scoring():
    from whichai.tasks.loader import load_file
    from whichai.tune.examples import split_task

    task = load_file(FIXTURE)
    split = split_task(task, None, 0.5)
    held = {c.id for c in split.held_out.cases}
    assert len(split.train) == 40 and len(held) == 40
    assert not held & {e.case_id for e in split.train}
    assert split.train[0].answer.startswith("LABEL: ")
    assert split_task(task, None, 0.5).examples_hash() == split.examples_hash()  # seeded: the same split again


def test_too_few_examples_and_leaks_are_refused(data):
    from whichai.tasks.loader import load_file
    from whichai.tune.examples import split_task

    train, test = _files(data, 5, 4)
    with pytest.raises(InputError, match="at least 8"):
        split_task(load_file(test), load_file(train), 0.5)
    with pytest.raises(InputError, match="same as a case"):
        split_task(load_file(train), load_file(train), 0.5)


def test_closed_or_remote_base_is_refused():
    from whichai.app.tune import base_gguf

    with pytest.raises(ConfigError, match="Fix:"):
        base_gguf("openai/gpt-4o")


def test_missing_extra_names_the_fix(monkeypatch):
    from whichai.tune import train

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "peft" else real(name, *a))
    with pytest.raises(ConfigError, match=r"pip install 'whichai\[tune\]'"):
        train.check_installed()


def test_too_large_for_memory(monkeypatch):
    from whichai.tune import train

    monkeypatch.setattr(train, "available_memory", lambda: 2 * 2**30)
    with pytest.raises(ConfigError, match="memory"):
        train.check_memory(70_000_000_000)


def test_cli_exit_2_on_bad_input(data):
    from whichai.cli.main import build_app

    result = CliRunner().invoke(build_app(["tune"]), ["tune", "openai/gpt-4o", "--task", str(FIXTURE)])
    assert result.exit_code != 0
    assert isinstance(result.exception, ConfigError) and result.exception.exit_code == 2


@pytest.fixture
def base_read_once(monkeypatch):
    """``train.load_base`` reads the base once for the test's two ``tune()`` calls (de-quantising the GGUF costs
    transformers tens of CPU seconds); each call gets its own copy of those weights, as a new process reading the
    same file would, so the second call resumes from the checkpoint onto an untouched base."""
    import copy

    from whichai.tune import train

    real, read = train.load_base, {}

    def load_base(path: Path):
        if path not in read:
            read[path] = real(path)
        model, tokenizer = read[path]
        return copy.deepcopy(model), tokenizer  # the LoRA layers go into the copy; the tokenizer is only read

    monkeypatch.setattr(train, "load_base", load_base)


@needs_tune
@pytest.mark.slow
def test_tiny_tune_interrupted_resumed_exported_measured(data, base_read_once):
    from whichai.app.tune import TuneRequest, tune
    from whichai.tune import lineage

    train, test = _files(data, 8, 3)
    req = TuneRequest(base="local/smollm2-135m-instruct", task=test, train_file=train, epochs=1, rank=2,
                      name="tiny", max_steps=3, max_tokens=8, db=str(data / "w.db"))
    first = tune(req)
    assert (first.steps, first.finished, first.total_steps) == (3, False, 8)
    assert (Path(first.folder) / "checkpoint.pt").is_file() and not (Path(first.folder) / "tuned.gguf").exists()

    req.max_steps = None  # the same command again: resumes at step 3
    done = tune(req)
    assert done.finished and done.resumed_from == 3 and done.steps == 8
    assert len(done.losses) == 8  # the losses of the first call were kept in the checkpoint
    assert (Path(done.folder) / "tuned.gguf").read_bytes()[:4] == b"GGUF"
    assert set(done.pass_rates) == {"local/smollm2-135m-instruct", "local/tuned:tiny"}
    assert all(r["cases"] == 3 for r in done.pass_rates.values())
    assert done.comparison["test"] == "mcnemar-exact" and done.comparison["cases"] == 3
    found = lineage.list_tunes()
    assert [t.model_id for t in found] == ["local/tuned:tiny"]
    saved = json.loads((Path(done.folder) / "lineage.json").read_text())
    assert saved["base"] == "local/smollm2-135m-instruct" and saved["hyper"]["rank"] == 2 and saved["energy_wh"] >= 0
    assert saved["measured"]["comparison"]["cases"] == 3


def _fake_tune(name: str, base_rate: float, tuned_rate: float, better: bool) -> None:
    from whichai.tune.lineage import Lineage, tune_dir

    folder = tune_dir(name)
    folder.mkdir(parents=True)
    (folder / "tuned.gguf").write_bytes(b"GGUF")
    model = f"local/tuned:{name}"
    Lineage(name=name, model_id=model, base="local/smollm2-135m-instruct", task="reviews", task_ref="tasks/reviews", examples=40, examples_hash="x",
            hyper={"rank": 8}, device="cpu", threads=2, train_seconds=300.0, train_cpu_seconds=500.0, energy_wh=5.4, energy_basis="estimate",
            steps=120, final_loss=0.01, created_at="2026-12-07T00:00:00+00:00",
            measured={"pass_rates": {"local/smollm2-135m-instruct": {"passed": 0, "cases": 40, "rate": base_rate},
                                     model: {"passed": 30, "cases": 40, "rate": tuned_rate}},
                      "comparison": {"cases": 40, "p_value": 1e-6 if better else 0.5, "better": model if better else None}}).save(folder)


def test_tunes_listed_in_models_local(data):
    from whichai.cli.local_models import _tunes

    _fake_tune("reviews", 0.05, 0.75, True)
    (data / "data" / "tunes" / "unfinished").mkdir()  # a tune still training (no GGUF yet) is not a model
    assert [t["model_id"] for t in _tunes()] == ["local/tuned:reviews"]


def test_customization_is_measured_when_a_tune_exists(data):
    from whichai.decide.constraints import Candidate
    from whichai.decide.criteria_scores import customization

    cand = Candidate(model="local/smollm2-135m-instruct", name="SmolLM2", entry=None, openness="open-source",
                     openness_origin="inferred", measurement=None)
    assert customization(cand, "reviews").origin != "measured"
    _fake_tune("reviews", 0.05, 0.75, True)
    assert customization(cand).origin != "measured"  # no task in the decision: no tune counts
    assert customization(cand, "other-task").origin != "measured"  # a tune measured on another task says nothing here
    assert customization(cand, "tasks/reviews").origin == "measured"  # the task file the tune was given
    score = customization(cand, "reviews")
    assert (score.score, score.origin, score.note) == (1.0, "measured", "why.customization_tuned")
    assert "5%" in score.reason["text"]["en"] and "75%" in score.reason["text"]["en"]
    assert "menaikkan" in score.reason["text"]["id"]


def test_customization_reads_the_given_tunes_folder_only(tmp_path):
    from whichai.decide.constraints import Candidate
    from whichai.decide.criteria_scores import customization
    from whichai.tune.lineage import evidence_for

    cand = Candidate(model="local/smollm2-135m-instruct", name="SmolLM2", entry=None, openness="open-source",
                     openness_origin="inferred", measurement=None)
    assert evidence_for(cand.model, "reviews", tmp_path / "none") is None
    assert customization(cand, "reviews", tmp_path / "none").origin != "measured"
