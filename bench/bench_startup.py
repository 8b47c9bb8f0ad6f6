"""Start-up: `whichai --help` in a fresh process, against `python -c pass` measured in the same run.

    python bench/bench_startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    bare, helps = [], []
    wall([sys.executable, "-m", "whichai", "--help"])  # warm the file cache
    for _ in range(args.runs):
        bare.append(wall([sys.executable, "-c", "pass"]))
        helps.append(wall([sys.executable, "-m", "whichai", "--help"]))
    print(f"whichai --help   median {statistics.median(helps):.3f} s (min {min(helps):.3f}, max {max(helps):.3f}); bar < 0.3 s")
    print(f"python -c pass   median {statistics.median(bare):.3f} s")
    heavy = subprocess.run(
        [sys.executable, "-c", "import sys, whichai.cli.main; print(sorted(m for m in ('llama_cpp', 'openai', 'anthropic', 'google.genai', 'plotly', 'fastapi', 'pydantic') if m in sys.modules))"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    print(f"heavy modules imported by the CLI at start-up: {heavy}")


if __name__ == "__main__":
    main()
