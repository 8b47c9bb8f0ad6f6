"""The dashboard over HTTP, served by a real uvicorn on loopback: pages, escaping, the profile form,
the token, and `whichai serve` binding rules."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from conftest import free_port
from report_sample import XSS_SCRIPT, make_sample_run, serve_in_thread

RUN = "a1b2c3d4e5f6sample"


def get(url: str, headers: dict | None = None) -> tuple[int, str, dict]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8"), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8"), dict(exc.headers)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("web") / "whichai.db"
    make_sample_run(path).close()
    return path


STORES: dict[str, object] = {}


@pytest.fixture(scope="module")
def base(db):
    from whichai.web import create_app

    with serve_in_thread(create_app(db)) as url:
        STORES[url] = db
        yield url


def test_runs_page_lists_the_run(base):
    status, html, headers = get(base + "/")
    assert status == 200 and RUN[:12] in html and "local/smollm2-135m-instruct" in html
    assert "script-src 'self';" in headers["content-security-policy"]


def test_run_page_shows_the_report_views_escaped(base):
    status, html, _ = get(base + f"/runs/{RUN[:8]}")
    assert status == 200
    for section in ('id="verdict"', 'id="measured"', 'id="tco"', 'id="criteria"', 'id="openness"', 'id="cases"'):
        assert section in html
    assert '<script src="/static/plotly.min.js"></script>' in html and "cdn" not in html.lower()
    assert XSS_SCRIPT not in html and "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html


def test_plotly_is_served_locally(base):
    status, js, headers = get(base + "/static/plotly.min.js")
    assert status == 200 and len(js) > 1_000_000 and headers["content-type"].startswith("application/javascript")


def test_downloads(base):
    status, text, headers = get(base + f"/runs/{RUN}/report.json?lang=id")
    assert status == 200 and json.loads(text)["lang"] == "id" and "attachment" in headers["content-disposition"]
    status, text, _ = get(base + f"/runs/{RUN}/report.html")
    assert status == 200 and "plotly.js" in text
    assert get(base + f"/runs/{RUN}/report.pdf")[0] == 400


def test_unknown_run_is_404_with_the_fix(base):
    status, html, _ = get(base + "/runs/nosuchrun")
    assert status == 404 and "whichai runs" in html


def test_catalog_search_and_model_card(base):
    status, html, _ = get(base + "/catalog?q=gpt-4o-mini&openness=closed")
    assert status == 200 and "openai/gpt-4o-mini" in html
    assert 'class="pill closed"' in html and 'class="pill open-source"' not in html
    status, html, _ = get(base + "/catalog/model?id=local/smollm2-135m-instruct&lang=id&profile=hobbyist-laptop")
    assert status == 200 and "Apache-2.0" in html and "Sepuluh kriteria" in html
    from whichai.catalog import load_catalog
    from whichai.decide.criteria_scores import score_entry
    from whichai.decide.i18n import num, t
    from whichai.decide.profile import load_profile

    scores = score_entry(load_catalog().get("local/smollm2-135m-instruct"), load_profile("hobbyist-laptop"))
    for cid, score in scores.items():  # decide's scores for the chosen profile, with their origins
        row = html.split(f'data-criterion="{cid}">', 1)[1].split("</tr>", 1)[0]
        assert num(score.score, "id") in row and t("origin." + score.origin, "id") in row
    assert get(base + "/catalog/model?id=nobody/nothing")[0] == 400


def _verdict(html: str) -> str:
    return html.split('data-testid="verdict">', 1)[1].split("<", 1)[0]


def test_profile_form_shows_decides_verdict_for_the_submitted_profile(base):
    from whichai.app import recommend
    from whichai.decide.profile import Profile

    status, html, _ = get(base + "/profile")
    assert status == 200 and 'name="volume.requests_per_month"' in html
    assert _verdict(html) == recommend(Profile()).document().verdict_text.en
    status, html, _ = get(base + "/profile?min_openness=open-source&ops_hours_per_month=2")
    expected = recommend(Profile(min_openness="open-source", ops_hours_per_month=2)).document()
    assert status == 200 and _verdict(html) == expected.verdict_text.en and expected.verdict == "open-source"
    status, html, _ = get(base + f"/profile?run={RUN}&base=regulated-bank")
    assert status == 200 and 'value="regulated-bank" selected' in html and 'id="quality-cost"' in html
    made = recommend("regulated-bank", run_id=RUN, store=_store(base)).document()
    assert _verdict(html) == made.verdict_text.en


def _store(base):
    from whichai.store import Store

    return Store.open(STORES[base], create=False)


def test_profile_form_reports_bad_values(base):
    status, html, _ = get(base + "/profile?volume.requests_per_month=lots")
    assert status == 200 and 'data-testid="form-error"' in html and "not a number" in html


def test_token_is_checked_on_every_request(db):
    from whichai.web import create_app

    with serve_in_thread(create_app(db, token="s3cret-token")) as url:
        assert get(url + "/")[0] == 401
        assert get(url + "/static/plotly.min.js")[0] == 401
        assert get(url + "/?token=wrong-token")[0] == 401
        status, _, headers = get(url + "/?token=s3cret-token")
        assert status == 200 and "whichai_token=s3cret-token" in headers["set-cookie"]
        assert get(url + f"/runs/{RUN}", {"Cookie": "whichai_token=s3cret-token"})[0] == 200
        assert get(url + "/catalog", {"Authorization": "Bearer s3cret-token"})[0] == 200


def test_serve_remote_warns_and_requires_a_generated_token(db, env):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "whichai", "serve", "--host", "0.0.0.0", "--allow-remote", "--port", str(port), "--db", str(db)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        lines = []
        deadline = time.time() + 60
        while time.time() < deadline:
            line = process.stderr.readline()
            lines.append(line)
            if "dashboard:" in line or not line:
                break
        text = "".join(lines)
        assert "WARNING" in text and "Token:" in text
        token = text.split("Token:", 1)[1].split()[0]
        assert len(token) >= 24
        for _ in range(100):
            try:
                status = get(f"http://127.0.0.1:{port}/")[0]
                break
            except OSError:
                time.sleep(0.1)
        assert status == 401
        assert get(f"http://127.0.0.1:{port}/?token={token}")[0] == 200
    finally:
        process.terminate()
        process.wait(timeout=10)
