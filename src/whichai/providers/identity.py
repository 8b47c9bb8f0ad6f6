"""What a model id stands for: the catalog entry it runs, and where it runs.

``identity(registry, model_id, catalog)`` gives the keys a run's per-model summary carries for decide:

- ``serves``: the catalog id of the model behind the id, when it is not the id itself: a configured
  server's ``serves = "<catalog id>"``, or the entry matched from a local server's model name
  (``ollama/llama3.1:8b`` -> ``meta/llama-3.1-8b-instruct``) or a Hugging Face GGUF repo;
- ``self_hosted``: True when the user runs it (a local GGUF, a local server, ``self_hosted = true``);
- ``hardware``: ``"this-machine"`` when it runs on this computer.

``match(catalog, name)`` links a local server's model name to a catalog entry by the tokens that
identify the weights (family, version, size), ignoring quantisation tags and the instruct suffix that
local servers leave out; it answers None rather than guess between two entries. ``link_to_catalog(rows,
catalog)`` adds that match to every model of a :func:`whichai.providers.discovery.probe` answer.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from whichai.providers.discovery import is_loopback
from whichai.providers.hub import is_hub_ref, parse_ref

_QUANT = re.compile(r"(?i)[-_.:]?(?:i?q\d(?:_[a-z0-9]+)*|[bf]f?16|f32|fp8|int[48]|awq|gptq|gguf|mlx|\d+bit)$")
_TOKEN = re.compile(r"\d+(?:\.\d+)?[bkm]?(?![a-z])|[a-z]+")
_VARIANT = {"instruct", "it", "chat", "hf", "latest"}


def tokens(name: str) -> frozenset[str]:
    """``llama3.1:8b`` -> {llama, 3.1, 8b}; quantisation tags (``q4_K_M``, ``fp16``, ``GGUF``) dropped."""
    text = name.lower().rsplit("/", 1)[-1]
    text = text.replace(":", "-")
    previous = None
    while previous != text:  # strip trailing quantisation / packaging tags, one at a time
        previous = text
        text = _QUANT.sub("", text)
    return frozenset(_TOKEN.findall(text))


@lru_cache(maxsize=4)
def _index(catalog: Any) -> list[tuple[frozenset[str], int, str]]:
    """(tokens, preference, id) for each name of each entry; lower preference is better."""
    rows = []
    for raw in catalog.raw:
        names = [raw["id"], *(raw.get("aliases") or [])]
        if raw.get("hf_repo"):
            names.append(raw["hf_repo"])
        # prefer the lab's own entry with its weights on the hub over hosts' copies of it
        preference = (0 if raw.get("hf_repo") else 2) + (0 if raw.get("weights_downloadable") else 1)
        for name in names:
            rows.append((tokens(name), preference, raw["id"]))
    return rows


def match(catalog: Any, name: str) -> str | None:
    """The catalog id for a served model name, or None when no entry (or more than one) fits."""
    raw = catalog.find_raw(name)
    if raw is not None:
        return raw["id"]
    wanted = tokens(name)
    if not wanted or not any(any(c.isdigit() for c in t) for t in wanted):
        return None  # a family name alone ("llama3") does not say which weights
    best: dict[str, tuple[int, int]] = {}
    for have, preference, entry_id in _index(catalog):
        if wanted <= have and not (have - wanted - _VARIANT):
            # local servers' default tags are the chat models: between base and instruct, instruct
            rank = (preference, 0 if have & _VARIANT else 1)
            best[entry_id] = min(best.get(entry_id, (99, 9)), rank)
    if not best:
        return None
    top = min(best.values())
    winners = sorted(i for i, p in best.items() if p == top)
    return winners[0] if len(winners) == 1 else None


def link_to_catalog(rows: list[dict[str, Any]], catalog: Any) -> list[dict[str, Any]]:
    """Add ``catalog`` (the matching catalog id, or None) to every model of the probe's rows."""
    for row in rows:
        for model in row["models"]:
            model["catalog"] = match(catalog, model["name"])
    return rows


