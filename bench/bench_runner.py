"""The runner's own CPU per call (issue 24): ``Runner.run`` on N cases of a named OpenAI-compatible server whose
stream answers at once in this process (5 pieces and usage, as bench_scale's server sends; no network, no
aiohttp), so what is measured is the rest of a call: the queue and the claims, the adaptive limit, the per-call
timeout, scoring, redaction, the result and its batch in the database thread. CPU of the whole process
(``process_time``: the database thread included) over the run, per call; each tree in a fresh process, rounds
alternating which goes first.

    python bench/bench_runner.py 20000 --rounds 4
    BEFORE=/tmp/old/src python bench/bench_runner.py 20000 --rounds 4   # an older tree (git archive COMMIT src) side by side
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDS = ["The", " answer", " is", " Jakarta", "."]


def one_run(n: int) -> float:
    """CPU seconds of ``Runner.run`` over ``n`` cases at concurrency 100 (run in a fresh process)."""
    from whichai.config import load_config
    from whichai.measure.runner import Runner, RunPlan
    from whichai.providers.base import Chunk
    from whichai.providers.openai_compat import OpenAIProvider
    from whichai.providers.registry import Registry
    from whichai.store import Store
    from whichai.tasks.model import Case, Task

    async def answer_at_once(self, model, messages, settings):  # the server's part of a call, without a server
        await asyncio.sleep(0)
        for word in WORDS:
            yield Chunk(text=word)
        await asyncio.sleep(0)
        yield Chunk(finish_reason="stop", input_tokens=12, output_tokens=5)

    async def nothing_to_prepare(self, name):
        return None

    OpenAIProvider.stream = answer_at_once  # type: ignore[method-assign]
    OpenAIProvider.prepare = nothing_to_prepare  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "whichai.toml").write_text('[providers.lean]\nbase_url = "http://127.0.0.1:9/v1"\n')
        registry = Registry(load_config(Path(tmp) / "whichai.toml"))
        cases = [Case(id=f"c{i}", input=f"question {i}", expected="Jakarta", scorer="contains") for i in range(n)]
        plan = RunPlan(task=Task(name="t", cases=cases), models=["lean/m"], concurrency=100, retries=0, timeout=30)
        store = Store.open(Path(tmp) / "w.db")
        start = time.process_time()
        outcome = asyncio.run(Runner(store, registry).run(plan))
        cpu = time.process_time() - start
        store.close()
    assert outcome.ran == n and outcome.errors == 0, outcome
    return cpu


def main() -> None:
    args = sys.argv[1:]
    rounds = int(args.pop(args.index("--rounds") + 1)) if "--rounds" in args else 3
    n = int(args[0]) if args else 20000
    trees = [("now", str(ROOT / "src"))] + ([("before", os.environ["BEFORE"])] if os.environ.get("BEFORE") else [])
    per_call: dict[str, list[float]] = {who: [] for who, _ in trees}
    for round_ in range(rounds):
        order = trees if round_ % 2 == 0 else trees[::-1]
        for who, src in order:
            env = {**os.environ, "PYTHONPATH": src}
            out = subprocess.run([sys.executable, __file__, "--one", str(n)], env=env, capture_output=True, text=True, check=True)
            cpu = float(out.stdout.strip().splitlines()[-1])
            per_call[who].append(cpu / n * 1e6)
            print(f"round {round_ + 1}, load average {os.getloadavg()[0]:.1f}: {who:>6} {cpu:.3f} s CPU, {cpu / n * 1e6:.1f} us per call")
    for who, values in per_call.items():
        print(f"{who:>6}: median {statistics.median(values):.1f} us per call, least {min(values):.1f}")


if __name__ == "__main__":
    if "--one" in sys.argv:
        print(one_run(int(sys.argv[sys.argv.index("--one") + 1])))
    else:
        main()
