"""The work behind ``whichai run`` and ``whichai ask`` (imported only when they run)."""

from __future__ import annotations

import asyncio
import sys
import time
from typing import TYPE_CHECKING, Any

from whichai.cli.output import err_console, esc, out_console, plain, print_json
from whichai.cli.progress import ErrorBars
from whichai.defaults import RUN_DEFAULTS
from whichai.errors import InputError

if TYPE_CHECKING:
    from whichai.measure.metrics import ModelSummary


def execute_run(*, task, models, config, concurrency, timeout, max_tokens, temperature, retries, limit, db,
                profile, lang, report, as_json, candidates=None, max_answer_bytes=RUN_DEFAULTS.max_answer_bytes, repeat=1, max_cost=None,
                judge=None) -> int:
    """``whichai run``: check every input, run the plan, then show and store what was measured."""
    from whichai.config import load_config
    from whichai.providers.registry import Registry

    # Validate everything before the database is touched: bad input writes nothing.
    cfg = load_config(config)
    the_task, temperature, repeat_note = _load_task(task, limit, repeat, temperature, cfg)
    registry = Registry(cfg)
    if not models and the_task.providers:  # a promptfoo config names its models; --models overrides them
        from whichai.tasks.promptfoo import model_ids as promptfoo_models

        models = ",".join(promptfoo_models(the_task.providers, {n: p.base_url or "" for n, p in cfg.providers.items()}, the_task.source))
    promptfoo_task = "promptfoo" in the_task.scorers()
    if promptfoo_task:  # llm-rubric's judge: --judge, else the config's grader
        from whichai.tasks.promptfoo import with_judges

        the_task = with_judges(the_task, judge, {n: p.base_url or "" for n, p in cfg.providers.items()})
        unjudged = sum(1 for c in the_task.cases if c.options.get("judge_model") is None and "llm-rubric" in str(c.options.get("assert")))
        if unjudged:
            err_console().print(f"Note: {unjudged} case(s) have llm-rubric assertions and no judge model: they fail as not run. "
                                "Give --judge MODEL or defaultTest.options.provider.", markup=False, highlight=False)
    chosen, model_ids = _choose_models(models, candidates, profile, lang, registry)
    from whichai.cli.tune_step import propose_tune

    tune_step = propose_tune(chosen, profile, task, lang)  # proposed, not run: training takes minutes
    _check_models(registry, model_ids, the_task)
    plan = _run_plan(cfg, the_task, model_ids, concurrency=concurrency, timeout=timeout, max_tokens=max_tokens,
                     temperature=temperature, retries=retries, max_answer_bytes=max_answer_bytes, repeat=repeat)
    spend_note = _check_spend(registry, plan, max_cost)
    needs, store, view = _prepare(registry, model_ids, profile, lang, db)
    for note in (repeat_note, spend_note):
        if note:
            err_console().print(f"Note: {note}", markup=False, highlight=False)
    ran = _call_models(store, registry, plan)
    if ran is None:
        return 130
    outcome, elapsed = ran
    task_name, covered = the_task.name, _coverage(the_task) if promptfoo_task else None
    del the_task, plan  # stored: the closing reads the store, and each of its garbage collections would walk every case
    summaries, document = _run_document(store, registry, outcome, task_name, elapsed)
    if covered is not None:
        document["promptfoo"] = covered.to_json()
    recommendation = _recommend(needs, lang, store, outcome.run_id, summaries, view)
    if recommendation is not None:  # --json: the document model itself, written by print_json's serialiser
        document["recommendation"] = recommendation.document() if as_json else recommendation.to_json()
    if chosen is not None:
        document["candidates"] = {**chosen.to_json(), "tune": tune_step.to_json() if tune_step else None}
    if report:
        from whichai.app import write_report

        path = write_report(store, outcome.run_id, fmt="html", lang=_lang(lang), profile=needs, recommendation=recommendation)
        document["report_path"] = str(path)
    if as_json:
        print_json(document)
    else:
        _print_run(document, recommendation, _lang(lang), chosen, covered)
    return _exit_code(summaries, as_json)


