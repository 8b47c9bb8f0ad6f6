"""XSS, tried in a real headless Chromium: 62 hostile vectors placed in answers, scoring reasons, case
ids, inputs, expected answers, the task name, model ids (through the charts' labels and hovers too)
and profile names, rendered by the HTML report and the dashboard. None may run.

The browser is told to ignore the pages' Content-Security-Policy here, so what is tested is the
escaping alone; ``test_csp_blocks_what_escaping_would_miss`` checks the CSP as the second wall.
"""

from __future__ import annotations

import urllib.parse

import pytest
from browser_support import MARKS, browser  # noqa: F401 - browser is a fixture
from report_sample import XSS_VECTORS, make_xss_runs, serve_in_thread

pytestmark = MARKS

RECORDER = """
window.__hits = [];
window.__x = function (n) { window.__hits.push(n); };
document.addEventListener('securitypolicyviolation', function (e) {
  (window.__csp = window.__csp || []).push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    from whichai.app import write_report

    folder = tmp_path_factory.mktemp("xss")
    store, run_a, run_b = make_xss_runs(folder / "whichai.db")
    reports = [write_report(store, run_a, out=folder / "a.html"), write_report(store, run_b, out=folder / "b.html")]
    store.close()
    return {"db": folder / "whichai.db", "runs": (run_a, run_b), "reports": reports}


def visit(context, url: str, dialogs: list[str]) -> dict:
    """Open ``url``, let every chart draw, hover the points (Plotly hover labels render model names),
    focus and toggle what can be, and return what ran."""
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url)
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    for point in page.locator(".scatterlayer .point").all()[:12]:
        point.hover(force=True)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    page.keyboard.press("Tab")
    page.wait_for_timeout(300)
    found = page.evaluate("({hits: window.__hits || [], answers: Array.from(document.querySelectorAll('pre.answer')).map(e => e.innerText),"
                          " text: document.body.innerText, name: (document.querySelector('input[name=name]') || {}).value})")
    page.close()
    return found


def test_no_vector_runs_in_the_report_or_the_dashboard(browser, hostile):
    from whichai.web import create_app

    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORDER)
    dialogs: list[str] = []
    pages = [r.as_uri() for r in hostile["reports"]]
    run_a, run_b = hostile["runs"]
    executed: set[int] = set()
    with serve_in_thread(create_app(hostile["db"])) as base:
        pages += [f"{base}/", f"{base}/runs/{run_a}", f"{base}/runs/{run_b}"]
        for i in range(0, len(XSS_VECTORS), 31):  # profile names, 31 vectors a page
            name = " ".join(XSS_VECTORS[i : i + 31])
            pages.append(f"{base}/profile?" + urllib.parse.urlencode({"name": name, "description": name, "use_case": name}))
        seen = {}
        for url in pages:
            found = visit(context, url, dialogs)
            executed |= set(found["hits"])
            seen[url] = found
    context.close()
    tried = len(XSS_VECTORS)
    print(f"\nXSS: {tried} vectors x 8 kinds of field (answer, reason, case id, input, expected, task name, model id, "
          f"profile name), {len(pages)} pages: executed {len(executed)}")
    assert executed == set() and dialogs == []
    # shown as text, not dropped: every answer of run A appears literally in the report
    answers = seen[pages[0]]["answers"]
    assert sum(v.strip() in answers for v in XSS_VECTORS) >= tried - 2  # whitespace-only differences aside
    assert seen[pages[-2]]["name"] == " ".join(XSS_VECTORS[:31])  # the profile name, kept as text in the form
    assert "<script>__x(0)</script>" in seen[pages[-2]]["text"]  # and shown as text in the verdict card


def test_csp_blocks_what_escaping_would_miss(browser, hostile):
    """With the CSP on: the report and the dashboard draw their charts without one violation
    (plotly.js needs no eval), and a script injected into the page does not run."""
    from whichai.web import create_app

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORDER)
    with serve_in_thread(create_app(hostile["db"])) as base:
        for url in (hostile["reports"][0].as_uri(), f"{base}/runs/{hostile['runs'][0]}", f"{base}/profile"):
            page = context.new_page()
            page.goto(url)
            page.wait_for_load_state("load")
            if "/profile" not in url:  # the profile page draws charts only when decide gives figures
                page.wait_for_selector(".chart .main-svg", timeout=20_000)
            page.wait_for_timeout(300)
            assert page.evaluate("window.__csp || []") == [], url
            page.evaluate("""() => { const s = document.createElement('script'); s.textContent = '__x(777)';
                                     document.body.appendChild(s);
                                     const d = document.createElement('div'); d.innerHTML = '<img src=x onerror=__x(778)>';
                                     document.body.appendChild(d); }""")
            page.wait_for_timeout(300)
            assert page.evaluate("window.__hits") == [], url
            assert any("script-src" in v for v in page.evaluate("window.__csp")), url
            page.close()
    context.close()
