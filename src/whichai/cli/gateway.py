"""``whichai gateway``: an OpenAI-compatible endpoint that routes each request the way the decision says;
``whichai gateway stats``: what it routed, what it cost, and the saving against the API alone."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Optional

import typer

from whichai.cli.options import lang_option

HELP = (
    "Serve the OpenAI chat-completions API (/v1/chat/completions, streaming and not; /v1/models) and route each "
    "request the way the decision says: requests with personal data (e-mail addresses, phone numbers, national ID "
    "numbers such as the NIK, payment cards, your own patterns) or marked sensitive by the client (header "
    "X-Whichai-Sensitive: true) go only to routes allowed for sensitive data and fail closed when those are down; "
    "the rest go to the chosen model, with a fallback. Point any OpenAI client at the printed base URL. "
    "Every request is logged (route, reason, model, tokens, latency, cost), never its text unless the policy asks.\n\n"
    "Example: whichai gateway --profile my.yaml --config whichai.toml"
)


def register(app: typer.Typer) -> None:
    group = typer.Typer(help=HELP, invoke_without_command=True, no_args_is_help=False)
    group.callback()(gateway_cmd)
    group.command("stats", help="Traffic, cost and latency per route, and the saving against sending everything to the API.")(stats_cmd)
    app.add_typer(group, name="gateway")


def gateway_cmd(
    ctx: typer.Context,
    decision: Optional[str] = typer.Option(None, "--decision", help="Route as this run's decision says (a run id or a unique prefix)."),
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help="Needs profile the decision is made for: a built-in name or a YAML file (default: the run's, else 'default')."),
    policy: Optional[Path] = typer.Option(None, "--policy", help="A policy file (YAML or TOML) naming the routes instead of a decision (see docs/gateway.md)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (beyond loopback only with WHICHAI_GATEWAY_TOKEN set)."),
    port: int = typer.Option(8787, "--port", help="Port to listen on.", min=1, max=65535),
    explain: bool = typer.Option(False, "--explain", help="Print the compiled policy and the evidence of each route, then exit."),
    config: Optional[Path] = typer.Option(None, "--config", help="whichai.toml naming the servers the routes reach."),
    db: Optional[Path] = typer.Option(None, "--db", help="Database for the request log (default: whichai.db in the user data dir)."),
    lang: Optional[str] = lang_option("the evidence"),
    as_json: bool = typer.Option(False, "--json", help="With --explain: print one JSON document on stdout."),
) -> None:
    if ctx.invoked_subcommand is not None:
        return
    import asyncio

    from whichai.app.gateway import check_bind, compile_policy, serve
    from whichai.config import load_config
    from whichai.decide.i18n import normalise_lang

    compiled = compile_policy(policy_file=policy, run_id=decision, profile=profile, config=load_config(config),
                              db=db, lang=normalise_lang(lang))
    if explain:
        _print_explain(compiled.explain(), as_json)
        return
    token = os.environ.get("WHICHAI_GATEWAY_TOKEN") or None
    check_bind(host, port, token)
    try:
        asyncio.run(serve(compiled, host, port, token=token, db=db, ready=_ready(compiled)))
    except KeyboardInterrupt:
        typer.echo("whichai gateway: stopped.", err=True)


def _ready(policy: Any) -> Any:
    def say(url: str) -> None:
        routes = ", ".join(f"{r.name} -> {r.model}{' (sensitive data)' if r.sensitive else ''}" for r in policy.routes)
        typer.echo(f"whichai gateway: listening on {url} ({routes}); Ctrl-C stops it.", err=True)

    return say


def _print_explain(doc: dict[str, Any], as_json: bool) -> None:
    from whichai.cli.output import print_json

    if as_json:
        print_json(doc)
        return
    typer.echo(f"Policy from {doc['source']}")
    if doc["decision"]:
        typer.echo(f"  verdict: {doc['decision'].get('verdict')}  profile: {doc['decision'].get('profile')}")
    typer.echo(f"  requests without personal data: {doc['default']}" + (f", then {', '.join(doc['fallback'])}" if doc["fallback"] else ""))
    typer.echo(f"  requests with personal data: {', '.join(doc['sensitive_routes']) or 'refused (no route allowed)'}; never elsewhere")
    for route in doc["routes"]:
        price = route["price"] and f"{route['price'][0]}/{route['price'][1]} USD per Mtok ({route['price'][2]})"
        cost = price or (route["usd_per_request"] and route["usd_per_request"][1]) or "no price on record"
        typer.echo(f"\n  route {route['name']}: {route['model']} at {route['base_url']}"
                   f"{' [self-hosted]' if route['self_hosted'] else ''}; sensitive data: {'yes' if route['sensitive'] else 'no'}")
        typer.echo(f"    cost: {cost}")
        for line in route["evidence"]:
            typer.echo(f"    evidence: {line}")


def stats_cmd(
    db: Optional[Path] = typer.Option(None, "--db", help="Database of the request log (default: whichai.db in the user data dir)."),
    since: Optional[str] = typer.Option(None, "--since", help="Only requests at or after this time (ISO date or date-time)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document on stdout."),
) -> None:
    from whichai.app.gateway import stats
    from whichai.cli.output import print_json

    doc = stats(db, since)
    if as_json:
        print_json(doc.to_json())
        return
    typer.echo(f"{doc.requests} requests ({doc.sensitive} sensitive, {doc.errors} failed); cost {doc.cost_usd:.4f} USD")
    if doc.saving_usd is not None:
        typer.echo(f"everything to the API would have cost {doc.all_to_api_usd:.4f} USD: saving {doc.saving_usd:.4f} USD")
    for r in doc.routes:
        p50 = f"{r.latency_p50_s * 1000:.0f} ms" if r.latency_p50_s is not None else "-"
        typer.echo(f"  {r.route}: {r.requests} requests, {r.sensitive} sensitive, {r.errors} failed, "
                   f"{r.input_tokens}+{r.output_tokens} tokens, {r.cost_usd:.4f} USD, p50 {p50}")