# What the rest of the run imports: the progress bar, then the closing recommendation (app.recommend,
# decide, the run's summaries and identities).
_RUN_MODULES = ("rich.progress", "whichai.app", "whichai.decide.recommendation", "whichai.measure.load.store",
                "whichai.measure.metrics", "whichai.providers.identity", "whichai.measure.comparisons")


def _prepare(registry, model_ids: list[str], profile, lang, db):
    """Start loading the local models, and meanwhile read the profile, open the database and get the rest
    of the run ready (the catalog, the modules it imports): this thread would otherwise only wait while
    llama.cpp's C code reads the weights (BENCHMARKS.md, start-up), and what the closing recommendation
    can compute before any measurement (app.warm). Returns (needs, store, the warmed view; None when no
    model loads: then nothing waits, and that work would only delay the first call — the recommendation
    does it at the end).

    Nothing is printed until the loads are done: llama-cpp-python silences the process's stdout and
    stderr while it loads (providers/local.py start_loading), so an error raised meanwhile (a bad profile,
    a bad --db) is raised once they are done, and the progress bar starts after them."""
    import importlib

    from whichai.catalog import load_catalog
    from whichai.paths import default_db_path
    from whichai.providers.local import loads_pending, wait_for_loads
    from whichai.store import Store

    for model_id in model_ids:
        provider, name = registry.resolve(model_id)
        provider.preload(name)
    loading = loads_pending()
    try:
        needs = _decide_inputs(profile, lang)  # a bad profile is bad input too: fail before running
        if loading:
            load_catalog()  # read once per process: the recommendation after the calls uses it
            for module in _RUN_MODULES:
                importlib.import_module(module)
        store = Store.open(db or default_db_path())  # the last check; from here on the run writes
        view = importlib.import_module("whichai.app").warm(needs, more=loads_pending) if loading else None  # the what-ifs
    finally:
        wait_for_loads()
    return needs, store, view


def _load_task(task, limit, repeat: int, temperature, cfg):
    """The task to run (its first ``limit`` cases, each repeated ``repeat`` times), the temperature the
    repeats need, and the note that says why it was raised (or None)."""
    from whichai.measure import repeats
    from whichai.tasks.loader import load_task

    the_task = load_task(task)
    if limit:
        the_task = the_task.model_copy(update={"cases": the_task.cases[:limit]})
    if not the_task.cases:
        raise InputError(f"task {the_task.name!r} has no cases. Fix: add cases to {the_task.source or 'the task file'}.")
    temperature, repeat_note = repeats.temperature_for(  # repeats need sampling: > 0
        repeat, temperature if temperature is not None else cfg.run.temperature)
    return repeats.expand(the_task, repeat), temperature, repeat_note  # each repeat a case of its own


def _choose_models(models, candidates, profile, lang, registry):
    """The candidate plan (``--candidates``, else None) and the model ids to run."""
    model_ids = _parse_models(models) if models else registry.default_models()
    chosen = None
    if candidates:  # rank with priors, then measure the best reachable models of each side with --models
        chosen, model_ids = _plan_candidates(candidates, profile, lang, registry, _parse_models(models) if models else [])
    for note in registry.notes:
        err_console().print(f"[yellow]Note:[/] {esc(note)}", markup=True, highlight=False)
    return chosen, model_ids


def _check_models(registry, model_ids: list[str], the_task) -> None:
    """Every model and judge model resolves and can be called, and what each serves is known; a note when a
    model judges its own answers."""
    from whichai.measure.judge import check_judges, judge_models, self_judging_note

    for model_id in model_ids:
        provider, name = registry.resolve(model_id)
        provider.check(name)
    check_judges(the_task, registry)  # judge models (scorer: judge) resolve and can be called
    for judge_model in judge_models(the_task):
        note = self_judging_note(judge_model, model_ids)
        if note:
            err_console().print(f"Note: {note}", markup=False, highlight=False)
    _check_serves(registry, model_ids)


