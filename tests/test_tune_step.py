"""issue 18 item 3: `whichai run --candidates K` proposes tuning the best open candidate when the profile
says customisation matters (plan only: nothing is trained)."""

from __future__ import annotations

from whichai.measure.candidates import Chosen
from whichai.measure.tune_step import propose, tunable

ROWS = [Chosen("openai/gpt-x", "openai/gpt-x", "closed", 1, "api-key"),
        Chosen("local/hf:org/qwen-GGUF:Q4_K_M", "local/hf:org/qwen-GGUF:Q4_K_M", "open", 2, "hf-cache"),
        Chosen("local/smollm2-135m-instruct", "local/smollm2-135m-instruct", "open", 3, "embedded")]


def test_proposes_the_best_open_candidate_that_can_be_tuned():
    step = propose(ROWS, "must", "reviews", can_tune=lambda m: m == "local/smollm2-135m-instruct")
    assert step.command == "whichai tune local/smollm2-135m-instruct --task reviews"
    assert step.run is False and step.rank == 3
    assert "rank 3" in step.reason["en"] and "peringkat 3" in step.reason["id"]


def test_no_proposal_without_need_task_or_tunable_model():
    assert propose(ROWS, "none", "reviews", can_tune=lambda m: True) is None
    assert propose(ROWS, "nice", None, can_tune=lambda m: True) is None
    assert propose(ROWS, "nice", "reviews", can_tune=lambda m: False) is None
    assert propose(ROWS[:1], "nice", "reviews", can_tune=lambda m: True) is None  # a closed model is never tuned


def test_tunable_here(tmp_path):
    assert not tunable("openai/gpt-x")
    assert not tunable("local/tuned:reviews")  # a tune is not tuned again
    assert not tunable(f"local/{tmp_path / 'missing.gguf'}")
    (tmp_path / "bad.gguf").write_bytes(b"not a gguf")
    assert not tunable(f"local/{tmp_path / 'bad.gguf'}")
