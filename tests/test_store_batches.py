"""Results and claims are written a batch at a time (one statement per batch where the rows are alike, one
lookup per model and batch for claims): the same rows stored, the same pairs claimed, as row by row."""

from __future__ import annotations

from pathlib import Path

from whichai.store import Store


def _store(tmp_path: Path, models: list[str], cases: int) -> Store:
    store = Store.open(tmp_path / "w.db")
    store.ensure_run("r1", task_name="t", task_hash="h", models=models, settings={},
                     cases=[(f"c{i}", {"id": f"c{i}"}) for i in range(cases)], version="test")
    return store


def _ok(model: str, case_id: str, answer: str) -> dict:
    return {"model": model, "case_id": case_id, "status": "ok", "answer": answer, "passed": 1, "score": 1.0,
            "reason": "contains", "latency_s": 0.1, "attempts": 1}


def _error(model: str, case_id: str) -> dict:
    return {"model": model, "case_id": case_id, "status": "error", "error_class": "timeout",
            "error_message": "no complete answer", "attempts": 3, "tokens_counted": 0}


def test_a_batch_of_results_with_different_columns_stores_each_with_its_own(tmp_path: Path) -> None:
    store = _store(tmp_path, ["a/m"], 4)
    store.save_results("r1", [_ok("a/m", "c0", "x"), _error("a/m", "c1"), _error("a/m", "c2"), _ok("a/m", "c3", "y")])
    rows = {r["case_id"]: r for r in store.results("r1")}
    assert [rows[c]["status"] for c in ("c0", "c1", "c2", "c3")] == ["ok", "error", "error", "ok"]
    assert rows["c0"]["answer"] == "x" and rows["c0"]["error_class"] is None
    assert rows["c1"]["error_class"] == "timeout" and rows["c1"]["answer"] is None
    assert rows["c3"]["answer"] == "y"


def test_a_later_result_for_the_same_case_in_a_batch_wins(tmp_path: Path) -> None:
    store = _store(tmp_path, ["a/m"], 1)
    store.save_results("r1", [_error("a/m", "c0"), _ok("a/m", "c0", "second")])
    (row,) = store.results("r1")
    assert (row["status"], row["answer"]) == ("ok", "second")


def test_claim_many_skips_answered_and_held_pairs_across_models_and_large_batches(tmp_path: Path) -> None:
    store = _store(tmp_path, ["a/m", "b/n"], 1200)  # more case ids per model than one lookup statement takes
    mine, other = store.register_worker("r1"), store.register_worker("r1")  # both live (this process)
    store.save_results("r1", [_ok("a/m", "c5", "x"), _error("b/n", "c6")])  # an ok result is never claimed; an error is
    assert store.claim_many("r1", [("a/m", "c7"), ("b/n", "c8")], other) == [("a/m", "c7"), ("b/n", "c8")]
    pairs = [(m, f"c{i}") for i in range(1200) for m in ("a/m", "b/n")]
    claimed = store.claim_many("r1", pairs, mine)
    assert claimed == [p for p in pairs if p not in {("a/m", "c5"), ("a/m", "c7"), ("b/n", "c8")}]
    assert store.claim_many("r1", pairs, mine) == []  # all held by this worker now, or answered
