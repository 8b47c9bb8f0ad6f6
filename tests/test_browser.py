"""The report and the dashboard in a real headless Chromium (Debian's, driven by Playwright).

Every request that is not a file or loopback is blocked and recorded, to prove the report needs no
network. Set WHICHAI_UPDATE_SCREENSHOTS=1 to write docs/report.png and docs/dashboard.png
(tools/screenshots.sh does).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from urllib.parse import urlparse

import pytest
from browser_support import MARKS, browser  # noqa: F401 - browser is a fixture
from report_sample import make_sample_run, serve_in_thread

RUN = "a1b2c3d4e5f6sample"
DOCS = Path(__file__).resolve().parent.parent / "docs"
CHARTS = ("quality_cost", "quality_latency", "latency_dist", "criteria", "openness_dims", "tco")

pytestmark = MARKS


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    from whichai.app import write_report

    folder = tmp_path_factory.mktemp("browser")
    store = make_sample_run(folder / "whichai.db")
    if importlib.util.find_spec("whichai.measure.load") is not None:  # stored load sweeps: the throughput-latency chart
        from report_sample import add_sample_sweep

        add_sample_sweep(store)
    report = write_report(store, RUN)
    store.close()
    return {"db": folder / "whichai.db", "report": report}


def offline_page(browser, blocked: list[str]):
    """A page on which every request that is not a file or loopback is aborted and recorded."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def guard(route):
        url = urlparse(route.request.url)
        if url.scheme in ("file", "data", "blob") or url.hostname in ("127.0.0.1", "localhost", "::1"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.errors = errors
    return page


def charts_drawn(page) -> dict[str, int]:
    return page.evaluate(
        "ids => Object.fromEntries(ids.map(id => [id, document.querySelectorAll('#chart-' + id + ' .main-svg').length]))",
        list(CHARTS),
    )


def shot(page, name: str, height: int) -> None:
    if os.environ.get("WHICHAI_UPDATE_SCREENSHOTS"):
        DOCS.mkdir(exist_ok=True)
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(DOCS / name), clip={"x": 0, "y": 0, "width": 1280, "height": height}, full_page=True)


def test_report_opens_offline_draws_its_charts_and_runs_no_injected_script(browser, sample):
    blocked: list[str] = []
    page = offline_page(browser, blocked)
    page.goto(sample["report"].as_uri())
    page.wait_for_function(
        "ids => ids.every(id => document.querySelector('#chart-' + id + ' .main-svg'))", arg=list(CHARTS), timeout=20_000
    )
    assert all(n >= 1 for n in charts_drawn(page).values())
    if importlib.util.find_spec("whichai.measure.load") is not None:
        page.wait_for_selector("#chart-load .main-svg")
        assert page.locator("#chart-load .scatterlayer .trace").count() >= 2  # the sweep and its saturation point
    # the scatter really drew points (one per model), and the break-even / volume lines are there
    assert page.locator("#chart-quality_cost .scatterlayer .point").count() >= 3
    assert page.locator("#chart-tco .scatterlayer .trace").count() >= 2
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("img[src='x']").count() == 0
    answer = page.locator("pre.answer", has_text="window.__xss=1").first
    assert "<script>window.__xss=1</script>" in answer.inner_text()
    from whichai.app import build_report
    from whichai.store import Store

    store = Store.open(sample["db"], create=False)
    decision = build_report(store, RUN)["decision"]
    store.close()
    assert page.locator("[data-testid=verdict]").inner_text() == decision["verdict_text"]["en"]
    assert page.locator("[data-testid=evidence]").inner_text().startswith(decision["evidence"]["text"]["en"])
    # the filter shows only the cases where models disagree
    rows = page.locator("table.cases tbody tr:visible").count()
    page.check("#only-disagree")
    assert 0 < page.locator("table.cases tbody tr:visible").count() < rows
    assert blocked == [] and page.errors == []
    page.uncheck("#only-disagree")
    shot(page, "report.png", 1900)
    page.close()


