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
    from whichai.cli.output import out_console, plain, print_json

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
        table.add_row(plain(r["id"]), plain(r["updated_at"].replace("T", " ")[:19]), plain(r["task_name"]),
                      plain(", ".join(r["models"])), f"{r['results_count']}/{r['cases_count'] * len(r['models'])}",
                      plain(r["status"]))
    out_console().print(table if rows else "No runs yet. Start one with `whichai run`.")


def _answer(r: dict | None) -> dict | None:
    """One stored result as ``show`` reports it."""
    if r is None:
        return None
    import json

    ignored = r.get("settings_not_applied")
    return {
        "status": r["status"], "answer": r["answer"], "passed": None if r["passed"] is None else bool(r["passed"]),
        "reason": r["reason"], "error_class": r["error_class"], "error": r["error_message"], "latency_s": r["latency_s"],
        "input_tokens": r.get("input_tokens"), "output_tokens": r.get("output_tokens"),
        "token_source": r.get("token_source"), "input_token_source": r.get("input_token_source"),
        "settings_not_applied": json.loads(ignored) if ignored else {},
        "truncated": bool(r.get("answer_truncated")), "answer_bytes": r.get("answer_bytes"),
        "scoring_error": r.get("scoring_error"),
    }


def show(
    run_id: str = typer.Argument(..., help="Run id (or a unique prefix), from `whichai runs`."),
    db: Optional[Path] = typer.Option(None, "--db"),
    failed_only: bool = typer.Option(False, "--failed", help="Only cases some model did not pass."),
    limit: int = typer.Option(50, "--limit", min=1, help="Cases shown in the terminal (failures first)."),
    offset: int = typer.Option(0, "--offset", min=0, help="Skip this many cases (the next page)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout (every case, streamed)."),
) -> None:
    """Per case: the models' answers side by side, with pass/fail. In the terminal: counts per model, then
    a page of cases, failures first; --json streams every case."""
    store = _open(db)
    run = store.resolve_run(run_id)
    cases = store.cases(run["id"])
    passed = store.passed_by_all(run["id"], run["models"])
    if failed_only:
        cases = [c for c in cases if c["id"] not in passed]
    if as_json:
        by_key = {(r["model"], r["case_id"]): r for r in store.results(run["id"])}
        _stream_show(run, by_key, cases, lambda case: {m: _answer(by_key.get((m, case["id"]))) for m in run["models"]})
        return
    failing = [c for c in cases if c["id"] not in passed]
    ordered = failing + [c for c in cases if c["id"] in passed]  # failures first
    page = ordered[offset:offset + limit]
    by_key = {(r["model"], r["case_id"]): r for r in store.results_of(run["id"], [c["id"] for c in page])}
    rows = [{"case_id": c["id"], "input": c["input"], "expected": c.get("expected"),
             "answers": {m: _answer(by_key.get((m, c["id"]))) for m in run["models"]}} for c in page]
    _print_counts(run, store.result_counts(run["id"]), len(cases))
    _print_show(run, rows)
    if len(ordered) > offset + len(page):
        from whichai.cli.output import out_console, plain

        out_console().print(plain(f"Cases {offset + 1}-{offset + len(page)} of {len(ordered):,} ({len(failing):,} not passed "
                                  f"by every model, shown first). Next page: --offset {offset + len(page)}.", "dim"))


def _stream_show(run: dict, by_key: dict, cases: list[dict], answers) -> None:
    """The --json document, written a case at a time (never the whole document in memory as text)."""
    import json
    import sys

    from pydantic_core import to_json

    from whichai.errors import redact

    not_applied = {m: json.loads(r["settings_not_applied"]) for (m, _), r in by_key.items() if r.get("settings_not_applied")}
    head = to_json({"run": run, "settings_not_applied": not_applied}, indent=2, fallback=str).decode()
    out = sys.stdout
    out.write(redact(head[:-2]) + ',\n  "cases": [')
    for i, case in enumerate(cases):
        row = {"case_id": case["id"], "input": case["input"], "expected": case.get("expected"), "answers": answers(case)}
        text = to_json(row, indent=2, fallback=str).decode().replace("\n", "\n    ")
        out.write(("," if i else "") + "\n    " + redact(text))
    out.write("\n  ]\n}\n" if cases else "]\n}\n")
    out.flush()


def _print_counts(run: dict, counted: dict[str, dict[str, int]], cases: int) -> None:
    """Per model: passed, failed, errors, not run (the summary a large run needs before any case)."""
    from rich.table import Table

    from whichai.cli.output import out_console, plain

    table = Table(title=plain(f"Run {run['id']} · task {run['task_name']} · {cases:,} cases"), title_justify="left")
    for column in ("model", "passed", "failed", "errors", "not run"):
        table.add_column(column, justify="right" if column != "model" else "left")
    for model in run["models"]:
        counts = counted.get(model, {"passed": 0, "failed": 0, "errors": 0})
        table.add_row(plain(model), *(f"{counts[k]:,}" for k in ("passed", "failed", "errors")),
                      f"{cases - sum(counts.values()):,}")
    out_console().print(table)


def _cell(a: dict | None):
    """One answer cell: mark, the answer's start (as text, control characters escaped), its notes."""
    from rich.text import Text

    from whichai.cli.output import plain

    if a is None:
        return plain("not run", "dim")
    if a["status"] == "error":
        return plain(f"error: {a['error_class'] or ''}", "red")
    if a["passed"] is None:
        mark = plain("?", "yellow")
    else:
        mark = plain("✓", "green") if a["passed"] else plain("✗", "red")
    cell = Text.assemble(mark, " ", plain((a["answer"] or "").strip()[:200]))
    if a["truncated"]:
        kept = len((a["answer"] or "").encode("utf-8"))
        cell.append_text(plain(f"\n[answer truncated: {kept:,} bytes kept of {a['answer_bytes'] or 0:,}+ received]", "yellow"))
    if a["scoring_error"]:
        cell.append_text(plain(f"\n[scoring error: {a['scoring_error']}]", "yellow"))
    return cell


def _print_show(run: dict, rows: list[dict]) -> None:
    from rich.table import Table
    from rich.text import Text

    from whichai.cli.output import out_console, plain

    table = Table(title=plain(f"Run {run['id']} · task {run['task_name']}"), title_justify="left", show_lines=True)
    table.add_column("case")
    table.add_column("expected")
    for model in run["models"]:
        table.add_column(plain(model))
    for row in rows:
        prompt = row["input"] if isinstance(row["input"], str) else row["input"][-1]["content"]
        first = Text.assemble(plain(row["case_id"]), "\n", plain(prompt[:120], "dim"))
        table.add_row(first, plain(row["expected"]), *(_cell(row["answers"][m]) for m in run["models"]))
    out_console().print(table)
    notes = {m: a["settings_not_applied"] for row in rows for m, a in row["answers"].items() if a and a["settings_not_applied"]}
    for model, ignored in notes.items():
        out_console().print(plain(f"Not applied on {model}: " + "; ".join(f"{k} ({why})" for k, why in ignored.items()) + ".", "dim"))
