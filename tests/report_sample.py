"""A sample run for the report and dashboard tests: real built-in cases, scored by the real scorers,
stored through the real :class:`whichai.store.Store`. The answers are test input written here (no
model runs in these tests); two of them are hostile HTML, to prove the report escapes answers.
"""

from __future__ import annotations

import contextlib
import random
from pathlib import Path

from whichai.store import Store
from whichai.tasks.loader import builtin_suite
from whichai.tasks.scorers import score

XSS_SCRIPT = "<script>window.__xss=1</script>"
XSS_IMG = '<img src=x onerror="window.__xss=2">'

MODELS = {
    # model: (share of cases answered right, median latency s, output tokens/s, USD per 1k output tokens or None for local)
    "local/smollm2-135m-instruct": (0.45, 0.35, 140.0, 0.0),
    "groq/llama-3.1-8b-instant": (0.75, 0.45, 600.0, 0.00008),
    "openai/gpt-4o-mini": (0.92, 1.1, 70.0, 0.0006),
}


def _wrong(expected: object) -> str:
    if isinstance(expected, (int, float)):
        return f"I think it is {expected + 7}."
    return "I am not sure; maybe something else."


def make_sample_run(
    db_path: Path, run_id: str = "a1b2c3d4e5f6sample", n_cases: int = 24, models: dict | None = None,
    task_name: str = "sample: built-in cases, synthetic answers",
) -> Store:
    """Create (or reuse) a database at ``db_path`` holding one complete run and return the store."""
    models = models or MODELS
    store = Store.open(db_path)
    if store.run(run_id) is not None:
        return store
    suite = builtin_suite()
    step = max(1, len(suite.cases) // n_cases)
    cases = suite.cases[::step][:n_cases]
    store.ensure_run(
        run_id,
        task_name=task_name,
        task_hash=suite.content_hash(),
        models=list(models),
        settings={"max_tokens": 256, "temperature": 0.0},
        cases=[(c.id, c.model_dump(mode="json")) for c in cases],
        version="0.1.0",
    )
    rng = random.Random(7)
    for m_index, (model, (skill, latency, tps, usd_per_1k)) in enumerate(models.items()):
        for c_index, case in enumerate(cases):
            status, answer, error_class, error_message = "ok", None, None, None
            if m_index == 0 and c_index == 0:
                answer = f"Answer: {XSS_SCRIPT} {XSS_IMG}"
            elif m_index == 1 and c_index == 3:
                status, error_class, error_message = "error", "rate_limit", "429 Too Many Requests after 4 attempts"
            elif rng.random() < skill:
                expected = case.expected
                if isinstance(expected, dict):
                    import json

                    answer = json.dumps(expected, ensure_ascii=False)
                elif isinstance(expected, list):
                    answer = str(expected[0])
                else:
                    answer = f"{expected}"
            else:
                answer = _wrong(case.expected)
            if m_index == 1 and c_index == 1:
                answer = XSS_IMG
            result = {"model": model, "case_id": case.id, "status": status, "attempts": 1}
            if status == "ok":
                graded = score(case, answer)
                out_tokens = rng.randint(8, 60)
                lat = max(0.05, rng.lognormvariate(0, 0.35) * latency)
                result.update(
                    answer=answer, passed=int(graded.passed), score=graded.score, reason=graded.reason,
                    finish_reason="stop", input_tokens=rng.randint(40, 160), output_tokens=out_tokens,
                    ttft_s=lat * 0.25, latency_s=lat, output_tokens_per_s=out_tokens / lat,
                    cost_usd=out_tokens / 1000 * usd_per_1k, price_source="local" if usd_per_1k == 0 else "catalog:models.dev",
                )
            else:
                result.update(error_class=error_class, error_message=error_message, attempts=4)
            store.save_result(run_id, result)
    store.set_status(run_id, "complete")
    return store


@contextlib.contextmanager
def serve_in_thread(app, port: int | None = None):
    """Run ``app`` with a real uvicorn server on a free loopback port; yield its base URL."""
    import socket
    import threading
    import time

    import uvicorn

    if port is None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    if not server.started:
        raise RuntimeError("uvicorn did not start")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


# Hostile text for the XSS suite: each vector calls __x(N) if it ever runs (N = its index). They cover
# element injection, attribute breakout, event handlers, javascript:/data: URLs, script-block breakout
# (JSON inside <script>), mutation XSS, entity and case tricks, template injection, and Plotly's label
# HTML subset.
_VECTORS = [
    "<script>__x(N)</script>", "<img src=x onerror=__x(N)>", "<svg onload=__x(N)>", "<svg/onload=__x(N)>",
    "<svg><script>__x(N)</script></svg>", "\"><script>__x(N)</script>", "'><img src=x onerror=__x(N)>",
    "</script><script>__x(N)</script>", "</textarea><script>__x(N)</script>", "</title><script>__x(N)</script>",
    "</pre><script>__x(N)</script>", "<iframe srcdoc=\"<script>parent.__x(N)</script>\"></iframe>",
    "<body onload=__x(N)>", "<details open ontoggle=__x(N)>", "<video><source onerror=__x(N)></video>",
    "<audio src=x onerror=__x(N)>", "<input autofocus onfocus=__x(N)>", "<select autofocus onfocus=__x(N)></select>",
    "<textarea autofocus onfocus=__x(N)></textarea>", "<marquee onstart=__x(N)>x</marquee>",
    "<object data=\"javascript:__x(N)\"></object>", "<embed src=\"javascript:__x(N)\">",
    "<math><mtext><table><mglyph><style><img src=x onerror=__x(N)>",
    "<noscript><p title=\"</noscript><img src=x onerror=__x(N)>\">", "<style>@import 'javascript:__x(N)';</style>",
    "<base href=\"javascript:__x(N)//\">", "<meta http-equiv=\"refresh\" content=\"0;url=javascript:__x(N)\">",
    "<form><button formaction=javascript:__x(N)>go</button></form>", "{{constructor.constructor('__x(N)')()}}",
    "${__x(N)}", "{{ cycler.__init__.__globals__.os }}", "<!--<img src=\"--><img src=x onerror=__x(N)//\">",
    "<IMG SRC=x OnErRoR=__x(N)>", "<img src=x onerror=&#95;&#95;x(N)>", "<img src=x onerror=\\u005f_x(N)>",
    "javascript:__x(N)", "data:text/html,<script>__x(N)</script>",
    "<svg><a xlink:href=\"javascript:__x(N)\"><text x=20 y=20>x</text></a></svg>",
    "<svg><animate onbegin=__x(N) attributeName=x dur=1s>", "<div style=\"background:url(javascript:__x(N))\">x</div>",
    "<img srcset=\",,,,x\" onerror=__x(N)>", "<script src=\"data:text/javascript,__x(N)\"></script>",
    "\u2028\u2029<script>__x(N)</script>", "<\\/script><script>__x(N)<\\/script>", "]]><script>__x(N)</script>",
    "<!--</script><script>__x(N)</script>-->", "<b>bold</b><i onmouseover=__x(N)>i</i>",
    "<a href=\"javascript:__x(N)\">plotly link</a>", "<br><span onmouseover=__x(N)>s</span>",
    "%3Cscript%3E__x(N)%3C/script%3E", "&lt;script&gt;__x(N)&lt;/script&gt;",
    "<scr<script>ipt>__x(N)</scr</script>ipt>", "\" onmouseover=\"__x(N)", "' onfocus='__x(N)' autofocus '",
    "<template><script>__x(N)</script></template><img src=x onerror=__x(N)>", "<img src=x:alert onerror=__x(N)>",
    "<svg><style><img src=x onerror=__x(N)></style></svg>", "<table background=\"javascript:__x(N)\"></table>",
    "<isindex type=image src=1 onerror=__x(N)>", "<x contenteditable onfocus=__x(N) autofocus>x</x>",
    "<img src=x onerror=__x(N) \x00>", "<a href=\"&#106;avascript:__x(N)\">x</a>",
]
XSS_VECTORS = [v.replace("(N)", f"({i})").replace("('__x(N)')", f"('__x({i})')") for i, v in enumerate(_VECTORS)]


def make_xss_runs(db_path: Path) -> tuple[Store, str, str]:
    """Two runs full of hostile text: run A puts every vector in a case id, an input, an expected
    answer and a model's answer; run B puts every vector in a model id. Returns (store, A, B)."""
    store = Store.open(db_path)
    run_a, run_b = "xss0000000000runa", "xss0000000000runb"
    if store.run(run_a) is None:
        models = ["local/smollm2-135m-instruct", "openai/gpt-4o-mini"]
        cases = [(f"c{i}-{v}", {"id": f"c{i}-{v}", "input": v, "expected": v, "scorer": "contains"}) for i, v in enumerate(XSS_VECTORS)]
        store.ensure_run(run_a, task_name="xss <script>__x(9999)</script>", task_hash="x" * 16, models=models,
                         settings={}, cases=cases, version="0.1.0")
        for m in models:
            for (cid, _), v in zip(cases, XSS_VECTORS):
                store.save_result(run_a, {"model": m, "case_id": cid, "status": "ok", "attempts": 1, "answer": v, "passed": 1,
                                          "score": 1.0, "reason": v, "latency_s": 0.5, "ttft_s": 0.1, "output_tokens": 9,
                                          "input_tokens": 9, "output_tokens_per_s": 18.0, "cost_usd": 0.0})
        store.set_status(run_a, "complete")
        models_b = [f"xss/{v}" for v in XSS_VECTORS]
        store.ensure_run(run_b, task_name="xss models", task_hash="y" * 16, models=models_b, settings={},
                         cases=[("q1", {"id": "q1", "input": "hi", "expected": "hi", "scorer": "contains"})], version="0.1.0")
        for i, m in enumerate(models_b):
            store.save_result(run_b, {"model": m, "case_id": "q1", "status": "ok", "attempts": 1, "answer": "hi", "passed": i % 2,
                                      "score": float(i % 2), "reason": m, "latency_s": 0.2 + i / 100, "ttft_s": 0.1,
                                      "output_tokens": 5, "input_tokens": 5, "output_tokens_per_s": 25.0,
                                      "cost_usd": 0.0001 * i, "error_message": m})
        store.set_status(run_b, "complete")
    return store, run_a, run_b


def add_sample_sweep(store: Store, model: str = "local/smollm2-135m-instruct", sweep_id: str = "sweep-sample-1"):
    """Store one load sweep (``whichai load --json`` shape) of ``model``: a server that serves 4 requests
    at once at 50 tokens/s each, so throughput rises to concurrency 4 and then only latency grows.
    Needs the whichai.measure.load package; returns the stored document."""
    from whichai.measure.load.store import save_sweep
    from whichai.measure.load.sweep import LoadSweep

    points = []
    for c in (1, 2, 4, 8, 16):
        busy = min(c, 4)
        wait = max(0, c - 4) / 4 * 2.0
        lat = 2.0 + wait
        points.append({
            "concurrency": c, "requests": 20, "errors": 0, "requests_per_s": busy / 2.0, "output_tokens_per_s": busy * 50.0,
            "ttft_p50_s": 0.1 + wait, "ttft_p95_s": 0.15 + wait, "itl_p50_s": 0.02, "latency_p50_s": lat, "latency_p95_s": lat * 1.2,
            "input_tokens_per_s": busy * 25.0, "tokens_per_s": busy * 75.0, "tpot_p50_s": 0.02,
        })
    document = LoadSweep(
        id=sweep_id, created_at="2026-11-25T10:00:00+00:00", model=model, server="http://127.0.0.1:8080/v1", serves=None,
        hardware="this-machine", workload={"input_tokens": 50, "output_tokens": 100}, plan={"max_concurrency": 16},
        points=points, max_output_tokens_per_s=200.0, max_at_concurrency=4, saturated=True, saturation_concurrency=4,
        at_saturation=None,
        at_slo={"slo_ttft_s": 1.0, "slo_latency_s": None, "met": True, "concurrency": 4, "requests_per_s": 2.0,
                "output_tokens_per_s": 200.0, "input_tokens_per_s": 100.0, "tokens_per_s": 300.0, "ttft_p95_s": 0.15,
                "latency_p95_s": 2.4},
        whichai_version="0.1.0",
    )
    save_sweep(store, document)
    return document
