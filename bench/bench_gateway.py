"""What ``whichai gateway`` adds to a request, on loopback (issue 19).

Three processes: a lean OpenAI-compatible upstream (aiohttp; answers after ``--upstream-ms``, 50 ms by
default, as a model takes time; streams 8 pieces), the
gateway (``whichai gateway --policy``, the real CLI) in front of it, and this client (aiohttp, pooled).
Rounds alternate direct and through-the-gateway calls at the same concurrency, so both see the same
machine; the added latency is the difference of the medians and of the p99s. Then N concurrent
streams through the gateway, counting errors.

    python bench/bench_gateway.py [--requests 2000] [--concurrency 50] [--streams 500] [--rounds 3]
                                  [--baseline-src /tmp/base/src]   # another tree's gateway in the same rounds
                                  [--pin]   # the gateway on its own CPU, upstream and client on the other
                                  [--paired]   # direct and gateway requests interleaved in one window
                                  [--open-loop]   # interleaved, at Poisson arrival times (independent clients)
                                  [--prompt meeting]   # a 1.5 kB paragraph with amounts and dates as the message
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

UPSTREAM = r'''
import asyncio, json, sys
from aiohttp import web
CHUNK = 'data: {"id":"x","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"content":"hi "}}]}\n\n'
DONE = 'data: {"id":"x","object":"chat.completion.chunk","model":"m","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":8}}\n\ndata: [DONE]\n\n'
BODY = json.dumps({"id": "x", "object": "chat.completion", "model": "m", "usage": {"prompt_tokens": 5, "completion_tokens": 8},
                   "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "hi " * 8}}]})
DELAY = float(sys.argv[2]) / 1000
async def chat(request):
    body = await request.json()
    if DELAY:
        await asyncio.sleep(DELAY)
    if not body.get("stream"):
        return web.Response(text=BODY, content_type="application/json")
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
    await response.prepare(request)
    for _ in range(8):
        await response.write(CHUNK.encode())
    await response.write(DONE.encode())
    return response
app = web.Application()
app.router.add_post("/v1/chat/completions", chat)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
'''


PROMPT = "What is 2+2?"
MEETING = ("Summarise this meeting: we discussed the Q3 roadmap, the budget of 1,250,000 USD, hiring 12 engineers by "
           "2026-03-01, and the migration of 340 services. ") * 10


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, timeout: float = 30) -> None:
    end = time.time() + timeout
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing listens on {port}")


async def timed_calls(url: str, n: int, concurrency: int, stream: bool = False, prompt: str = PROMPT) -> tuple[list[float], int]:
    import aiohttp

    latencies: list[float] = []
    errors = 0
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(n):
        queue.put_nowait(i)
    body = {"model": "whichai-auto", "stream": stream, "messages": [{"role": "user", "content": prompt}]}

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal errors
        while not queue.empty():
            queue.get_nowait()
            start = time.perf_counter()
            async with session.post(url + "/chat/completions", json=body) as r:
                await r.read()
                if r.status != 200:
                    errors += 1
            latencies.append(time.perf_counter() - start)

    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
    return latencies, errors


class Tally:
    """Each target's latencies and errors, filled by :meth:`call` (one non-streaming chat call, timed)."""

    def __init__(self, urls: dict[str, str], prompt: str) -> None:
        self.urls, self.names = urls, list(urls)
        self.body = {"model": "whichai-auto", "stream": False, "messages": [{"role": "user", "content": prompt}]}
        self.got: dict[str, tuple[list[float], list[int]]] = {name: ([], [0]) for name in self.names}

    async def call(self, session, name: str) -> None:
        start = time.perf_counter()
        async with session.post(self.urls[name] + "/chat/completions", json=self.body) as r:
            await r.read()
            self.got[name][1][0] += r.status != 200
        self.got[name][0].append(time.perf_counter() - start)

    def result(self) -> dict[str, tuple[list[float], int]]:
        return {name: (lat, errs[0]) for name, (lat, errs) in self.got.items()}


