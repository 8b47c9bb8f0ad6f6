"""Start-up and the overhead of a 1-case run, each against a bare Python measured in the same run.

    python bench/bench_startup.py [--runs N] [--no-run] [--baseline-src DIR]

1. ``whichai --help`` in a fresh process (bar: < 0.3 s), and which heavy modules the CLI imports.
2. A 1-case run with the embedded model (``whichai run --task one.jsonl --models
   local/smollm2-135m-instruct --json --no-report``, a fresh database each time): its **own
   overhead** = the whole process's wall time minus ``calls_elapsed_s`` (the timed window of its
   one call). Bar (issue 8): < 0.6 s.
3. Where that overhead goes, as a wall-clock timeline of the run's steps on its two threads (the main
   one and the one that loads the model), and as CPU time of fresh processes (robust to other load on a shared
   machine): importing the CLI, the openai package's types, llama_cpp, loading the catalog, and the
   closing recommendation (``whichai.app.recommend`` with the run's measurements, document included).

Every child runs with its bytecode cached (``PYTHONDONTWRITEBYTECODE`` removed, the cache in a
temporary ``PYTHONPYCACHEPREFIX``), as after ``pip install``. ``--baseline-src DIR`` also runs 1 and
2 with ``PYTHONPATH=DIR`` (the ``src`` folder of another checkout), alternating run by run with the
current code, for a side-by-side comparison; ``--current-src DIR`` measures another ``src`` folder as the
current one (e.g. a worktree holding only the change being measured).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CASE = {"id": "q1", "input": "What is the capital of Indonesia? Answer with one word.", "expected": "Jakarta", "scorer": "contains"}


def child_env(base: dict[str, str], src: str | None = None) -> dict[str, str]:
    """``base`` with the bytecode cached in a temporary folder (as installed) and, for a baseline, its src first."""
    env = dict(base, PYTHONPYCACHEPREFIX=tempfile.mkdtemp(prefix="whichai-bench-pyc-"))
    for key in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH"):
        env.pop(key, None)
    if src:
        env["PYTHONPATH"] = src
    return env


def wall(command: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    return time.perf_counter() - start, proc.stdout


def cpu(command: list[str], env: dict[str, str] | None = None) -> float:
    """CPU seconds (user + system) of a child process: on a loaded, shared machine a better estimate
    of its cost on an idle one than its wall time."""
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise subprocess.CalledProcessError(os.waitstatus_to_exitcode(status), command)
    return usage.ru_utime + usage.ru_stime


def help_startup(runs: int, envs: dict[str, dict[str, str]]) -> None:
    bare: list[float] = []
    helps: dict[str, list[float]] = {name: [] for name in envs}
    for env in envs.values():
        wall([sys.executable, "-m", "whichai", "--help"], env)  # warm the file cache and the .pyc
    for _ in range(runs):
        bare.append(wall([sys.executable, "-c", "pass"])[0])
        for name, env in envs.items():
            helps[name].append(wall([sys.executable, "-m", "whichai", "--help"], env)[0])
    for name, times in helps.items():
        print(f"whichai --help ({name})  median {statistics.median(times):.3f} s (min {min(times):.3f}, max {max(times):.3f}); bar < 0.3 s")
    print(f"python -c pass   median {statistics.median(bare):.3f} s")
    heavy = subprocess.run(
        [sys.executable, "-c", "import sys, whichai.cli.main; print(sorted(m for m in ('llama_cpp', 'openai', 'anthropic', "
         "'google.genai', 'plotly', 'fastapi', 'pydantic') if m in sys.modules))"],
        capture_output=True, text=True, check=True, env=envs["current"],
    ).stdout.strip()
    print(f"heavy modules imported by the CLI at start-up: {heavy}")


def one_case_run(runs: int, envs: dict[str, dict[str, str]], work: Path) -> None:
    task = work / "one.jsonl"
    task.write_text(json.dumps(CASE) + "\n", encoding="utf-8")
    totals: dict[str, list[float]] = {name: [] for name in envs}
    calls: dict[str, list[float]] = {name: [] for name in envs}
    overheads: dict[str, list[float]] = {name: [] for name in envs}
    for i in range(runs + 1):
        for name, env in envs.items():
            db = work / f"run-{name}-{i}.db"
            cmd = [sys.executable, "-m", "whichai", "run", "--task", str(task), "--models", "local/smollm2-135m-instruct",
                   "--db", str(db), "--json", "--no-report"]
            total, out = wall(cmd, env)
            doc = json.loads(out)
            if i == 0:
                continue  # warm-up: file cache, .pyc
            totals[name].append(total)
            calls[name].append(doc["calls_elapsed_s"])
            overheads[name].append(total - doc["calls_elapsed_s"])
    if "baseline" in envs:
        paired = [c - b for c, b in zip(overheads["current"], overheads["baseline"])]
        print(f"1-case run: own overhead, current minus baseline, median of the paired runs {statistics.median(paired):+.3f} s")
    for name in envs:
        print(f"1-case run ({name}) whole process median {statistics.median(totals[name]):.3f} s, its call "
              f"{statistics.median(calls[name]):.3f} s, own overhead median {statistics.median(overheads[name]):.3f} s "
              f"(min {min(overheads[name]):.3f}, max {max(overheads[name]):.3f}); bar < 0.6 s")


STAGES = {
    "import whichai.cli.main": "import whichai.cli.main",
    "import the run's modules (cli.running, runner, store)": "import whichai.cli.running, whichai.measure.runner, whichai.store",
    "import decide (pydantic + whichai.decide.recommendation)": "import whichai.decide.recommendation",
    "import openai (types; a local-only run does not)": "import openai.types.chat",
    "import llama_cpp": "import llama_cpp",
    "import llama_cpp + load the embedded model": (
        "from whichai.providers.local import embedded_model_path, load_llama; load_llama(embedded_model_path())"),
    "load the catalog": "from whichai.catalog import load_catalog; load_catalog()",
}


def stages(runs: int, env: dict[str, str], work: Path) -> None:
    env = dict(env, PYDANTIC_DISABLE_PLUGINS="__all__")  # as the CLI sets it
    base = statistics.median(cpu([sys.executable, "-c", "pass"], env) for _ in range(runs))
    print(f"{'stage: CPU time of a fresh process, minus python -c pass':58} median")
    for name, code in STAGES.items():
        try:
            times = [cpu([sys.executable, "-c", code], env) for _ in range(runs)]
        except subprocess.CalledProcessError:
            print(f"  {name:56} not installed")
            continue
        print(f"  {name:56} {statistics.median(times) - base:.3f} s")
    db = sorted(work.glob("run-current-*.db"))[-1]
    code = (
        "import time, gc; gc.disable(); from whichai.store import Store; from whichai import app;"
        f"s = Store.open({str(db)!r}, create=False); rid = s.db.execute('SELECT id FROM runs').fetchone()[0];"
        "from whichai.catalog import load_catalog; cat = load_catalog(); import whichai.decide.recommendation;"
        "t = time.process_time(); app.recommend(None, run_id=rid, store=s, catalog=cat).document(); print(time.process_time() - t)"
    )
    times = [float(wall([sys.executable, "-c", code], env)[1]) for _ in range(runs)]
    print(f"  {'closing recommendation (app.recommend + document), in process':56} {statistics.median(times):.3f} s")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


# A 1-case run in a child process with the steps of ``whichai run`` wrapped to note when each begins and
# ends (ms since the child started running Python code; the interpreter's own start, ~10 ms, comes before).
TIMELINE = r"""
import json, sys, threading, time
T0 = time.perf_counter()
EVENTS = []
def wrap(owner, name, label):
    f = getattr(owner, name, None)
    if f is None:
        return  # a step the measured code does not have
    def timed(*a, **k):
        start = time.perf_counter()
        try:
            return f(*a, **k)
        finally:
            EVENTS.append((label, threading.current_thread().name, (start - T0) * 1e3, (time.perf_counter() - T0) * 1e3))
    setattr(owner, name, timed)
