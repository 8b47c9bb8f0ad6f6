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
