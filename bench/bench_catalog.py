"""Benchmark: ``whichai models --json`` over the whole catalog, process start included.

    python bench/bench_catalog.py [--runs 7]

Runs the command in a fresh process each time (as a user or a script would), discards one warm-up,
and prints the median, min and max wall time, the number of models and the output size.
Target: median under 1 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time


def once() -> tuple[float, bytes]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "whichai", "models", "--json"], capture_output=True, check=True)
    return time.perf_counter() - start, proc.stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    once()  # warm-up: file cache, .pyc
    times, out = [], b""
    for _ in range(args.runs):
        t, out = once()
        times.append(t)
    models = len(json.loads(out))
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "whichai", "--help"], capture_output=True, check=True)
    help_s = time.perf_counter() - start
    print(
        f"whichai models --json: {models} models, {len(out) / 1e6:.1f} MB; median {statistics.median(times):.3f} s "
        f"(min {min(times):.3f}, max {max(times):.3f}, {args.runs} runs); whichai --help {help_s:.3f} s"
    )


if __name__ == "__main__":
    main()
