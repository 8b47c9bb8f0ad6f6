"""Benchmark: ``whichai tune`` of the embedded SmolLM2-135M-Instruct on a label-format task (issue 18).

    python bench/bench_tune.py [--epochs 1] [--rank 8] [--keep DIR]

The task (tests/fixtures/tune/review_labels.jsonl): 80 short product reviews, English and Indonesian, to be
answered with exactly ``LABEL: positive`` or ``LABEL: negative`` (scorer: exact). ``--split 0.5`` trains on
40 and scores base and tune on the other 40 through the runner. Runs the real command in a fresh process
(a fresh data directory and database), and prints wall time, training time, both pass rates and McNemar's p.
Target: under 15 minutes on 2 CPU cores, and the tune better than the base with p < 0.05.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TASK = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "tune" / "review_labels.jsonl"
BASE = "local/smollm2-135m-instruct"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=1)  # the loss is under 0.01 by step 10 of 40 (BENCHMARKS.md)
    parser.add_argument("--rank", type=int, default=8)
    parser.add_argument("--keep", help="data directory to keep the tune in (default: a temporary one)")
    args = parser.parse_args()
    data = Path(args.keep or tempfile.mkdtemp(prefix="whichai-bench-tune-"))
    env = dict(os.environ, WHICHAI_DATA_DIR=str(data))
    cmd = [sys.executable, "-m", "whichai", "tune", BASE, "--task", str(TASK), "--split", "0.5", "--epochs", str(args.epochs),
           "--rank", str(args.rank), "--name", "bench-reviews", "--db", str(data / "bench.db"), "--json"]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime
    if proc.returncode:
        sys.exit(f"whichai tune failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    doc = json.loads(proc.stdout)
    lin, cmp_ = doc["lineage"], doc["comparison"]
    print(f"cores: {os.cpu_count()} (torch threads {lin['threads']}), device {lin['device']}, load average at end {os.getloadavg()}")
    print(f"whichai tune wall time: {wall:.0f} s ({wall / 60:.1f} min), CPU time {cpu:.0f} s ({cpu / 60:.1f} min, = {cpu / 120:.1f} min "
          f"of 2 whole cores); training {lin['train_seconds']} s wall, {lin['train_cpu_seconds']} s CPU, {lin['steps']} steps "
          f"on {lin['examples']} examples, loss {doc['losses']['first']} -> {doc['losses']['last']}; energy {lin['energy_wh']} Wh "
          f"({lin['energy_basis']}); measuring {cmp_.get('measure_seconds')} s")
    for model, rate in doc["pass_rates"].items():
        print(f"{model}: {rate['passed']}/{rate['cases']} held-out cases passed ({rate['rate']:.0%})")
    print(f"tune only {cmp_['a_only']}, base only {cmp_['b_only']}, difference {cmp_['difference']:+.2f} "
          f"(95% CI {cmp_['difference_ci95']}), McNemar exact p = {cmp_['p_value']:.3g}, better: {cmp_['better']}")
    print(json.dumps({"wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "lineage": lin, "pass_rates": doc["pass_rates"], "comparison": cmp_}, ensure_ascii=False))


if __name__ == "__main__":
    main()
