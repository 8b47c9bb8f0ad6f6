"""Benchmark: ``whichai recommend`` over the whole shipped catalog, process start included.

    python bench/bench_recommend.py [--runs 7] [--profiles default,regulated-bank,...] [--baseline-src DIR]

For each profile, runs ``whichai recommend --profile NAME --json`` (and the terminal view for the
first profile), and ``whichai --help``, in a fresh process each time, as a user would; discards one
warm-up; prints the median and min wall time and the median CPU time of the process (user + system:
on a loaded, shared machine the better estimate of an idle one), the load average when the row was
measured, and in-process CPU time (catalog already loaded, medians of 5): the pipeline
(``recommend()``), building the decision document, and writing its JSON, with the number of full
pipeline passes (1 + hybrid halves + profile changes of "what would change"). Bar (issue 21):
median < 0.4 s per ``recommend`` command, < 0.3 s for ``--help``.

The code measured is this checkout's ``src`` (``PYTHONPATH``), whatever is installed. The children
run with their bytecode cached (``PYTHONDONTWRITEBYTECODE`` removed, the cache in a temporary
``PYTHONPYCACHEPREFIX``), as after ``pip install``, with ``WHICHAI_TODAY`` pinned (``--today``) and an
empty data folder each.

``--baseline-src DIR``: also time the same commands with ``PYTHONPATH=DIR``, the ``src`` folder of
another checkout of whichai (e.g. ``git archive COMMIT src | tar -x -C /tmp/before`` then
``--baseline-src /tmp/before/src``), alternating with the current code run by run, and print the
median of the paired ratios (current / baseline), and a Markdown table of the rows.
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

SRC = Path(__file__).resolve().parent.parent / "src"
PROFILES = ("default", "hobbyist-laptop", "startup-no-ml", "regulated-bank", "airgapped-government", "research-lab",
            "high-volume-product")


def child_env(pycache: str, src: str, today: str) -> dict[str, str]:
    """The children's environment: the code of ``src``, bytecode cached (as installed), a fresh data dir,
    the day pinned, 120 columns."""
    env = dict(os.environ, WHICHAI_DATA_DIR=tempfile.mkdtemp(), COLUMNS="120", LANG="en_US.UTF-8", PYTHONPYCACHEPREFIX=pycache,
               PYTHONPATH=src, WHICHAI_TODAY=today)
    for key in ("LC_ALL", "PYTHONDONTWRITEBYTECODE"):
        env.pop(key, None)
    return env


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
    import whichai.decide.recommendation as rec_module
    from whichai.catalog import load_catalog
    from whichai.decide import load_profile, recommend

    catalog, profile = load_catalog(), load_profile(name)
    passes = [0]
    outcome = rec_module.Inputs.outcome

    def counted(self, p, lean=False):
        passes[0] += 1
        return outcome(self, p, lean)

    rec_module.Inputs.outcome = counted
    recommend(profile, catalog).document()
    times: list[tuple[float, float, float]] = []
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
        rec_module.Inputs.outcome = outcome
    return (statistics.median(t[0] for t in times), statistics.median(t[1] for t in times),
            statistics.median(t[2] for t in times), passes[0])


def timed(cmd: list[str], envs: dict[str, dict[str, str]], runs: int) -> dict[str, tuple[list[float], list[float], bytes]]:
    """Each variant (current code, baseline) in turn, run by run: (wall times, CPU times, last stdout)."""
    out: dict[str, tuple[list[float], list[float], bytes]] = {name: ([], [], b"") for name in envs}
    for env in envs.values():
        once(cmd, env)  # warm-up: file cache, .pyc
    for _ in range(runs):
        for name, env in envs.items():
            t, cpu, stdout = once(cmd, env)
            out[name][0].append(t)
            out[name][1].append(cpu)
            out[name] = (out[name][0], out[name][1], stdout)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--profiles", default=",".join(PROFILES))
    parser.add_argument("--baseline-src", help="the src folder of another whichai checkout to compare with")
    parser.add_argument("--today", default="2026-12-07", help="WHICHAI_TODAY of every run")
    parser.add_argument("--no-in-process", action="store_true", help="skip the in-process timings")
    args = parser.parse_args()
    sys.path.insert(0, str(SRC))
    os.environ["WHICHAI_TODAY"] = args.today
    envs = {"current": child_env(tempfile.mkdtemp(prefix="whichai-bench-pyc-"), str(SRC), args.today)}
    if args.baseline_src:
        envs["baseline"] = child_env(tempfile.mkdtemp(prefix="whichai-bench-pyc-"), args.baseline_src, args.today)
    names = [p for p in args.profiles.split(",") if p]
    commands: list[tuple[str, str, list[str]]] = []
    for i, name in enumerate(names):
        commands.append((name, "json", ["recommend", "--profile", name, "--json"]))
        if i == 0:
            commands.append((name, "terminal", ["recommend", "--profile", name]))
    commands.append(("", "--help", ["--help"]))
    rows, ratios = [], []
    for name, label, cmd in commands:
        results = timed(cmd, envs, args.runs)
        load = os.getloadavg()[0]
        times, cpus, out = results["current"]
        extra = ""
        if label == "json":
            doc = json.loads(out)
            extra = f"{len(doc['ranking'])} ranked + {len(doc['excluded'])} excluded, verdict {doc['verdict']}"
        base = None
        if "baseline" in results:
            b_times, b_cpus, _ = results["baseline"]
            paired = statistics.median(c / b for c, b in zip(cpus, b_cpus))
            ratios.append(paired)
            base = (statistics.median(b_times), statistics.median(b_cpus), paired)
        inner = in_process(name, 5) if name and not args.no_in_process else None
        rows.append((name, label, statistics.median(times), min(times), statistics.median(cpus), inner, extra, base, load))
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'profile':22} {'output':8} {'wall med':>8} {'min':>6} {'CPU med':>8} {'recommend()':>12} {'document':>9} {'json':>6} passes  models")
    for name, label, med, lo, cpu, inner, extra, base, _ in rows:
        pipe, doc, js, passes = inner or (0.0, 0.0, 0.0, 0)
        print(f"{name:22} {label:8} {med:7.3f}s {lo:5.3f}s {cpu:7.3f}s {pipe:11.3f}s {doc:8.3f}s {js:5.3f}s {passes:6}  {extra}")
        if base:
            print(f"{'':31} baseline wall {base[0]:.3f}s CPU {base[1]:.3f}s, CPU ratio {base[2]:.2f}")
    if ratios:
        print(f"current / baseline CPU, median over the commands: {statistics.median(ratios):.2f}")
        print()
        print("| command | wall median | baseline wall median | wall ratio | CPU median | baseline CPU median | CPU ratio (paired) | load average |")
        print("|---|---|---|---|---|---|---|---|")
        for name, label, med, _, cpu, _, _, base, load in rows:
            command = f"`whichai {'recommend --profile ' + name + (' --json' if label == 'json' else '') if name else '--help'}`"
            print(f"| {command} | {med:.3f} s | {base[0]:.3f} s | {med / base[0]:.2f} | {cpu:.3f} s | {base[1]:.3f} s | {base[2]:.2f} | {load:.1f} |")


if __name__ == "__main__":
    main()
