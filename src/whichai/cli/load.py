"""``whichai load`` (a concurrency sweep against a server) and ``whichai loads`` (the stored sweeps)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import typer

from whichai.cli.progress import ErrorBars

if TYPE_CHECKING:
    from rich.progress import TaskID

    from whichai.measure.load.sweep import LoadPoint, LoadSweep, Workload


def register(app: typer.Typer) -> None:
    app.command("load")(load)
    app.command("loads")(loads)


def load(
    model: str = typer.Argument(..., help="provider/model of an OpenAI-compatible server: a server named in whichai.toml, openai/…, or a hosted open-model API."),
    task: Optional[str] = typer.Option(None, "--task", "-t", help="Send this task's cases (built-in name or YAML/JSONL file) instead of synthetic prompts."),
    input_tokens: Optional[int] = typer.Option(None, "--input-tokens", min=1, max=1_000_000, help="Synthetic prompts of about N tokens. Default: 256."),
    output_tokens: Optional[int] = typer.Option(None, "--output-tokens", min=1, max=1_000_000, help="Answers of M tokens. Default: 128; with --task: the most tokens per answer."),
    max_concurrency: int = typer.Option(64, "--max-concurrency", min=1, max=4096, help="Highest concurrency the sweep may try."),
    concurrency: Optional[int] = typer.Option(None, "--concurrency", "-c", min=1, max=4096, help="Measure this one concurrency only (no sweep)."),
    requests: Optional[int] = typer.Option(None, "--requests", "-n", min=1, max=1_000_000, help="Requests per point. Default: 8 × concurrency, at least 16."),
    duration: Optional[float] = typer.Option(None, "--duration", min=0.1, help="Seconds per point (instead of --requests)."),
    slo_ttft: Optional[float] = typer.Option(None, "--slo-ttft", min=0.0, help="Latency target: p95 time to first token, seconds (the JSON's at_slo is null without a target)."),
    slo_latency: Optional[float] = typer.Option(None, "--slo-latency", min=0.0, help="Latency target: p95 whole-answer latency, seconds."),
    hardware: Optional[str] = typer.Option(None, "--hardware", help="What serves the model, e.g. '1x A100 80GB' (labels the capacity decide uses). Default: this-machine for loopback servers."),
    exact_output: Optional[bool] = typer.Option(None, "--exact-output/--free-output", help="Ask for exactly --output-tokens (min_tokens, for vLLM and llama.cpp). Default: on for servers in whichai.toml."),
    adaptive: bool = typer.Option(True, "--adaptive/--no-adaptive", help="Lower the concurrency when the server sheds load (503, 429, streams cut), then recover."),
    timeout: float = typer.Option(120.0, "--timeout", min=0.001, help="Seconds per request before it counts as timed out."),
    config: Optional[Path] = typer.Option(None, "--config", help="whichai.toml (default: ./whichai.toml, then the user config dir)."),
    db: Optional[Path] = typer.Option(None, "--db", help="SQLite database (default: whichai.db in the user data dir)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    """Load-test a model's server: a concurrency sweep (1, doubling, then bisection around saturation and the latency target) measuring throughput, time to first token, inter-token latency and latency.

    The sweep is stored; decide uses its tokens/s (input + output), at the latency target when one is given, else at saturation, as the measured capacity of that model on that hardware. Loads a server (llama.cpp, vLLM, Ollama, TGI, a hosted API), never the in-process local/ model.
    """
    code = execute_load(
        model=model, task=task, input_tokens=input_tokens, output_tokens=output_tokens,
        max_concurrency=max_concurrency, concurrency=concurrency, requests=requests, duration=duration,
        slo_ttft=slo_ttft, slo_latency=slo_latency, hardware=hardware, exact_output=exact_output,
        adaptive=adaptive, timeout=timeout, config=config, db=db, as_json=as_json,
    )
    raise typer.Exit(code)


def loads(
    model: Optional[str] = typer.Option(None, "--model", "-m", help="Only sweeps of this model."),
    db: Optional[Path] = typer.Option(None, "--db", help="SQLite database (default: the user data dir)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    """List stored load sweeps, newest first, and the capacity decide takes from them."""
    from whichai.cli.output import out_console, print_json
    from whichai.measure.load.store import capacity_entries, load_results
    from whichai.paths import default_db_path
    from whichai.store import Store

    store = Store.open(db or default_db_path(), create=False)
    sweeps = load_results(store, model)
    if as_json:
        print_json({"sweeps": [s.to_json() for s in sweeps], "capacity": [c.to_json() for c in capacity_entries(store)]})
        return
    if not sweeps:
        out_console().print("No load sweeps yet. Start one with `whichai load PROVIDER/MODEL`.")
        return
    for document in sweeps:
        _print_sweep(document)


def _parse_inputs(task, input_tokens, output_tokens, requests, duration, concurrency, max_concurrency):
    from whichai.errors import InputError

    if task and input_tokens:
        raise InputError("--task and --input-tokens both choose the prompts. Fix: pass one of them.")
    if requests is not None and duration is not None:
        raise InputError("--requests and --duration both size each point. Fix: pass one of them.")


def execute_load(*, model, task, input_tokens, output_tokens, max_concurrency, concurrency, requests, duration,
                 slo_ttft, slo_latency, hardware, exact_output, adaptive, timeout, config, db, as_json) -> int:
    from whichai.cli.output import err_console, print_json
    from whichai.config import load_config
    from whichai.measure.load.prompts import synthetic_prompts, task_prompts
    from whichai.measure.load.session import LoadSpec, run_load_sync
    from whichai.measure.load.store import save_sweep
    from whichai.measure.load.sweep import SweepPlan
    from whichai.measure.load.target import resolve_target
    from whichai.paths import default_db_path
    from whichai.store import Store

    _parse_inputs(task, input_tokens, output_tokens, requests, duration, concurrency, max_concurrency)
    target = resolve_target(model, load_config(config))
    if task:
        from whichai.tasks.loader import load_task

        the_task = load_task(task)
        prompts = task_prompts(target, the_task, output_tokens or 128)
        workload: Workload = {"task": the_task.name, "distinct_prompts": len(prompts), "max_tokens": output_tokens or 128}
    else:
        exact = target.self_hosted if exact_output is None else exact_output
        prompts = synthetic_prompts(target, input_tokens or 256, output_tokens or 128, exact_output=exact)
        workload = {"task": None, "input_tokens": input_tokens or 256, "output_tokens": output_tokens or 128,
                    "exact_output": exact, "distinct_prompts": len(prompts)}
    plan = SweepPlan(max_concurrency=max_concurrency, requests=requests, duration_s=duration,
                     slo_ttft_s=slo_ttft, slo_latency_s=slo_latency, fixed=concurrency)
    store = Store.open(db or default_db_path())  # bad input is rejected above, before the database is touched
    progress = _Progress()
    spec = LoadSpec(target=target, prompts=prompts, plan=plan, workload=workload,
                    hardware=hardware or target.default_hardware(), timeout=timeout, adaptive=adaptive,
                    hooks=progress.hooks())
    try:
        with progress:
            document = run_load_sync(spec)
    except KeyboardInterrupt:
        err_console().print("[yellow]Interrupted.[/] Nothing of this sweep was stored.")
        return 130
    save_sweep(store, document)
    if as_json:
        print_json({**document.to_json(), "db": str(store.path)})
    else:
        _print_sweep(document)
    failed = sum(p["errors"] for p in document.points)
    if failed:
        err_console().print(f"[yellow]{failed} request(s) failed[/] (see the errors column); the figures count answered requests only.")
    return 1 if failed else 0


def _fmt(value: Any, pattern: str) -> str:
    return "–" if value is None else pattern.format(value)


def _print_sweep(document: LoadSweep) -> None:
    from rich.markup import escape
    from rich.table import Table

    from whichai.cli.output import out_console

    workload = document.workload
    shape = (f"task {workload['task']}" if workload.get("task")
             else f"~{workload['input_tokens']} in / {workload['output_tokens']} out tokens")
    table = Table(title=f"Load {document.id} · {escape(document.model)} at {escape(document.server)} · "
                        f"{escape(document.hardware)} · {shape}", title_justify="left")
    table.caption = "tok/s: output tokens per second · TTFT, latency: seconds · ITL: inter-token latency p50, ms"
    for column in ("conc", "req", "err", "req/s", "tok/s", "TTFT p50/95", "ITL", "lat p50/95", "note"):
        table.add_column(column, justify="left" if column == "note" else "right", no_wrap=column != "note", overflow="fold")
    slo = document.at_slo
    for p in document.points:
        marks = []
        if p["concurrency"] == document.saturation_concurrency:
            marks.append("saturation")
        if slo and slo["met"] and p["concurrency"] == slo["concurrency"]:
            marks.append("best in SLO")
        adaptive = p.get("adaptive") or {}
        if adaptive.get("backed_off"):
            marks.append(f"backed off to {adaptive['lowest']}")
        table.add_row(
            str(p["concurrency"]), str(p["requests"]), f"[red]{p['errors']}[/]" if p["errors"] else "0",
            f"{p['requests_per_s']:.2f}", f"{p['output_tokens_per_s']:.1f}",
            f"{_fmt(p['ttft_p50_s'], '{:.3f}')}/{_fmt(p['ttft_p95_s'], '{:.3f}')}",
            _fmt(None if p["itl_p50_s"] is None else p["itl_p50_s"] * 1000, "{:.1f}"),
            f"{_fmt(p['latency_p50_s'], '{:.2f}')}/{_fmt(p['latency_p95_s'], '{:.2f}')}", ", ".join(marks),
        )
    console = out_console()
    console.print(table)
    for line in _notes(document):
        console.print(f"[dim]{escape(line)}[/]")


def _notes(document: LoadSweep) -> list[str]:
    from whichai.measure.load.store import capacity_of

    notes = [f"Highest throughput: {document.max_output_tokens_per_s:.1f} output tokens/s "
             f"(concurrency {document.max_at_concurrency})."]
    if document.saturated:
        notes.append(f"Saturation: concurrency {document.saturation_concurrency} reaches 95 % of it; more only queues.")
    elif document.plan.get("fixed_concurrency") is None:
        notes.append(f"Not saturated up to concurrency {document.plan['max_concurrency']}: raise --max-concurrency to find the limit.")
    slo = document.at_slo
    if slo and not slo["met"]:
        notes.append("No concurrency met the latency target (p95 TTFT / latency) without errors.")
    for p in document.points:
        adaptive = p.get("adaptive") or {}
        if adaptive.get("backed_off"):
            notes.append(f"Concurrency {p['concurrency']}: the server shed load {adaptive['sheds']} time(s); whichai "
                         f"backed off to {adaptive['lowest']} and ended at {adaptive['final']}.")
    if document.points and not all(p.get("tokens_reported") for p in document.points):
        notes.append("The server reported no token usage in its streams: output tokens are counted as deltas "
                     "(one token each on llama.cpp, vLLM and TGI); input tokens come from a calibration call.")
    capacity = capacity_of(document)
    if capacity is not None:
        notes.append(f"Capacity for decide: {capacity.tokens_per_s:.1f} tokens/s (input + output) on "
                     f"{document.hardware}, measured.")
    return notes


class _Progress(ErrorBars):
    """A bar per point of the sweep, on stderr."""

    def __init__(self) -> None:
        super().__init__()
        self.current: TaskID | None = None  # the bar of the point being measured

    def hooks(self):
        from whichai.measure.load.session import Hooks

        def start(concurrency: int, total: int | None) -> None:
            self.current = self.add(f"concurrency {concurrency:>4}", total)

        def sample(s) -> None:
            assert self.current is not None  # a point has started
            if s.ok:
                self.progress.advance(self.current)
            else:
                self.count_error(self.current, advance=1)

        def end(point: LoadPoint) -> None:
            assert self.current is not None  # a point has started
            self.progress.update(self.current, description=f"concurrency {point['concurrency']:>4} "
                                 f"{point['output_tokens_per_s']:8.1f} tok/s")

        return Hooks(point_start=start, sample=sample, point_end=end)