import whichai.cli.main as main, whichai.cli.running as running, whichai.providers.local as local, whichai.store as store
STEPS = {"execute_run": "execute_run", "_check_models": "check models", "_check_serves": "check what servers serve",
         "_prepare": "preload models; profile, catalog, imports, database", "_decide_inputs": "profile",
         "_call_models": "progress bar + runner (load wait, call)", "_recommend": "closing recommendation",
         "print_json": "print JSON"}
for name, label in STEPS.items():
    wrap(running, name, label)
import whichai.catalog as catalog
wrap(local, "_import_llama_cpp", "import llama_cpp")
wrap(local, "_run_load", "load the model")
wrap(local, "wait_for_loads", "wait for the load")
wrap(catalog, "load_catalog", "load the catalog")
wrap(store.Store, "open", "open the database")
sys.argv = ["whichai", *sys.argv[1:]]
try:
    main._run()
finally:
    EVENTS.append(("end", "MainThread", (time.perf_counter() - T0) * 1e3, (time.perf_counter() - T0) * 1e3))
    sys.stderr.write("TIMELINE " + json.dumps(EVENTS) + "\n")
"""


def timeline(runs: int, env: dict[str, str], work: Path, name: str) -> None:
    """Median start and end of each step of a 1-case run (wall clock, one child process per run)."""
    task = work / "one.jsonl"
    rows: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for i in range(runs + 1):
        db = work / f"timeline-{name}-{i}.db"
        proc = subprocess.run([sys.executable, "-c", TIMELINE, "run", "--task", str(task), "--models",
                               "local/smollm2-135m-instruct", "--db", str(db), "--json", "--no-report"],
                              capture_output=True, text=True, env=env)
        if proc.returncode != 0:
            sys.exit(f"the timed run exited with {proc.returncode}:\n{proc.stderr[-3000:]}")
        if i == 0:
            continue  # warm-up
        events = re.search(r"TIMELINE (\[.*\])$", proc.stderr, re.MULTILINE).group(1)  # after the progress bar
        seen = set()
        for label, thread, start, end in json.loads(events):
            key = (label, "load thread" if thread == "whichai-load-model" else "main")
            if key not in seen:  # the first time each step runs (the catalog is read once, then cached)
                seen.add(key)
                rows.setdefault(key, []).append((start, end))
    print(f"{'step of a 1-case run (wall clock, median of ' + str(runs) + ')':44} {'thread':12} {'from':>8} {'to':>8} {'takes':>8}")
    for (label, thread), spans in sorted(rows.items(), key=lambda kv: statistics.median(s for s, _ in kv[1])):
        start, end = statistics.median(s for s, _ in spans), statistics.median(e for _, e in spans)
        print(f"  {label:42} {thread:12} {start:6.0f} ms {end:6.0f} ms {statistics.median(e - s for s, e in spans):6.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-run", action="store_true", help="only the --help start-up")
    parser.add_argument("--baseline-src", help="the src folder of another whichai checkout to compare with")
    parser.add_argument("--current-src", help="the src folder to measure as current (default: the installed whichai)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        base = dict(os.environ, WHICHAI_DATA_DIR=str(work / "data"), WHICHAI_CONFIG_DIR=str(work / "config"), COLUMNS="120")
        for key in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY"):
            base.pop(key, None)
        envs = {"current": child_env(base, args.current_src)}
        if args.baseline_src:
            envs["baseline"] = child_env(base, args.baseline_src)
        help_startup(args.runs, envs)
        if args.no_run:
            return
        one_case_run(args.runs, envs, work)
        for name, env in envs.items():
            print(f"timeline ({name}):")
            timeline(args.runs, env, work, name)
        stages(args.runs, envs["current"], work)


if __name__ == "__main__":
    main()
