"""The report step of a default `whichai run` (issue 24): the CPU of `write_report` inside a real run of N cases
(bench_scale's task, server and concurrency), and the whole process's, R interleaved rounds against an older tree.

    BEFORE=/tmp/old/src CONCURRENCY=100 python bench/bench_report.py 2000 --rounds 6   # BEFORE: `git archive COMMIT src`, unpacked

Each run is `python -c WRAPPED run ...`: the CLI as `python -m whichai` runs it, with `whichai.app.write_report`
wrapped to print its `process_time` on stderr. Figures are for ratios side by side on a shared machine.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import bench_scale

WRAPPED = textwrap.dedent('''
    import runpy, sys, time
    import whichai.app as app

    write = app.write_report

    def timed(*args, **kwargs):
        start = time.process_time()
        path = write(*args, **kwargs)
        sys.stderr.write(f"REPORT_CPU {time.process_time() - start:.4f}\\n")
        return path

    app.write_report = timed
    sys.argv = ["whichai", *sys.argv[1:]]
    runpy.run_module("whichai", run_name="__main__", alter_sys=True)
''')


def one_run(n: int, base_url: str, tmp: Path, pythonpath: str | None) -> tuple[float, float]:
    """(CPU of the whole process, CPU of its report step) of one `whichai run` of ``n`` cases with the default report."""
    task = tmp / "cases.jsonl"
    task.write_text("".join(f'{{"id": "c{i}", "input": "question {i}", "expected": "Jakarta", "scorer": "contains"}}\n'
                            for i in range(n)))
    config = tmp / "whichai.toml"
    config.write_text(f'[providers.lean]\nbase_url = "{base_url}"\n')
    argv = [sys.executable, "-c", WRAPPED, "run", "--task", str(task), "--models", "lean/m", "--config", str(config),
            "--db", str(tmp / "w.db"), "--concurrency", str(bench_scale.CONCURRENCY), "--lang", "en"]
    env = {**os.environ, "WHICHAI_DATA_DIR": str(tmp), **({"PYTHONPATH": pythonpath} if pythonpath else {})}
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    err = proc.stderr.read() if proc.stderr else ""
    _, status, usage = os.wait4(proc.pid, 0)
    found = re.search(r"REPORT_CPU ([\d.]+)", err)
    if os.waitstatus_to_exitcode(status) != 0 or found is None:
        raise SystemExit(f"whichai run failed ({status}): {err[-2000:]}")
    return usage.ru_utime + usage.ru_stime, float(found.group(1))


def main() -> None:
    args = sys.argv[1:]
    rounds = int(args.pop(args.index("--rounds") + 1)) if "--rounds" in args else 3
    n = int(args[0]) if args else 2000
    trees = [("before", os.environ["BEFORE"]), ("now", None)] if os.environ.get("BEFORE") else [("now", None)]
    for _, src in trees:
        bench_scale.compiled(Path(src) if src else bench_scale.ROOT / "src")
    port = bench_scale.free_port()
    server = subprocess.Popen([sys.executable, "-c", bench_scale.SERVER, str(port)], stderr=subprocess.DEVNULL)
    figures: dict[str, list[tuple[float, float]]] = {}
    try:
        time.sleep(1.5)
        for round_ in range(rounds):
            for who, src in trees if round_ % 2 == 0 else trees[::-1]:  # which tree runs first alternates
                with tempfile.TemporaryDirectory() as tmp:
                    whole, report = one_run(n, f"http://127.0.0.1:{port}/v1", Path(tmp), src)
                figures.setdefault(who, []).append((whole, report))
                print(f"round {round_ + 1}, {who}: whole process {whole:.2f} s CPU, report step {report:.3f} s", flush=True)
    finally:
        server.terminate()
        server.wait()
    print(f"load average {os.getloadavg()[0]:.1f}; {n} cases, c = {bench_scale.CONCURRENCY}: median (least)")
    for who, rows in figures.items():
        wholes, reports = [w for w, _ in rows], [r for _, r in rows]
        print(f"{who:>7}: whole {statistics.median(wholes):.2f} ({min(wholes):.2f}) s, "
              f"report step {statistics.median(reports):.3f} ({min(reports):.3f}) s")


if __name__ == "__main__":
    main()