async def paired_calls(urls: dict[str, str], n: int, concurrency: int, prompt: str = PROMPT) -> dict[str, tuple[list[float], int]]:
    """``n`` calls to each target at once, interleaved: request i goes to target i mod k, from
    ``concurrency`` x k workers, so every target sees about ``concurrency`` calls in flight and all of them the
    same moments of the machine (a p99 compared within one window, not across rounds)."""
    import aiohttp

    tally = Tally(urls, prompt)
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(n * len(urls)):
        queue.put_nowait(i)

    async def worker(session: aiohttp.ClientSession) -> None:
        while not queue.empty():
            await tally.call(session, tally.names[queue.get_nowait() % len(urls)])

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        await asyncio.gather(*(worker(session) for _ in range(concurrency * len(urls))))
    return tally.result()


async def open_loop_calls(urls: dict[str, str], n: int, concurrency: int, upstream_s: float, prompt: str = PROMPT,
                          seed: int = 19) -> dict[str, tuple[list[float], int]]:
    """``n`` calls to each target, interleaved, sent at Poisson arrival times (open loop: each call starts when its
    arrival comes, whether or not earlier ones have answered), at the rate that keeps ``concurrency`` calls in flight
    per target on average (Little's law: concurrency / the upstream's answer time). A closed loop of ``concurrency``
    workers and an upstream answering after a fixed time send the calls in waves (all answered together, all sent
    again together), so a proxy's p99 there is the last of a wave waiting for the other 49; independent clients do
    not arrive in waves."""
    import random

    import aiohttp

    tally = Tally(urls, prompt)
    rng = random.Random(seed)
    rate = concurrency / upstream_s * len(urls)  # calls a second, all targets together
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        tasks, due = [], time.perf_counter()
        for i in range(n * len(urls)):
            due += rng.expovariate(rate)
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            tasks.append(asyncio.create_task(tally.call(session, tally.names[i % len(urls)])))
        await asyncio.gather(*tasks)
    return tally.result()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def start_gateway(tmp_path: Path, port: int, src: str | None) -> subprocess.Popen:
    """The real ``whichai gateway`` CLI; from another tree's ``src`` (a baseline) when given."""
    env = {**os.environ, "WHICHAI_DATA_DIR": str(tmp_path / f"data-{port}")}
    if src:
        env["PYTHONPATH"] = src
    return subprocess.Popen([sys.executable, "-m", "whichai", "gateway", "--policy", str(tmp_path / "policy.yaml"),
                             "--config", str(tmp_path / "whichai.toml"), "--port", str(port)], env=env,
                            stderr=subprocess.DEVNULL)


def one_round(urls: dict[str, str], pids: dict[str, int], args: argparse.Namespace, turn: int) -> dict[str, dict]:
    """Each target once, in an order that rotates with the round (no target always goes first); with
    ``--paired``, all targets at once, their requests interleaved."""
    if args.paired or args.open_loop:
        cpu = {name: cpu_seconds(pid) for name, pid in pids.items()}
        both = asyncio.run(open_loop_calls(urls, args.requests, args.concurrency, args.upstream_ms / 1000, args.prompt, seed=19 + turn)
                           if args.open_loop else paired_calls(urls, args.requests, args.concurrency, args.prompt))
        return {name: {"p50": statistics.median(lat), "p99": p(lat, 99), "errors": errs,
                       "cpu": (cpu_seconds(pids[name]) - cpu[name]) / args.requests if name in pids else None}
                for name, (lat, errs) in both.items()}
    names = list(urls)
    names = names[turn % len(names):] + names[:turn % len(names)]
    out: dict[str, dict] = {}
    for name in names:
        cpu = cpu_seconds(pids[name]) if name in pids else 0.0
        latencies, errors = asyncio.run(timed_calls(urls[name], args.requests, args.concurrency, prompt=args.prompt))
        per_request = (cpu_seconds(pids[name]) - cpu) / args.requests if name in pids else None
        out[name] = {"p50": statistics.median(latencies), "p99": p(latencies, 99), "errors": errors, "cpu": per_request}
    return out


