"""For random profiles, every view shows what the decision document's JSON says: the terminal
(cli/decision_view), the Markdown and HTML reports, and the dashboard (real uvicorn, real HTTP) show
the same verdict, top models, monthly costs and their origins. Few examples: each is a full
recommendation over the catalog."""

from __future__ import annotations

import html as htmllib
import re
import urllib.parse
import urllib.request

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from report_sample import serve_in_thread

from whichai.decide.i18n import num, usd
from whichai.decide.i18n import t as dt

TOP = 5


@pytest.fixture(scope="module")
def catalog():
    from whichai.catalog import load_catalog

    return load_catalog()


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory):
    from whichai.store import Store
    from whichai.web import create_app

    db = tmp_path_factory.mktemp("views") / "whichai.db"
    Store.open(db).close()
    with serve_in_thread(create_app(db)) as url:
        yield url


profiles = st.fixed_dictionaries({
    "min_openness": st.sampled_from(["closed", "open-weights", "open-source"]),
    "data_may_go": st.sampled_from(["anywhere", "zero-retention-vendor", "nowhere"]),
    "deployment": st.sampled_from(["cloud", "on-premises"]),
    "team_skill": st.sampled_from(["none", "some", "strong"]),
    "support": st.sampled_from(["none", "helpful", "sla-required"]),
    "volume": st.fixed_dictionaries({"requests_per_month": st.sampled_from([300, 10_000, 250_000, 5_000_000])}),
    "ops_hours_per_month": st.sampled_from([None, 0, 4, 40]),
})


def plain(fragment: str) -> str:
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def html_view(page: str) -> dict:
    """What an HTML page (report or dashboard) shows: verdict, top models, and each one's cost line."""
    verdict = htmllib.unescape(re.search(r'data-testid="verdict">([^<]*)<', page).group(1))
    listed = page.split('data-testid="top-models"', 1)[1].split("</ol>", 1)[0] if 'data-testid="top-models"' in page else ""
    items = re.findall(r'<li data-model="([^"]+)">(.*?)</li>', listed, re.S)
    return {"verdict": verdict, "top": [htmllib.unescape(m) for m, _ in items], "lines": {htmllib.unescape(m): plain(b) for m, b in items},
            "provisional": 'data-testid="provisional"' in page}


def check_html(view: dict, decision: dict, lang: str) -> None:
    assert view["verdict"] == decision["verdict_text"][lang]
    assert view["top"] == [r["model"] for r in decision["ranking"][:TOP]]
    assert view["provisional"] == (decision["evidence"]["level"] != "measured" and bool(decision["ranking"]))
    for r in decision["ranking"][:TOP]:
        assert f"{usd(r['monthly_usd'], lang)} {dt('origin.' + r['monthly_origin'], lang)}" in view["lines"][r["model"]]


@pytest.mark.slow  # each example: a full recommendation over the catalog three times (terminal and reports, dashboard)
@settings(max_examples=4, deadline=None, phases=[Phase.explicit, Phase.generate], derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(fields=profiles, lang=st.sampled_from(["en", "id"]))
@example(fields={"min_openness": "open-source", "data_may_go": "nowhere", "deployment": "on-premises", "team_skill": "none",
                 "support": "sla-required", "volume": {"requests_per_month": 10_000}, "ops_hours_per_month": None},
         lang="id")  # nothing qualifies: no verdict, no ranking, and every view says so
def test_every_view_shows_the_documents_verdict_models_costs_and_origins(fields, lang, catalog, dashboard):
    from rich.console import Console

    from whichai.app import build_recommendation_doc, recommend
    from whichai.cli.decision_view import render
    from whichai.decide.profile import Profile
    from whichai.report.html import render_html
    from whichai.report.markdown import render_markdown
    from whichai.web.profile_form import form_values

    profile = Profile.model_validate({k: v for k, v in fields.items() if v is not None})
    rec = recommend(profile, lang=lang, catalog=catalog)
    decision = rec.document().model_dump(mode="json")
    top = decision["ranking"][:TOP]

    # the terminal
    console = Console(record=True, width=250, color_system=None)
    render(rec.document(), console=console, lang=lang)
    terminal = console.export_text()
    assert decision["verdict_text"][lang] in terminal
    for r in top:
        assert r["model"] in terminal and f"{num(r['monthly_usd'], lang)} {dt('origin.' + r['monthly_origin'], lang)}" in terminal

    # the report (Markdown and HTML), from the same document
    doc = build_recommendation_doc(profile, lang=lang, catalog=catalog)
    assert doc["decision"] == decision
    md = render_markdown(doc, lang).replace("\\", "")
    assert decision["verdict_text"][lang] in md
    for r in top:
        row = next(line for line in md.splitlines() if line.startswith(f"| {r['rank']} | {r['model']} |"))
        assert f"{usd(r['monthly_usd'], lang)} ({dt('origin.' + r['monthly_origin'], lang)})" in row
    check_html(html_view(render_html({**doc, "run": {"id": "-", "task": "-", "models": [], "created_at": "-", "status": "-",
                                                     "whichai_version": "-"}}, lang)), decision, lang)

    # the dashboard: the profile form submitted over HTTP, answered by its own recommendation
    fields_, values = form_values(profile)
    query = urllib.parse.urlencode({**{f.path: values[f.path] for f in fields_}, "lang": lang})
    with urllib.request.urlopen(f"{dashboard}/profile?{query}", timeout=60) as response:
        page = response.read().decode("utf-8")
    check_html(html_view(page), decision, lang)
