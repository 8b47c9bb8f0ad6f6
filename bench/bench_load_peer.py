"""`whichai load` against GuideLLM, the same llama-cpp-python server and the same prompts, in one run.

The server: llama-cpp-python's OpenAI-compatible server with the embedded SmolLM2-135M model (with
--interrupt_requests False, so neither tool's streams are cut). The prompts: whichai's synthetic
prompts (--input-tokens / --output-tokens); GuideLLM gets the same texts through a JSON data file.

GuideLLM (0.8) always sends chat messages as content parts ([{"type": "text", ...}]), which the
model's chat template in llama-cpp-python cannot render (TypeError in the template), so GuideLLM
calls /v1/completions with each prompt already rendered by that same chat template (checked here:
the server counts the same prompt tokens either way), while whichai calls /v1/chat/completions.
Both ask for exactly the same number of output tokens (min_tokens, which llama-cpp-python honours).

The two tools run alternately at each concurrency, `REPEATS` times, and the medians are compared:
output tokens/s (throughput) and median time to first token. GuideLLM runs from its own virtual
environment (PEER_VENV, default /work/peer-venv: `pip install torch==2.13.0` (the CPU wheel), then
`pip install guidellm`).

    python bench/bench_load_peer.py
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import free_port  # noqa: E402

PEER = Path(os.environ.get("PEER_VENV", "/work/peer-venv")) / "bin" / "guidellm"
INPUT, OUTPUT, REQUESTS, CONCURRENCY, REPEATS = 128, 32, 8, (1, 2), 5


def start_server() -> tuple[subprocess.Popen, str]:
    from whichai.providers.local import embedded_model_path

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(embedded_model_path()), "--host", "127.0.0.1",
         "--port", str(port), "--n_ctx", "2048", "--model_alias", "smollm2", "--verbose", "False",
         "--interrupt_requests", "False"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(base + "/v1/models", timeout=1)
            return process, base
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("llama_cpp.server did not start")


def peer_prompts(base: str, path: Path) -> int:
    """GuideLLM's data file: whichai's synthetic prompts, rendered by the model's own chat template."""
    import llama_cpp
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    from whichai.measure.load.prompts import synthetic_prompts
    from whichai.measure.load.target import Target
    from whichai.providers.local import embedded_model_path

    target = Target(model_id="llama/smollm2", model="smollm2", provider="llama", base_url=base + "/v1", self_hosted=True)
    texts = [json.loads(p.body)["messages"][0]["content"] for p in synthetic_prompts(target, INPUT, OUTPUT, exact_output=True)]
    llm = llama_cpp.Llama(str(embedded_model_path()), vocab_only=True, verbose=False)
    render = Jinja2ChatFormatter(template=llm.metadata["tokenizer.chat_template"], add_generation_prompt=True,
                                 eos_token=llm._model.token_get_text(llm.token_eos()),
                                 bos_token=llm._model.token_get_text(llm.token_bos()))
    rows = [{"prompt": render(messages=[{"role": "user", "content": t}]).prompt, "output_tokens_count": OUTPUT} for t in texts]
    path.write_text(json.dumps(rows))

    def usage(route: str, body: dict) -> int:
        request = urllib.request.Request(base + route, data=json.dumps({**body, "model": "smollm2", "max_tokens": 1}).encode(),
                                         headers={"Content-Type": "application/json"})
        return json.load(urllib.request.urlopen(request))["usage"]["prompt_tokens"]

    chat = usage("/v1/chat/completions", {"messages": [{"role": "user", "content": texts[0]}]})
    plain = usage("/v1/completions", {"prompt": rows[0]["prompt"]})
    assert chat == plain, (chat, plain)
    return chat


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_whichai(base: str, tmp: Path, concurrency: int) -> dict:
    config = tmp / "whichai.toml"
    config.write_text(f'[providers.llama]\nbase_url = "{base}/v1"\n')
    cpu = _cpu()
    done = subprocess.run(
        [sys.executable, "-m", "whichai", "load", "llama/smollm2", "--config", str(config), "--db", str(tmp / "w.db"),
         "--concurrency", str(concurrency), "--requests", str(REQUESTS), "--input-tokens", str(INPUT),
         "--output-tokens", str(OUTPUT), "--timeout", "600", "--json"],
        capture_output=True, text=True, env={**os.environ, "WHICHAI_DATA_DIR": str(tmp)})
    if done.returncode != 0:
        raise SystemExit(done.stderr[-2000:])
    [point] = json.loads(done.stdout)["points"]
    return {"tok_s": point["output_tokens_per_s"], "ttft": point["ttft_p50_s"], "out": point["output_tokens_per_request"],
            "cpu_s": _cpu() - cpu}