def _is_local_server(provider: Any) -> bool:
    from whichai.providers.local_server import LocalServerProvider

    return isinstance(provider, LocalServerProvider)


def is_self_hosted(provider: Any) -> bool:
    """Whether the user runs the provider's models (no API bill): a local model, a local server, or a
    server declared ``self_hosted = true``."""
    return bool(provider.local or getattr(provider.config, "self_hosted", False) or _is_local_server(provider))


def identity(registry: Any, model_id: str, catalog: Any) -> dict[str, Any]:
    """The ``serves`` / ``self_hosted`` / ``hardware`` keys for one model id (empty for a vendor API)."""
    from whichai.providers.registry import split_model_id

    prefix, name = split_model_id(model_id)
    provider = registry.provider(prefix)
    config = provider.config
    out: dict[str, Any] = {}
    if provider.local:
        out.update(self_hosted=True, hardware="this-machine")
        if is_hub_ref(name) and catalog.find_raw(model_id) is None:
            found = match(catalog, parse_ref(name).repo_id.split("/", 1)[1])
            if found:
                out["serves"] = found
        elif catalog.find_raw(model_id) is None and (params := local_params_b(model_id)):
            out["params_b"] = params
        return out
    if getattr(config, "serves", None):
        out["serves"] = config.serves
    elif _is_local_server(provider):
        found = match(catalog, name)
        if found:
            out["serves"] = found
    if is_self_hosted(provider):
        out["self_hosted"] = True
        if is_loopback(getattr(config, "base_url", None)):
            out["hardware"] = "this-machine"
    return out


def local_params_b(model_id: str) -> float | None:
    """The parameter count (billions) a local GGUF file states in its own tensors, as ``whichai inspect``
    reads it: a measured file the catalog does not know is then checked against the hardware like any
    sized model, not excluded as "parameter count unknown". None for anything else or an unreadable file."""
    from whichai.errors import WhichaiError
    from whichai.providers.registry import split_model_id

    prefix, name = split_model_id(model_id)
    if prefix != "local" or is_hub_ref(name):
        return None
    try:
        from whichai.catalog.gguf import summarise
        from whichai.providers.local import model_path

        return summarise(model_path(name))["params_b"] or None
    except (OSError, ValueError, KeyError, WhichaiError):
        return None


def save(store: Any, run_id: str, summaries: list[dict[str, Any]]) -> None:
    """Keep each model's identity with the run, so a later ``whichai recommend --run`` judges it the same way."""
    rows = [(run_id, s["model"], s.get("serves"), int(bool(s.get("self_hosted"))), s.get("hardware")) for s in summaries]
    with store.db:
        store.db.executemany("INSERT OR REPLACE INTO run_model_identity VALUES (?, ?, ?, ?, ?)", rows)


def stored(store: Any, run_id: str) -> dict[str, dict[str, Any]]:
    """model -> {serves?, self_hosted?, hardware?} as saved with the run (only the keys that are set)."""
    out: dict[str, dict[str, Any]] = {}
    query = "SELECT model, serves, self_hosted, hardware FROM run_model_identity WHERE run_id = ?"
    for model, serves, self_hosted, hardware in store.db.execute(query, (run_id,)):
        keys = {"serves": serves, "self_hosted": bool(self_hosted) or None, "hardware": hardware}
        out[model] = {k: v for k, v in keys.items() if v is not None}
    return out


def apply_stored(store: Any, run_id: str, summaries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add the saved identity keys to a run's per-model summaries (for decide's measurements)."""
    found = stored(store, run_id)
    for summary in summaries:
        summary.update(found.get(summary["model"], {}))
        if summary["model"].startswith("local/") and "serves" not in summary and (params := local_params_b(summary["model"])):
            summary.setdefault("params_b", params)  # read again from the file: the size is not stored with the run
    return summaries
