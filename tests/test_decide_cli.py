"""The decide commands as a user runs them (the entry point, in process: conftest.invoke), and decide over the real shipped catalog."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from whichai.catalog import load_catalog
from whichai.catalog.hardware import memory_needed_gb
from whichai.decide import example_profiles, recommend


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


# --- the real catalog ---------------------------------------------------------------------------------


def test_real_catalog_examples_give_the_forced_verdicts(catalog) -> None:
    assert len(catalog.entries) > 100
    recs = {name: recommend(p, catalog) for name, p in example_profiles().items()}
    # air-gapped with confidential data: an open model that fits the office's hardware, run there
    gov = recs["airgapped-government"]
    assert gov.verdict in ("open-source", "open-weights")
    hw = gov.profile.hardware
    for r in gov.ranked[:10]:
        entry = catalog.get(r.model)
        assert entry.weights_downloadable and r.option.mode.kind == "owned"
        assert memory_needed_gb(entry.params_b, context_tokens=4096) <= max(hw.gpu_memory_gb(), 0.75 * hw.ram_gb) + 1
    # a startup without ML staff that needs an SLA: closed
    assert recs["startup-no-ml"].verdict == "closed"
    assert all(r.cand.openness == "closed" for r in recs["startup-no-ml"].ranked)
    # a lab that must audit the training data: open source, not merely open weights
    lab = recs["research-lab"]
    assert lab.verdict == "open-source" and all(r.cand.openness == "open-source" for r in lab.ranked)
    for rec in recs.values():
        doc = rec.to_json()
        assert doc["explanation"] and doc["tco"]["models"]
        assert not {r["model"] for r in doc["ranking"]} & {x["model"] for x in doc["excluded"]}


def test_real_catalog_measured_run_flow(catalog) -> None:
    measured = [
        {"model": "local/smollm2-135m-instruct", "cases": 40, "answered": 40, "passed": 12, "pass_rate": 0.3,
         "pass_rate_ci95": [0.18, 0.45], "errors": 0, "latency_p50_s": 0.3, "latency_p95_s": 0.6, "ttft_p50_s": 0.04,
         "output_tokens_per_s": 150.0, "cost_usd": 0.0},
    ]
    rec = recommend(example_profiles()["hobbyist-laptop"], catalog, measurements=measured, lang="id",
                    only=["local/smollm2-135m-instruct"])
    doc = rec.to_json()
    assert doc["ranking"][0]["model"] == "local/smollm2-135m-instruct"
    assert doc["ranking"][0]["criteria"]["performance"]["origin"] == "measured"
    row = doc["tco"]["models"][0]
    # the profile's hardware is a laptop, not this machine: the local throughput is an estimate there
    assert row["throughput_origin"] == ("measured" if rec.profile.hardware.this_machine else "estimate")
    # the only model (open) was measured, no closed model is left to compare with: a measured verdict
    assert doc["evidence"]["level"] == "measured" and doc["evidence"]["other_side_measured"] is None
    assert doc["explanation"]["id"][0]["text"].startswith("Putusan:")
    assert rec.explain("id").startswith("Putusan:")


# --- the CLI --------------------------------------------------------------------------------------------


def test_recommend_json_is_one_document(cli) -> None:
    proc = cli("recommend", "--profile", "startup-no-ml", "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["verdict"] == "closed"
    for key in ("ranking", "excluded", "tco", "sensitivity", "explanation"):
        assert key in doc
    assert doc["ranking"][0]["criteria"].keys() >= {"cost", "security", "performance"}


def test_recommend_human_output_in_indonesian(cli) -> None:
    proc = cli("recommend", "--profile", "airgapped-government", "--lang", "id")
    assert proc.returncode == 0, proc.stderr
    assert "Putusan" in proc.stdout and "Penjelasan" in proc.stdout


def test_language_from_the_locale(cli, env) -> None:
    env["LANG"] = "id_ID.UTF-8"
    env.pop("LC_ALL", None)
    env.pop("LC_MESSAGES", None)
    proc = cli("recommend", "--json")  # the locale read from the environment the command runs in
    assert json.loads(proc.stdout)["lang"] == "id"


def test_bad_profile_file_exits_2_with_file_and_line(cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nteam_skill: wizard\n", encoding="utf-8")
    proc = cli("recommend", "--profile", str(bad))
    assert proc.returncode == 2
    assert f"{bad}:2" in proc.stderr and "team_skill" in proc.stderr
    assert proc.stdout == ""
    proc = cli("recommend", "--profile", "nope")
    assert proc.returncode == 2 and "no profile named" in proc.stderr
    proc = cli("recommend", "--lang", "fr")
    assert proc.returncode == 2


def test_profile_examples(cli) -> None:
    proc = cli("profile", "examples", "--json")
    assert proc.returncode == 0, proc.stderr
    names = {p["name"] for p in json.loads(proc.stdout)["profiles"]}
    assert {"hobbyist-laptop", "startup-no-ml", "regulated-bank", "airgapped-government", "research-lab", "high-volume-product"} <= names
    assert "research-lab" in cli("profile", "examples").stdout


@pytest.mark.parametrize("lang", ["en", "id"])
def test_profile_new_with_answers_on_stdin(cli, tmp_path: Path, lang: str) -> None:
    answers = "\n".join([
        "gov-office", "letters", "30000", "1500", "400", "3000", "confidential", "nowhere", "1", "air-gapped",
        "128", "48", "RTX A6000", "some", "none", "nice", "closed", "id,en", "", "",
    ]) + "\n"
    out = tmp_path / "mine.yaml"
    proc = cli("profile", "new", "--out", str(out), "--lang", lang, input=answers)
    assert proc.returncode == 0, proc.stderr
    assert ("Where may the data go" if lang == "en" else "Ke mana data boleh") in proc.stderr
    rec = cli("recommend", "--profile", str(out), "--json")
    doc = json.loads(rec.stdout)
    assert doc["profile"]["name"] == "gov-office" and doc["verdict"] in ("open-source", "open-weights")


def test_profile_new_rejects_a_bad_piped_answer(cli, tmp_path: Path) -> None:
    proc = cli("profile", "new", "--out", str(tmp_path / "x.yaml"), "--lang", "en", input="p\nuse\nmany\n")
    assert proc.returncode == 2 and "Requests per month" in proc.stderr
    # answers that end early keep the defaults
    proc = cli("profile", "new", "--out", str(tmp_path / "y.yaml"), "--lang", "en", input="short\n")
    assert proc.returncode == 0 and (tmp_path / "y.yaml").exists()


def test_recommend_with_a_stored_run(cli, env, tmp_path: Path) -> None:
    from whichai.store import Store

    db = tmp_path / "runs.db"
    store = Store.open(db)
    cases = [(f"c{i}", {"id": f"c{i}", "input": "q", "expected": "a"}) for i in range(4)]
    store.ensure_run("run-abc", task_name="t", task_hash="h", models=["local/smollm2-135m-instruct"], settings={},
                     cases=cases, version="0")
    for i in range(4):
        store.save_result("run-abc", {
            "model": "local/smollm2-135m-instruct", "case_id": f"c{i}", "status": "ok", "answer": "a", "passed": int(i < 3),
            "score": 1.0, "input_tokens": 20, "output_tokens": 10, "ttft_s": 0.05, "latency_s": 0.2,
            "output_tokens_per_s": 50.0, "cost_usd": 0.0,
        })
    proc = cli("recommend", "--run", "run-abc", "--db", str(db), "--only-measured", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["run"]["partial"] is True  # the run is still marked running
    store.set_status("run-abc", "complete")
    store.close()
    proc = cli("recommend", "--run", "run-ab", "--db", str(db), "--only-measured", "--json")  # a unique prefix
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["run"]["id"] == "run-abc" and doc["measured"] is True
    assert doc["run"]["partial"] is False and doc["run"]["answered"] == 4
    top = doc["ranking"][0]
    perf = top["criteria"]["performance"]
    # 3 of 4 passed, said with the sample size (the prior counts as a few cases: docs/method.md §3)
    assert top["model"] == "local/smollm2-135m-instruct" and "3 of 4 cases passed" in perf["reason"]["en"]
    proc = cli("recommend", "--run", "nope", "--db", str(db))
    assert proc.returncode == 2 and "no run" in proc.stderr.lower()
