"""`whichai report RUN --format promptfoo`: promptfoo's results file (EvaluateSummaryV3), which promptfoo
itself imports (`promptfoo import`, then `promptfoo export eval` gives the same verdicts back)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import write_config
from promptfoo_server import ReplyServer
from test_promptfoo_agreement import promptfoo_bin

CONFIG = """\
description: export check
prompts:
  - "Reply exactly: {{reply}}"
  - id: "Please. Reply exactly: {{reply}}"
    label: polite
providers:
  - id: openai:chat:det
    config: {apiBaseUrl: BASE_URL}
tests:
  - vars: {reply: Jakarta}
    description: the capital
    assert: [{type: contains, value: Jakarta}, {type: icontains, value: jakarta, weight: 2}]
  - vars: {reply: Bandung}
    assert: [{type: equals, value: Surabaya}]
"""


def _run_and_export(cli, tmp: Path) -> dict:
    with ReplyServer() as server:
        (tmp / "promptfooconfig.yaml").write_text(CONFIG.replace("BASE_URL", server.base_url))
        toml = write_config(tmp / "whichai.toml", "det", server.base_url)
        done = cli("run", "--task", str(tmp / "promptfooconfig.yaml"), "--config", str(toml), "--db", str(tmp / "w.db"), "--json", "--no-report")
    assert done.returncode in (0, 1), done.stderr
    run_id = json.loads(done.stdout)["run_id"]
    out = tmp / "pf.json"
    done = cli("report", run_id, "--format", "promptfoo", "--db", str(tmp / "w.db"), "--out", str(out))
    assert done.returncode == 0, done.stderr
    return json.loads(out.read_text())


def test_report_writes_promptfoos_results_file(cli, env, tmp_path):
    data = _run_and_export(cli, tmp_path)
    summary = data["results"]
    assert summary["version"] == 3 and summary["timestamp"] and isinstance(summary["prompts"], list)
    results = summary["results"]
    assert len(results) == 4  # 2 prompts × 2 tests, one provider
    by = {(r["prompt"]["label"], r["vars"]["reply"]): r for r in results}
    good = by[("polite", "Jakarta")]
    assert good["prompt"]["raw"] == "Please. Reply exactly: Jakarta"
    assert good["response"]["output"] == "Jakarta" and good["success"] is True and good["score"] == 1.0
    assert good["response"]["tokenUsage"] == {"total": 11, "prompt": 10, "completion": 1, "cached": 0, "numRequests": 1}
    assert good["provider"]["id"] == "det/det" and good["latencyMs"] >= 0 and "cost" in good
    assert [c["pass"] for c in good["gradingResult"]["componentResults"]] == [True, True]
    assert good["testCase"]["description"] == "the capital" and good["testCase"]["assert"][1]["weight"] == 2
    bad = by[("Reply exactly: {{reply}}", "Bandung")]
    assert bad["success"] is False and bad["failureReason"] == 1 and bad["gradingResult"]["pass"] is False
    assert bad["gradingResult"]["componentResults"][0]["reason"] == 'Expected output "Bandung" to equal "Surabaya"'
    assert summary["stats"]["successes"] == 2 and summary["stats"]["failures"] == 2 and summary["stats"]["errors"] == 0
    assert summary["stats"]["tokenUsage"]["total"] == 44
    assert {p["label"] for p in summary["prompts"]} == {"polite", "Reply exactly: {{reply}}"}
    assert data["evalId"].startswith("eval-") and data["vars"] == ["reply"]


def test_unknown_report_format_names_promptfoo():
    from whichai.errors import InputError
    from whichai.report import check_request, default_report_path

    with pytest.raises(InputError, match="promptfoo"):
        check_request("xml", "en")
    check_request("promptfoo", "en")
    assert default_report_path(type("S", (), {"path": "/d/w.db"})(), "abc", "promptfoo").name == "whichai-report-abc.promptfoo.json"


@pytest.mark.slow
def test_promptfoo_imports_the_file(cli, env, tmp_path):
    binary = promptfoo_bin()
    if binary is None or shutil.which("node") is None:
        pytest.skip("promptfoo or node is not installed (npm install promptfoo@0.121.20)")
    data = _run_and_export(cli, tmp_path)
    (tmp_path / "pf.json").write_text(json.dumps(data))
    pf_env = {**env, "PROMPTFOO_DISABLE_TELEMETRY": "1", "PROMPTFOO_DISABLE_UPDATE": "1", "NO_COLOR": "1",
              "PROMPTFOO_CONFIG_DIR": str(tmp_path / "pfhome")}
    done = subprocess.run([binary, "import", str(tmp_path / "pf.json")], env=pf_env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0 and "successfully imported" in done.stdout + done.stderr, done.stdout + done.stderr
    back = tmp_path / "back.json"
    done = subprocess.run([binary, "export", "eval", data["evalId"], "-o", str(back)], env=pf_env, capture_output=True, text=True, timeout=120, check=False)
    assert back.exists(), done.stdout + done.stderr
    theirs = json.loads(back.read_text())["results"]
    assert theirs["version"] == 3
    got = sorted((r["prompt"]["label"], r["vars"]["reply"], r["success"], r["score"], r["response"]["output"]) for r in theirs["results"])
    want = sorted((r["prompt"]["label"], r["vars"]["reply"], r["success"], r["score"], r["response"]["output"]) for r in data["results"]["results"])
    assert got == want
    assert theirs["stats"]["successes"] == 2 and theirs["stats"]["failures"] == 2


@pytest.mark.slow
def test_run_and_reports_show_the_imports_coverage(cli, env, tmp_path):
    with ReplyServer() as server:
        (tmp_path / "promptfooconfig.yaml").write_text(CONFIG.replace("BASE_URL", server.base_url).replace(
            "{type: equals, value: Surabaya}", "{type: equals, value: Surabaya}, {type: rouge-n, value: Surabaya}"))
        toml = write_config(tmp_path / "whichai.toml", "det", server.base_url)
        args = ("run", "--task", str(tmp_path / "promptfooconfig.yaml"), "--config", str(toml), "--db", str(tmp_path / "w.db"))
        done = cli(*args, "--json", "--no-report")
        shown = cli(*args, "--no-report")  # the same run again (resumed): the terminal view
    assert done.returncode in (0, 1), done.stderr
    document = json.loads(done.stdout)
    want = {"cases": 4, "assertions": {"contains": 2, "equals": 2, "icontains": 2, "rouge-n": 2},
            "supported": {"contains": 2, "equals": 2, "icontains": 2}, "unsupported": {"rouge-n": 2}, "flagged_cases": 2}
    assert document["promptfoo"] == want
    line = "promptfoo import: 4 cases · supported: contains 2, equals 2, icontains 2 · not supported: rouge-n 2 (2 cases flagged"
    assert line in shown.stdout
    for fmt in ("md", "json", "html", "promptfoo"):
        out = tmp_path / f"report.{fmt}"
        assert cli("report", document["run_id"], "--format", fmt, "--db", str(tmp_path / "w.db"), "--out", str(out)).returncode == 0
        text = out.read_text()
        if fmt == "json":
            assert json.loads(text)["promptfoo"]["unsupported"] == {"rouge-n": 2}
        elif fmt == "promptfoo":
            assert json.loads(text)["metadata"]["whichai_promptfoo_coverage"] == want
        else:
            assert "promptfoo import: 4 cases" in text and "rouge-n 2" in text
