"""Benchmark: ``whichai recommend`` over the whole shipped catalog, process start included.

    python bench/bench_recommend.py [--runs 7] [--profiles default,regulated-bank,...]

For each profile, runs ``whichai recommend --profile NAME --json`` (and the terminal view for the
first profile) in a fresh process each time, as a user would; discards one warm-up; prints the
median, min and max wall time, and the in-process time of ``recommend()`` alone. Target: median
under 1 s per command.
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

PROFILES = ("default", "hobbyist-laptop", "startup-no-ml", "regulated-bank", "airgapped-government", "research-lab",
            "high-volume-product")


def once(args: list[str], env: dict[str, str]) -> tuple[float, bytes]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "whichai", *args], capture_output=True, check=True, env=env)
    return time.perf_counter() - start, proc.stdout


def in_process(name: str, runs: int) -> float:
    from whichai.catalog import load_catalog
    from whichai.decide import load_profile, recommend

    catalog, profile = load_catalog(), load_profile(name)
    recommend(profile, catalog)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        recommend(profile, catalog).to_json()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--profiles", default=",".join(PROFILES))
    args = parser.parse_args()
    env = dict(os.environ, WHICHAI_DATA_DIR=tempfile.mkdtemp(), COLUMNS="120", LANG="en_US.UTF-8")
    env.pop("LC_ALL", None)
    names = [p for p in args.profiles.split(",") if p]
    rows = []
    for i, name in enumerate(names):
        variants = [("json", ["recommend", "--profile", name, "--json"])]
        if i == 0:
            variants.append(("terminal", ["recommend", "--profile", name]))
        for label, cmd in variants:
            once(cmd, env)  # warm-up: file cache, .pyc
            times, out = [], b""
            for _ in range(args.runs):
                t, out = once(cmd, env)
                times.append(t)
            extra = ""
            if label == "json":
                doc = json.loads(out)
                extra = f"{len(doc['ranking'])} ranked + {len(doc['excluded'])} excluded, verdict {doc['verdict']}"
            rows.append((name, label, statistics.median(times), min(times), max(times), in_process(name, 5), extra))
    print(f"{'profile':22} {'output':8} {'median':>7} {'min':>6} {'max':>6} {'recommend()':>12}  models")
    for name, label, med, lo, hi, inproc, extra in rows:
        print(f"{name:22} {label:8} {med:6.3f}s {lo:5.3f}s {hi:5.3f}s {inproc:11.3f}s  {extra}")


if __name__ == "__main__":
    main()
