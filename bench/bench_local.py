"""Local overhead: `whichai run` on the embedded model vs a plain llama-cpp-python loop over the same
prompts with the same settings (greedy, same max_tokens, same context), whole process to whole process.

Prints raw_time / whichai_time (1.0 = no overhead; the bar is >= 0.95) and checks the answers match.

    python bench/bench_local.py [--limit N] [--repeats R]
    OMP_WAIT_POLICY=PASSIVE python bench/bench_local.py --limit 16   # the same OpenMP settings reach both sides

Both processes get this process's environment, so OpenMP settings (llama-cpp-python's wheel links libgomp)
are equal on both sides; they are printed with the figures. They matter more than anything whichai does:
on a loaded 2-core machine GOMP's default spin-waiting made both sides 3-4x slower than OMP_WAIT_POLICY=PASSIVE
(BENCHMARKS.md, "The first result on 100,000 cases; local with equal OpenMP settings").
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, result.stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--max-tokens", type=int, default=128)
    args = parser.parse_args()

    from whichai.tasks.loader import load_task

    task = load_task(None)
    cases = task.cases[: args.limit] if args.limit else task.cases
    raw_ratios, stream_ratios, whichai_times = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        prompts = tmp_path / "prompts.json"
        prompts.write_text(json.dumps([c.messages() for c in cases]))
        env = {**os.environ, "WHICHAI_DATA_DIR": str(tmp_path / "data")}
        raw_cmd = [sys.executable, str(HERE / "raw_llama_loop.py"), str(prompts), str(args.max_tokens)]
        for repeat in range(args.repeats):
            db = tmp_path / f"run{repeat}.db"
            limit = ["--limit", str(args.limit)] if args.limit else []
            whichai_cmd = [sys.executable, "-m", "whichai", "run", "--models", "local/smollm2-135m-instruct",
                           "--max-tokens", str(args.max_tokens), "--db", str(db), "--json", "--no-report", *limit]
            raw_time, raw_out = timed(raw_cmd, env)
            stream_time, _ = timed(raw_cmd + ["--stream"], env)
            whichai_time, _ = timed(whichai_cmd, env)
            raw_ratios.append(raw_time / whichai_time)
            stream_ratios.append(stream_time / whichai_time)
            whichai_times.append(whichai_time)
            import sqlite3

            stored = dict(sqlite3.connect(db).execute("SELECT case_id, answer FROM results"))
            same = sum(stored[c.id] == a for c, a in zip(cases, json.loads(raw_out)))
            print(f"  repeat {repeat + 1}: raw {raw_time:.2f} s, raw streamed {stream_time:.2f} s, whichai {whichai_time:.2f} s; "
                  f"identical answers {same}/{len(cases)}", flush=True)
    omp = {k: v for k, v in os.environ.items() if k.startswith(("OMP_", "GOMP_"))}
    print(f"local overhead, {len(cases)} cases, max_tokens {args.max_tokens}, OpenMP settings (both sides): {omp or 'defaults'}:")
    print(f"  raw / whichai            median {statistics.median(raw_ratios):.3f}  (bar: >= 0.95)")
    print(f"  raw streamed / whichai   median {statistics.median(stream_ratios):.3f}")
    print(f"  whichai whole process    median {statistics.median(whichai_times):.2f} s")


if __name__ == "__main__":
    main()