def _check_spend(registry, plan, max_cost: float | None) -> str | None:
    """What the run's paid API calls may cost (whichai.measure.spend): with ``--max-cost``, a run over the cap
    or with a paid model that has no price is refused before anything is written; otherwise the note
    that says the bound (None when every model is self-hosted)."""
    from whichai.measure.spend import estimate

    spend = estimate(registry, plan.task, plan.models, plan.settings.max_tokens)
    if not spend.models and not spend.unpriced:
        return None
    parts = "; ".join(f"{m['model']} ${m['usd']:.4f} ({m['calls']} calls, ~{m['input_tokens']:,} input + up to "
                      f"{m['output_tokens']:,} output tokens, {m['price']})" for m in spend.models)
    unpriced = ", ".join(spend.unpriced)
    if max_cost is None:
        bound = f"at most ${spend.usd:.4f}" + (f": {parts}" if parts else "")
        loose = f"; {unpriced} has no price on record, so its cost has no bound" if unpriced else ""
        return f"paid API calls of this run: {bound}{loose} (--max-cost USD refuses a run that could cost more)."
    if unpriced:
        raise InputError(f"--max-cost {max_cost:g}: {unpriced} would be called on a paid API with no price on record, so what the "
                         "run costs has no bound. Fix: set price_usd_per_mtok for its provider in whichai.toml, or leave it out.")
    if spend.usd > max_cost:
        raise InputError(f"this run could cost up to ${spend.usd:.4f} on paid APIs, over --max-cost ${max_cost:g}: {parts}. "
                         "Fix: raise --max-cost, run fewer cases (--limit N), lower --max-tokens, or leave a model out.")
    return f"paid API calls of this run: at most ${spend.usd:.4f} (--max-cost ${max_cost:g}){': ' + parts if parts else ''}."


def _run_plan(cfg, the_task, model_ids: list[str], *, concurrency, timeout, max_tokens, temperature, retries,
              max_answer_bytes: int, repeat: int):
    """The runner's plan: the command's options, else the config's run settings, else RUN_DEFAULTS."""
    from whichai.measure.runner import RunPlan
    from whichai.providers.base import GenerationSettings

    settings = GenerationSettings(
        max_tokens=max_tokens or cfg.run.max_tokens or RUN_DEFAULTS.max_tokens,
        temperature=_first(temperature, cfg.run.temperature, RUN_DEFAULTS.temperature),
        seed=0 if repeat == 1 else None,  # a fixed seed would make the repeats one answer N times
    )
    return RunPlan(
        task=the_task, models=model_ids, settings=settings,
        concurrency=concurrency or cfg.run.concurrency or RUN_DEFAULTS.concurrency,
        timeout=timeout or cfg.run.timeout or RUN_DEFAULTS.timeout,
        retries=_first(retries, cfg.run.retries, RUN_DEFAULTS.retries),
        max_answer_bytes=max_answer_bytes,
    )


def _first(*values):
    """The first value that is set (not None): an option's 0 counts."""
    return next(v for v in values if v is not None)


def _call_models(store, registry, plan):
    """Run the plan with a progress bar: (outcome, elapsed seconds), or None when interrupted (Ctrl-C)."""
    from whichai.measure.runner import Runner

    progress = _Progress(quiet=False)
    runner = Runner(store, registry, on_result=progress.advance, on_start=progress.start, on_wait=_say_waiting)
    started = time.perf_counter()
    try:
        with progress:
            outcome = asyncio.run(runner.run(plan))
    except KeyboardInterrupt:
        counts = store.result_counts(plan.run_id)  # counted by SQLite: reading every result back took seconds
        done = sum(c["passed"] + c["failed"] for c in counts.values())
        err_console().print(
            f"[yellow]Interrupted.[/] {done} finished results are stored in run {plan.run_id}. "
            "Run the same command again to finish the rest."
        )
        return None
    return outcome, time.perf_counter() - started


