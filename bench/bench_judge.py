"""The judge against the deterministic scorers: on the built-in cases (which all have a deterministic
scorer), the embedded model answers each case; then a judge model grades the same answers with a rubric
that asks for exactly what the scorer checks ("the answer gives the reference answer"). Reports how
often the judge's reply could be read, its agreement with the scorer (share and Cohen's kappa), the
judge's tokens and time per judgement on this machine, and the cost of judging 1,000 cases with API
judges at their catalog prices (tokens measured here x price; origin: estimate).

Every call goes through whichai's runner (Runner.run for the answers, Runner.call + whichai.measure.judge for
the verdicts), so the figures are those of `scorer: judge` in a real run.

    python bench/bench_judge.py [--limit N] [--judge MODEL] [--model MODEL] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import statistics
import tempfile
import time
from pathlib import Path

RUBRIC = ("The answer is correct: it gives the same answer as the reference answer (wording, case and extra "
          "explanation may differ; a different or missing answer is wrong).")
API_JUDGES = ["openai/gpt-4.1-mini", "openai/gpt-4.1", "anthropic/claude-haiku-4-5", "gemini/gemini-2.5-flash"]


def kappa(pairs: list[tuple[bool, bool]]) -> float | None:
    """Cohen's kappa of two raters' pass/fail verdicts."""
    n = len(pairs)
    if not n:
        return None
    observed = sum(a == b for a, b in pairs) / n
    pa, pb = sum(a for a, _ in pairs) / n, sum(b for _, b in pairs) / n
    chance = pa * pb + (1 - pa) * (1 - pb)
    return None if chance == 1 else (observed - chance) / (1 - chance)


async def judge_all(runner, plan, judge_id: str, cases: dict, answers: list[dict]) -> list[dict]:
    from whichai.measure.judge import grade_case, judgement, settings

    out = []
    for row in answers:  # one at a time: local models run one call at a time anyway
        case = cases[row["case_id"]].model_copy(update={"scorer": "judge", "options": {"rubric": RUBRIC, "model": judge_id}})
        started = time.perf_counter()
        call = await runner.call(judge_id, grade_case(case, row["answer"] or ""), plan, settings())
        verdict = judgement(case, row["answer"] or "", call)
        out.append({**verdict, "case_id": row["case_id"], "scorer_passed": bool(row["passed"]),
                    "wall_s": time.perf_counter() - started})
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--model", default="local/smollm2-135m-instruct", help="the model whose answers are judged")
    parser.add_argument("--judge", default="local/smollm2-135m-instruct")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from whichai.catalog import load_catalog
    from whichai.config import load_config
    from whichai.measure.runner import Runner, RunPlan
    from whichai.providers.base import GenerationSettings
    from whichai.providers.registry import Registry
    from whichai.store import Store
    from whichai.tasks.loader import load_task

    task = load_task(None)
    task = task.model_copy(update={"cases": task.cases[: args.limit] if args.limit else task.cases})
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "bench.db")
        plan = RunPlan(task=task, models=[args.model], settings=GenerationSettings(max_tokens=64), timeout=120)
        outcome = asyncio.run(Runner(store, Registry(load_config(None))).run(plan))
        answers = [r for r in store.results(outcome.run_id) if r["status"] == "ok" and r["passed"] is not None]
        registry = Registry(load_config(None))
        runner = Runner(store, registry)
        judge_plan = RunPlan(task=task, models=[args.judge], timeout=120)

        async def go():
            provider, name = registry.resolve(args.judge)
            await provider.prepare(name)
            try:
                return await judge_all(runner, judge_plan, args.judge, {c.id: c for c in task.cases}, answers)
            finally:
                await registry.aclose()

        started = time.perf_counter()
        verdicts = asyncio.run(go())
        judging_s = time.perf_counter() - started
    read = [v for v in verdicts if v["status"] == "ok"]
    pairs = [(bool(v["passed"]), v["scorer_passed"]) for v in read]
    tokens_in = [v["input_tokens"] for v in verdicts if v.get("input_tokens") is not None]
    tokens_out = [v["output_tokens"] for v in verdicts if v.get("output_tokens") is not None]
    mean_in, mean_out = statistics.mean(tokens_in), statistics.mean(tokens_out)
    catalog = load_catalog()
    api = {}
    for model in API_JUDGES:
        price = catalog.price_for(model)
        if price is not None:
            api[model] = {"usd_per_1000_cases": round((mean_in * price.input + mean_out * price.output) / 1_000_000 * 1000, 4),
                          "price": f"${price.input}/${price.output} per Mtok ({price.source}, {price.as_of})", "origin": "estimate"}
    result = {
        "machine": f"{platform.machine()}, {platform.python_version()}, {_cpus()} CPUs",
        "answers_by": args.model, "judge": args.judge, "cases": len(task.cases), "judged": len(verdicts),
        "verdicts_read": len(read), "read_share": round(len(read) / len(verdicts), 4) if verdicts else None,
        "agreement": round(sum(a == b for a, b in pairs) / len(pairs), 4) if pairs else None,
        "cohen_kappa": None if kappa(pairs) is None else round(kappa(pairs), 4),
        "judge_pass_share": round(sum(a for a, _ in pairs) / len(pairs), 4) if pairs else None,
        "scorer_pass_share": round(sum(b for _, b in pairs) / len(pairs), 4) if pairs else None,
        "confusion": {"both_pass": sum(a and b for a, b in pairs), "judge_only": sum(a and not b for a, b in pairs),
                      "scorer_only": sum(b and not a for a, b in pairs), "both_fail": sum(not a and not b for a, b in pairs)},
        "judge_tokens_mean": {"input": round(mean_in, 1), "output": round(mean_out, 1)},
        "judge_latency_mean_s": round(statistics.mean(v["latency_s"] for v in verdicts if v.get("latency_s")), 3),
        "judging_wall_s": round(judging_s, 2),
        "judging_s_per_1000_cases_here": round(judging_s / len(verdicts) * 1000, 1),
        "embedded_judge_usd_per_1000_cases": 0.0,
        "api_judges_per_1000_cases": api,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for key, value in result.items():
        print(f"{key}: {value}")


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


if __name__ == "__main__":
    main()
