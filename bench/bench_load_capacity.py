"""`whichai load` against a loopback server of known capacity (tests/fakeserver_capacity.py): K requests
at once, a known time to first token and time per output token, so at saturation it delivers exactly
K × M / (TTFT + (M − 1) × TPOT) output tokens per second. The sweep's highest throughput, its TTFT and
inter-token latency at concurrency 1, and the saturation concurrency it finds are compared with the
analytic values. `whichai load` runs as a real process (CLI, SQLite and all); the server runs here.

    python bench/bench_load_capacity.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fakeserver_capacity import CapacityServer  # noqa: E402

CASES: list[tuple[int, float, float, int, int | None]] = [  # slots, TTFT s, time per token s, output tokens, requests per point
    (4, 0.05, 0.010, 64, 32),
    (16, 0.10, 0.020, 32, 64),
    # issue 24's case (saturation was found at 9 for 6 slots), at the default requests per point (max(16, 8 x concurrency));
    # tests/test_load.py checks the same sweep in virtual time, this one on the wall clock
    (6, 0.02, 0.004, 16, None),
]


def measure(slots: int, ttft: float, tpot: float, tokens: int, requests: int | None) -> dict:
    with tempfile.TemporaryDirectory() as tmp, CapacityServer(slots=slots, ttft=ttft, tpot=tpot) as server:
        config = Path(tmp) / "whichai.toml"
        config.write_text(f'[providers.cap]\nbase_url = "{server.base_url}"\n')
        done = subprocess.run(
            [sys.executable, "-m", "whichai", "load", "cap/m", "--config", str(config), "--db", str(Path(tmp) / "w.db"),
             "--output-tokens", str(tokens), "--input-tokens", "128",
             *(["--requests", str(requests)] if requests else []), "--max-concurrency", str(slots * 4), "--json"],
            capture_output=True, text=True, env={**os.environ, "WHICHAI_DATA_DIR": tmp},
        )
        if done.returncode != 0:
            raise SystemExit(done.stderr[-2000:])
        document = json.loads(done.stdout)
        return {"document": document, "analytic": server.capacity(tokens)}


def main() -> None:
    print("known-capacity loopback server: measured by `whichai load` against the analytic value")
    for slots, ttft, tpot, tokens, requests in CASES:
        result = measure(slots, ttft, tpot, tokens, requests)
        document, analytic = result["document"], result["analytic"]
        top = document["max_output_tokens_per_s"]
        one = document["points"][0]
        print(f"  K={slots:<3} TTFT {ttft * 1000:.0f} ms, {tpot * 1000:.0f} ms/token, {tokens} tokens, {requests or 'default'} requests/point:")
        print(f"    saturated throughput {top:8.1f} tok/s vs analytic {analytic:8.1f}  ({(top / analytic - 1) * 100:+.1f} %)")
        print(f"    saturation concurrency found: {document['saturation_concurrency']} (K = {slots}); points: "
              f"{', '.join(str(p['concurrency']) for p in document['points'])}")
        print(f"    at concurrency 1: TTFT p50 {one['ttft_p50_s'] * 1000:.1f} ms (server {ttft * 1000:.0f}), ITL p50 "
              f"{one['itl_p50_s'] * 1000:.2f} ms (server {tpot * 1000:.0f}), latency p50 {one['latency_p50_s']:.3f} s "
              f"(server {ttft + (tokens - 1) * tpot:.3f})")


if __name__ == "__main__":
    main()
