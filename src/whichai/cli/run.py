"""``whichai run`` and ``whichai ask``: measure models on a task; stream one answer."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from whichai.cli.options import lang_option
from whichai.defaults import RUN_DEFAULTS


def register(app: typer.Typer) -> None:
    app.command("run")(run)
    app.command("ask")(ask)


def run(
    task: Optional[str] = typer.Option(None, "--task", "-t", help="Built-in task name or a YAML/JSONL file. Default: the whole built-in suite."),
    models: Optional[str] = typer.Option(None, "--models", "-m", help="Comma-separated provider/model ids: local/smollm2-135m-instruct, local/PATH.gguf (local//abs/path.gguf, local/~/x.gguf), local/hf:OWNER/REPO:Q4_K_M or local/hf:OWNER/REPO/FILE.gguf (fetched from Hugging Face), ollama/MODEL (lmstudio/, llamacpp/, vllm/), openai/MODEL, anthropic/MODEL, gemini/MODEL, NAME/MODEL for a server in whichai.toml. Default: the embedded model plus one current model per API provider whose key is set."),
    candidates: Optional[int] = typer.Option(None, "--candidates", "-k", min=1, max=10, help="With --profile: rank the catalog first, then also measure the K best-ranked models of each side (open and closed) that can be run from here, and rank again; print the command that makes each unreachable top model reachable."),
    config: Optional[Path] = typer.Option(None, "--config", help="whichai.toml (default: ./whichai.toml, then the user config dir)."),
    concurrency: Optional[int] = typer.Option(None, "--concurrency", "-c", min=1, max=1024, help="Concurrent calls per API provider (local models run one at a time)."),
    timeout: Optional[float] = typer.Option(None, "--timeout", min=0.001, help=f"Seconds per request before it counts as timed out. Default: {RUN_DEFAULTS.timeout:g}."),
    max_tokens: Optional[int] = typer.Option(None, "--max-tokens", min=1, help=f"Most tokens per answer. Default: {RUN_DEFAULTS.max_tokens}."),
    temperature: Optional[float] = typer.Option(None, "--temperature", min=0.0, max=2.0, help=f"Sampling temperature. Default: {RUN_DEFAULTS.temperature:g}."),
    retries: Optional[int] = typer.Option(None, "--retries", min=0, max=20, help=f"Retries on rate limits, 5xx, timeouts, broken streams. Default: {RUN_DEFAULTS.retries}."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="Run only the first N cases of the task."),
    repeat: int = typer.Option(1, "--repeat", min=1, max=100, help="Ask each case N times (sampling at temperature > 0, 0.7 unless given) and report per-case consistency."),
    db: Optional[Path] = typer.Option(None, "--db", help="SQLite database (default: whichai.db in the user data dir)."),
    profile: Optional[str] = typer.Option(None, "--profile", help="Needs profile (name or file) for the closing recommendation."),
    lang: Optional[str] = lang_option("explanations"),
    no_report: bool = typer.Option(False, "--no-report", help="Do not write the HTML report."),
    max_cost: Optional[float] = typer.Option(None, "--max-cost", min=0.0, help="Most USD the run may spend on paid APIs: checked before any call, on an upper estimate (every answer at --max-tokens, the catalog's or the configured prices); over it, or a paid model without a price, and the run does not start."),
    max_answer_bytes: int = typer.Option(RUN_DEFAULTS.max_answer_bytes, "--max-answer-bytes", min=1, max=64 * 1024 * 1024, help="Longest answer kept, in UTF-8 bytes; a longer one is cut there and marked truncated."),
    chat_template: Optional[str] = typer.Option(None, "--chat-template", help="Chat template for local GGUF models, one of llama.cpp's formats (chatml, gemma, llama-3, mistral-instruct, ...): needed by a file without its own template; same as WHICHAI_CHAT_TEMPLATE=NAME."),
    judge: Optional[str] = typer.Option(None, "--judge", help="Judge model id for a promptfoo config's llm-rubric assertions (overrides the config's grader provider), e.g. openai/gpt-4.1-mini."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    """Measure models side by side on a task: quality, latency, speed and cost, stored as they finish.

    Re-running the same command resumes: finished answers are kept, missing or failed ones run again.
    """
    from whichai.cli.running import execute_run
    from whichai.providers.local import use_chat_template

    use_chat_template(chat_template)
    code = execute_run(
        task=task, models=models, config=config, concurrency=concurrency, timeout=timeout, max_tokens=max_tokens,
        temperature=temperature, retries=retries, limit=limit, db=db, profile=profile, lang=lang,
        report=not no_report, as_json=as_json, max_answer_bytes=max_answer_bytes, candidates=candidates,
        repeat=repeat, max_cost=max_cost, judge=judge,
    )
    raise typer.Exit(code)


def ask(
    model: str = typer.Argument(..., help="provider/model, e.g. local/smollm2-135m-instruct"),
    prompt: str = typer.Argument(..., help="The prompt."),
    system: Optional[str] = typer.Option(None, "--system", help="System prompt."),
    config: Optional[Path] = typer.Option(None, "--config", help="whichai.toml"),
    max_tokens: int = typer.Option(256, "--max-tokens", min=1),
    temperature: float = typer.Option(0.0, "--temperature", min=0.0, max=2.0),
    timeout: float = typer.Option(120.0, "--timeout", min=0.001),
    chat_template: Optional[str] = typer.Option(None, "--chat-template", help="Chat template for local GGUF models, one of llama.cpp's formats (chatml, gemma, llama-3, mistral-instruct, ...): needed by a file without its own template; same as WHICHAI_CHAT_TEMPLATE=NAME."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document (answer and timings) on stdout."),
) -> None:
    """Stream one answer from a model, with its timings on stderr."""
    from whichai.cli.running import execute_ask
    from whichai.providers.local import use_chat_template

    use_chat_template(chat_template)

    raise typer.Exit(execute_ask(model, prompt, system, config, max_tokens, temperature, timeout, as_json))
