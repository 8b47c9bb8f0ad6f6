"""Check: the decisions of every built-in profile are byte for byte what another checkout gives.

    python bench/same_decisions.py --baseline-src /tmp/base/src [--save DIR]

Runs ``whichai recommend --profile P --json`` (and ``--lang id``, and the terminal view) for the
default profile and every built-in example profile, with this checkout's ``src`` and with the
baseline's, ``WHICHAI_TODAY=2026-12-07`` and an empty ``WHICHAI_DATA_DIR`` each, and compares the
outputs byte for byte. Exits 1 on the first difference (with a unified diff of it).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import difflib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent / "src"
PROFILES = ("default", "airgapped-government", "high-volume-product", "hobbyist-laptop", "regulated-bank", "research-lab",
            "startup-no-ml")


def output(src: str, args: list[str]) -> bytes:
    env = dict(os.environ, WHICHAI_DATA_DIR=tempfile.mkdtemp(), WHICHAI_TODAY="2026-12-07", COLUMNS="120", PYTHONPATH=src,
               LANG="en_US.UTF-8")
    env.pop("LC_ALL", None)
    proc = subprocess.run([sys.executable, "-m", "whichai", *args], capture_output=True, env=env, check=False)
    return proc.stdout + f"\n[exit {proc.returncode}]\n".encode() + proc.stderr


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline-src", required=True)
    parser.add_argument("--save", help="write each output pair under this folder")
    args = parser.parse_args()
    commands = [[*["recommend", "--profile", p, "--json"]] for p in PROFILES]
    commands += [["recommend", "--profile", p, "--json", "--lang", "id"] for p in ("default", "regulated-bank")]
    commands += [["recommend", "--profile", p] for p in ("default", "hobbyist-laptop")]
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        jobs = [(cmd, pool.submit(output, str(HERE), cmd), pool.submit(output, args.baseline_src, cmd)) for cmd in commands]
        failed = 0
        for cmd, mine, theirs in jobs:
            a, b = mine.result(), theirs.result()
            label = " ".join(cmd)
            if args.save:
                folder = Path(args.save)
                folder.mkdir(parents=True, exist_ok=True)
                stem = "_".join(cmd[1:]).replace("-", "")
                (folder / f"{stem}.new").write_bytes(a)
                (folder / f"{stem}.base").write_bytes(b)
            if a == b:
                print(f"same      {label} ({len(a)} bytes)")
                continue
            failed += 1
            print(f"DIFFERENT {label}")
            diff = difflib.unified_diff(b.decode(errors="replace").splitlines(), a.decode(errors="replace").splitlines(),
                                        "baseline", "current", lineterm="", n=2)
            print("\n".join(list(diff)[:60]))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
