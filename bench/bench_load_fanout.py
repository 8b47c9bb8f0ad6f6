"""The load generator must not measure itself (issue 12, item 2).

200 calls at concurrency 20 against a loopback OpenAI-compatible server that answers after 100 ms
(tests/fakeopenai.py): ideal 200 / 20 × 0.1 s = 1.0 s. Measured as the whole `whichai load` process
minus a 1-call run of the same command (start-up, imports, prompt calibration and storage cancel out;
the 1-call run's own 0.1 s call is added back, so the figure is not flattered). Client CPU per request
is the child processes' user+system CPU of the two runs, differenced, over the 199 extra calls (the
server runs in this process, so its CPU is not counted). For context, the same for `whichai run`
(SDK provider, scoring, SQLite per result) and for the bare HTTP client (httpx2) alone.

    python bench/bench_load_fanout.py
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from bench_fanout import RAW_CLIENT  # noqa: E402
from fakeopenai import FakeOpenAI  # noqa: E402

CALLS, CONCURRENCY, DELAY = 200, 20, 0.1
IDEAL = CALLS / CONCURRENCY * DELAY


# The two HTTP stacks a streaming load client could use, alone, in their own processes: CPU per streamed
# call over 400 calls at concurrency 20 after a warm-up, SSE lines read and JSON-decoded the same way.
CLIENT_CPU = {
    "httpx2": """
import asyncio, json, resource, sys, httpx2
base, n = sys.argv[1], int(sys.argv[2])
body = json.dumps({"model": "echo", "messages": [{"role": "user", "content": "hello " * 40}], "stream": True}).encode()
async def main():
    limit = asyncio.Semaphore(20)
    async with httpx2.AsyncClient(timeout=None, limits=httpx2.Limits(max_connections=20)) as client:
        async def one():
            async with limit:
                async with client.stream("POST", base + "/chat/completions", content=body,
                                         headers={"Content-Type": "application/json"}) as r:
                    async for line in r.aiter_lines():
                        if line.startswith("data:") and line[5:].strip() != "[DONE]":
                            json.loads(line[5:])
        await asyncio.gather(*(one() for _ in range(40)))
        r0 = resource.getrusage(resource.RUSAGE_SELF)
        await asyncio.gather(*(one() for _ in range(n)))
        r1 = resource.getrusage(resource.RUSAGE_SELF)
        print((r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) / n * 1000)
asyncio.run(main())
""",
    "aiohttp": """
import asyncio, json, resource, sys, aiohttp
base, n = sys.argv[1], int(sys.argv[2])
body = json.dumps({"model": "echo", "messages": [{"role": "user", "content": "hello " * 40}], "stream": True}).encode()
async def main():
    limit = asyncio.Semaphore(20)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=20)) as client:
        async def one():
            async with limit:
                async with client.post(base + "/chat/completions", data=body,
                                       headers={"Content-Type": "application/json"}) as r:
                    async for line in r.content:
                        if line.startswith(b"data:") and line[5:].strip() != b"[DONE]":
                            json.loads(line[5:])
        await asyncio.gather(*(one() for _ in range(40)))
        r0 = resource.getrusage(resource.RUSAGE_SELF)
        await asyncio.gather(*(one() for _ in range(n)))
        r1 = resource.getrusage(resource.RUSAGE_SELF)
        print((r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) / n * 1000)