def _run_document(store, registry, outcome, task_name: str, elapsed: float) -> tuple[list[ModelSummary], dict[str, Any]]:
    """The per-model summaries (with their identity, stored with the run), and the run's JSON document:
    those summaries, the run's completeness, comparisons between models, and what the runner saw."""
    from whichai.measure.metrics import comparisons, run_summary, summarise

    summaries = _annotate(summarise(store, outcome.run_id), registry, store, outcome.run_id)  # serves / self_hosted / hardware
    run = run_summary(store, outcome.run_id, summaries)
    return summaries, {
        "run_id": outcome.run_id,
        "task": task_name,
        "models": [s.to_json() for s in summaries],
        "run": run.to_json() if run is not None else None,
        "comparisons": [c.to_json() for c in comparisons(store, outcome.run_id)],
        "judged": outcome.judged,
        "judge_errors": outcome.judge_errors,
        "judge_calibration": outcome.judge_calibration,  # judge model -> agreement with a labelled sample (judge.py)
        "resumed": outcome.resumed,
        "reused_results": outcome.reused,
        "calls": outcome.ran,
        "elapsed_s": round(elapsed, 3),
        "calls_elapsed_s": round(outcome.calls_elapsed_s, 4),
        "settings_not_applied": outcome.settings_not_applied,  # model -> {setting: why}; empty: all applied
        "token_sources": store.token_sources(outcome.run_id),
        "truncated_answers": store.truncated_counts(outcome.run_id),  # model -> answers cut at --max-answer-bytes
        "shared_with_pids": outcome.waited_for,  # other processes that worked on this run meanwhile
        "backoffs": outcome.backoffs,  # providers whose server shed load, and how far whichai backed off
        "db": str(store.path),
    }


def _coverage(the_task):
    """A promptfoo import's coverage: cases, assertion types, supported or not."""
    from whichai.tasks.promptfoo import coverage

    return coverage(the_task)


def _print_run(document: dict[str, Any], recommendation, lang: str, chosen=None, covered=None) -> None:
    """The terminal view: the measurements, then the import's coverage, the recommendation, the candidates
    and the report path."""
    _print_table(document, lang)
    if covered is not None:
        from whichai.tasks.promptfoo import coverage_text

        out_console().print(plain(coverage_text(covered)))
    if recommendation is not None:
        from whichai.cli.decision_view import render

        render(recommendation.document(), out_console(), lang)
        _print_run_models_in_ranking(document["recommendation"], [m["model"] for m in document["models"]], lang)
    if chosen is not None:
        from whichai.measure.candidates import render as render_candidates

        render_candidates(chosen, out_console(), lang)
    if "report_path" in document:
        out_console().print(f"Report: {document['report_path']}")


def _exit_code(summaries: list[ModelSummary], as_json: bool) -> int:
    """1 when a call failed or an answer has no judge verdict (both are retried by running again), else 0."""
    failed = sum(s.errors for s in summaries)
    if failed and not as_json:
        err_console().print(f"[yellow]{failed} call(s) failed and are stored as errors.[/] Run the same command again to retry them.")
    unjudged = sum(s.judge_errors for s in summaries)  # answers whose judge verdict is missing
    return 1 if failed or unjudged else 0


def _plan_candidates(k: int, profile, lang, registry, explicit: list[str]):
    """The candidate plan and the models to run: ``--models`` plus the K best reachable of each side."""
    from whichai import app
    from whichai.catalog import load_catalog
    from whichai.measure.candidates import merge_models
    from whichai.measure.candidates import plan as plan_candidates

    if not profile:
        raise InputError("--candidates ranks the catalog for your needs first. Fix: add --profile NAME_OR_FILE "
                         "(see `whichai recommend --help` for the example profiles).")
    catalog = load_catalog()
    needs = _decide_inputs(profile, lang)
    ranking = app.recommend(needs, catalog=catalog, lang=_lang(lang)).document().ranking  # priors only
    # data that may not leave the premises is never measured (nor suggested) through an outside API
    plan = plan_candidates(ranking, catalog, registry, k, in_house=not needs.data_leaves_premises_allowed())
    for note in plan.notes:
        err_console().print(f"[yellow]Note:[/] {esc(note)}", markup=True, highlight=False)
    return plan, merge_models(explicit, plan)


