"""The report renders decide's decision document and nothing of its own: every score, origin, cost,
verdict and text it shows is asserted equal to the document's. Also: self-contained HTML with a
strict CSP, Markdown and JSON exports, escaping, both languages, partial runs, provisional verdicts,
the load chart, and the `whichai report` command."""

from __future__ import annotations

import html as htmllib
import json
import re
from pathlib import Path

import pytest
from report_sample import XSS_IMG, XSS_SCRIPT, make_sample_run

from whichai.decide.i18n import num, usd
from whichai.decide.i18n import t as dt
from whichai.errors import InputError

RUN = "a1b2c3d4e5f6sample"
GPT = "openai/gpt-4o-mini"


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> dict:
    from whichai.app import write_report

    folder = tmp_path_factory.mktemp("report")
    store = make_sample_run(folder / "whichai.db")
    paths = {
        "html": write_report(store, RUN[:8]),  # default path, prefix of the run id
        "md": write_report(store, RUN, fmt="md", out=folder / "r.md"),
        "json": write_report(store, RUN, fmt="json", out=folder / "r.json"),
        "html_id": write_report(store, RUN, out=folder / "r-id.html", lang="id"),
    }
    yield {"store": store, "paths": paths, "folder": folder, "doc": json.loads(paths["json"].read_text(encoding="utf-8"))}
    store.close()


def plain(html: str) -> str:
    """The visible text of an HTML fragment, whitespace collapsed."""
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def section(html: str, marker: str, end: str = "</table>") -> str:
    """The HTML from the end of the tag holding ``marker`` to the next ``end``."""
    start = html.index(">", html.index(marker)) + 1
    return html[start : html.index(end, start)]


def test_default_path_is_next_to_the_database(sample):
    path = sample["paths"]["html"]
    assert path == Path(sample["store"].path).parent / "reports" / f"whichai-report-{RUN}.html"
    assert path.stat().st_size > 4_000_000  # plotly.js inlined


def test_html_is_self_contained_with_a_strict_csp(sample):
    html = sample["paths"]["html"].read_text(encoding="utf-8")
    assert html.count("plotly.js v") <= 2 and len(re.findall(r"<script>", html)) == 2  # plotly.js, then the drawing code
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=[\"']?(https?:)?//", html, re.I)
    csp = htmllib.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html).group(1))
    assert "default-src 'none'" in csp and "unsafe-eval" not in csp
    script_src = re.search(r"script-src ([^;]*)", csp).group(1)
    assert "unsafe-inline" not in script_src and script_src.count("'sha256-") == 2
    from whichai.report.html import _sha256

    for body in re.findall(r"<script>(.*?)</script>", html, re.S):  # each inline script is allowed by its own hash
        assert _sha256(body) in script_src
    charts = set(re.findall(r'data-chart-for="chart-([a-z_]+)"', html))
    assert charts >= {"quality_cost", "quality_latency", "latency_dist", "criteria", "openness_dims", "tco"}


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


def test_the_json_export_embeds_decides_document_unchanged(sample):
    from whichai.app import recommend
    from whichai.decide.document import Decision

    doc = sample["doc"]
    assert doc["schema"] == "whichai.report/2" and doc["run"]["id"] == RUN
    decision = doc["decision"]
    assert decision["schema"] == "whichai.decision/1"
    Decision.model_validate(decision)  # the contract, as is
    again = recommend(None, run_id=RUN, store=sample["store"]).document().model_dump(mode="json")
    assert decision == again  # made by decide, not assembled by the report


def test_the_verdict_card_shows_the_documents_verdict_evidence_and_run(sample):
    decision = sample["doc"]["decision"]
    html = sample["paths"]["html"].read_text(encoding="utf-8")
    card = section(html, 'id="verdict"', "</section>")
    assert re.search(r'data-testid="verdict">([^<]*)<', card).group(1) == decision["verdict_text"]["en"]
    assert plain(re.search(r'data-testid="evidence">(.*?)</div>', card, re.S).group(1)).startswith(decision["evidence"]["text"]["en"])
    assert ('data-testid="provisional"' in card) == (decision["evidence"]["level"] != "measured")
    assert plain(re.search(r'data-testid="run-completeness">(.*?)</p>', card, re.S).group(1)) == decision["run"]["text"]["en"]
    age = decision["catalog_age"]
    assert age["newest_as_of"] in card and age["oldest_as_of"] in card
    explanation = plain(section(card, 'data-testid="explanation"', "</div>"))
    assert explanation == plain(" ".join(b["text"] for b in decision["explanation"]["en"]))
    top = re.findall(r'<li data-model="([^"]+)">', section(card, 'data-testid="top-models"', "</ol>"))
    assert top == [r["model"] for r in decision["ranking"][:5]]


