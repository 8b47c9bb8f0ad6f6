"""Benchmark: ``whichai recommend`` over the whole shipped catalog, process start included.

    python bench/bench_recommend.py [--runs 7] [--profiles default,regulated-bank,...]

For each profile, runs ``whichai recommend --profile NAME --json`` (and the terminal view for the
first profile) in a fresh process each time, as a user would; discards one warm-up; prints the
median and min wall time and the median CPU time of the process (user + system: on a loaded,
shared machine the better estimate of an idle one), and in-process CPU time (catalog already
loaded, medians of 5): the pipeline
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


def once(args: list[str], env: dict[str, str]) -> tuple[float, float, bytes]:
    """(wall seconds, CPU seconds of the child: user + system, stdout). On a shared, loaded machine
    the CPU time is the better estimate of what the command costs on an idle one (it runs on one core)."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "whichai", *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"whichai {' '.join(args)} exited {proc.returncode}")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime, out


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
            start = time.process_time()  # CPU time of this (single-threaded) process: robust to other load
            rec = recommend(profile, catalog)
            mid = time.process_time()
            doc = rec.document()
            end = time.process_time()
            doc.model_dump_json(indent=2)
            times.append((mid - start, end - mid, time.process_time() - end))
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
            times, cpus, out = [], [], b""
            for _ in range(args.runs):
                t, cpu, out = once(cmd, env)
                times.append(t)
                cpus.append(cpu)
            extra = ""
            if label == "json":
                doc = json.loads(out)
                extra = f"{len(doc['ranking'])} ranked + {len(doc['excluded'])} excluded, verdict {doc['verdict']}"
            rows.append((name, label, statistics.median(times), min(times), statistics.median(cpus), in_process(name, 5), extra))
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'profile':22} {'output':8} {'wall med':>8} {'min':>6} {'CPU med':>8} {'recommend()':>12} {'document':>9} {'json':>6} passes  models")
    for name, label, med, lo, cpu, (pipe, doc, js, passes), extra in rows:
        print(f"{name:22} {label:8} {med:7.3f}s {lo:5.3f}s {cpu:7.3f}s {pipe:11.3f}s {doc:8.3f}s {js:5.3f}s {passes:6}  {extra}")


if __name__ == "__main__":
    main()