def _check_serves(registry, model_ids: list[str]) -> None:
    from whichai.providers.registry import split_model_id

    declared = [registry.config.providers.get(split_model_id(m)[0]) for m in model_ids]
    if any(config is not None and config.serves for config in declared):  # else neither the catalog nor the check is needed yet
        from whichai.catalog import load_catalog
        from whichai.measure.candidates import check_serves

        check_serves(registry, model_ids, load_catalog())


def _annotate(summaries: list[ModelSummary], registry, store, run_id: str) -> list[ModelSummary]:
    """Give each run summary the catalog identity and place of its model, and keep them with the run."""
    from whichai.catalog import load_catalog
    from whichai.providers.identity import identities, save

    found = identities(registry, [s.model for s in summaries], load_catalog())
    save(store, run_id, found)
    return [s.with_identity(found[s.model].summary_keys()) for s in summaries]


def _say_waiting(run_id: str, others: dict[int, int]) -> None:
    from whichai.cli.output import print_note

    held = ", ".join(f"process {pid} ({n} case(s))" for pid, n in sorted(others.items()))
    print_note(f"Run {run_id} is also running in {held}; waiting for its cases to finish (each case is called once).",
               style="yellow")


def _lang(lang: str | None) -> str:
    from whichai.decide import default_lang

    return lang or default_lang()


def _decide_inputs(profile, lang):
    from whichai.decide import load_profile

    return load_profile(profile)


def _recommend(needs, lang, store, run_id, summaries, view=None):
    from whichai import app  # the run's answered cases and its completeness go to decide

    recommendation = app.recommend(needs, run_id=run_id, store=store, lang=_lang(lang), summaries=summaries, view=view)
    app.remember_run_profile(store, run_id, needs)  # `whichai report RUN` and the dashboard show this decision
    return recommendation


def _print_run_models_in_ranking(rec: dict[str, Any], models: list[str], lang: str) -> None:
    """Where the models just measured landed: their rank, or why they were excluded."""
    from rich.markup import escape

    from whichai.i18n import text as lookup

    ranks = {row["model"]: row for row in rec["ranking"]}
    excluded = {row["model"]: row for row in rec["excluded"]}
    total = len(rec["ranking"])
    console = out_console()
    console.print("[bold]" + lookup("run.models_heading", lang, "run") + "[/]")
    for model in models:
        if model in ranks:
            row = ranks[model]
            text = lookup("run.rank", lang, "run", rank=row["rank"], total=total, score=row["score"])
        elif model in excluded:
            text = lookup("run.excluded", lang, "run") + "; ".join(r["text"][lang] for r in excluded[model]["reasons"])
        else:
            text = lookup("run.not_ranked", lang, "run")
        console.print(f"- {escape(model)}: {escape(text)}")


def _parse_models(text: str) -> list[str]:
    models = [m.strip() for m in text.split(",") if m.strip()]
    if not models:
        raise InputError("--models is empty. Fix: pass provider/model ids separated by commas.")
    if len(set(models)) != len(models):
        raise InputError("--models names a model twice. Fix: list each model once.")
    return models


def _fmt(value, pattern: str, missing: str = "–") -> str:
    return missing if value is None else pattern.format(value)


