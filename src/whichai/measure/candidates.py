"""Candidates to measure: the best-ranked models on each side (open and closed) that can be run from here.

``whichai run --profile P --candidates K`` first ranks the catalog for the profile with priors only, then
measures, on the user's task, the K best-ranked *reachable* models of each side, and ranks again with
their measurements. A model is reachable when one of these runs it:

- the embedded model, and GGUF files in the Hugging Face cache that fit this machine's memory;
- a server in ``whichai.toml`` that says what it ``serves`` (or whose model name matches an entry);
- a model on a running Ollama / LM Studio / llama.cpp / vLLM server on this machine;
- an API whose key is set (and whose SDK is installed): the vendors, hosted open-model APIs.

For each top-K model of a side that is not reachable, :func:`how_to_reach` gives the one command that
makes it so: the key to set, ``ollama pull hf.co/…`` (Ollama running) or ``--models local/hf:…`` for a
GGUF repo the catalog knows, ``vllm serve`` for weights on the hub.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from whichai.config import vendor_kinds
from whichai.measure.ways import gguf_repo
from whichai.providers.registry import EMBEDDED, HOSTED, Registry, vendor_defaults

if TYPE_CHECKING:
    from whichai.providers.discovery import ServerProbe


class Ranked(Protocol):
    """A row of decide's ranking, as far as the plan reads it (``side``: open, closed or unknown)."""

    @property
    def model(self) -> str: ...
    @property
    def rank(self) -> int: ...
    @property
    def side(self) -> str: ...


@dataclass(frozen=True)
class Chosen:
    """A candidate to measure: ``model`` is the id run, ``catalog`` the ranked entry it stands for."""

    model: str
    catalog: str
    side: str
    rank: int
    via: str  # embedded | configured | local-server | hf-cache | api-key


@dataclass(frozen=True)
class Unreachable:
    """A top-ranked model nothing here runs, and the one command that would make it reachable (or None)."""

    model: str
    side: str
    rank: int
    command: str | None


@dataclass
class Plan:
    measured: list[Chosen] = field(default_factory=list)
    unreachable: list[Unreachable] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def models(self) -> list[str]:
        return [m.model for m in self.measured]

    def to_json(self) -> dict[str, object]:
        return {"measured": [asdict(m) for m in self.measured], "unreachable": [asdict(u) for u in self.unreachable]}


def plan(ranking: Sequence[Ranked], catalog: Any, registry: Registry, k: int, in_house: bool = False) -> Plan:
    """The K best-ranked reachable models of each side, and commands for the unreachable top-K.
    ``in_house``: the profile's data may not leave the premises, so no model is reached through an
    outside API (neither measured that way nor suggested with a key to set)."""
    from whichai.providers.discovery import probe
    from whichai.providers.identity import link_to_catalog

    servers = link_to_catalog(probe(), catalog)
    reach = reachable(registry, catalog, servers)
    if in_house:
        reach = {cid: way for cid, way in reach.items() if way["via"] != "api-key"}
    ollama = any(row.running for row in servers if row.server == "ollama")
    result = Plan()
    taken = {"open": 0, "closed": 0}
    for row in ranking:
        side = row.side
        if side not in taken:  # openness unknown: neither side's candidate
            continue
        model = reach.get(row.model)
        if model is not None and taken[side] < k:
            taken[side] += 1
            result.measured.append(Chosen(model["model"], row.model, side, row.rank, model["via"]))
        elif model is None and row.rank <= _top_rank(ranking, side, k):
            raw = catalog.find_raw(row.model) or {"id": row.model}
            result.unreachable.append(Unreachable(row.model, side, row.rank,
                                                  how_to_reach(raw, ollama_running=ollama, in_house=in_house)))
    if result.measured:
        result.notes.append("candidates to measure: " + ", ".join(f"{m.model} ({m.side}, rank {m.rank})" for m in result.measured) + ".")
    for side, count in taken.items():
        if count < k:
            result.notes.append(f"only {count} reachable {side} model(s) in the ranking, of the {k} asked for.")
    return result


def _top_rank(ranking: Sequence[Ranked], side: str, k: int) -> int:
    ranks = [row.rank for row in ranking if row.side == side][:k]
    return ranks[-1] if ranks else 0