asyncio.run(main())
""",
}


def client_cpu(base_url: str) -> dict[str, float]:
    return {name: float(subprocess.run([sys.executable, "-c", code, base_url, "400"], capture_output=True, text=True,
                                       check=True).stdout) for name, code in CLIENT_CPU.items()}


def _timed(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, child CPU seconds, stdout of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {done.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), done.stdout


def _load(config: Path, db: Path, env: dict[str, str], calls: int, concurrency: int) -> list[str]:
    return [sys.executable, "-m", "whichai", "load", "bench/echo", "--config", str(config), "--db", str(db),
            "--concurrency", str(concurrency), "--requests", str(calls), "--input-tokens", "32",
            "--output-tokens", "16", "--json"]


def _run(config: Path, task: Path, env: dict[str, str], concurrency: int) -> list[str]:
    return [sys.executable, "-m", "whichai", "run", "--task", str(task), "--models", "bench/echo", "--config",
            str(config), "--concurrency", str(concurrency), "--json", "--no-report", "--profile", "startup-no-ml"]


def once() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp, FakeOpenAI(delay=DELAY) as fake:
        tmp_path = Path(tmp)
        config = tmp_path / "whichai.toml"
        config.write_text(f'[providers.bench]\nbase_url = "{fake.base_url}"\n')
        env = {**os.environ, "WHICHAI_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "120"}
        figures: dict[str, float] = {}
        full_wall, full_cpu, out = _timed(_load(config, tmp_path / "a.db", env, CALLS, CONCURRENCY), env)
        point = json.loads(out)["points"][0]
        assert point["requests"] == CALLS and point["errors"] == 0
        figures["load_point"] = point["elapsed_s"] / IDEAL
        one_wall, one_cpu, _ = _timed(_load(config, tmp_path / "b.db", env, 1, 1), env)
        figures["load"] = (full_wall - one_wall + DELAY) / IDEAL
        figures["load_cpu_ms"] = (full_cpu - one_cpu) / (CALLS - 1) * 1000
        # whichai run: the same 200 calls as a task, minus a 1-case task
        for name, cases in (("full", CALLS), ("one", 1)):
            (tmp_path / f"{name}.jsonl").write_text("".join(
                json.dumps({"id": f"c{i}", "input": f"question {i}", "expected": f"question {i}"}) + "\n" for i in range(cases)))
        run_env = {**env, "WHICHAI_DATA_DIR": str(tmp_path / "run-data")}
        full_wall, full_cpu, _ = _timed(_run(config, tmp_path / "full.jsonl", run_env, CONCURRENCY), run_env)
        run_env["WHICHAI_DATA_DIR"] = str(tmp_path / "run-data-1")
        one_wall, one_cpu, _ = _timed(_run(config, tmp_path / "one.jsonl", run_env, 1), run_env)
        figures["run"] = (full_wall - one_wall + DELAY) / IDEAL
        figures["run_cpu_ms"] = (full_cpu - one_cpu) / (CALLS - 1) * 1000
        full_wall, _, _ = _timed([sys.executable, "-c", RAW_CLIENT, fake.base_url, str(CALLS), str(CONCURRENCY)], env)
        one_wall, _, _ = _timed([sys.executable, "-c", RAW_CLIENT, fake.base_url, "1", "1"], env)
        figures["raw"] = (full_wall - one_wall + DELAY) / IDEAL
        for name, ms in client_cpu(fake.base_url).items():
            figures[f"{name}_cpu_ms"] = ms
        return figures


def main(repeats: int = 5) -> None:
    runs = [once() for _ in range(repeats)]

    def show(key: str, fmt: str) -> str:
        values = [r[key] for r in runs]
        return f"median {fmt.format(statistics.median(values))}  (runs: {', '.join(fmt.format(v) for v in values)})"

    print(f"fan-out: {CALLS} calls, concurrency {CONCURRENCY}, server answers in {DELAY * 1000:.0f} ms, ideal {IDEAL:.2f} s;")
    print("whole process minus a 1-call run of the same command (its own call added back), / ideal:")
    print(f"  whichai load         {show('load', '{:.3f}')}")
    print(f"    (its point alone, first request to last answer: {show('load_point', '{:.3f}')})")
    print(f"  whichai run          {show('run', '{:.3f}')}")
    print(f"  bare httpx2 client   {show('raw', '{:.3f}')}")
    print("client CPU per call (user+system, differenced over the 199 extra calls):")
    print(f"  whichai load         {show('load_cpu_ms', '{:.3f} ms')}")
    print(f"  whichai run          {show('run_cpu_ms', '{:.3f} ms')}")
    print("the HTTP stacks alone (400 streamed calls at concurrency 20 after a warm-up, own process):")
    print(f"  httpx2 (openai SDK)  {show('httpx2_cpu_ms', '{:.3f} ms')}")
    print(f"  aiohttp              {show('aiohttp_cpu_ms', '{:.3f} ms')}")


if __name__ == "__main__":
    main()
