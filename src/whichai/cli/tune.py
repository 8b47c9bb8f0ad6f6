"""``whichai tune``: a LoRA fine-tune of an open model on your examples, measured against its base."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import typer


def register(app: typer.Typer) -> None:
    app.command("tune")(tune)


def tune(
    base: str = typer.Argument(..., help="Open model to tune: local/smollm2-135m-instruct or local/PATH.gguf."),
    task: str = typer.Option(..., "--task", help="Task file (cases: input, expected). Held-out cases score the tune."),
    train: str | None = typer.Option(None, "--train", help="Training cases (same format); then every task case is held out."),
    split: float = typer.Option(0.5, "--split", help="Share of the task's cases to train on (the rest score)."),
    epochs: int = typer.Option(3, "--epochs", min=1),
    rank: int = typer.Option(8, "--rank", min=1, help="LoRA rank."),
    learning_rate: float = typer.Option(5e-4, "--lr", help="Learning rate."),
    name: str | None = typer.Option(None, "--name", help="Tune name; the model is local/tuned:NAME."),
    max_steps: int | None = typer.Option(None, "--max-steps", min=1, help="Stop after N steps (checkpoint kept; run again to resume)."),
    restart: bool = typer.Option(False, "--restart", help="Replace a different tune saved under the same name."),
    max_tokens: int = typer.Option(32, "--max-tokens", min=1, help="Answer length when measuring."),
    config: str | None = typer.Option(None, "--config", help="whichai.toml to use."),
    db: Path | None = typer.Option(None, "--db", help="SQLite database (default: the user data dir)."),  # noqa: B008
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    """Fine-tune (LoRA) an open model on your examples, then measure base vs tuned on held-out cases.
    / Fine-tune model open dengan contoh Anda, lalu ukur model dasar vs hasil tune pada kasus uji."""
    from whichai.app.tune import TuneRequest
    from whichai.app.tune import tune as run_tune

    req = TuneRequest(base=base, task=task, train_file=train, split=split, epochs=epochs, rank=rank,
                      learning_rate=learning_rate, name=name, max_steps=max_steps, restart=restart,
                      max_tokens=max_tokens, config=config, db=str(db) if db else None)
    bar = _Bar()
    try:
        with bar:
            result = run_tune(req, report=bar.train, on_measure=bar.measured)
    except KeyboardInterrupt:
        from whichai.cli.output import err_console

        err_console().print("[yellow]Interrupted.[/] The last checkpoint is kept: run the same command again to resume.")
        raise typer.Exit(130) from None
    document = _document(result)
    if as_json:
        from whichai.cli.output import print_json

        print_json(document)
    else:
        _print(document)
    if not result.finished:
        raise typer.Exit(0)


class _Bar:
    """Rich progress on stderr: training steps with the loss, then the measuring calls."""

    def __init__(self) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        from whichai.cli.output import err_console

        self.progress = Progress(TextColumn("{task.description}", markup=False), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.fields[note]}", markup=False), TimeElapsedColumn(), TimeRemainingColumn(),
                                 console=err_console())
        self.training: Any = None
        self.measuring: Any = None

    def __enter__(self) -> Any:
        self.progress.__enter__()
        return self

    def __exit__(self, *exc: Any) -> Any:
        return self.progress.__exit__(*exc)

    def train(self, p) -> None:
        if self.training is None:
            self.training = self.progress.add_task("training", total=p.total, completed=p.step - 1, note="")
        self.progress.update(self.training, completed=p.step, note=f"loss {p.losses[-1]:.3f}")

    def measured(self, model: str, result: dict[str, Any]) -> None:
        if self.measuring is None:
            self.measuring = self.progress.add_task("measuring base and tune", total=None, note="")
        self.progress.update(self.measuring, advance=1)


def _document(result) -> dict[str, Any]:
    doc = asdict(result)
    doc["losses"] = {"first": result.losses[:1], "last": result.losses[-1:], "count": len(result.losses)}
    return doc


def _print(doc: dict[str, Any]) -> None:
    from rich.markup import escape

    from whichai.cli.output import out_console

    console = out_console()
    if not doc["finished"]:
        console.print(f"Stopped after step {doc['steps']} of {doc['total_steps']} ({doc['train_seconds']} s). "
                      "The checkpoint is kept: run the same command again to resume. / Dihentikan; jalankan lagi untuk melanjutkan.")
        return
    lin = doc["lineage"]
    console.print(f"Tuned [bold]{escape(doc['model_id'])}[/] from {escape(doc['base'])}: {lin['steps']} steps on "
                  f"{lin['examples']} examples, {lin['train_seconds']} s ({lin['train_cpu_seconds']} s CPU) on {lin['device']} ({lin['threads']} threads), "
                  f"energy ≈ {lin['energy_wh']} Wh ({escape(lin['energy_basis'])}).")
    for model, rate in doc["pass_rates"].items():
        shown = "–" if rate["rate"] is None else f"{rate['rate']:.0%}"
        console.print(f"  {escape(model)}: {rate['passed']}/{rate['cases']} held-out cases passed ({shown})")
    comparison = doc["comparison"] or {}
    if comparison.get("cases"):
        for lang in ("en", "id"):
            console.print("  " + escape(comparison["text"][lang]))
    console.print(f"[dim]Lineage and files: {escape(doc['folder'])}; run {escape(doc['run_id'] or '')}[/]")