def reachable(registry: Registry, catalog: Any, servers: list[ServerProbe] | None = None) -> dict[str, dict[str, str]]:
    """catalog id -> {model: the id to run, via: how it is reached}; the first way found wins.
    ``servers``: the local servers' probe, linked to the catalog (probed here when not given)."""
    from whichai.providers.discovery import probe
    from whichai.providers.identity import link_to_catalog

    found: dict[str, dict[str, str]] = {}

    def add(catalog_id: str | None, model: str, via: str) -> None:
        if catalog_id and catalog.find_raw(catalog_id) is not None:
            found.setdefault(catalog.find_raw(catalog_id)["id"], {"model": model, "via": via})

    for catalog_id, model in configured_servers(registry, catalog):
        add(catalog_id, model, "configured")
    for row in servers if servers is not None else link_to_catalog(probe(), catalog):
        for served in row.models:
            add(served.catalog, served.id, "local-server")
    for catalog_id, model in cached_gguf_files(catalog):
        add(catalog_id, model, "hf-cache")
    add(EMBEDDED, EMBEDDED, "embedded")
    prefixes = api_prefixes(registry)
    for raw in catalog.raw:
        for run_id in _run_ids(raw):
            if run_id.split("/", 1)[0] in prefixes and _offer_active(raw, run_id):
                add(raw["id"], run_id, "api-key")
                break
    return found


def _run_ids(raw: dict[str, Any]) -> list[str]:
    """The ids that call this model at a host: its offers (the catalog's hosts), else its own id when an
    API serves it. An id's first part names the lab (``openai/gpt-oss-120b``), not always a host."""
    offers = list(raw.get("offers") or {})
    if offers:
        return sorted(offers, key=lambda i: i != raw["id"])  # the entry's own id first where it is an offer
    return [raw["id"]] if raw.get("api_available") else []


def _offer_active(raw: dict[str, Any], run_id: str) -> bool:
    offer = (raw.get("offers") or {}).get(run_id) or {}
    lifecycle = raw.get("lifecycle") or {}
    if offer.get("status") == "retired":
        return False
    return not (run_id == raw["id"] and lifecycle.get("status") == "retired")


def api_prefixes(registry: Registry) -> set[str]:
    """Providers of vendor or hosted APIs whose key is set and whose SDK is installed."""
    usable = set()
    for name, (_, envs, module, _) in vendor_defaults().items():
        configured = registry.config.providers.get(name)
        if configured is not None and configured.api_key_env:
            envs = (configured.api_key_env,)
        if any(os.environ.get(e) for e in envs) and importlib.util.find_spec(module.split(".")[0]) is not None:
            usable.add(name)
    for name, (_, env) in HOSTED.items():
        if os.environ.get(env) and name not in registry.config.providers:
            usable.add(name)
    return usable


def configured_servers(registry: Registry, catalog: Any) -> list[tuple[str | None, str]]:
    """(catalog id, model id) of each [providers.NAME] that says what it serves or names a known model."""
    from whichai.providers.identity import match

    out = []
    for name, config in registry.config.providers.items():
        official = name in vendor_kinds() and "kind" not in config.model_fields_set
        if official or config.kind != "openai":
            continue  # an official API through a proxy is reached by its key, not as a server
        model = config.default_model or (_served_model(config.base_url) if config.serves else None)
        if model:
            out.append((config.serves or match(catalog, model), f"{name}/{model}"))
    return out


def _served_model(base_url: str | None) -> str | None:
    """The first model a configured server lists at ``/models`` (servers that serve one model). The list
    is read under discovery's body cap and total deadline (an endless or dripping answer is no model)."""
    import json

    import httpx

    from whichai.providers.discovery import BodyTooLarge, ProbeDeadline, get_bounded

    if not base_url:
        return None
    try:
        with httpx.Client(timeout=2.0, trust_env=False) as client:
            status, body = get_bounded(client, base_url.rstrip("/") + "/models")
        answer = json.loads(body) if status == 200 else None
    except (httpx.HTTPError, BodyTooLarge, ProbeDeadline, ValueError, RecursionError):
        return None
    data = answer.get("data") if isinstance(answer, dict) else None
    first = data[0] if isinstance(data, list) and data else None
    model = first.get("id") if isinstance(first, dict) else None
    return model if isinstance(model, str) and model else None


