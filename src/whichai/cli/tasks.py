"""``whichai tasks``: list the built-in tasks, or validate a task file and summarise it."""

from __future__ import annotations

import json
from typing import Any, Optional

import typer


def register(app: typer.Typer) -> None:
    app.command("tasks")(tasks)


def summarize(task: Any) -> dict[str, Any]:
    """Name, description, source, case count, languages, scorers and content hash of a task."""
    from collections import Counter

    langs = Counter(tag.split(":", 1)[1] for c in task.cases for tag in c.tags if tag.startswith("lang:"))
    scorers = Counter(c.scorer for c in task.cases)
    return {
        "name": task.name,
        "description": task.description,
        "source": task.source,
        "cases": len(task.cases),
        "languages": dict(sorted(langs.items())),
        "scorers": dict(sorted(scorers.items())),
        "content_hash": task.content_hash(),
        **_promptfoo_coverage(task),
    }


def _promptfoo_coverage(task: Any) -> dict[str, Any]:
    """For a promptfoo config: cases, assertions by type, supported / not supported (with counts)."""
    if not any(c.scorer == "promptfoo" for c in task.cases):
        return {}
    from whichai.tasks.promptfoo import coverage

    return {"promptfoo": coverage(task).to_json()}


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in counts.items()) or "-"


def _preview(case: Any, limit: int = 70) -> str:
    text = case.input if isinstance(case.input, str) else " / ".join(m.content for m in case.input)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def tasks(
    spec: Optional[str] = typer.Argument(None, metavar="[NAME|PATH]", help="A built-in task name, or a task file (.yaml, .jsonl, .json) to validate."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
    limit: int = typer.Option(50, "--limit", min=1, help="Cases shown in the terminal."),
    offset: int = typer.Option(0, "--offset", min=0, help="Skip this many cases (the next page)."),
) -> None:
    """List the built-in tasks; with NAME or PATH, validate that task and show its cases (a page of them).

    An invalid file exits with code 2 and one message naming the file, the line and the fix.
    """
    from whichai.cli.output import out_console, plain, print_json
    from whichai.tasks.loader import builtin_suite, builtin_tasks, load_task

    if spec is None:
        rows = [summarize(t) for t in [*builtin_tasks(), builtin_suite()]]
        if as_json:
            print_json({"tasks": rows})
            return
        from rich.table import Table

        table = Table(title="Built-in tasks", title_justify="left", caption="Run one with `whichai run --task NAME`; the whole suite is `builtin` (the default).", caption_justify="left")
        for column, justify in (("task", "left"), ("cases", "right"), ("languages", "left"), ("scorers", "left"), ("description", "left")):
            table.add_column(column, justify=justify)  # type: ignore[arg-type]
        for i, row in enumerate(rows):
            table.add_row(plain(row["name"]), str(row["cases"]), plain(_counts(row["languages"])), plain(_counts(row["scorers"])),
                          plain(row["description"]), end_section=i == len(rows) - 2)
        out_console().print(table)
        return

    task = load_task(spec)
    summary = summarize(task)
    if as_json:
        print_json({"task": summary, "cases": [c.model_dump(mode="json") for c in task.cases]})
        return
    from rich.table import Table

    console = out_console()
    from rich.text import Text

    console.print(Text.assemble(plain(task.name, "bold"), plain(f" — {len(task.cases)} valid cases from {task.source}")))
    if task.description:
        console.print(plain(task.description))
    console.print(plain(f"languages: {_counts(summary['languages'])} · scorers: {_counts(summary['scorers'])} · hash {summary['content_hash'][:12]}"))
    if "promptfoo" in summary:
        pf = summary["promptfoo"]
        console.print(plain(f"promptfoo import: {pf['cases']} cases · supported: {_counts(pf['supported'])} · "
                            f"not supported: {_counts(pf['unsupported'])} ({pf['flagged_cases']} cases flagged, never counted as passed)"))
    table = Table(show_edge=False)
    for column in ("id", "scorer", "input", "expected"):
        table.add_column(column, overflow="fold")
    page = task.cases[offset:offset + limit]
    for case in page:
        expected = case.expected if isinstance(case.expected, str) else json.dumps(case.expected, ensure_ascii=False)
        table.add_row(plain(case.id), plain(case.scorer), plain(_preview(case)), plain(expected))
    console.print(table)
    if len(task.cases) > offset + len(page):
        console.print(plain(f"Cases {offset + 1}-{offset + len(page)} of {len(task.cases):,}. Next page: --offset {offset + len(page)}.", "dim"))
