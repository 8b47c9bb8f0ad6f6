"""The load curve (issue 24): `whichai run` on 1,000 / 10,000 / 100,000 cases at concurrency 200 against a
lean loopback OpenAI-compatible server (aiohttp, streamed Chat Completions in the documented wire format,
keep-alive), side by side with a bare aiohttp client making the same calls, in one run.

For each size: wall time, CPU of the whole process (user + system) per call, time from start to the
first stored result (polled from the database every 20 ms), peak memory (max RSS) and database size.
The server runs in its own process, so its CPU is not counted. Figures are for ratios side by side:
on a shared machine absolute times move from run to run.

    python bench/bench_scale.py                 # 1,000 and 10,000 cases
    python bench/bench_scale.py 1000 10000 100000
    BEFORE=/tmp/old/src python bench/bench_scale.py 1000   # adds a row for an older tree (git archive COMMIT src)
    CONCURRENCY=100 python bench/bench_scale.py 2000        # the issue's CPU-per-call point
    PROMPTFOO=.../node_modules/.bin/promptfoo CONCURRENCY=100 python bench/bench_scale.py 2000   # adds promptfoo eval
    python bench/bench_scale.py --ctrl-c 100000             # first result, then SIGINT 5 s later: time to exit
                                                            # (with BEFORE: the older tree first, interleaved)
    BEFORE=/tmp/old/src CONCURRENCY=100 python bench/bench_scale.py 1 2000 8000 --rounds 8
        # R interleaved rounds (which tree runs first alternates), then per size and side the median and the
        # least CPU per call, and the marginal CPU per call between consecutive sizes (round by round: the
        # fixed start and closing cancel out) against the bare client's
"""

from __future__ import annotations

import json
import os
import resource
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONCURRENCY = int(os.environ.get("CONCURRENCY", "200"))
PROMPTFOO = os.environ.get("PROMPTFOO")  # the promptfoo executable: adds its row (e.g. node_modules/.bin/promptfoo)

SERVER = textwrap.dedent('''
    import asyncio, json, sys
    from aiohttp import web

    WORDS = ["The", " answer", " is", " Jakarta", "."]

    async def chat(request):
        body = await request.json()
        if not body.get("stream"):  # promptfoo's openai provider asks for the whole answer at once
            return web.json_response({"id": "c", "object": "chat.completion", "created": 0, "model": body["model"],
                                      "choices": [{"index": 0, "message": {"role": "assistant", "content": "".join(WORDS)},
                                                   "finish_reason": "stop"}],
                                      "usage": {"prompt_tokens": 12, "completion_tokens": 5, "total_tokens": 17}})
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        for i, word in enumerate(WORDS):
            chunk = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": body["model"],
                     "choices": [{"index": 0, "delta": {"content": word}, "finish_reason": None}]}
            await response.write(b"data: " + json.dumps(chunk).encode() + b"\\n\\n")
        last = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": body["model"],
                "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 12, "completion_tokens": 5, "total_tokens": 17}}
        await response.write(b"data: " + json.dumps(last).encode() + b"\\n\\ndata: [DONE]\\n\\n")
        await response.write_eof()
        return response

    app = web.Application()
    app.router.add_post("/v1/chat/completions", chat)
    web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
''')

BARE = textwrap.dedent('''
    import asyncio, json, sys, time
    import aiohttp

    async def main(n, c, url):
        queue = asyncio.Queue()
        for i in range(n):
            queue.put_nowait(i)
        first = []
        start = time.perf_counter()
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=c)) as http:
            async def worker():
                while not queue.empty():
                    i = queue.get_nowait()
                    body = {"model": "m", "stream": True, "messages": [{"role": "user", "content": f"question {i}"}]}
                    text = []
                    async with http.post(url, json=body) as response:
                        async for line in response.content:
                            if line.startswith(b"data: {"):
                                delta = json.loads(line[6:])["choices"][0]["delta"].get("content")
                                if delta:
                                    text.append(delta)
                    if not first:
                        first.append(time.perf_counter() - start)
            await asyncio.gather(*(worker() for _ in range(c)))
        print(json.dumps({"first_result_s": first[0]}))

    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]))
''')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _has_result(db: Path) -> bool:
    """Whether ``db`` holds a result yet (read-only; the connection is closed again, so the run's own close
    still folds its write-ahead log into the file)."""
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1)
    except sqlite3.Error:
        return False
    try:
        return con.execute("SELECT 1 FROM results LIMIT 1").fetchone() is not None
    except sqlite3.Error:
        return False
    finally:
        con.close()