def test_your_models_rows_show_decides_scores_costs_and_origins(sample):
    decision = sample["doc"]["decision"]
    html = sample["paths"]["html"].read_text(encoding="utf-8")
    table = section(html, 'data-testid="your-models"')
    ranked = {r["model"]: r for r in decision["ranking"]}
    for model in sample["doc"]["run"]["models"]:
        row = plain(re.search(r'<tr data-model="' + re.escape(model) + r'">(.*?)</tr>', table, re.S).group(1))
        r = ranked[model]
        expected = f"#{r['rank']} {model}"
        assert row.startswith(expected), row
        assert f"{num(r['score'], 'en')} " in row + " "
        assert row.endswith(f"{usd(r['monthly_usd'], 'en')} {dt('origin.' + r['monthly_origin'], 'en')}"), row


def test_criteria_show_decides_cells_and_a_measured_model_says_measured(sample):
    """The bug of issue 8: the report replaced decide's origin of a measured model's performance."""
    decision = sample["doc"]["decision"]
    html = sample["paths"]["html"].read_text(encoding="utf-8")
    rows = {r["model"]: r for r in decision["ranking"]}
    assert rows[GPT]["measured"] and rows[GPT]["criteria"]["performance"]["origin"] == "measured"
    for model in sample["doc"]["shown"]:
        if model not in rows:
            continue
        table = section(html, f'data-testid="criteria-{model}"')
        for cid, c in rows[model]["criteria"].items():
            cells = plain(re.search(r'<tr data-criterion="' + cid + r'">(.*?)</tr>', table, re.S).group(1))
            assert f"{num(c['score'], 'en')} {dt('origin.' + c['origin'], 'en')} {plain(c['reason']['en'])}" in cells, (model, cid, cells)
    assert "diukur" in section(sample["paths"]["html_id"].read_text(encoding="utf-8"), f'data-testid="criteria-{GPT}"')


def test_costs_and_break_even_come_from_the_documents_tco(sample):
    doc = sample["doc"]
    tco = doc["decision"]["tco"]
    html = sample["paths"]["html"].read_text(encoding="utf-8")
    table = section(html, 'data-testid="tco-rows"')
    shown = [m for m in tco["models"] if m["model"] in doc["shown"]]
    assert shown and re.findall(r'<tr data-model="([^"]+)">', table) == [m["model"] for m in shown]
    for m in shown:
        row = plain(re.search(r'<tr data-model="' + re.escape(m["model"]) + r'">(.*?)</tr>', table, re.S).group(1))
        assert f"{usd(m['monthly_usd'], 'en')} {dt('origin.' + m['origin'], 'en')}" in row
        for c in m["components"]:
            assert f"{usd(c['monthly_usd'], 'en')} {dt('origin.' + c['origin'], 'en')}" in row
    if tco["break_even"]:
        assert plain(tco["break_even"]["text"]["en"]) in plain(section(html, 'data-testid="break-even"', "</p>"))


def test_the_cost_chart_draws_decides_curves(sample):
    from whichai.report.charts import tco_chart

    doc = sample["doc"]
    spec = json.loads(tco_chart(doc, "en"))
    curves = [c for c in doc["decision"]["tco"]["curves"] if c["points"]]
    lines = [d for d in spec["data"] if d.get("mode") == "lines"]
    assert len(lines) == len(curves)
    for line, curve in zip(lines, curves):
        assert line["x"] == [p[0] for p in curve["points"]]
        assert line["y"] == [p[1] if p[1] > 0 else None for p in curve["points"]]
    assert spec["layout"]["xaxis"]["type"] == "log" and spec["layout"]["shapes"][0]["x0"] == doc["decision"]["tco"]["requests_per_month"]


def test_markdown_renders_the_same_document(sample):
    md = sample["paths"]["md"].read_text(encoding="utf-8")
    decision = sample["doc"]["decision"]
    for heading in ("## Recommendation", "## What was measured", "## Cost of ownership vs monthly volume",
                    "## The ten criteria", "## Openness", "## Answers per case", "### Weights"):
        assert heading in md
    unescaped = md.replace("\\", "")
    assert f"**Verdict: {decision['verdict_text']['en']}**" in unescaped or "(provisional)" in unescaped
    for r in decision["ranking"][:10]:
        assert f"| {r['rank']} | {r['model']} |" in unescaped
        assert f"{usd(r['monthly_usd'], 'en')} ({dt('origin.' + r['monthly_origin'], 'en')})" in unescaped
    assert "| local/smollm2-135m-instruct | open source |" in md.replace("\\", "")


def test_bahasa_indonesia_labels_and_numbers(sample):
    html = sample["paths"]["html_id"].read_text(encoding="utf-8")
    for label in ("Rekomendasi", "Sepuluh kriteria", "Biaya kepemilikan vs volume bulanan", "Jawaban per kasus", "Putusan"):
        assert label in html
    assert '<html lang="id">' in html
    decision = sample["doc"]["decision"]
    assert htmllib.escape(decision["verdict_text"]["id"], quote=False) in html
    r = decision["ranking"][0]
    assert usd(r["monthly_usd"], "id") in html


