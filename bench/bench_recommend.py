"""Benchmark: ``whichai recommend`` over the whole shipped catalog, process start included.

    python bench/bench_recommend.py [--runs 7] [--profiles default,regulated-bank,...]

For each profile, runs ``whichai recommend --profile NAME --json`` (and the terminal view for the
first profile) in a fresh process each time, as a user would; discards one warm-up; prints the
median, min and max wall time, and in-process (catalog already loaded, medians of 5): the pipeline
(``recommend()``), building the decision document, and writing its JSON, with the number of full
pipeline passes (1 + hybrid halves + profile changes of "what would change"). Bar (issue 8):
median < 0.3 s per command.
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


def in_process(name: str, runs: int) -> tuple[float, float, float, int]:
    """Medians of (recommend(), document(), JSON) and the number of full pipeline passes."""
    import gc

    import whichai.decide.recommendation as rec_module
    from whichai.catalog import load_catalog
    from whichai.decide import load_profile, recommend

    catalog, profile = load_catalog(), load_profile(name)
    passes = [0]
    outcome = rec_module.Inputs.outcome

    def counted(self, p):
        passes[0] += 1
        return outcome(self, p)

    rec_module.Inputs.outcome = counted
    recommend(profile, catalog).document()
    times: list[tuple[float, float, float]] = []
    gc.disable()  # as the CLI does
    try:
        for _ in range(runs):
            passes[0] = 0
            start = time.perf_counter()
            rec = recommend(profile, catalog)
            mid = time.perf_counter()
            doc = rec.document()
            end = time.perf_counter()
            doc.model_dump_json(indent=2)
            times.append((mid - start, end - mid, time.perf_counter() - end))
    finally:
        gc.enable()
        rec_module.Inputs.outcome = outcome
    return (statistics.median(t[0] for t in times), statistics.median(t[1] for t in times),
            statistics.median(t[2] for t in times), passes[0])


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
    print(f"{'profile':22} {'output':8} {'median':>7} {'min':>6} {'max':>6} {'recommend()':>12} {'document':>9} {'json':>6} passes  models")
    for name, label, med, lo, hi, (pipe, doc, js, passes), extra in rows:
        print(f"{name:22} {label:8} {med:6.3f}s {lo:5.3f}s {hi:5.3f}s {pipe:11.3f}s {doc:8.3f}s {js:5.3f}s {passes:6}  {extra}")


if __name__ == "__main__":
    main()