def _cpu_s(pid: int) -> float | None:
    """The CPU (user + system) a running process has used so far (Linux /proc): under a shared machine's
    load the wall time to the first result moves with the others' work, its CPU much less."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def compiled(src: Path) -> None:
    """Byte-compile a tree's whichai once, as an install does: with PYTHONDONTWRITEBYTECODE set (as on the
    shared machine) every run would otherwise compile whichai's sources again (0.5 s of CPU per process)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0", str(src / "whichai")], check=True,
                   env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"})


def measured(argv: list[str], env: dict, db: Path | None = None) -> dict:
    """Run ``argv``; wall time, its CPU and peak memory (wait4), and the first result seen in ``db``."""
    start = time.perf_counter()
    sink = tempfile.TemporaryFile()  # not a pipe: a large --json document would fill it while we poll
    proc = subprocess.Popen(argv, env=env, stdout=sink, stderr=subprocess.DEVNULL)
    first = None
    while db is not None and first is None and proc.poll() is None:
        time.sleep(0.02)
        if _has_result(db):
            first = time.perf_counter() - start
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    sink.seek(0)
    out = sink.read().decode()
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024,
            "first_result_s": first, "status": status, "stdout": out}


def size(n: int, base_url: str, tmp: Path, before_first: bool = False) -> dict:
    task = tmp / f"cases-{n}.jsonl"
    task.write_text("".join(json.dumps({"id": f"c{i}", "input": f"question {i}", "expected": "Jakarta",
                                        "scorer": "contains"}) + "\n" for i in range(n)))
    config = tmp / "whichai.toml"
    config.write_text(f'[providers.lean]\nbase_url = "{base_url}"\n')
    db = tmp / f"w-{n}.db"
    env = {**os.environ, "WHICHAI_DATA_DIR": str(tmp)}

    def run_by(tree_env: dict, db: Path) -> dict:
        return measured([sys.executable, "-m", "whichai", "run", "--task", str(task), "--models", "lean/m", "--config",
                         str(config), "--db", str(db), "--concurrency", str(CONCURRENCY), "--no-report", "--json"], tree_env, db)

    before_db = tmp / f"before-{n}.db"  # the same run by an older whichai (its src/ first on the path)
    if os.environ.get("BEFORE") and before_first:
        before = run_by({**env, "PYTHONPATH": os.environ["BEFORE"]}, before_db)
    ours = run_by(env, db)
    with sqlite3.connect(db) as con:
        stored = con.execute("SELECT COUNT(*) FROM results WHERE status = 'ok'").fetchone()[0]
    if os.environ.get("BEFORE") and not before_first:
        before = run_by({**env, "PYTHONPATH": os.environ["BEFORE"]}, before_db)
    bare = measured([sys.executable, "-c", BARE, str(n), str(CONCURRENCY), base_url + "/chat/completions"], env)
    bare["first_result_s"] = json.loads(bare["stdout"] or "{}").get("first_result_s")
    db_mb = sum(p.stat().st_size for p in tmp.glob(f"w-{n}.db*")) / 2**20
    row = {"n": n, "whichai": ours, "bare": bare, "stored_ok": stored, "db_mb": db_mb}
    if os.environ.get("BEFORE"):
        row["before"] = before
    if PROMPTFOO:
        row["promptfoo"] = promptfoo(n, base_url, tmp)
    return row