def cached_gguf_files(catalog: Any) -> list[tuple[str | None, str]]:
    """GGUF files already in the Hugging Face cache that fit in 80 % of this machine's memory."""
    import huggingface_hub as hub
    from huggingface_hub import constants

    from whichai.providers.identity import match

    try:
        info = hub.scan_cache_dir(constants.HF_HUB_CACHE)
    except hub.errors.CacheNotFound:
        return []
    budget = 0.8 * _memory_bytes()
    out = []
    for repo in info.repos:
        if repo.repo_type != "model":
            continue
        for revision in repo.revisions:
            for file in revision.files:
                if file.file_name.lower().endswith(".gguf") and "mmproj" not in file.file_name.lower() and file.size_on_disk <= budget:
                    name = file.file_path.relative_to(revision.snapshot_path).as_posix()
                    out.append((match(catalog, repo.repo_id.split("/", 1)[1]), f"local/hf:{repo.repo_id}/{name}"))
    return out


def _memory_bytes() -> float:
    return float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))


def how_to_reach(raw: dict[str, Any], ollama_running: bool = False, in_house: bool = False) -> str | None:
    """The one command that makes a catalog model reachable, or None when no way is known. ``in_house``:
    the data may not leave the premises, so no outside API (and no key to set) is suggested."""
    gguf = gguf_repo(raw)
    if gguf:  # Ollama pulls GGUF repos from the hub by name; without it, whichai fetches the file itself
        return f"ollama pull hf.co/{gguf}:Q4_K_M" if ollama_running else f"whichai run --models local/hf:{gguf}:Q4_K_M"
    for run_id in [] if in_house else _run_ids(raw):
        prefix = run_id.split("/", 1)[0]
        vendors = vendor_defaults()
        if prefix in vendors:
            _, envs, module, install = vendors[prefix]
            if any(os.environ.get(e) for e in envs):
                return install  # the key is set: the SDK is what is missing
            return f"export {envs[0]}=<your {prefix} key>"
        if prefix in HOSTED and _offer_active(raw, run_id):
            return f"export {HOSTED[prefix][1]}=<your {prefix} key>"
    if raw.get("hf_repo") and raw.get("weights_downloadable") is not False:
        return f"vllm serve {raw['hf_repo']}"
    return None


def merge_models(explicit: list[str], chosen: Plan) -> list[str]:
    """``--models`` first, then the candidates not already named."""
    return explicit + [m for m in chosen.models() if m not in explicit]


def check_serves(registry: Registry, model_ids: list[str], catalog: Any) -> None:
    """A configured ``serves`` must name a catalog entry: bad input otherwise, before anything runs."""
    from whichai.errors import ConfigError
    from whichai.providers.registry import split_model_id

    for model_id in model_ids:
        name = split_model_id(model_id)[0]
        config = registry.config.providers.get(name)
        if config is not None and config.serves and catalog.find_raw(config.serves) is None:
            raise ConfigError(f"{registry.config.path}: [providers.{name}] serves = {config.serves!r} is not in the catalog. "
                              f"Fix: use a catalog id (find it with `whichai models --search TEXT`).")


def text(key: str, lang: str, **params: Any) -> str:
    """A text of the ``candidates`` table of the gettext catalogs."""
    from whichai.i18n import text as lookup

    return lookup(key, lang, "candidates", **params)


def render(chosen: Plan, console: Any, lang: str) -> None:
    """The terminal view of the plan."""
    from rich.markup import escape

    def where(row: Chosen | Unreachable) -> str:
        return text("rank", lang, rank=row.rank, side=text(row.side, lang))

    console.print("[bold]" + text("measured", lang) + "[/]")
    for row in chosen.measured:
        same = row.catalog == row.model
        console.print(f"- {escape(row.model)}{'' if same else ' = ' + escape(row.catalog)} ({escape(where(row))})")
    if chosen.unreachable:
        console.print("[bold]" + text("unreachable", lang) + "[/]")
        for gap in chosen.unreachable:
            command = gap.command or text("no_command", lang)
            console.print(f"- {escape(gap.model)} ({escape(where(gap))}): {escape(command)}")
