"""``whichai compare RUN A B --judge MODEL``: a judge model picks the better of two models' answers."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from whichai.cli.options import lang_option


def register(app: typer.Typer) -> None:
    app.command("compare")(compare)


def compare(
    run_id: str = typer.Argument(..., help="The run (id or unique prefix; see `whichai runs`)."),
    model_a: str = typer.Argument(..., help="Model A, as named in the run."),
    model_b: str = typer.Argument(..., help="Model B, as named in the run."),
    judge: str = typer.Option(..., "--judge", help="The judge's model id, e.g. openai/gpt-4.1 or local/smollm2-135m-instruct."),
    config: Optional[Path] = typer.Option(None, "--config", help="whichai.toml (default: ./whichai.toml, then the user config dir)."),
    db: Optional[Path] = typer.Option(None, "--db", help="SQLite database (default: the user data dir)."),
    concurrency: Optional[int] = typer.Option(None, "--concurrency", "-c", min=1, max=1024, help="Concurrent judge calls (API judges)."),
    timeout: float = typer.Option(120.0, "--timeout", min=0.001, help="Seconds per judge request."),
    retries: int = typer.Option(3, "--retries", min=0, max=20, help="Retries on rate limits, 5xx, timeouts."),
    lang: Optional[str] = lang_option("the summary"),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    """For each case both models answered, the judge picks the better answer, asked twice (A shown first,
    then B first) so the order cannot decide; a case where the two orders disagree is a tie. Prints win /
    tie / loss for A with a 95 % Wilson interval on A's share of the decisive cases. Verdicts are stored;
    running the same command again asks only for what is missing."""
    raise typer.Exit(execute_compare(run_id=run_id, a=model_a, b=model_b, judge=judge, config=config, db=db,
                                     concurrency=concurrency, timeout=timeout, retries=retries, lang=lang, as_json=as_json))


def execute_compare(*, run_id, a, b, judge, config, db, concurrency, timeout, retries, lang, as_json) -> int:
    from whichai.cli.output import err_console, print_json
    from whichai.config import load_config
    from whichai.errors import InputError
    from whichai.paths import default_db_path
    from whichai.providers.registry import Registry
    from whichai.store import Store

    if a == b:
        raise InputError(f"A and B are both {a!r}. Fix: name two different models of the run.")
    store = Store.open(db or default_db_path(), create=False)
    run = store.resolve_run(run_id)
    for model in (a, b):
        if model not in run["models"]:
            raise InputError(f"run {run['id']} has no model {model!r}. Fix: use one of: {', '.join(run['models'])}.")
    registry = Registry(load_config(config))
    provider, name = registry.resolve(judge)
    provider.check(name)
    todo, skipped = _pairs_to_ask(store, run["id"], a, b, judge)
    if skipped == len(store.cases(run["id"])):
        raise InputError(f"in run {run['id']}, no case has an answer from both {a} and {b}, so there is nothing to compare. "
                         "Fix: run the same `whichai run` command again to finish the run, then compare.")
    if todo:
        err_console().print(f"Asking {judge} about {len(todo)} ordered pair(s) of answers ({skipped} case(s) skipped: "
                            "not answered by both models)…", highlight=False, markup=False)
    _ask_all(store, registry, run["id"], a, b, judge, todo, concurrency, timeout, retries)
    from whichai.measure.judge import pairwise_results

    found = next(r for r in pairwise_results(store, run["id"]) if (r.a, r.b, r.judge) == (a, b, judge))
    from whichai.measure.judge import self_judging_note

    self_judged = self_judging_note(judge, [a, b]) is not None
    if self_judged:
        err_console().print(f"Note: {self_judging_note(judge, [a, b])}", markup=False, highlight=False)
    if as_json:
        print_json({**found.to_json(), "skipped_cases": skipped, "self_judged": self_judged})
    else:
        _print(found.to_json(), _lang(lang))
    return 1 if found.undecided else 0


def _lang(lang):
    from whichai.decide import default_lang

    return lang or default_lang()


def _pairs_to_ask(store, run_id: str, a: str, b: str, judge: str):
    """[(case, answer shown first, answer shown second, shown_first)] not yet judged; cases skipped."""
    from whichai.measure.judge import pairs_done
    from whichai.tasks.model import Case

    answers: dict[str, dict[str, str]] = {a: {}, b: {}}
    for r in store.results(run_id):
        if r["model"] in answers and r["status"] == "ok":
            answers[r["model"]][r["case_id"]] = r["answer"] or ""
    done = pairs_done(store, run_id, a, b, judge)
    todo, skipped = [], 0
    for data in store.cases(run_id):
        case = Case.model_validate(data)
        if case.id not in answers[a] or case.id not in answers[b]:
            skipped += 1
            continue
        first_a, first_b = answers[a][case.id], answers[b][case.id]
        for shown_first, first, second in (("a", first_a, first_b), ("b", first_b, first_a)):
            if (case.id, shown_first) not in done:
                todo.append((case, first, second, shown_first))
    return todo, skipped


def _ask_all(store, registry, run_id, a, b, judge, todo, concurrency, timeout, retries) -> None:
    """Ask the judge about every ordered pair under the runner's policy, storing each verdict as it comes."""
    import asyncio

    from whichai.measure.judge import pair_case, pair_row, save_pair, settings
    from whichai.measure.runner import Runner, RunPlan
    from whichai.tasks.model import Task

    if not todo:
        return
    plan = RunPlan(task=Task(name="compare", cases=[t[0] for t in todo[:1]]), models=[judge], settings=settings(),
                   concurrency=concurrency, timeout=timeout, retries=retries)
    runner = Runner(store, registry)

    async def go() -> None:
        provider, name = registry.resolve(judge)
        try:
            await provider.prepare(name)

            async def one(case, first, second, shown_first) -> None:
                call = await runner.call(judge, pair_case(case, first, second), plan, settings())
                save_pair(store, run_id, a, b, judge, case.id, pair_row(call, shown_first))

            async with asyncio.TaskGroup() as group:
                for item in todo:
                    group.create_task(one(*item))
        finally:
            await registry.aclose()

    asyncio.run(go())


def _print(found: dict, lang: str) -> None:
    from rich.markup import escape
    from rich.table import Table

    from whichai.cli.output import out_console

    table = Table(title=f"{found['a']} vs {found['b']} · judge {found['judge']} · run {found['run_id']}", title_justify="left")
    for column in ("cases", "wins", "ties", "losses", "undecided", "A wins (95% CI)", "p", "orders disagreed", "judge cost"):
        table.add_column(column, justify="right")
    share = "–" if found["win_share"] is None else (
        f"{found['win_share']:.0%} ({found['win_share_ci95'][0]:.0%}–{found['win_share_ci95'][1]:.0%})")
    cost = "unknown price" if found["cost_usd"] is None else f"${found['cost_usd']:.4f}"
    table.add_row(str(found["cases"]), str(found["wins"]), str(found["ties"]), str(found["losses"]), str(found["undecided"]),
                  share, f"{found['p_value']:.3g}", str(found["order_disagreements"]), cost)
    console = out_console()
    console.print(table)
    console.print(escape(found["text"][lang]))
    if found["undecided"]:
        console.print(f"[yellow]{found['undecided']} case(s) undecided: a judge call failed or its reply could not be read."
                      " Run the same command again to ask again.[/]")
