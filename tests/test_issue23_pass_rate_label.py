"""Issue 23, finding 9: "20 %" printed next to "Passed 5/30". The pass rate is over the scored cases; the
count beside it in the report and in the run's terminal table is over the same cases, and says so."""

from __future__ import annotations

import re

from whichai.report.html import environment

SUMMARY = {"model": "local/x.gguf", "openness": "open-weights", "cases": 30, "answered": 25, "scored": 25, "passed": 5,
           "pass_rate": 0.2, "pass_rate_ci95": [0.09, 0.39], "errors": 5, "latency_p50_s": 0.4, "latency_p95_s": 0.9,
           "ttft_p50_s": 0.05, "output_tokens_per_s": 40.0, "cost_usd": 0.0, "cost_per_1000_cases_usd": 0.0}


def _measured(lang: str) -> str:
    template = environment().get_template("_measured.html.j2")
    html = template.render(doc={"summaries": [SUMMARY], "cases": [{}] * 30, "promptfoo": None}, lang=lang)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_report_counts_passes_over_the_cases_its_rate_is_over():
    text = _measured("en")
    assert "20%" in text.replace(" %", "%") and "5 / 25 scored" in text and "5 / 30" not in text, text
    assert "cases in the task: 30" in text
    assert "5 / 25 dinilai" in _measured("id")


def test_the_terminal_table_counts_passes_over_the_scored_cases(monkeypatch, capsys):
    from whichai.cli import running

    document = {"run_id": "r1", "task": "shop", "models": [{**SUMMARY, "pass_rate_ci95": [0.09, 0.39], "judge_errors": 0}]}
    monkeypatch.setenv("COLUMNS", "200")
    try:
        running._print_table(document)
    except (KeyError, TypeError):  # a row this summary lacks: the label is what is checked below
        pass
    out = capsys.readouterr().out
    assert "passed / scored" in out and "5 / 25" in out, out
