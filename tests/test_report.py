"""The report: self-contained HTML (plotly.js once, no network references), Markdown and JSON exports,
escaping of untrusted answers, both languages, and the `whichai report` command."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from report_sample import XSS_IMG, XSS_SCRIPT, make_sample_run

from whichai.errors import InputError

RUN = "a1b2c3d4e5f6sample"


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> dict:
    from whichai.report import write_report

    folder = tmp_path_factory.mktemp("report")
    store = make_sample_run(folder / "whichai.db")
    paths = {
        "html": write_report(store, RUN[:8]),  # default path, prefix of the run id
        "md": write_report(store, RUN, fmt="md", out=folder / "r.md"),
        "json": write_report(store, RUN, fmt="json", out=folder / "r.json"),
        "html_id": write_report(store, RUN, out=folder / "r-id.html", lang="id"),
    }
    yield {"store": store, "paths": paths, "folder": folder}
    store.close()


def test_default_path_is_next_to_the_database(sample):
    path = sample["paths"]["html"]
    assert path == Path(sample["store"].path).parent / "reports" / f"whichai-report-{RUN}.html"
    assert path.stat().st_size > 4_000_000  # plotly.js inlined


def test_html_is_self_contained_with_plotly_once(sample):
    html = sample["paths"]["html"].read_text(encoding="utf-8")
    assert html.count("plotly.js v") <= 2 and len(re.findall(r"<script>", html)) == 2  # plotly.js, then the drawing code
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=[\"']?(https?:)?//", html, re.I)
    assert "default-src 'none'" in html  # the page itself forbids any network request
    charts = re.findall(r'data-chart-for="chart-([a-z_]+)"', html)
    assert set(charts) == {"quality_cost", "quality_latency", "latency_dist", "criteria", "openness_dims", "tco"}


def test_untrusted_answers_are_escaped_everywhere(sample):
    html = sample["paths"]["html"].read_text(encoding="utf-8")
    assert XSS_SCRIPT not in html and XSS_IMG not in html
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&#34;window.__xss=2&#34;&gt;" in html
    md = sample["paths"]["md"].read_text(encoding="utf-8")
    assert "<script>" not in md and "<img" not in md and "&lt;script&gt;" in md


def test_script_json_cannot_close_its_script_block():
    from whichai.report.html import script_json

    text = str(script_json({"a": "</script><script>alert(1)</script>", "b": "<!-- & \u2028"}))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"a": "</script><script>alert(1)</script>", "b": "<!-- & \u2028"}


def test_report_shows_the_real_recommendation(sample):
    doc = json.loads(sample["paths"]["json"].read_text(encoding="utf-8"))
    rec = doc["recommendation"]
    assert rec["verdict"] in ("open-source", "open-weights", "closed", "hybrid")
    assert rec["explanation"] and rec["ranking"]
    html = sample["paths"]["html"].read_text(encoding="utf-8")
    label = {"open-source": "Open source", "open-weights": "Open weights", "closed": "Closed source", "hybrid": "Hybrid"}
    assert re.search(r'data-testid="verdict">' + label[rec["verdict"]], html)
    # verdict at the top: before the measured figures and every chart
    assert html.index('id="verdict"') < html.index('id="measured"') < html.index('id="tco"')


def test_json_export_has_everything_the_report_shows(sample):
    doc = json.loads(sample["paths"]["json"].read_text(encoding="utf-8"))
    assert doc["schema"] == "whichai.report/1" and doc["run"]["id"] == RUN
    assert [s["model"] for s in doc["summaries"]] == doc["run"]["models"]
    assert {m["openness"] for m in doc["models"]} == {"open-source", "open-weights", "closed"}
    assert set(doc["criteria"]["ids"]) == {"cost", "accessibility", "customization", "transparency", "collaboration",
                                           "updates", "support", "security", "performance", "ease_of_use"}
    gpt = doc["criteria"]["models"]["openai/gpt-4o-mini"]
    assert gpt["performance"]["origin"] == "decide"  # measured pass rate folded in by decide
    assert len(doc["cases"]) == 24 and all(set(c["results"]) == set(doc["run"]["models"]) for c in doc["cases"])
    states = {r["state"] for c in doc["cases"] for r in c["results"].values()}
    assert states == {"pass", "fail", "error"}
    curves = doc["tco_curves"]
    assert curves["series"] and all(len(s["points"]) > 10 for s in curves["series"])
    assert curves["requests_per_month"] == doc["recommendation"]["tco"]["volume"]["requests_per_month"]


def test_markdown_export_has_the_sections(sample):
    md = sample["paths"]["md"].read_text(encoding="utf-8")
    for heading in ("## Recommendation", "## What was measured", "## Cost of ownership vs monthly volume",
                    "## The ten criteria", "## Openness", "## Answers per case"):
        assert heading in md
    assert "**Verdict:" in md and "| local/smollm2-135m-instruct | open source |" in md


def test_bahasa_indonesia_labels(sample):
    html = sample["paths"]["html_id"].read_text(encoding="utf-8")
    for text in ("Rekomendasi", "Sepuluh kriteria", "Biaya kepemilikan vs volume bulanan", "Jawaban per kasus", "Putusan"):
        assert text in html
    assert '<html lang="id">' in html


def test_unknown_run_names_the_fix(sample):
    from whichai.report import write_report

    with pytest.raises(InputError, match="whichai runs"):
        write_report(sample["store"], "nosuchrun")
    with pytest.raises(InputError, match="--format"):
        write_report(sample["store"], RUN, fmt="pdf")
    with pytest.raises(InputError, match="--lang"):
        write_report(sample["store"], RUN, lang="fr")


def test_cli_report(sample, cli):
    db = str(sample["store"].path)
    out = sample["folder"] / "cli.md"
    done = cli("report", RUN[:6], "--format", "md", "--out", str(out), "--db", db)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(out.resolve()) and out.read_text().startswith("# whichai report")
    done = cli("report", RUN, "--format", "json", "--out", "-", "--db", db, "--lang", "id")
    assert done.returncode == 0 and json.loads(done.stdout)["lang"] == "id"
    done = cli("report", RUN, "--format", "md", "--json", "--out", str(out), "--db", db)
    assert json.loads(done.stdout)["report_path"] == str(out.resolve())
    bad = cli("report", "nosuchrun", "--db", db)
    assert bad.returncode == 2 and "whichai runs" in bad.stderr and "Traceback" not in bad.stderr
    assert cli("report", RUN, "--format", "pdf", "--db", db).returncode == 2
    assert cli("report", RUN, "--lang", "fr", "--db", db).returncode == 2


def test_cli_serve_refuses_remote_without_the_flag(sample, cli):
    done = cli("serve", "--host", "0.0.0.0", "--db", str(sample["store"].path), timeout=30)
    assert done.returncode == 2 and "--allow-remote" in done.stderr


def _curve(model, openness, kind, fixed, per_request):
    grid = [10.0 ** (2 + i / 4) for i in range(21)]
    return {"model": model, "openness": openness, "kind": kind, "monthly_usd": fixed + 1e4 * per_request, "components": [],
            "points": [[v, fixed + v * per_request] for v in grid]}


def test_tco_chart_marks_the_break_even():
    from whichai.report.charts import tco_chart
    from whichai.report.tco import tco_view

    doc = {"lang": "en", "models": [], "tco_curves": {
        "requests_per_month": 1e4,
        "series": [_curve("openai/gpt-4o", "closed", "api", 0.0, 0.01), _curve("meta/llama", "open-weights", "rented", 900.0, 0.001)],
        "break_even": {"kind": "above", "requests_per_month": 100_000, "monthly_usd": 1000.0, "api_model": "openai/gpt-4o",
                       "self_hosted_model": "meta/llama", "self_hosted_mode": "rented"},
    }}
    view = tco_view(doc)
    assert view["break_even"] == {"volume": 100_000, "cost": 1000.0}
    assert "above 100,000 requests a month" in view["break_even_text"]
    spec = json.loads(tco_chart(doc, "en"))
    assert [t["name"] for t in spec["data"]] == ["gpt-4o · API", "llama · rented GPUs", "Break-even"]
    assert spec["layout"]["xaxis"]["type"] == "log" and any("Break-even: 100,000" in a["text"] for a in spec["layout"]["annotations"])


def test_tco_falls_back_to_decides_own_curves_and_the_export_is_trimmed(sample):
    from whichai.report.tco import tco_view

    doc = json.loads(sample["paths"]["json"].read_text(encoding="utf-8"))
    rec = doc["recommendation"]
    assert rec["ranking_total"] >= len(rec["ranking"]) and len(rec["ranking"]) <= 25 + 3
    assert {r["model"] for r in rec["ranking"]} >= {m for m in doc["run"]["models"] if m not in {e["model"] for e in rec["excluded"]}}
    doc["tco_curves"] = None
    if rec["tco"].get("curves"):
        assert tco_view(doc)["series"]


def test_a_recommendation_already_made_is_shown_as_is(sample):
    from whichai.catalog import load_catalog
    from whichai.decide import load_profile, recommend
    from whichai.metrics import summarise
    from whichai.report.build import build_report

    store = sample["store"]
    made = recommend(load_profile("startup-no-ml"), load_catalog(), measurements=summarise(store, RUN), lang="id")
    doc = build_report(store, RUN, lang="id", recommendation=made)
    assert doc["recommendation"]["profile"] == "startup-no-ml" and doc["recommendation"]["verdict"] == made.verdict
    assert doc["recommendation"]["explanation"] == made.to_json("id")["explanation"]
