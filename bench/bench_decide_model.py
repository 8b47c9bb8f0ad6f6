"""Benchmark: the decide model's passes over the whole shipped catalog, in one process.

    python bench/bench_decide_model.py [--runs 9]

Per profile: the first pass of a recommendation over a fresh catalog view (candidates and their
deployment modes, criterion scores from the catalog's facts, ranking) and a re-run on the same view
(what the what-if passes of one recommendation cost), median of ``--runs``; and ``score_entry`` for
one model (``whichai models ID``). Figures go to BENCHMARKS.md ("Decide model").
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import date

from whichai.catalog import load_catalog
from whichai.decide.catalog_view import CatalogView
from whichai.decide.constraints import build_candidates, view_models
from whichai.decide.criteria_scores import score_entry
from whichai.decide.profile import load_profile
from whichai.decide.scoring import derive_weights, evaluate, prepare

TODAY = date(2026, 11, 25)


def one_pass(view: CatalogView, profile, weights) -> float:
    start = time.perf_counter()
    cands = build_candidates(profile, view.entries, None, view.resolve, today=TODAY, models=view_models(view))
    evaluate(prepare(cands, profile, weights), profile, weights)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    catalog = load_catalog()
    print(f"{len(catalog)} catalog entries, {args.runs} runs each")
    for name in ("default", "startup-no-ml", "regulated-bank", "high-volume-product"):
        profile = load_profile(name)
        weights = {cid: w.raw for cid, w in derive_weights(profile).items()}
        first, again = [], []
        for _ in range(args.runs):
            view = CatalogView(catalog)
            first.append(one_pass(view, profile, weights))
            again.append(one_pass(view, profile, weights))
        print(f"{name:22s} first pass median {statistics.median(first) * 1000:6.1f} ms (min {min(first) * 1000:6.1f})   "
              f"re-run median {statistics.median(again) * 1000:6.1f} ms (min {min(again) * 1000:6.1f})")
    entry = catalog.get("openai/gpt-4o")
    times = []
    for _ in range(50):
        start = time.perf_counter()
        score_entry(entry, today=TODAY)
        times.append(time.perf_counter() - start)
    print(f"score_entry(openai/gpt-4o)  median {statistics.median(times) * 1000:.3f} ms (min {min(times) * 1000:.3f})")
    print(f"load average during the run: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