def promptfoo(n: int, base_url: str, tmp: Path) -> dict:
    """``promptfoo eval`` on the same ``n`` questions and the same check (the answer contains "Jakarta") against
    the same server, at the same concurrency, writing its results as it does by default (its own database,
    plus a JSON file). One untimed 1-case run first: promptfoo's once-per-user setup (its config folder,
    its database's migrations) is not counted, as a user's second eval would not pay it."""
    home = tmp / "promptfoo-home"
    env = {**os.environ, "PROMPTFOO_CONFIG_DIR": str(home), "PROMPTFOO_DISABLE_TELEMETRY": "1",
           "PROMPTFOO_DISABLE_UPDATE": "1", "PROMPTFOO_DISABLE_SHARING": "1", "OPENAI_API_KEY": "x"}
    for cases in (1, n):
        (tmp / "pf.csv").write_text("question,__expected\n" + "".join(f"question {i},contains:Jakarta\n" for i in range(cases)))
        (tmp / "pf.yaml").write_text(f'prompts: ["{{{{question}}}}"]\nproviders:\n  - id: openai:chat:m\n    config:\n'
                                     f'      apiBaseUrl: {base_url}\n      apiKey: x\ntests: file://{tmp / "pf.csv"}\n')
        argv = [PROMPTFOO, "eval", "-c", str(tmp / "pf.yaml"), "--no-cache", "--max-concurrency", str(CONCURRENCY),
                "-o", str(tmp / "pf.json")]
        result = measured(argv, env)
    stats = json.loads((tmp / "pf.json").read_text())["results"]["stats"]
    return {**result, "first_result_s": None, "passed": stats["successes"]}


def ctrl_c(n: int, base_url: str, tmp: Path, after_s: float = 5.0, pythonpath: str | None = None) -> dict:
    """Start `whichai run` on ``n`` cases, wait for its first stored result, send SIGINT ``after_s`` later:
    time to the first result, from SIGINT to exit, results kept, the run's status, peak memory."""
    task = tmp / f"cases-{n}.jsonl"
    task.write_text("".join(json.dumps({"id": f"c{i}", "input": f"question {i}", "expected": "Jakarta",
                                        "scorer": "contains"}) + "\n" for i in range(n)))
    config = tmp / "whichai.toml"
    config.write_text(f'[providers.lean]\nbase_url = "{base_url}"\n')
    db = tmp / f"w-{n}.db"
    argv = [sys.executable, "-m", "whichai", "run", "--task", str(task), "--models", "lean/m", "--config", str(config),
            "--db", str(db), "--concurrency", str(CONCURRENCY), "--no-report", "--json"]
    start = time.perf_counter()
    env = {**os.environ, "WHICHAI_DATA_DIR": str(tmp), **({"PYTHONPATH": pythonpath} if pythonpath else {})}
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    first = first_cpu = None
    while first is None and proc.poll() is None:
        time.sleep(0.02)
        if _has_result(db):
            first, first_cpu = time.perf_counter() - start, _cpu_s(proc.pid)
    time.sleep(after_s)
    sent = time.perf_counter()
    proc.send_signal(signal.SIGINT)
    _, status, usage = os.wait4(proc.pid, 0)
    stopped = time.perf_counter() - sent
    with sqlite3.connect(db) as con:
        kept = con.execute("SELECT COUNT(*) FROM results").fetchone()[0]
        run_status = con.execute("SELECT status FROM runs").fetchone()[0]
    return {"first_result_s": first, "first_cpu_s": first_cpu, "ctrl_c_s": stopped, "kept": kept, "status": run_status,
            "exit": os.waitstatus_to_exitcode(status), "peak_mb": usage.ru_maxrss / 1024}