def row(name: str, got: dict[str, dict]) -> dict:
    d, g = got["direct"], got[name]
    return {"direct_p50_ms": d["p50"] * 1e3, "gateway_p50_ms": g["p50"] * 1e3, "added_p50_ms": (g["p50"] - d["p50"]) * 1e3,
            "direct_p99_ms": d["p99"] * 1e3, "gateway_p99_ms": g["p99"] * 1e3, "added_p99_ms": (g["p99"] - d["p99"]) * 1e3,
            "errors": g["errors"], "gateway_cpu_ms_per_request": g["cpu"] * 1e3}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--streams", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--upstream-ms", type=float, default=50.0, help="the upstream's answer time (a model takes time)")
    parser.add_argument("--baseline-src", help="another tree's src/: its gateway measured in the same rounds, side by side")
    parser.add_argument("--pin", action="store_true",
                        help="the gateway on CPU 1, the upstream and this client on CPU 0 (what the gateway adds when it has a core, "
                             "not the wait for one: three busy processes on two cores)")
    parser.add_argument("--paired", action="store_true",
                        help="direct and gateway calls interleaved in one window (each at --concurrency), not in turns")
    parser.add_argument("--open-loop", action="store_true",
                        help="direct and gateway calls interleaved, sent at Poisson arrival times at the rate that keeps --concurrency "
                             "in flight per target on average (independent clients), instead of --concurrency workers in a closed loop")
    parser.add_argument("--prompt", default=PROMPT, help=f"the user message of every request ({PROMPT!r}); 'meeting': "
                        "a 1.5 kB paragraph with amounts and dates, as a chat request often carries, no personal data")
    args = parser.parse_args()
    args.prompt = MEETING if args.prompt == "meeting" else args.prompt
    up_port, gw_port, base_port = free_port(), free_port(), free_port()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        (tmp_path / "whichai.toml").write_text(f'[providers.up]\nbase_url = "http://127.0.0.1:{up_port}/v1"\nself_hosted = true\n')
        (tmp_path / "policy.yaml").write_text("routes:\n  - {name: main, model: up/m, sensitive: true}\ndefault: main\n")
        upstream = subprocess.Popen([sys.executable, "-c", UPSTREAM, str(up_port), str(args.upstream_ms)])
        gateways = {"gateway": start_gateway(tmp_path, gw_port, None)}
        if args.baseline_src:
            gateways["baseline"] = start_gateway(tmp_path, base_port, args.baseline_src)
        ports = {"gateway": gw_port, "baseline": base_port}
        if args.pin:
            for proc in gateways.values():
                os.sched_setaffinity(proc.pid, {1})
            os.sched_setaffinity(upstream.pid, {0})
            os.sched_setaffinity(0, {0})
        try:
            wait_for(up_port)
            for name in gateways:
                wait_for(ports[name])
            urls = {"direct": f"http://127.0.0.1:{up_port}/v1", **{n: f"http://127.0.0.1:{ports[n]}/v1" for n in gateways}}
            for name in gateways:
                asyncio.run(timed_calls(urls[name], 200, args.concurrency))  # warm each
            pids = {n: g.pid for n, g in gateways.items()}
            rounds = [one_round(urls, pids, args, turn) for turn in range(args.rounds)]
            streams, stream_errors = (asyncio.run(timed_calls(urls["gateway"], args.streams, args.streams, stream=True))
                                      if args.streams else ([0.0], 0))  # --streams 0: none
        finally:
            for proc in (*gateways.values(), upstream):
                proc.terminate()
            for proc in (*gateways.values(), upstream):
                proc.wait(10)
    out = {"prompt_chars": len(args.prompt), "requests": args.requests, "concurrency": args.concurrency, "upstream_ms": args.upstream_ms, "pinned": args.pin, "paired": args.paired, "open_loop": args.open_loop,
           "load_average": os.getloadavg(), **{f"{n}_rounds" if n != "gateway" else "rounds": [row(n, got) for got in rounds] for n in gateways},
           "concurrent_streams": args.streams, "stream_errors": stream_errors, "streams_p50_ms": statistics.median(streams) * 1e3}
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
