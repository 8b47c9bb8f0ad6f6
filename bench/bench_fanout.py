"""Fan-out: 200 cases against a loopback OpenAI-compatible server that answers after a fixed 100 ms,
concurrency 20. Ideal: 200 / 20 × 0.1 s = 1.0 s. Prints the measured ratio to the ideal for the calls,
and whichai's own start-up (process start to the first request) separately.

Runs `whichai run` as a real process (the CLI, SQLite store, progress bar and all), three times.

    python bench/bench_fanout.py
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fakeopenai import FakeOpenAI  # noqa: E402

CASES, CONCURRENCY, DELAY = 200, 20, 0.1
IDEAL = CASES / CONCURRENCY * DELAY

# The floor: the HTTP client under the openai SDK (httpx2), alone, the same requests, concurrency and
# server, in its own process like whichai. No SDK, no retries, no storage, no scoring.
RAW_CLIENT = """
import asyncio, sys, time
import httpx2
base, cases, concurrency = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
async def main():
    limit = asyncio.Semaphore(concurrency)
    async with httpx2.AsyncClient(timeout=None) as client:
        async def one(i):
            async with limit:
                body = {"model": "echo", "messages": [{"role": "user", "content": f"question {i}"}], "stream": True}
                async with client.stream("POST", base + "/chat/completions", json=body) as response:
                    async for _ in response.aiter_lines():
                        pass
        start = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(cases)))
        print(time.perf_counter() - start)
asyncio.run(main())
"""


def main(repeats: int = 3) -> None:
    ratios, startups, totals, floors = [], [], [], []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as tmp, FakeOpenAI(delay=DELAY) as fake:
            tmp_path = Path(tmp)
            task = tmp_path / "fanout.jsonl"
            task.write_text("".join(json.dumps({"id": f"c{i}", "input": f"question {i}", "expected": f"question {i}", "scorer": "contains"}) + "\n" for i in range(CASES)))
            config = tmp_path / "whichai.toml"
            config.write_text(f'[providers.bench]\nbase_url = "{fake.base_url}"\nprice_usd_per_mtok = {{ input = 0.1, output = 0.2 }}\n')
            env = {**os.environ, "WHICHAI_DATA_DIR": str(tmp_path / "data")}
            first_request = []
            start = time.perf_counter()
            process = subprocess.Popen(
                [sys.executable, "-m", "whichai", "run", "--task", str(task), "--models", "bench/echo", "--config", str(config),
                 "--concurrency", str(CONCURRENCY), "--json", "--no-report", "--profile", "startup-no-ml"],
                env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            )
            while process.poll() is None and not first_request:
                if fake.total():
                    first_request.append(time.perf_counter())
                time.sleep(0.002)
            out, _ = process.communicate()
            total = time.perf_counter() - start
            document = json.loads(out)
            assert document["models"][0]["passed"] == CASES, document["models"][0]
            assert fake.total() == CASES
            calls = document["calls_elapsed_s"]
            ratios.append(calls / IDEAL)
            startups.append((first_request[0] - start) if first_request else float("nan"))
            totals.append(total)
            raw = subprocess.run([sys.executable, "-c", RAW_CLIENT, fake.base_url, str(CASES), str(CONCURRENCY)],
                                 capture_output=True, text=True, check=True)
            floors.append(float(raw.stdout) / IDEAL)
    print(f"fan-out: {CASES} cases, concurrency {CONCURRENCY}, server delay {DELAY * 1000:.0f} ms, ideal {IDEAL:.2f} s")
    print(f"  calls / ideal           median {statistics.median(ratios):.3f}  (runs: {', '.join(f'{r:.3f}' for r in ratios)})")
    print(f"  raw httpx2 client / ideal median {statistics.median(floors):.3f}  (the floor on this machine: the SDK's transport alone)")
    print(f"  start-up to 1st request median {statistics.median(startups):.3f} s")
    print(f"  whole process           median {statistics.median(totals):.3f} s")


if __name__ == "__main__":
    main()