def run_guidellm(base: str, data: Path, tmp: Path, concurrency: int) -> dict:
    out = tmp / f"guidellm-{concurrency}-{time.time_ns()}.json"
    backend = {"kind": "openai_http", "target": base, "model": "smollm2", "validate_backend": False,
               "request_format": "/v1/completions", "extras": {"body": {"min_tokens": OUTPUT}}}
    cpu = _cpu()
    done = subprocess.run(
        [str(PEER), "run", "--backend", json.dumps(backend), "--profile", f"kind=concurrent,streams={concurrency}",
         "--constraint", f"kind=max_requests,count={REQUESTS}", "--data", f"kind=json_file,path={data}",
         "--output", f"kind=json,path={out}", "--disable-progress"], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(done.stdout[-2000:] + done.stderr[-2000:])
    metrics = json.loads(out.read_text())["benchmarks"][0]["metrics"]
    ok = metrics["request_totals"]["successful"]
    assert ok >= REQUESTS - 1 and not metrics["request_totals"]["errored"], metrics["request_totals"]
    return {"tok_s": metrics["output_tokens_per_second"]["successful"]["mean"],
            "ttft": metrics["time_to_first_token_ms"]["successful"]["median"] / 1000,
            "out": metrics["output_token_count"]["successful"]["mean"], "cpu_s": _cpu() - cpu}


def main() -> None:
    if not PEER.exists():
        raise SystemExit(f"GuideLLM is not installed at {PEER}: see this file's docstring.")
    version = subprocess.run([str(PEER), "--version"], capture_output=True, text=True).stdout.strip()
    server, base = start_server()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            tmp_path = Path(tmp)
            data = tmp_path / "prompts.json"
            prompt_tokens = peer_prompts(base, data)
            results: dict[tuple[str, int], list[dict]] = {}
            for _ in range(REPEATS):
                for c in CONCURRENCY:
                    results.setdefault(("whichai", c), []).append(run_whichai(base, tmp_path, c))
                    results.setdefault(("guidellm", c), []).append(run_guidellm(base, data, tmp_path, c))
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"whichai load vs {version}: llama-cpp-python server, SmolLM2-135M Q4_1, {prompt_tokens} prompt tokens "
          f"(same on both endpoints), {OUTPUT} output tokens, {REQUESTS} requests per point, medians of {REPEATS} "
          "alternating runs")
    for c in CONCURRENCY:
        w = {k: statistics.median(r[k] for r in results[("whichai", c)]) for k in ("tok_s", "ttft", "out")}
        g = {k: statistics.median(r[k] for r in results[("guidellm", c)]) for k in ("tok_s", "ttft", "out")}
        print(f"  concurrency {c}: output tok/s whichai {w['tok_s']:.1f} vs GuideLLM {g['tok_s']:.1f} "
              f"({(w['tok_s'] / g['tok_s'] - 1) * 100:+.1f} %); TTFT p50 whichai {w['ttft'] * 1000:.0f} ms vs GuideLLM "
              f"{g['ttft'] * 1000:.0f} ms ({(w['ttft'] / g['ttft'] - 1) * 100:+.1f} %); output tokens/request "
              f"{w['out']:.0f} vs {g['out']:.0f}")
        pairs = list(zip(results[("whichai", c)], results[("guidellm", c)]))  # adjacent runs: same machine load
        tok = statistics.median(a["tok_s"] / b["tok_s"] for a, b in pairs)
        ttft = statistics.median(a["ttft"] / b["ttft"] for a, b in pairs)
        print(f"    median of the paired ratios (adjacent runs): throughput {(tok - 1) * 100:+.1f} %, TTFT {(ttft - 1) * 100:+.1f} %")
        print(f"    runs whichai tok/s {[round(r['tok_s'], 1) for r in results[('whichai', c)]]}, GuideLLM "
              f"{[round(r['tok_s'], 1) for r in results[('guidellm', c)]]}; TTFT ms whichai "
              f"{[round(r['ttft'] * 1000) for r in results[('whichai', c)]]}, GuideLLM "
              f"{[round(r['ttft'] * 1000) for r in results[('guidellm', c)]]}")
        print(f"    CPU seconds of the tool's own processes per run (start-up included): whichai "
              f"{statistics.median(r['cpu_s'] for r in results[('whichai', c)]):.1f}, GuideLLM "
              f"{statistics.median(r['cpu_s'] for r in results[('guidellm', c)]):.1f}")


if __name__ == "__main__":
    main()
