"""The limits of one whichai process (docs/scaling.md):

1. Calls in flight: `whichai load --concurrency C` (one process) against a loopback server with C slots
   that holds every call ~1 s (TTFT 1 s, then 8 tokens 10 ms apart): the ideal is C / 1.07 requests/s.
   Where the measured rate falls below it, the client (one Python process, one core) is the limit.
2. Results per second into SQLite: P processes writing to one database the way `whichai run` does per
   case (claim the case, then save the result and mark the claim done, each a committed transaction
   in WAL mode), all on one run, every case written once.

    python bench/bench_load_limits.py
"""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fakeserver_capacity import CapacityServer  # noqa: E402

IN_FLIGHT = (64, 256, 1024)
SQLITE_PROCESSES = (1, 2, 4)
TTFT, TPOT, TOKENS = 1.0, 0.01, 8
CASES = 3000


def in_flight(concurrency: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp, CapacityServer(slots=concurrency, ttft=TTFT, tpot=TPOT, tokens=TOKENS) as server:
        config = Path(tmp) / "whichai.toml"
        config.write_text(f'[providers.cap]\nbase_url = "{server.base_url}"\n')
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        server_before = resource.getrusage(resource.RUSAGE_SELF)
        done = subprocess.run(
            [sys.executable, "-m", "whichai", "load", "cap/m", "--config", str(config), "--db", str(Path(tmp) / "w.db"),
             "--concurrency", str(concurrency), "--requests", str(concurrency * 3), "--input-tokens", "32",
             "--output-tokens", str(TOKENS), "--timeout", "60", "--json"],
            capture_output=True, text=True, env={**os.environ, "WHICHAI_DATA_DIR": tmp},
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        server_after = resource.getrusage(resource.RUSAGE_SELF)
        if done.returncode != 0:
            return {"concurrency": concurrency, "failed": done.stderr[-500:]}
        [point] = json.loads(done.stdout)["points"]
        ideal = concurrency / (TTFT + (TOKENS - 1) * TPOT)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        server_cpu = (server_after.ru_utime - server_before.ru_utime) + (server_after.ru_stime - server_before.ru_stime)
        return {"concurrency": concurrency, "requests_per_s": point["requests_per_s"], "ideal": ideal,
                "errors": point["errors"], "ttft_p95_s": point["ttft_p95_s"], "max_active": server.max_active,
                "cpu_ms_per_call": cpu / point["requests"] * 1000, "point_s": point["elapsed_s"],
                "client_cpu_s": cpu, "server_cpu_s": server_cpu}


def per_token_cpu(long: int = 512, short: int = 16, requests: int = 64) -> float:
    """Client CPU per streamed token (ms): long answers minus short ones, same calls, one process each."""
    cpus = {}
    with tempfile.TemporaryDirectory() as tmp, CapacityServer(slots=16, ttft=0.01, tpot=0.002) as server:
        config = Path(tmp) / "whichai.toml"
        config.write_text(f'[providers.cap]\nbase_url = "{server.base_url}"\n')
        for tokens in (long, short):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run([sys.executable, "-m", "whichai", "load", "cap/m", "--config", str(config), "--db",
                            str(Path(tmp) / f"{tokens}.db"), "--concurrency", "16", "--requests", str(requests),
                            "--input-tokens", "32", "--output-tokens", str(tokens), "--json"],
                           capture_output=True, check=True, env={**os.environ, "WHICHAI_DATA_DIR": tmp})
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus[tokens] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return (cpus[long] - cpus[short]) / (requests * (long - short)) * 1000


def _writer(db: str, run_id: str, ready, start, out) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from whichai.store import Store

    store = Store.open(db)
    token = store.register_worker(run_id)
    ready.set()
    start.wait()
    cases = [row[0] for row in store.db.execute("SELECT case_id FROM run_cases WHERE run_id = ?", (run_id,))]
    written = 0
    for case_id in cases:
        if store.claim(run_id, "bench/m", case_id, token):
            store.save_result(run_id, {"model": "bench/m", "case_id": case_id, "status": "ok", "answer": "x" * 200,
                                       "passed": 1, "score": 1.0, "input_tokens": 20, "output_tokens": 40,
                                       "latency_s": 0.5, "ttft_s": 0.1, "attempts": 1}, token)
            written += 1
    store.release_worker(token)
    out.put(written)


def sqlite_rate(processes: int) -> dict:
    from whichai.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "w.db")
        store = Store.open(db)
        run_id = f"bench{processes}"
        store.ensure_run(run_id, task_name="bench", task_hash="h", models=["bench/m"], settings={},
                         cases=[(f"c{i}", {"id": f"c{i}", "input": "q"}) for i in range(CASES)], version="bench")
        ctx = multiprocessing.get_context("spawn")
        start, out = ctx.Event(), ctx.Queue()
        readies = [ctx.Event() for _ in range(processes)]
        workers = [ctx.Process(target=_writer, args=(db, run_id, r, start, out)) for r in readies]
        for w in workers:
            w.start()
        for r in readies:
            r.wait()
        began = time.perf_counter()
        start.set()
        written = [out.get() for _ in workers]
        elapsed = time.perf_counter() - began
        for w in workers:
            w.join()
        stored = store.db.execute("SELECT COUNT(*) FROM results WHERE run_id = ?", (run_id,)).fetchone()[0]
        return {"processes": processes, "results_per_s": stored / elapsed, "stored": stored, "written": written}


def main() -> None:
    print(f"ulimit -n (open files) here: {resource.getrlimit(resource.RLIMIT_NOFILE)[0]}")
    print("1. calls in flight, one `whichai load` process (3 rounds of C calls, each held ~1.07 s by the server):")
    for c in IN_FLIGHT:
        r = in_flight(c)
        if "failed" in r:
            print(f"  C={c:<5} failed: {r['failed']}")
            continue
        print(f"  C={c:<5} {r['requests_per_s']:7.1f} req/s of ideal {r['ideal']:7.1f} ({r['requests_per_s'] / r['ideal']:.0%}); "
              f"server saw {r['max_active']} at once; errors {r['errors']}; TTFT p95 {r['ttft_p95_s']:.2f} s; "
              f"client CPU {r['cpu_ms_per_call']:.2f} ms/call (whole process); CPU s client {r['client_cpu_s']:.1f}, "
              f"server {r['server_cpu_s']:.1f}, over a {r['point_s']:.1f} s point")
    print(f"   client CPU per streamed token (512- vs 16-token answers): {per_token_cpu() * 1000:.1f} µs")
    print(f"2. results into one SQLite database (WAL), claim + save per case, {CASES} cases:")
    for p in SQLITE_PROCESSES:
        r = sqlite_rate(p)
        print(f"  {p} process(es): {r['results_per_s']:7.0f} results/s; {r['stored']} stored, split {r['written']}")


if __name__ == "__main__":
    main()
