"""What the gateway's classifier (``Classifier.findings``) costs per request, on messages a chat request carries,
this checkout against another tree side by side (issue 19).

    python bench/bench_sensitive.py [--baseline-src /tmp/base/src] [--rounds 2] [--calls 100]

Each round times every message in this checkout's ``src`` and then in the baseline's (separate processes, one
warm-up call each first), so both see the same moments of the machine. Prints JSON: microseconds per call, per
tree and message, one value per round, and what each found (the same in both trees, or the check says so).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

MESSAGES = {
    "short question": "What is 2+2?",
    "order message (id)": "Saya sudah bayar Rp 250.000 untuk 3 barang pada 12 Desember 2025, pesanan 88231.",
    "meeting summary 1.5 kB": ("Summarise this meeting: we discussed the Q3 roadmap, the budget of 1,250,000 USD, hiring "
                               "12 engineers by 2026-03-01, and the migration of 340 services. ") * 10,
    "code 1.2 kB": "def f(x):\n    return x * 1000003 + 17\nprint(f(123456789))\n" * 20,
    "invoice": "Invoice INV/2025/88231 total USD 1.250, due 2026-01-15; order 4471 shipped 2025-12-01 via JNE resi 00123.",
    "phone number": "Telepon 0812-3456-7890 please",
}

TIMER = r'''
import json, sys, timeit
from whichai.gateway.sensitive import Classifier
messages, calls = json.loads(sys.argv[1]), int(sys.argv[2])
c = Classifier()
out = {}
for name, text in messages.items():
    c.findings(text)
    out[name] = {"us": timeit.timeit(lambda: c.findings(text), number=calls) / calls * 1e6,
                 "found": sorted(f.kind for f in c.findings(text))}
print(json.dumps(out))
'''


def timed(src: str, calls: int) -> dict[str, dict]:
    env = {**os.environ, "PYTHONPATH": src}
    done = subprocess.run([sys.executable, "-c", TIMER, json.dumps(MESSAGES), str(calls)], env=env, check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline-src", help="another tree's src/, timed in the same rounds")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--calls", type=int, default=100)
    args = parser.parse_args()
    trees = {"current": str(Path(__file__).resolve().parents[1] / "src")}
    if args.baseline_src:
        trees["baseline"] = args.baseline_src
    rounds = [{name: timed(src, args.calls) for name, src in trees.items()} for _ in range(args.rounds)]
    out: dict[str, object] = {"load_average": os.getloadavg(), "calls": args.calls}
    for name in trees:
        out[name] = {m: [round(r[name][m]["us"], 1) for r in rounds] for m in MESSAGES}
    out["found"] = {m: rounds[0]["current"][m]["found"] for m in MESSAGES}
    out["same_findings"] = all(r[n][m]["found"] == rounds[0]["current"][m]["found"] for r in rounds for n in trees for m in MESSAGES)
    print(json.dumps(out, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