def _print_table(document: dict[str, Any], lang: str = "en") -> None:
    from rich.table import Table

    table = Table(title=plain(f"Run {document['run_id']} · task {document['task']} · measured on this machine"), title_justify="left")
    table.add_column("")
    for m in document["models"]:
        table.add_column(plain(m["model"]), justify="right", overflow="fold")
    rows: list[tuple[str, Any]] = [
        ("cases", lambda m: str(m["cases"])),
        ("passed / scored", lambda m: f"{m['passed']} / {m.get('scored', m['answered'])}"),  # the pass rate's own base
        ("answered", lambda m: str(m["answered"]) + (f" ({m['judge_errors']} unjudged)" if m.get("judge_errors") else "")),
        ("pass rate (95% CI)", lambda m: _rate_cell(m["pass_rate"], m["pass_rate_ci95"])),
        *_lang_rows(document["models"]),
        ("errors", lambda m: f"[red]{m['errors']}[/]" if m["errors"] else "0"),
        ("latency p50 / p95", lambda m: f"{_fmt(m['latency_p50_s'], '{:.2f}')} / {_fmt(m['latency_p95_s'], '{:.2f}')} s"),
        ("time to first token p50", lambda m: _fmt(m["ttft_p50_s"], "{:.3f} s")),
        ("output tokens / s", lambda m: _fmt(m["output_tokens_per_s"], "{:.1f}")),
        ("cost of this run", lambda m: _fmt(m["cost_usd"], "${:.4f}", "unknown price")),
        ("cost per 1,000 cases", lambda m: _fmt(m["cost_per_1000_cases_usd"], "${:.3f}", "unknown price")),
        *([("judge cost (scorer: judge)", lambda m: _fmt(m.get("judge_cost_usd"), "${:.4f}", "–"))]
          if any("judge_cost_usd" in m for m in document["models"]) else []),
    ]
    for label, cell in rows:
        table.add_row(label, *(cell(m) for m in document["models"]))
    console = out_console()
    console.print(table)
    notes = []
    for model, counts in document.get("token_sources", {}).items():
        if set(counts) - {"provider"}:
            how = {"tokenizer": "counted with the model's tokenizer", "deltas": "counted as streamed pieces (an estimate)",
                   "provider": "reported by the provider"}
            notes.append(f"Output tokens of {model}: " + "; ".join(f"{n} {how[s]}" for s, n in sorted(counts.items())) + ".")
    for model, n in document.get("truncated_answers", {}).items():
        notes.append(f"{n} answer(s) of {model} were longer than --max-answer-bytes and are stored cut there (marked truncated).")
    for model, ignored in document.get("settings_not_applied", {}).items():
        notes.append(f"Not applied on {model}: " + "; ".join(f"{k} ({why})" for k, why in ignored.items()) + ".")
    sources = {m["model"]: m.get("price_source") for m in document["models"] if m.get("price_source") not in (None, "local")}
    for model, source in sources.items():
        notes.append(f"Price of {model}: {source}.")
    if document["reused_results"]:
        notes.append(f"Resumed: {document['reused_results']} results kept from the earlier attempt, {document['calls']} calls made now.")
    for provider, b in document.get("backoffs", {}).items():
        notes.append(f"{provider}: the server shed load {b['sheds']} time(s) (503, 429 or streams cut); whichai backed off "
                     f"from concurrency {b['configured']} to {b['lowest']} and ended at {b['final']}, retrying what was shed.")
    for note in notes:
        console.print(plain(note, "dim"))
    _print_quality_notes(document, lang)


def _rate_cell(rate, ci) -> str:
    return "–" if rate is None else f"{rate:.0%} ({ci[0]:.0%}–{ci[1]:.0%})"