def test_dashboard_pages_load_and_the_profile_changes_the_verdict(browser, sample, tmp_path, monkeypatch):
    from whichai.web import create_app

    monkeypatch.setenv("WHICHAI_DATA_DIR", str(tmp_path / "data"))

    blocked: list[str] = []
    with serve_in_thread(create_app(sample["db"])) as base:
        page = offline_page(browser, blocked)
        page.goto(base + "/")
        with page.expect_navigation():  # each click that loads a page: wait for that page, not the one it leaves
            page.click(f"a[href^='/runs/{RUN}']")
        page.wait_for_function(
            "ids => ids.every(id => document.querySelector('#chart-' + id + ' .main-svg'))", arg=list(CHARTS), timeout=20_000
        )
        assert page.evaluate("typeof window.__xss") == "undefined"
        assert "<script>window.__xss=1</script>" in page.locator("pre.answer", has_text="window.__xss=1").first.inner_text()

        # the report as the dashboard serves it: its own CSP (script hashes) lets it draw, nothing else runs
        page.goto(base + f"/runs/{RUN}/report.html")
        page.wait_for_function(
            "ids => ids.every(id => document.querySelector('#chart-' + id + ' .main-svg'))", arg=list(CHARTS), timeout=20_000
        )

        page.goto(base + "/catalog")
        page.fill("input[name=q]", "smollm2")
        with page.expect_navigation():
            page.click("form.toolbar button")
        with page.expect_navigation():
            page.click("a[href*='smollm2-135m-instruct']")
        assert "Apache-2.0" in page.content()

        from whichai.app import recommend
        from whichai.decide.profile import Profile

        page.goto(base + f"/profile?run={RUN}")
        page.wait_for_selector("#chart-tco .main-svg")
        page.select_option("select[name=min_openness]", "open-source")
        with page.expect_navigation():
            page.click("#apply")
        expected = recommend(Profile(min_openness="open-source"), run_id=RUN, db=sample["db"]).document()
        assert page.locator("[data-testid=verdict]").inner_text() == expected.verdict_text.en
        page.select_option("select[name=min_openness]", "closed")
        page.select_option("select[name=support]", "sla-required")
        page.fill("input[name='volume.requests_per_month']", "200000")
        page.fill("input[name='ops_hours_per_month']", "5")
        with page.expect_navigation():
            page.click("#apply")
        page.wait_for_selector("#chart-tco .main-svg")
        expected = recommend(Profile(support="sla-required", volume={"requests_per_month": 200000}, ops_hours_per_month=5),
                             run_id=RUN, db=sample["db"]).document()
        assert page.locator("[data-testid=verdict]").inner_text() == expected.verdict_text.en
        assert "volume.requests_per_month=200000" in page.url
        # save it under a name, as a YAML profile in whichai's own folder, and load it back by name
        page.fill("input[name=save_as]", "browser-profile")
        page.click("#save")
        page.wait_for_selector("[data-testid=saved]")
        assert page.locator("select[name=base]").input_value() == "browser-profile"
        assert page.locator("input[name='volume.requests_per_month']").input_value() == "200000"
        assert blocked == [] and page.errors == []
        shot(page, "dashboard.png", 1700)
        page.close()


def test_long_texts_stay_inside_their_cards(browser, tmp_path):
    """Long model ids and exclusion reasons wrap: no card, and no page, is wider than the window."""
    from whichai.app import write_report

    long_id = "custom/" + "very-long-model-name-without-spaces-" * 6
    models = {"local/smollm2-135m-instruct": (0.5, 0.3, 100.0, 0.0), long_id: (0.6, 0.5, 80.0, 0.001)}
    store = make_sample_run(tmp_path / "w.db", run_id="longtexts0000001", n_cases=6, models=models)
    report = write_report(store, "longtexts0000001", out=tmp_path / "long.html")
    store.close()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(report.as_uri())
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    wide = page.evaluate("""() => Array.from(document.querySelectorAll('section.card'))
        .filter(c => c.scrollWidth > c.clientWidth + 1 && !c.querySelector('.cases-wrap'))
        .map(c => c.id + ': ' + c.scrollWidth + ' > ' + c.clientWidth)""")
    assert wide == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert page.locator("#excluded").count() == 1 and page.locator(f"text={long_id}").count() >= 1
    page.close()