def main() -> None:
    compiled(ROOT / "src")
    if os.environ.get("BEFORE"):
        compiled(Path(os.environ["BEFORE"]))
    interrupt = "--ctrl-c" in sys.argv
    args = sys.argv[1:]
    rounds = int(args.pop(args.index("--rounds") + 1)) if "--rounds" in args else 1
    sizes = [int(a) for a in args if a not in ("--ctrl-c", "--rounds")] or [1000, 10000]
    if interrupt:
        port = free_port()
        server = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], stderr=subprocess.DEVNULL)
        try:
            time.sleep(1.5)
            trees = [("before", os.environ["BEFORE"])] if os.environ.get("BEFORE") else []
            for n in sizes:
                for who, pythonpath in [*trees, ("whichai", None)]:  # interleaved: the same load on both
                    with tempfile.TemporaryDirectory() as tmp:
                        r = ctrl_c(n, f"http://127.0.0.1:{port}/v1", Path(tmp), pythonpath=pythonpath)
                    print(f"{n:>8} cases, {who}: first result {r['first_result_s']:.2f} s ({r['first_cpu_s'] or 0:.2f} s CPU), SIGINT 5 s later -> exit {r['exit']} "
                          f"after {r['ctrl_c_s']:.2f} s, {r['kept']} results kept, run {r['status']}, peak {r['peak_mb']:.0f} MB")
        finally:
            server.terminate()
            server.wait()
        return
    port = free_port()
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], stderr=subprocess.DEVNULL)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        print(f"whichai run vs a bare aiohttp client, concurrency {CONCURRENCY}, lean aiohttp server on loopback")
        print(f"{'cases':>8} {'who':>8} {'wall s':>8} {'CPU ms/call':>12} {'first s':>8} {'peak MB':>8} {'DB MB':>7}")
        cpu: dict[tuple[int, str], list[float]] = {}  # (cases, who) -> CPU seconds of the whole process, a round each
        for round_ in range(rounds):
            if rounds > 1:
                print(f"round {round_ + 1} of {rounds}, load average {os.getloadavg()[0]:.1f}")
            for n in sizes:
                with tempfile.TemporaryDirectory() as tmp:
                    row = size(n, base_url, Path(tmp), before_first=bool(round_ % 2))
                _print_size(n, row)
                for who in ("before", "whichai", "bare"):
                    if who in row:
                        cpu.setdefault((n, who), []).append(row[who]["cpu_s"])
        if rounds > 1:
            _print_rounds(sizes, cpu)
    finally:
        server.terminate()
        server.wait()


def _print_size(n: int, row: dict) -> None:
    for who in [w for w in ("before", "whichai", "bare", "promptfoo") if w in row]:
        m = row[who]
        first = f"{m['first_result_s']:.2f}" if m["first_result_s"] is not None else "-"
        db = f"{row['db_mb']:.1f}" if who == "whichai" else ""
        print(f"{n:>8} {who:>8} {m['wall_s']:8.2f} {m['cpu_s'] / n * 1000:12.3f} {first:>8} {m['peak_mb']:8.0f} {db:>7}")
    w, b = row["whichai"], row["bare"]
    print(f"{n:>8} {'ratio':>8} {w['wall_s'] / b['wall_s']:8.2f} {w['cpu_s'] / b['cpu_s']:12.2f}"
          f"   (stored ok: {row['stored_ok']})")
    if "promptfoo" in row:
        pf = row["promptfoo"]
        print(f"{n:>8} {'w / pf':>8} {w['wall_s'] / pf['wall_s']:8.2f} {w['cpu_s'] / pf['cpu_s']:12.2f}"
              f"   (promptfoo passed: {pf['passed']})")


def _print_rounds(sizes: list[int], cpu: dict[tuple[int, str], list[float]]) -> None:
    """Over the rounds: CPU ms per call, median and least (the noise of a shared machine only adds), per size and
    side; then the marginal CPU per call between consecutive sizes, computed round by round (the fixed start
    and closing cancel out), its median, and its ratio to the bare client's."""
    whos = [w for w in ("before", "whichai", "bare") if (sizes[0], w) in cpu]
    print(f"\n{'cases':>8} {'who':>8} {'median ms/call':>15} {'least ms/call':>14}")
    for n in sizes:
        for who in whos:
            per_call = [c / n * 1000 for c in cpu[(n, who)]]
            print(f"{n:>8} {who:>8} {statistics.median(per_call):15.3f} {min(per_call):14.3f}")
    for small, large in zip(sizes, sizes[1:], strict=False):
        marginal = {who: [(b - a) / (large - small) * 1000 for a, b in zip(cpu[(small, who)], cpu[(large, who)], strict=True)]
                    for who in whos}
        rounds = "; ".join(f"{who} " + ", ".join(f"{m:.3f}" for m in marginal[who]) for who in whos)
        print(f"marginal {small} -> {large}, ms/call by round: {rounds}")
        medians = {who: statistics.median(marginal[who]) for who in whos}
        print(f"marginal {small} -> {large}, median ms/call: " + ", ".join(f"{who} {m:.3f}" for who, m in medians.items())
              + "".join(f"; {who} / bare {medians[who] / medians['bare']:.2f}" for who in whos if who != "bare"))


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_NOFILE, (4096, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
    main()
