"""``whichai runs`` and ``whichai show``: past runs, and one run's answers side by side."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    app.command("runs")(runs)
    app.command("show")(show)


def _open(db: Path | None):
    from whichai.paths import default_db_path
    from whichai.store import Store

    return Store.open(db or default_db_path(), create=False)


def runs(
    db: Optional[Path] = typer.Option(None, "--db", help="SQLite database (default: the user data dir)."),
    limit: int = typer.Option(50, "--limit", min=1),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    """List past runs, newest first."""
    from whichai.cli.output import out_console, print_json

    store = _open(db)
    rows = store.runs(limit)
    if as_json:
        print_json({"runs": rows})
        return
    from rich.table import Table

    table = Table(title="Runs", title_justify="left")
    for column in ("run", "updated", "task", "models", "results", "status"):
        table.add_column(column)
    for r in rows:
        table.add_row(r["id"], r["updated_at"].replace("T", " ")[:19], r["task_name"], ", ".join(r["models"]),
                      f"{r['results_count']}/{r['cases_count'] * len(r['models'])}", r["status"])
    out_console().print(table if rows else "No runs yet. Start one with `whichai run`.")


def show(
    run_id: str = typer.Argument(..., help="Run id (or a unique prefix), from `whichai runs`."),
    db: Optional[Path] = typer.Option(None, "--db"),
    failed_only: bool = typer.Option(False, "--failed", help="Only cases some model did not pass."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    """Per case: the models' answers side by side, with pass/fail."""
    from whichai.cli.output import out_console, print_json
    from whichai.errors import InputError

    store = _open(db)
    run = store.run(run_id)
    if run is None:
        raise InputError(f"no run {run_id!r} in {store.path}. Fix: pick an id from `whichai runs`.")
    cases = store.cases(run["id"])
    by_key = {(r["model"], r["case_id"]): r for r in store.results(run["id"])}
    rows = []
    for case in cases:
        answers = {}
        for model in run["models"]:
            r = by_key.get((model, case["id"]))
            answers[model] = None if r is None else {
                "status": r["status"], "answer": r["answer"], "passed": None if r["passed"] is None else bool(r["passed"]),
                "reason": r["reason"], "error_class": r["error_class"], "error": r["error_message"], "latency_s": r["latency_s"],
            }
        if failed_only and all(a and a["passed"] for a in answers.values()):
            continue
        rows.append({"case_id": case["id"], "input": case["input"], "expected": case.get("expected"), "answers": answers})
    if as_json:
        print_json({"run": run, "cases": rows})
        return
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"Run {run['id']} · task {run['task_name']}", title_justify="left", show_lines=True)
    table.add_column("case")
    table.add_column("expected")
    for model in run["models"]:
        table.add_column(model)
    for row in rows:
        cells = []
        for model in run["models"]:
            a = row["answers"][model]
            if a is None:
                cells.append("[dim]not run[/]")
            elif a["status"] == "error":
                cells.append(f"[red]error: {escape(a['error_class'] or '')}[/]")
            else:
                mark = "[green]✓[/]" if a["passed"] else "[red]✗[/]"
                cells.append(f"{mark} {escape((a['answer'] or '').strip()[:200])}")
        prompt = row["input"] if isinstance(row["input"], str) else row["input"][-1]["content"]
        table.add_row(f"{escape(row['case_id'])}\n[dim]{escape(prompt[:120])}[/]", escape(str(row["expected"])), *cells)
    out_console().print(table)