def test_a_partial_run_says_so(tmp_path):
    from whichai.app import build_report
    from whichai.report.html import render_html

    store = make_sample_run(tmp_path / "w.db", run_id="partialrun000001", n_cases=8)
    store.db.execute("DELETE FROM results WHERE run_id = ? AND model = ? AND rowid % 2 = 0", ("partialrun000001", GPT))
    store.db.commit()
    store.set_status("partialrun000001", "interrupted")
    doc = build_report(store, "partialrun000001")
    store.close()
    assert doc["decision"]["run"]["partial"] is True
    html = render_html(doc, "en")
    block = re.search(r'<p class="note warn" data-testid="run-completeness">(.*?)</p>', html, re.S).group(1)
    assert plain(block) == doc["decision"]["run"]["text"]["en"]


def test_a_verdict_without_measurements_is_provisional_and_says_what_to_measure(tmp_path):
    from whichai.app import build_recommendation_doc
    from whichai.report.html import render_html
    from whichai.report.markdown import render_markdown

    doc = build_recommendation_doc(None)
    evidence = doc["decision"]["evidence"]
    assert evidence["level"] == "prior" and evidence["next_to_measure"]
    doc["run"] = None
    page = render_html({**doc, "run": {"id": "-", "task": "-", "models": [], "created_at": "-", "status": "-",
                                       "whichai_version": "-"}}, "en")
    assert 'data-testid="provisional"' in page and dt("ui.provisional", "en") in page
    listed = re.findall(r'<li class="mono">([^<]+)</li>', section(page, 'data-testid="measure-next"', "</ul>"))
    assert listed == evidence["next_to_measure"]
    md = render_markdown(doc, "en")
    assert f"({dt('ui.provisional', 'en')})" in md and "Measure next" in md


def test_long_exclusion_reasons_wrap_inside_their_cards():
    css = (Path(__file__).resolve().parent.parent / "src/whichai/report/templates/report.css").read_text()
    assert "overflow-wrap: anywhere" in css  # checked in the browser by test_browser


def test_load_sweeps_are_charted_when_stored(tmp_path):
    pytest.importorskip("whichai.measure.load.store")
    from report_sample import add_sample_sweep

    from whichai.app import build_report
    from whichai.report.charts import load_chart
    from whichai.report.html import render_html
    from whichai.report.markdown import render_markdown

    store = make_sample_run(tmp_path / "w.db")
    sweep = add_sample_sweep(store)
    doc = build_report(store, RUN)
    store.close()
    assert [s["id"] for s in doc["loads"]] == [sweep.id]
    spec = json.loads(load_chart(doc, "en"))
    line = spec["data"][0]
    assert line["y"] == [p["output_tokens_per_s"] for p in sweep.points]
    assert line["x"] == [p["latency_p50_s"] for p in sweep.points] and line["text"] == ["1", "2", "4", "8", "16"]
    saturation = [d for d in spec["data"] if d.get("marker", {}).get("symbol") == "diamond"][0]
    assert saturation["y"] == [200.0] and saturation["text"] == ["4"]
    assert 'id="chart-load"' in render_html(doc, "en")
    assert "## Throughput against latency under load" in render_markdown(doc, "en")


def test_unknown_run_names_the_fix(sample):
    from whichai.app import write_report

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
    done = cli("report", RUN, "--format", "md", "--json", "--out", str(out), "--db", db, "--force")  # an --out that exists: only with --force (issue 23)
    assert json.loads(done.stdout)["report_path"] == str(out.resolve())
    bad = cli("report", "nosuchrun", "--db", db)
    assert bad.returncode == 2 and "whichai runs" in bad.stderr and "Traceback" not in bad.stderr
    assert cli("report", RUN, "--format", "pdf", "--db", db).returncode == 2
    assert cli("report", RUN, "--lang", "fr", "--db", db).returncode == 2


def test_cli_serve_refuses_remote_without_the_flag(sample, cli):
    done = cli("serve", "--host", "0.0.0.0", "--db", str(sample["store"].path), timeout=30)
    assert done.returncode == 2 and "--allow-remote" in done.stderr


def test_a_recommendation_already_made_is_shown_as_is(sample):
    from whichai.app import build_report, recommend

    store = sample["store"]
    made = recommend("startup-no-ml", run_id=RUN, store=store, lang="id")
    doc = build_report(store, RUN, lang="id", recommendation=made)
    assert doc["decision"] == made.document().model_dump(mode="json")
    assert doc["decision"]["profile"]["name"] == "startup-no-ml"
