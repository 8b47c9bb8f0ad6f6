"""The call path alone (issue 24): the CPU per streamed call of whichai's lean OpenAI-compatible path
(`provider.stream` over the pooled aiohttp client, read as the runner reads it) against a bare aiohttp client
making the same calls, in fresh processes, rounds interleaved, against bench_scale's loopback server. No
loader, no database, no closing work: the part of `whichai run`'s CPU that grows with the calls.

    python bench/bench_wire.py                    # 2,000 calls at concurrency 100, three rounds
    BEFORE=/tmp/old/src python bench/bench_wire.py 2000 --rounds 5   # adds an older tree (git archive COMMIT src)

Each process makes 50 untimed calls first (the connections and the session warm), then times
``time.process_time()`` over the N calls; figures are for side-by-side ratios on a shared machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_scale import SERVER, free_port  # noqa: E402

CLIENT = textwrap.dedent('''
    import asyncio, json, sys, time

    async def whichai_calls(n, c, url):
        from whichai.config import Config, ProviderConfig
        from whichai.providers.base import GenerationSettings
        from whichai.providers.registry import Registry

        provider, name = Registry(Config(providers={"lean": ProviderConfig(base_url=url)})).resolve("lean/m")
        await provider.prepare(name)
        settings = GenerationSettings()

        async def one(i):
            parts, final = [], {}
            async for chunk in provider.stream(name, [{"role": "user", "content": f"question {i}"}], settings):
                if chunk.text:
                    parts.append(chunk.text)
                if chunk.output_tokens is not None:
                    final["output_tokens"] = chunk.output_tokens
            assert "".join(parts) == "The answer is Jakarta." and final["output_tokens"] == 5
        try:
            return await timed(n, c, one)
        finally:
            await provider.aclose()

    async def bare_calls(n, c, url):
        import aiohttp

        async with aiohttp.ClientSession() as http:
            async def one(i):
                body = {"model": "m", "stream": True, "messages": [{"role": "user", "content": f"question {i}"}]}
                text = []
                async with http.post(url + "/chat/completions", json=body) as response:
                    async for line in response.content:
                        if line.startswith(b"data: {"):
                            delta = json.loads(line[6:])["choices"][0]["delta"].get("content")
                            if delta:
                                text.append(delta)
                assert "".join(text) == "The answer is Jakarta."
            return await timed(n, c, one)

    async def timed(n, c, one):
        async def run(count):
            queue = list(range(count))
            async def worker():
                while queue:
                    await one(queue.pop())
            await asyncio.gather(*(worker() for _ in range(c)))
        await run(50)
        start = time.process_time()
        await run(n)
        return time.process_time() - start

    who, n, c, url = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    print(asyncio.run((whichai_calls if who != "bare" else bare_calls)(n, c, url)))
''')


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 3
    n = int(args[0]) if args and args[0] != str(rounds) else 2000
    concurrency = int(os.environ.get("CONCURRENCY", "100"))
    port = free_port()
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(port)])
    url = f"http://127.0.0.1:{port}/v1"
    who = {"whichai": {}, "bare": {}} | ({"before": {"PYTHONPATH": os.environ["BEFORE"]}} if os.environ.get("BEFORE") else {})
    try:
        time.sleep(1.5)
        print(f"{n} streamed calls at concurrency {concurrency}: CPU ms per call (process_time), load average "
              f"{os.getloadavg()[0]:.1f} at the start")
        for r in range(rounds):
            row = {}
            for name, extra in who.items():
                out = subprocess.run([sys.executable, "-c", CLIENT, name, str(n), str(concurrency), url],
                                     env={**os.environ, **extra}, capture_output=True, text=True, check=True)
                row[name] = float(out.stdout.split()[-1]) / n * 1000
            print(f"round {r + 1}: " + ", ".join(f"{k} {v:.3f}" for k, v in row.items())
                  + f"; whichai / bare {row['whichai'] / row['bare']:.2f}"
                  + (f", before / bare {row['before'] / row['bare']:.2f}" if "before" in row else "")
                  + f" (load {os.getloadavg()[0]:.1f})")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