def _lang_rows(models: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    """One row per language tag (lang:xx) of the cases: pass rate over that language's scored cases."""
    langs = sorted({code for m in models for code in (m.get("by_lang") or {})})
    return [(f"  pass rate, lang:{code}", lambda m, code=code: _rate_cell(
        (m["by_lang"].get(code) or {}).get("pass_rate"), (m["by_lang"].get(code) or {}).get("ci95", [0, 1])))
        for code in langs]


def _print_quality_notes(document: dict[str, Any], lang: str) -> None:
    """Whether the run is partial, whether the differences between models are real, judge errors."""
    from rich.markup import escape

    console = out_console()
    run = document.get("run") or {}
    if run.get("partial"):
        console.print(f"[yellow]{escape(run['text'][lang])}[/]")
    for comparison in document.get("comparisons", []):
        console.print(escape(comparison["text"][lang]))
    for calibration in (document.get("judge_calibration") or {}).values():
        colour = "" if calibration["usable"] else "yellow"
        console.print(escape(calibration["text"][lang]), style=colour or None)
    if document.get("judge_errors"):
        console.print(f"[yellow]{document['judge_errors']} judge verdict(s) could not be read or the judge call failed;"
                      " those answers are stored unscored. Run the same command again to ask the judge again.[/]")


class _Progress(ErrorBars):
    """A bar per model, on stderr."""

    def __init__(self, quiet: bool) -> None:
        super().__init__(quiet)
        self.bars: dict[str, Any] = {}

    def start(self, totals: dict[str, int], done: dict[str, int]) -> None:
        for model, total in totals.items():
            self.bars[model] = self.add(model, total, done.get(model, 0))

    def advance(self, model: str, result: dict[str, Any]) -> None:
        if result["status"] == "error":
            self.count_error(self.bars[model])
        else:
            self.progress.advance(self.bars[model])


def execute_ask(model_id, prompt, system, config, max_tokens, temperature, timeout, as_json) -> int:
    """``whichai ask``: one prompt to one model, its answer streamed to stdout as it comes."""
    from whichai.config import load_config
    from whichai.providers.base import GenerationSettings
    from whichai.providers.registry import Registry
    from whichai.tasks.model import Case

    registry = Registry(load_config(config))
    provider, name = registry.resolve(model_id)
    provider.check(name)
    messages = Case(id="ask", input=prompt, system=system).messages()
    settings = GenerationSettings(max_tokens=max_tokens, temperature=temperature)

    async def go() -> dict[str, Any]:
        try:
            return {"model": model_id, **await _ask(provider, name, messages, settings, timeout, echo=not as_json)}
        finally:
            await registry.aclose()

    result = asyncio.run(go())
    if as_json:
        print_json(result)
    else:
        sys.stdout.write("\n")
        sys.stdout.flush()
        err_console().print(
            f"[dim]{model_id} · TTFT {_fmt(result['ttft_s'], '{:.3f}')} s · total {result['latency_s']:.2f} s"
            + (f" · {result['output_tokens']} output tokens" if result.get("output_tokens") else "") + "[/]"
        )
    return 0


async def _ask(provider, name: str, messages, settings, timeout: float, echo: bool) -> dict[str, Any]:
    """Stream one answer (written to stdout as it comes when ``echo``): answer, time to first token, latency,
    finish reason and token counts with their source."""
    from whichai.errors import ProviderError

    await provider.prepare(name)
    start = time.perf_counter()
    ttft = None
    parts: list[str] = []
    usage: dict[str, Any] = {}
    try:
        async with asyncio.timeout(timeout):
            async for chunk in provider.stream(name, messages, settings):
                if chunk.text:
                    ttft = ttft if ttft is not None else time.perf_counter() - start
                    parts.append(chunk.text)
                    if echo:
                        sys.stdout.write(chunk.text)
                        sys.stdout.flush()
                for key in ("finish_reason", "input_tokens", "output_tokens"):
                    if getattr(chunk, key) is not None:
                        usage[key] = getattr(chunk, key)
    except TimeoutError:
        raise ProviderError(f"no complete answer within {timeout:g} s", error_class="timeout") from None
    except ProviderError:
        raise
    except Exception as exc:  # foreign exceptions: classified as the runner classifies them
        from whichai.measure.runner import call_failure

        raise call_failure(provider, exc) from exc
    latency = time.perf_counter() - start
    answer = "".join(parts)
    return {"answer": answer, "ttft_s": ttft, "latency_s": latency, **_usage(usage, provider, name, messages, answer, len(parts))}


def _usage(usage: dict[str, Any], provider, name: str, messages, answer: str, pieces: int) -> dict[str, Any]:
    """The provider's token counts; where it reported no output tokens, the model's tokenizer where whichai
    has it, else the number of streamed pieces (``token_source`` says which)."""
    usage["token_source"] = "provider"
    if usage.get("output_tokens") is None:
        usage["output_tokens"] = provider.count_tokens(name, answer)
        usage["token_source"] = "tokenizer" if usage["output_tokens"] is not None else "deltas"
        if usage["output_tokens"] is None:
            usage["output_tokens"] = pieces
        usage["input_tokens"] = provider.count_prompt_tokens(name, messages)
        usage["tokens_counted"] = True
    return usage
