"""``whichai gateway``: run the decision. Compiles a routing policy from a decision document (a run's
or a profile's) or reads one from a file, resolves each route to an OpenAI-compatible upstream, and
serves it (:mod:`whichai.gateway.server`).

From a decision: a hybrid verdict gives two routes, ``private`` (the plan's model for sensitive
requests, which may receive personal data) and ``public`` (the rest); any other verdict gives one
route, the top model, which may receive personal data when the profile lets data go where that model
runs (a self-hosted model always; an API only when the profile's ``data_may_go`` is ``anywhere``).
Each route needs an upstream: a self-hosted model is reached through a server in ``whichai.toml``
that declares ``serves = "<catalog id>"`` and ``self_hosted = true``; an API model through its
provider (``openai/…``, a hosted open-model API, or a named OpenAI-compatible server).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whichai.errors import InputError
from whichai.gateway.policy import Policy, Route, Upstream, check, read_policy_file

if TYPE_CHECKING:
    from whichai.config import Config
    from whichai.decide.document import Decision, RankRow
    from whichai.gateway.log import Traffic

OPENAI_BASE = "https://api.openai.com/v1"
SELF_HOSTED_COST = "self-hosted: no bill per call (hosting is in the cost of ownership)"


def upstream_for(provider: Any, model: str, model_id: str) -> Upstream:
    """The OpenAI-compatible endpoint of a resolved provider that serves ``model_id`` (``provider/model``)."""
    from whichai.config import check_key_destination, key_envs
    from whichai.providers.identity import is_self_hosted

    base = getattr(provider.config, "base_url", None) or (OPENAI_BASE if provider.name == "openai" else None)
    if getattr(provider.config, "kind", "openai") != "openai" or provider.local or not base:
        raise InputError(
            f"{model_id}: the gateway forwards to OpenAI-compatible servers only. Fix: serve the model with an "
            "OpenAI-compatible server (llama.cpp's server, vLLM, Ollama) and name it in whichai.toml, or use the "
            "vendor's OpenAI-compatible endpoint.")
    envs = key_envs(provider.name, provider.config)
    for env in envs:  # the one rule for where a key may go, before the gateway sends any
        check_key_destination(provider.name, provider, env, base, ask=True)
    return Upstream(base_url=base, model=model, key_envs=envs, self_hosted=is_self_hosted(provider))


def _route(name: str, model_id: str, sensitive: bool, config: Config, evidence: tuple[str, ...] = ()) -> Route:
    """A route to ``model_id``, priced as whichai prices its runs (spend.price_of: the configured price,
    else the catalog's); a self-hosted route costs nothing per call."""
    from whichai.measure.spend import price_of
    from whichai.providers.registry import Registry

    provider, model = Registry(config).resolve(model_id)
    upstream = upstream_for(provider, model, model_id)
    if upstream.self_hosted:
        return Route(name, model_id, sensitive, upstream, None, (0.0, SELF_HOSTED_COST), evidence)
    return Route(name, model_id, sensitive, upstream, price_of(provider, model_id) or price_of(provider, model), None, evidence)


# a policy file ------------------------------------------------------------------------------------------


def policy_from_file(path: Path, config: Config) -> Policy:
    data = read_policy_file(path)
    routes = tuple(_route(r.name, r.model, r.sensitive, config, r.evidence) for r in data.routes)
    names = [r.name for r in routes]
    default = data.default or next((r.name for r in routes if not r.sensitive), names[0] if names else "")
    policy = Policy(routes=routes, default=default, fallback=data.fallback, sensitive_patterns=data.sensitive_patterns,
                    phone_regions=data.phone_regions, log_content=data.log_content, timeout_s=data.timeout_s, source=str(path))
    return check(policy, str(path))


# a decision ---------------------------------------------------------------------------------------------


def serving_model(catalog_id: str, row: RankRow | None, config: Config) -> str:
    """The model id to call for a decision's model: a configured server that serves it (self-hosted
    first), else the id itself when a provider reaches it."""
    servers = sorted(((n, p) for n, p in config.providers.items() if p.serves == catalog_id), key=lambda np: not np[1].self_hosted)
    if servers:
        name, server = servers[0]
        return f"{name}/{server.default_model or catalog_id.split('/', 1)[1]}"
    if row is not None and row.mode != "api":
        raise InputError(
            f"the decision runs {catalog_id} on your own hardware, and no server in whichai.toml serves it. Fix: add "
            f'[providers.NAME] with base_url = "http://HOST:PORT/v1", serves = "{catalog_id}", self_hosted = true, '
            "or give --policy FILE.")
    return catalog_id


def _evidence(doc: Decision, row: RankRow | None, lang: str) -> tuple[str, ...]:
    lines = [doc.verdict_text.get(lang)]
    if row is not None:
        lines.append(f"{row.name}: rank {row.rank}, score {row.score:.2f}, {row.openness}, {row.mode}, "
                     f"{row.monthly_usd:,.2f} USD/month ({row.monthly_origin}); measured: {row.measured}")
    return tuple(lines)


def policy_from_decision(doc: Decision, config: Config, profile: Any, source: str, lang: str = "en") -> Policy:
    rows = {r.model: r for r in doc.ranking}
    data_may_leave = getattr(profile, "data_may_go", "anywhere") == "anywhere"
    if doc.hybrid is not None and doc.hybrid.applies:
        plan = [("private", doc.hybrid.sensitive.model, True), ("public", doc.hybrid.rest.model, False)]
    elif doc.top_models:
        top = rows.get(doc.top_models[0])
        plan = [("main", doc.top_models[0], data_may_leave or (top is not None and top.mode != "api"))]
    else:
        raise InputError("the decision ranks no model, so there is nothing to route to. Fix: change the profile, "
                         "or give --policy FILE.")
    routes = []
    for name, catalog_id, sensitive in plan:
        row = rows.get(catalog_id)
        model_id = serving_model(catalog_id, row, config)
        route = _route(name, model_id, sensitive, config, _evidence(doc, row, lang))
        if route.sensitive and not route.upstream.self_hosted and not data_may_leave:
            route = Route(route.name, route.model, False, route.upstream, route.price, route.usd_per_request, route.evidence)
        routes.append(route)
    public = next((r.name for r in routes if not r.sensitive), routes[-1].name)
    fallback = tuple(r.name for r in routes if r.name != public)
    summary = {"verdict": doc.verdict, "profile": doc.profile.name, "run": doc.run.id if doc.run else None,
               "top_models": doc.top_models, "monthly_usd": doc.hybrid.monthly_usd if doc.hybrid else None}
    return check(Policy(routes=tuple(routes), default=public, fallback=fallback, source=source, decision=summary), source)


def compile_policy(*, policy_file: str | Path | None, run_id: str | None, profile: str | None, config: Config,
                   db: str | Path | None = None, lang: str = "en") -> Policy:
    """The policy to serve: from ``policy_file``, else from the decision of ``run_id`` or ``profile``."""
    from whichai import app

    if policy_file:
        return policy_from_file(Path(policy_file), config)
    needs = app.load_needs(profile)
    if run_id:
        store = app._open_store(db)
        try:
            rec = app.run_recommendation(store, run_id, profile=needs, lang=lang)
        finally:
            store.close()
        run = rec.document().run
        source = f"decision of run {run.id if run else run_id}"
    else:
        rec = app.recommend(needs, lang=lang)
        source = f"decision for profile {needs.name}"
    return policy_from_decision(rec.document(), config, needs, source, lang)


# serving ------------------------------------------------------------------------------------------------


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_bind(host: str, port: int, token: str | None) -> None:
    """Refuse a non-loopback address without a token, and a port already taken (before serving)."""
    if not is_loopback(host) and not token:
        raise InputError(f"--host {host} exposes the gateway beyond this machine. Fix: set WHICHAI_GATEWAY_TOKEN "
                         "(clients send it as 'Authorization: Bearer TOKEN'), or keep the default 127.0.0.1.")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise InputError(f"cannot listen on {host}:{port} ({exc.strerror}). Fix: choose another --port, "
                             "or stop what uses it.") from None


async def serve(policy: Policy, host: str, port: int, *, token: str | None = None, db: str | Path | None = None,
                ready: Any = None) -> None:
    """Serve until cancelled (Ctrl-C). ``ready(url)`` is called once the gateway listens."""
    from aiohttp import web

    from whichai.gateway.log import RequestLog
    from whichai.gateway.server import Gateway
    from whichai.paths import default_db_path
    from whichai.store import Store

    store = Store.open(db or default_db_path())
    gateway = Gateway(policy, RequestLog(store), token=token)
    runner = web.ServerRunner(gateway.server())
    await runner.setup()
    try:
        await gateway.start()
        await web.TCPSite(runner, host, port).start()
        if ready:
            ready(f"http://{host}:{port}/v1")
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
        await gateway.stop()
        store.close()


def stats(db: str | Path | None = None, since: str | None = None) -> Traffic:
    from whichai import app as use_cases
    from whichai.gateway.log import stats as read

    store = use_cases._open_store(db)
    try:
        return read(store, since)
    finally:
        store.close()


